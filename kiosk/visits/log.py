"""The visitor log (访客登记簿): search, the record with its history, who is on site.

Plain Python: no request. Every query is scoped to one site; lists page by keyset
(kiosk/paging.py) and load a page's rooms and corrections in a fixed number of
statements, however many rows there are.

Search finds a visit by its original and by its corrected values (V1). A name matches
as a substring of the name, or by pinyin: "zs" (initials prefix) or "zhang" / "zhangsan"
(prefix of the full pinyin) both find 张三. A phone matches the full number or its last
4 digits; a room its label (1-1-0101, 1-0101) or its number (0101, 101).
"""

import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from sqlalchemy.orm import joinedload, selectinload

from kiosk import audit, ids, paging
from kiosk.extensions import db
from kiosk.models import (
    Building,
    Device,
    Purpose,
    Role,
    Room,
    Site,
    Unit,
    User,
    Visit,
    VisitCorrection,
    VisitStatus,
)
from kiosk.models.registers import WorkerPass, WorkerSignIn
from kiosk.visits.corrections import original_value

# Statuses of a visitor who is in the building: in the lobby or upstairs.
PRESENT = (VisitStatus.WAITING, VisitStatus.HELD, VisitStatus.ON_SITE)

# S3, customer data not shown beyond need. Lists show phones masked (138****5678) to
# everyone. The full number is shown on the record only to those who contact visitors:
# the receptionist and the duty manager at the desk, and the supervisor who decides
# held visits and complaints. A manager reads records with the number masked. ID card
# numbers are stored masked only (registration never keeps the full number), so nobody
# sees a full ID number anywhere.
FULL_CONTACT_ROLES = frozenset({Role.RECEPTIONIST, Role.DUTY_MANAGER, Role.SUPERVISOR})


def sees_full_contact(user: User) -> bool:
    return user.role in FULL_CONTACT_ROLES


_PLATE_NOISE = re.compile(r"[\s·•.\-_]")


@dataclass(frozen=True)
class LogQuery:
    """What the front desk searches the log for; empty fields do not filter."""

    date_from: date | None = None  # site-local dates, both included
    date_to: date | None = None
    name: str = ""
    phone: str = ""
    plate: str = ""
    room: str = ""
    purpose: Purpose | None = None
    status: VisitStatus | None = None


def day_start(site: Site, day: date) -> datetime:
    """The UTC instant at which a site-local day begins."""
    return datetime.combine(day, time(0), tzinfo=ZoneInfo(site.timezone)).astimezone(ZoneInfo("UTC"))


def range_bounds(site: Site, date_from: date | None, date_to: date | None) -> tuple[datetime | None, datetime | None]:
    """[start, end) in UTC for site-local dates, both days included."""
    start = day_start(site, date_from) if date_from else None
    end = day_start(site, date_to + timedelta(days=1)) if date_to else None
    return start, end


def _corrected(field_name: str, condition) -> sa.ColumnElement:
    """The visit has a correction of `field_name` whose value meets `condition`. Not correlated:
    the corrections are looked through once, not once per visit a search walks past."""
    return Visit.id.in_(sa.select(VisitCorrection.visit_id).where(VisitCorrection.field == field_name, condition))


def _fold(text: str) -> str:
    return unicodedata.normalize("NFKC", text).strip().casefold()


def name_condition(text: str):
    text = _fold(text)
    conditions = [
        sa.func.lower(Visit.visitor_name).contains(text, autoescape=True),
        _corrected("visitor_name", sa.func.lower(VisitCorrection.value).contains(text, autoescape=True)),
    ]
    key = re.sub(r"[\s'’]", "", text)
    if re.fullmatch(r"[a-z]+", key):
        conditions.append(Visit.name_initials.startswith(key, autoescape=True))
        conditions.append(sa.func.replace(Visit.name_pinyin, " ", "").startswith(key, autoescape=True))
    return sa.or_(*conditions)


def phone_digits(text: str) -> str:
    return re.sub(r"\D", "", unicodedata.normalize("NFKC", text))


def phone_condition(site_id: int, text: str):
    """The visits whose phone, as registered or corrected, is `text` in full or ends in its 4
    digits. Their ids come first, from ix_visit_site_phone_last4 and the corrections (a phone's
    few dozen visits, not the site's history scanned in time order)."""
    digits = phone_digits(text)
    registered = sa.select(Visit.id).where(Visit.site_id == site_id, Visit.phone_last4 == digits[-4:])
    if len(digits) == 4:
        corrected = VisitCorrection.value.endswith(digits)
    else:
        numbers = {"+" + digits, "+86" + digits}
        registered = registered.where(Visit.visitor_phone.in_(numbers))
        corrected = VisitCorrection.value.in_(numbers)
    corrections = sa.select(VisitCorrection.visit_id).where(VisitCorrection.field == "visitor_phone", corrected)
    return Visit.id.in_(sa.union(registered, corrections))


def plate_condition(text: str):
    key = _PLATE_NOISE.sub("", unicodedata.normalize("NFKC", text)).upper()
    return sa.or_(
        sa.func.upper(Visit.plate).contains(key, autoescape=True),
        _corrected("plate", sa.func.upper(VisitCorrection.value).contains(key, autoescape=True)),
    )


def room_condition(site_id: int, text: str):
    parts = [p for p in re.split(r"[-－—/\s]+", unicodedata.normalize("NFKC", text).strip()) if p]
    if not parts or len(parts) > 3:
        return sa.false()
    number = parts[-1]
    numbers = {number, number.zfill(4)} if ids.is_number(number) else {number}
    rooms = (
        sa.select(Room.id)
        .join(Building, Room.building_id == Building.id)
        .outerjoin(Unit, Room.unit_id == Unit.id)
        .where(Room.site_id == site_id, Room.number.in_(numbers))
    )
    if len(parts) >= 2:
        rooms = rooms.where(Building.name == parts[0])
    if len(parts) == 3:
        rooms = rooms.where(Unit.name == parts[1])
    conditions = [Visit.room_id.in_(rooms)]
    if len(parts) >= 2:
        label = "-".join(parts)
        conditions.append(_corrected("room", VisitCorrection.value == label))
    return sa.or_(*conditions)


def conditions(site: Site, q: LogQuery) -> list:
    where = [Visit.site_id == site.id]
    start, end = range_bounds(site, q.date_from, q.date_to)
    if start is not None:
        where.append(Visit.action_at >= start)
    if end is not None:
        where.append(Visit.action_at < end)
    if q.name.strip():
        where.append(name_condition(q.name))
    if q.phone.strip():
        where.append(phone_condition(site.id, q.phone))
    if q.plate.strip():
        where.append(plate_condition(q.plate))
    if q.room.strip():
        where.append(room_condition(site.id, q.room))
    if q.purpose is not None:
        where.append(Visit.purpose == q.purpose)
    if q.status is not None:
        where.append(Visit.status == q.status)
    return where


def with_details(query: sa.Select) -> sa.Select:
    """Load each visit's room (building, unit) and corrections with the page: no N+1."""
    sa.orm.configure_mappers()  # Visit.corrections is a backref made at configuration
    return query.options(
        joinedload(Visit.room).joinedload(Room.building),
        joinedload(Visit.room).joinedload(Room.unit),
        selectinload(Visit.corrections),
    )


def search(site: Site, q: LogQuery, *, cursor: str | None = None, size: int = 50) -> paging.Page:
    """A page of the site's visits matching `q`, newest first. Raises paging.BadCursor."""
    query = with_details(sa.select(Visit).where(*conditions(site, q)))
    return paging.keyset(query, Visit.action_at, Visit.id, cursor=cursor, size=size)


# --- who is on site (evacuation roll call) ---------------------------------------------


@dataclass
class OnSite:
    upstairs: list[Visit] = field(default_factory=list)  # ON_SITE, visitors
    lobby: list[Visit] = field(default_factory=list)  # WAITING or HELD: in the lobby
    workers: list[Visit] = field(default_factory=list)  # ON_SITE, signed in with a worker pass (V7)
    passes: dict[int, WorkerPass] = field(default_factory=dict)  # visit id -> the worker's pass

    @property
    def visits(self) -> int:
        return len(self.upstairs) + len(self.lobby) + len(self.workers)

    @property
    def people(self) -> int:
        return sum(v.party_size for v in self.upstairs + self.lobby + self.workers)

    @property
    def people_workers(self) -> int:
        return sum(v.party_size for v in self.workers)

    @property
    def people_upstairs(self) -> int:
        return sum(v.party_size for v in self.upstairs)

    @property
    def people_lobby(self) -> int:
        return sum(v.party_size for v in self.lobby)


def on_site(site: Site) -> OnSite:
    """Everyone registered and not checked out, oldest first (the automatic check-out at
    closing time keeps this true; see kiosk/visitor_upkeep.py). Decoration workers who went
    up with their pass are a section of their own (V7), with their pass."""
    query = with_details(sa.select(Visit).where(Visit.site_id == site.id, Visit.status.in_(PRESENT)))
    visits = db.session.scalars(query.order_by(Visit.action_at, Visit.id)).unique().all()
    result = OnSite()
    upstairs = [v.id for v in visits if v.status == VisitStatus.ON_SITE]
    if upstairs:  # decoration workers on site (V7): one query for their passes
        rows = db.session.execute(
            sa.select(WorkerSignIn.visit_id, WorkerPass)
            .join(WorkerPass, WorkerPass.id == WorkerSignIn.pass_id)
            .where(WorkerSignIn.site_id == site.id, WorkerSignIn.visit_id.in_(upstairs))
        ).all()
        result.passes = {visit_id: worker_pass for visit_id, worker_pass in rows}
    for visit in visits:
        if visit.status != VisitStatus.ON_SITE:
            result.lobby.append(visit)
        else:
            (result.workers if visit.id in result.passes else result.upstairs).append(visit)
    return result


# --- one record and its history ----------------------------------------------------------


@dataclass(frozen=True)
class HistoryEntry:
    at: datetime
    kind: str  # "registered" | "outcome" | "departed" | "correction" | "purged"
    by: str | None = None  # who (staff name, or the kiosk's name)
    correction: VisitCorrection | None = None
    previous: str | None = None  # for a correction: the value it replaced


def view(visit: Visit, actor: User) -> None:
    """S1: every look at a visit record is traceable."""
    audit.record(actor, "visit.view", visit)


def history(visit: Visit) -> list[HistoryEntry]:
    """The record's life in time order: registration, outcome, departure, corrections."""
    user_ids = {visit.registered_by_id, visit.outcome_by_id, visit.departed_by_id}
    user_ids |= {c.by_id for c in visit.corrections}
    user_ids.discard(None)
    names = (
        dict(db.session.execute(sa.select(User.id, User.display_name).where(User.id.in_(user_ids))).all())
        if user_ids
        else {}
    )
    device = db.session.get(Device, visit.device_id) if visit.device_id else None
    entries = [
        HistoryEntry(
            visit.action_at, "registered", names.get(visit.registered_by_id) or (device.name if device else None)
        )
    ]
    if visit.outcome_at is not None:
        entries.append(HistoryEntry(visit.outcome_at, "outcome", names.get(visit.outcome_by_id)))
    if visit.departed_at is not None:
        entries.append(HistoryEntry(visit.departed_at, "departed", names.get(visit.departed_by_id)))
    current: dict[str, str | None] = {}
    for c in visit.corrections:  # in the order they were made
        previous = current[c.field] if c.field in current else original_value(visit, c.field)
        entries.append(HistoryEntry(c.at, "correction", names.get(c.by_id), c, previous))
        current[c.field] = c.value
    if visit.purged_at is not None:
        entries.append(HistoryEntry(visit.purged_at, "purged"))
    return sorted(entries, key=lambda e: e.at)


def load_record(site: Site, visit_id: int) -> Visit | None:
    query = with_details(sa.select(Visit).where(Visit.site_id == site.id, Visit.id == visit_id))
    return db.session.scalars(query).unique().one_or_none()
