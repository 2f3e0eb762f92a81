"""Schedules and their occurrences (P1 twice daily, P3 weekly, P4/P5 monthly, P8).
Plain Python, no request.

The one definition of due, late and missed, used by the tablet, the console and the
export alike (`state`): an occurrence is upcoming before `opens_at` (the window's start),
due from `opens_at` up to but not including `due_at` (the window's end), late from
`due_at` up to but not including `missed_at` (a grace period later), then missed. A
finished patrol marks it done: on time when finished before `due_at`, else done late.
A window may end at 00:00 (or any time up to its start) of the next day. Missed
occurrences stay on the supervisor's dashboard until someone acknowledges them.
"""

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from kiosk import audit
from kiosk.extensions import db
from kiosk.models import Site, User
from kiosk.models.patrols import Cadence, Occurrence, Schedule

LOOKBACK_DAYS = 7  # occurrences are made on demand for this many days back

UPCOMING, DUE, LATE, MISSED, DONE = "upcoming", "due", "late", "missed", "done"
DONE_LATE = "done_late"  # finished, but after the window had closed
FINISHED = frozenset({DONE, DONE_LATE})


def _at(day: date, hhmm: str, tz: ZoneInfo) -> datetime:
    hour, minute = (int(part) for part in hhmm.split(":"))
    return datetime.combine(day, time(hour, minute), tzinfo=tz)


def _month_start(day: date, months_ahead: int = 0) -> date:
    index = day.year * 12 + day.month - 1 + months_ahead
    return date(index // 12, index % 12 + 1, 1)


def periods(schedule: Schedule, first: date, last: date, tz: ZoneInfo):
    """(opens, due) local datetimes of the schedule's periods that start in [first, last]
    (a weekly or monthly period already running on `first` is included)."""
    first = max(first, schedule.starts_on)
    if first > last:
        return
    if schedule.cadence == Cadence.DAILY:
        day = first
        while day <= last:
            for start, end in schedule.windows:
                opens, due = _at(day, start, tz), _at(day, end, tz)
                if due <= opens:  # "22:00-00:00": the window ends on the next day
                    due = _at(day + timedelta(days=1), end, tz)
                yield opens, due
            day += timedelta(days=1)
        return
    if schedule.cadence == Cadence.WEEKLY:
        start = first - timedelta(days=first.weekday())
        step = None
    else:
        months = 1 if schedule.cadence == Cadence.MONTHLY else 3
        start = _month_start(first)
        if months == 3:
            start = date(start.year, (start.month - 1) // 3 * 3 + 1, 1)
        step = months
    while start <= last:
        end = start + timedelta(days=7) if step is None else _month_start(start, step)
        yield (datetime.combine(start, time(0), tzinfo=tz), datetime.combine(end, time(0), tzinfo=tz))
        start = end


def ensure_occurrences(site: Site, now: datetime, *, lookback_days: int = LOOKBACK_DAYS) -> int:
    """Create the missing occurrences of every active schedule from `lookback_days` ago
    through today (site time). Safe to call on every page view, also on two at once (the
    tablet keeping its pages while the officer looks at the list): returns how many were new."""
    tz = ZoneInfo(site.timezone)
    today = now.astimezone(tz).date()
    first = today - timedelta(days=lookback_days)
    schedules = list(
        db.session.scalars(sa.select(Schedule).where(Schedule.site_id == site.id, Schedule.active.is_(True)))
    )
    if not schedules:
        return 0
    earliest = datetime.combine(first - timedelta(days=92), time(0), tzinfo=tz)
    existing = set(
        db.session.execute(
            sa.select(Occurrence.schedule_id, Occurrence.opens_at).where(
                Occurrence.site_id == site.id, Occurrence.opens_at >= earliest
            )
        ).all()
    )
    new_rows = []
    for schedule in schedules:
        for opens, due in periods(schedule, first, today, tz):
            opens_utc = opens.astimezone(ZoneInfo("UTC"))
            if (schedule.id, opens_utc) in existing:
                continue
            new_rows.append(
                dict(
                    site_id=site.id,
                    schedule_id=schedule.id,
                    opens_at=opens_utc,
                    due_at=due.astimezone(ZoneInfo("UTC")),
                    missed_at=(due + timedelta(minutes=schedule.grace_minutes)).astimezone(ZoneInfo("UTC")),
                )
            )
            existing.add((schedule.id, opens_utc))
    if new_rows:
        try:
            # One statement for them all (a week of a new site's schedules is hundreds).
            db.session.execute(sa.insert(Occurrence), new_rows)
            db.session.commit()
        except sa.exc.IntegrityError:  # another request made the same ones meanwhile
            db.session.rollback()
            return 0
    return len(new_rows)


def state(occurrence: Occurrence, now: datetime) -> str:
    """upcoming, due, late, missed (by `now`), or done / done late (by when it was finished)."""
    if occurrence.done_at is not None:
        return DONE if occurrence.done_at < occurrence.due_at else DONE_LATE
    if now < occurrence.opens_at:
        return UPCOMING
    if now < occurrence.due_at:
        return DUE
    if now < occurrence.missed_at:
        return LATE
    return MISSED


def for_today(site: Site, now: datetime) -> list[Occurrence]:
    """The tablet's list: occurrences running today (site time), open ones first."""
    tz = ZoneInfo(site.timezone)
    local = now.astimezone(tz)
    start = datetime.combine(local.date(), time(0), tzinfo=tz)
    end = start + timedelta(days=1)
    rows = list(
        db.session.scalars(
            sa.select(Occurrence)
            .where(Occurrence.site_id == site.id, Occurrence.opens_at < end, Occurrence.missed_at > start)
            .options(selectinload(Occurrence.schedule).selectinload(Schedule.stops))
            .order_by(Occurrence.due_at, Occurrence.id)
        )
    )
    order = {DUE: 0, LATE: 1, UPCOMING: 2, MISSED: 3, DONE: 4, DONE_LATE: 4}
    return sorted(rows, key=lambda o: (order[state(o, now)], o.due_at))


def today_counts(site: Site, now: datetime) -> dict[str, int]:
    """How many of today's occurrences (the tablet's list) are in each state; the console
    shows these, so that the two never disagree."""
    counts: dict[str, int] = {}
    for occurrence in for_today(site, now):
        key = state(occurrence, now)
        counts[key] = counts.get(key, 0) + 1
    return counts


def finished_late(patrol) -> bool:
    """A scheduled patrol finished after its window closed (the same rule as `state`)."""
    occurrence = patrol.occurrence
    return occurrence is not None and patrol.finished_at is not None and patrol.finished_at >= occurrence.due_at


def overdue(site_id: int, now: datetime) -> list[Occurrence]:
    """The supervisor's dashboard: late ones, and missed ones not yet acknowledged."""
    return list(
        db.session.scalars(
            sa.select(Occurrence)
            .where(
                Occurrence.site_id == site_id,
                Occurrence.done_at.is_(None),
                Occurrence.due_at <= now,
                Occurrence.acknowledged_at.is_(None),
            )
            .options(selectinload(Occurrence.schedule))
            .order_by(Occurrence.due_at)
        )
    )


def acknowledge(occurrence: Occurrence, user: User, note: str | None, now: datetime) -> None:
    """A supervisor has seen a missed occurrence (and says why, if known)."""
    if occurrence.acknowledged_at is not None:
        return
    occurrence.acknowledged_at = now
    occurrence.acknowledged_by_id = user.id
    occurrence.acknowledge_note = (note or "").strip() or None
    audit.record(user, "occurrence.acknowledged", occurrence, details={"schedule": occurrence.schedule_id})


def acknowledge_closed(site: Site, now: datetime, note: str) -> int:
    """Occurrences whose window closed before `now`, acknowledged without a person: for
    a site whose schedules start now (a new install, the demo), where nobody could have
    walked them. Audited with the note as the reason. Returns how many."""
    rows = db.session.scalars(
        sa.select(Occurrence).where(
            Occurrence.site_id == site.id,
            Occurrence.done_at.is_(None),
            Occurrence.acknowledged_at.is_(None),
            Occurrence.due_at <= now,
        )
    ).all()
    for occurrence in rows:
        occurrence.acknowledged_at = now
        occurrence.acknowledge_note = note
        audit.record(
            None, "occurrence.acknowledged", occurrence, reason=note, details={"schedule": occurrence.schedule_id}
        )
    return len(rows)


def acknowledge_missed(site_id: int, occurrence_ids: list[int], user: User, note: str | None, now: datetime) -> int:
    """Acknowledge at once the missed occurrences a supervisor was shown (their ids):
    only missed and not yet acknowledged ones of the site; each is audited as if
    acknowledged alone. Returns how many."""
    if not occurrence_ids:
        return 0
    rows = db.session.scalars(
        sa.select(Occurrence)
        .where(
            Occurrence.site_id == site_id,
            Occurrence.id.in_(occurrence_ids),
            Occurrence.done_at.is_(None),
            Occurrence.acknowledged_at.is_(None),
            Occurrence.missed_at <= now,
        )
        .order_by(Occurrence.due_at)
    ).all()
    for occurrence in rows:
        acknowledge(occurrence, user, note, now)
    return len(rows)


def _minutes(hhmm: str) -> int:
    hour, minute = (int(part) for part in hhmm.split(":"))
    return hour * 60 + minute


def window_span(start: str, end: str) -> tuple[int, int]:
    """A window in minutes from the start of its day; an end at 00:00 is the next day's
    ("22:00-00:00" is 1320-1440)."""
    s, e = _minutes(start), _minutes(end)
    return s, e if e > s else e + 24 * 60


def parse_windows(text: str) -> list[list[str]]:
    """ "08:00-11:00, 14:00-17:00" -> [["08:00", "11:00"], ["14:00", "17:00"]]; ValueError if bad.
    "22:00-00:00" (or "22:00-24:00") ends at 00:00 of the next day."""
    windows = []
    for part in text.replace("，", ",").split(","):
        part = part.strip()
        if not part:
            continue
        start, end = (p.strip() for p in part.replace("–", "-").split("-"))
        if end in ("24:00", "24:00:00"):
            end = "00:00"
        s, e = time.fromisoformat(start), time.fromisoformat(end)
        if s >= e and e != time(0):  # only a window ending at 00:00 runs into the next day
            raise ValueError(part)
        windows.append([s.strftime("%H:%M"), e.strftime("%H:%M")])
    if not windows:
        raise ValueError(text)
    windows.sort()
    spans = [window_span(s, e) for s, e in windows]
    for (_s1, e1), (s2, _e2) in zip(spans, spans[1:]):
        if s2 < e1:
            raise ValueError("overlap")
    return windows


def format_windows(windows: list) -> str:
    return ", ".join(f"{s}-{e}" for s, e in windows)
