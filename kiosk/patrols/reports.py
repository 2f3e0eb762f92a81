"""What supervisors read: pass rate by area, open tasks by department, a patrol's check
sheet, a checkpoint's (vacant unit's, P3) inspection history, and a month's patrols as
XLSX. Plain Python."""

import io
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from openpyxl import Workbook
from openpyxl.styles import Font
from sqlalchemy.orm import selectinload

from kiosk import ids, spreadsheets
from kiosk.extensions import db
from kiosk.models.patrols import Answer, Checkpoint, Patrol, PatrolStop, Photo, Result, Task, TaskStatus
from kiosk.patrols import templates, walk

HISTORY_LIMIT = 52  # a year of weekly inspections


def pass_rate_by_area(site_id: int, since: datetime) -> list[tuple[str, int, int]]:
    """(checkpoint kind, passed, failed) over answers since `since`."""
    rows = db.session.execute(
        sa.select(Checkpoint.kind, Answer.result, sa.func.count())
        .join(Checkpoint, Checkpoint.id == Answer.checkpoint_id)
        .where(Answer.site_id == site_id, Answer.answered_at >= since, Answer.result.in_([Result.PASS, Result.FAIL]))
        .group_by(Checkpoint.kind, Answer.result)
    ).all()
    table: dict[str, list[int]] = {}
    for kind, result, count in rows:
        table.setdefault(kind, [0, 0])[0 if result == Result.PASS else 1] += count
    return sorted(((k, p, f) for k, (p, f) in table.items()), key=lambda r: r[0])


def skipped_by_area(site_id: int, since: datetime) -> dict[str, int]:
    """Checkpoints left unscanned on patrols finished incomplete since `since`, by kind
    (P1): the pass rates beside them count only what was looked at."""
    rows = db.session.execute(
        sa.select(Checkpoint.kind, sa.func.count())
        .select_from(PatrolStop)
        .join(Patrol, Patrol.id == PatrolStop.patrol_id)
        .join(Checkpoint, Checkpoint.id == PatrolStop.checkpoint_id)
        .where(
            Patrol.site_id == site_id,
            Patrol.incomplete.is_(True),
            Patrol.started_at >= since,
            PatrolStop.scanned_at.is_(None),
        )
        .group_by(Checkpoint.kind)
    ).all()
    return {kind: count for kind, count in rows}


def incomplete_since(site_id: int, since: datetime) -> int:
    """How many patrols were finished incomplete since `since` (P1)."""
    return (
        db.session.scalar(
            sa.select(sa.func.count())
            .select_from(Patrol)
            .where(Patrol.site_id == site_id, Patrol.incomplete.is_(True), Patrol.started_at >= since)
        )
        or 0
    )


def open_tasks_by_department(site_id: int, today: date) -> list[tuple[int, int, int]]:
    """(department id, open or fixed-awaiting-check, of which overdue)."""
    rows = db.session.execute(
        sa.select(
            Task.department_id,
            sa.func.count(),
            sa.func.sum(sa.case((sa.and_(Task.status == TaskStatus.OPEN, Task.deadline < today), 1), else_=0)),
        )
        .where(Task.site_id == site_id, Task.status.in_([TaskStatus.OPEN, TaskStatus.FIXED]))
        .group_by(Task.department_id)
    ).all()
    return [(dept, count, int(overdue or 0)) for dept, count, overdue in rows]


def sheet(patrol: Patrol) -> dict:
    """What a patrol's check sheet (客务部工作检查表) shows, in a fixed number of queries
    whatever the number of checkpoints, answers, tasks and photos: the version with its
    items, the stops with their checkpoints (in `patrol.stops`), the sections at each kind
    of checkpoint, answers by (checkpoint, item), photo ids and tasks (with their
    department) by answer id, and the summary."""
    version = templates.load_version(patrol.version_id)
    summary = walk.summary(patrol, version)  # loads patrol.stops with their checkpoints
    answers = {
        (a.checkpoint_id, a.item_id): a
        for a in db.session.scalars(sa.select(Answer).where(Answer.patrol_id == patrol.id))
    }
    photo_ids: dict[int, list[int]] = {}
    for photo_id, answer_id in db.session.execute(
        sa.select(Photo.id, Photo.answer_id)
        .join(Answer, Answer.id == Photo.answer_id)
        .where(Answer.patrol_id == patrol.id)
        .order_by(Photo.id)
    ):
        photo_ids.setdefault(answer_id, []).append(photo_id)
    tasks = {
        t.answer_id: t
        for t in db.session.scalars(
            sa.select(Task).where(Task.patrol_id == patrol.id).options(selectinload(Task.department))
        )
    }
    kinds = {stop.checkpoint.kind for stop in patrol.stops}
    return dict(
        patrol=patrol,
        version=version,
        answers=answers,
        photo_ids=photo_ids,
        tasks=tasks,
        sections={kind: templates.sections_at(version, kind) for kind in kinds},
        summary=summary,
    )


@dataclass(frozen=True)
class Visit:
    """One patrol's look at a checkpoint: a line of its inspection record (房屋巡视记录表)."""

    patrol: Patrol
    answers: list[Answer]

    @property
    def failed(self) -> list[Answer]:
        return [a for a in self.answers if a.result == Result.FAIL]


def history(checkpoint: Checkpoint, limit: int = HISTORY_LIMIT) -> list[Visit]:
    """The checkpoint's latest `limit` inspections, newest first (P3: each vacant unit keeps
    its own record), each patrol with its officer and checklist version: a fixed number of
    queries, and only the answers of the patrols shown are read."""
    shown = (
        sa.select(Answer.patrol_id)
        .where(Answer.checkpoint_id == checkpoint.id)
        .distinct()
        .order_by(Answer.patrol_id.desc())
        .limit(limit)
    )
    answers = db.session.scalars(
        sa.select(Answer)
        .where(Answer.checkpoint_id == checkpoint.id, Answer.patrol_id.in_(shown))
        .options(
            selectinload(Answer.patrol).options(selectinload(Patrol.officer), selectinload(Patrol.version)),
            selectinload(Answer.item),
        )
        .order_by(Answer.patrol_id.desc(), Answer.id)
    )
    visits: dict[int, Visit] = {}
    for row in answers:
        visits.setdefault(row.patrol_id, Visit(row.patrol, [])).answers.append(row)
    return list(visits.values())


def month_bounds(month: str, tz_name: str) -> tuple[datetime, datetime]:
    """ "2026-11" -> [first instant, first instant of the next month) in site time."""
    year_text, _, mon_text = month.partition("-")
    if not (ids.is_number(year_text) and ids.is_number(mon_text) and 1900 <= int(year_text) <= 2999):
        raise ValueError(month)
    year, mon = int(year_text), int(mon_text)
    tz = ZoneInfo(tz_name)
    start = datetime.combine(date(year, mon, 1), time(0), tzinfo=tz)
    end_month = date(year + (mon == 12), mon % 12 + 1, 1)
    return start, datetime.combine(end_month, time(0), tzinfo=tz)


def month_patrols(site_id: int, start: datetime, end: datetime) -> list[Patrol]:
    return list(
        db.session.scalars(
            sa.select(Patrol)
            .where(Patrol.site_id == site_id, Patrol.started_at >= start, Patrol.started_at < end)
            .options(
                selectinload(Patrol.officer),
                selectinload(Patrol.version),
                selectinload(Patrol.signed_by),
                selectinload(Patrol.schedule),
                selectinload(Patrol.occurrence),
            )
            .order_by(Patrol.started_at, Patrol.id)
        )
    )


def month_xlsx(patrols: list[Patrol], headers: list[str], row_for) -> bytes:
    """A workbook with one row per patrol; `row_for(patrol, counts)` gives the cells, each
    escaped by kiosk.spreadsheets (checklist and staff names are typed by people)."""
    ids = [p.id for p in patrols]
    counts: dict[int, dict] = {}
    if ids:
        for patrol_id, result, count in db.session.execute(
            sa.select(Answer.patrol_id, Answer.result, sa.func.count())
            .where(Answer.patrol_id.in_(ids))
            .group_by(Answer.patrol_id, Answer.result)
        ):
            counts.setdefault(patrol_id, {})[result] = count
    book = Workbook()
    sheet = book.active
    sheet.append(spreadsheets.row(headers))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for patrol in patrols:
        sheet.append(spreadsheets.row(row_for(patrol, counts.get(patrol.id, {}))))
    for column in sheet.columns:
        sheet.column_dimensions[column[0].column_letter].width = 18
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def days_ago(now: datetime, days: int) -> datetime:
    return now - timedelta(days=days)
