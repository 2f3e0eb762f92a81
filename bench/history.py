"""The rest of a large site's history, in bulk (bench/data.py calls it after the visits):
patrols with their stops, answers and tasks; intake records; work orders; household-file
looks. Rows get explicit ids (one max() per table, then consecutive), so children can point
at parents without reading anything back; PostgreSQL's sequences are moved past them at the end.

Patrols copy the demo's finished patrols (kiosk.demo seeds three weeks of them) back in
time, so their stops and answers fit real checklists and checkpoints.
"""

import random
import uuid
from datetime import timedelta

import sqlalchemy as sa

from kiosk.extensions import db
from kiosk.models import Department, Household, User
from kiosk.models.case_orders import OrderCounter, WorkOrder
from kiosk.models.cases import Intake
from kiosk.models.households import FileLook, HouseholdFile
from kiosk.models.patrols import Answer, Patrol, PatrolStop, Task
from kiosk.timeutil import utcnow

BATCH = 10_000
WORDS = "漏水 门禁 电梯 噪音 停车 绿化 保洁 灯坏 堵塞 墙面 投诉 咨询 物业费 快递 装修".split()
CLASSES = ["inquiry"] * 5 + ["repair"] * 3 + ["complaint", "issue", "suggestion", "praise", "other"]
CATEGORIES = ("plumbing", "electrical", "door_window", "appliance", "public_area", "other")


class Ids:
    """The next free id of each table."""

    def __init__(self):
        self._next = {}

    def take(self, model) -> int:
        if model not in self._next:
            self._next[model] = (db.session.scalar(sa.select(sa.func.max(model.id))) or 0) + 1
        value = self._next[model]
        self._next[model] = value + 1
        return value


def _insert(model, rows: list) -> None:
    for start in range(0, len(rows), BATCH):
        db.session.connection().execute(model.__table__.insert(), rows[start : start + BATCH])
    db.session.commit()
    rows.clear()


def _columns(row, model, skip=("id",)) -> dict:
    return {c.key: getattr(row, c.key) for c in sa.inspect(model).column_attrs if c.key not in skip}


def patrols(site, rng: random.Random, *, count: int, days: int, ids: Ids) -> int:
    """`count` patrols over `days` days, copied from the demo's finished ones."""
    models = list(
        db.session.scalars(sa.select(Patrol).where(Patrol.site_id == site.id, Patrol.finished_at.is_not(None)))
    )
    if not models or not count:
        return 0
    stops, answers, tasks = {}, {}, {}
    for model, table, key in (
        (PatrolStop, stops, "patrol_id"),
        (Answer, answers, "patrol_id"),
        (Task, tasks, "patrol_id"),
    ):
        for row in db.session.scalars(sa.select(model).where(getattr(model, key).in_([p.id for p in models]))):
            table.setdefault(row.patrol_id, []).append(row)
    now = utcnow()
    span = timedelta(days=days).total_seconds()
    out = {Patrol: [], PatrolStop: [], Answer: [], Task: []}
    for n in range(count):
        model = rng.choice(models)
        shift = model.started_at - (now - timedelta(seconds=span * (1 - n / count) + 3600))
        patrol_id = ids.take(Patrol)
        row = _columns(model, Patrol)
        row.update(id=patrol_id, uuid=str(uuid.UUID(int=rng.getrandbits(128))), occurrence_id=None)
        for column in ("started_at", "started_received_at", "finished_at", "finished_received_at", "signed_at"):
            if row.get(column) is not None:
                row[column] -= shift
        out[Patrol].append(row)
        for stop in stops.get(model.id, ()):
            copy = _columns(stop, PatrolStop)
            copy.update(id=ids.take(PatrolStop), patrol_id=patrol_id)
            for column in ("scanned_at", "scan_received_at"):
                if copy.get(column) is not None:
                    copy[column] -= shift
            out[PatrolStop].append(copy)
        answer_ids = {}
        for answer in answers.get(model.id, ()):
            copy = _columns(answer, Answer)
            answer_ids[answer.id] = ids.take(Answer)
            copy.update(id=answer_ids[answer.id], patrol_id=patrol_id)
            copy["answered_at"] -= shift
            copy["received_at"] -= shift
            out[Answer].append(copy)
        for task in tasks.get(model.id, ()):
            copy = _columns(task, Task)
            copy.update(id=ids.take(Task), patrol_id=patrol_id, answer_id=answer_ids[task.answer_id])
            copy.update(earlier_task_id=None, status="closed", closed_at=copy["found_at"] - shift + timedelta(days=2))
            for column in ("found_at", "fixed_at"):
                if copy.get(column) is not None:
                    copy[column] -= shift
            copy["deadline"] -= timedelta(days=shift.days)
            out[Task].append(copy)
        if len(out[Answer]) >= BATCH:
            for table in (Patrol, PatrolStop, Answer, Task):
                _insert(table, out[table])
    for table in (Patrol, PatrolStop, Answer, Task):
        _insert(table, out[table])
    return count


def cases(site, rng: random.Random, *, intake: int, orders: int, days: int, ids: Ids) -> None:
    """`intake` intake records over `days` days, `orders` of them (at most) repairs with a
    work order numbered per year without gaps; the counters end at the last numbers."""
    households = list(db.session.execute(sa.select(Household.id, Household.room_id, Household.name, Household.phone)))
    departments = list(db.session.scalars(sa.select(Department.id).where(Department.site_id == site.id)))
    staff = list(db.session.scalars(sa.select(User.id).where(User.site_id == site.id)))
    now = utcnow()
    span = timedelta(days=days).total_seconds()
    every = max(intake // max(orders, 1), 1)
    # The numbers go on from what the site has (the demo's orders): none is taken twice.
    numbers = dict(
        db.session.execute(
            sa.select(OrderCounter.year, OrderCounter.last_number).where(OrderCounter.site_id == site.id)
        ).all()
    )
    rows, order_rows, made = [], [], 0
    for n in range(intake):
        at = now - timedelta(seconds=span * (1 - n / intake) + 7200)
        household = rng.choice(households)
        repair = made < orders and n % every == 0
        made += repair
        intake_id = ids.take(Intake)
        rows.append(
            {
                "id": intake_id,
                "site_id": site.id,
                "received_at": at,
                "channel": rng.choice(("phone", "phone", "visit", "letter", "kiosk")),
                "kind": "repair" if repair else rng.choice(CLASSES),
                "status": "routed" if repair else "closed",
                "household_id": household.id,
                "room_id": household.room_id,
                "caller_name": household.name,
                "caller_phone": household.phone,
                "content": "".join(rng.choice(WORDS) for _ in range(3)),
                "received_by_id": rng.choice(staff),
                "read_back": True,
                "importance": "normal",
                "closed_at": None if repair else at + timedelta(minutes=5),
            }
        )
        if repair:
            year = at.year
            numbers[year] = numbers.get(year, 0) + 1
            order_rows.append(
                {
                    "id": ids.take(WorkOrder),
                    "site_id": site.id,
                    "year": year,
                    "number": numbers[year],
                    "intake_id": intake_id,
                    "household_id": household.id,
                    "room_id": household.room_id,
                    "contact_name": household.name,
                    "contact_phone": household.phone,
                    "content": rows[-1]["content"],
                    "category": rng.choice(CATEGORIES),
                    "department_id": rng.choice(departments) if departments else None,
                    "status": "closed",
                    "created_at": at,
                    "created_by_id": rng.choice(staff),
                    "dispatched_at": at + timedelta(minutes=3),
                    "completed_at": at + timedelta(hours=4),
                    "callback_at": at + timedelta(days=1),
                    "callback_satisfied": True,
                    "callback_fee_confirmed": True,
                }
            )
        if len(rows) >= BATCH:
            _insert(Intake, rows)
            _insert(WorkOrder, order_rows)
    _insert(Intake, rows)
    _insert(WorkOrder, order_rows)
    # The numbers continue where the generated history ends (C11: no gaps).
    for year, last in numbers.items():
        db.session.execute(sa.delete(OrderCounter).where(OrderCounter.site_id == site.id, OrderCounter.year == year))
        db.session.add(OrderCounter(site_id=site.id, year=year, last_number=last))
    db.session.commit()


def looks(site, rng: random.Random, *, count: int, days: int, ids: Ids) -> None:
    """`count` looks at household files (the access log), allowed and refused."""
    files = list(db.session.execute(sa.select(HouseholdFile.id, HouseholdFile.household_id)))
    staff = list(db.session.scalars(sa.select(User.id).where(User.site_id == site.id)))
    if not files:
        return
    now = utcnow()
    span = timedelta(days=days).total_seconds()
    rows = []
    for n in range(count):
        file = rng.choice(files)
        rows.append(
            {
                "id": ids.take(FileLook),
                "site_id": site.id,
                "at": now - timedelta(seconds=span * (1 - n / count)),
                "file_id": file.id,
                "household_id": file.household_id,
                "user_id": rng.choice(staff),
                "what": "file",
                "why": "业主来电核实",
                "allowed": rng.random() < 0.95,
            }
        )
        if len(rows) >= BATCH:
            _insert(FileLook, rows)
    _insert(FileLook, rows)


def move_sequences() -> None:
    """PostgreSQL: each table's id sequence past the ids given here."""
    if db.session.get_bind().dialect.name != "postgresql":
        return
    for model in (Patrol, PatrolStop, Answer, Task, Intake, WorkOrder, FileLook):
        table = model.__tablename__
        db.session.execute(
            sa.text(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT coalesce(max(id), 1) FROM {table}))"
            )
        )
    db.session.commit()
