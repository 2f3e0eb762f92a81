"""Keeping the holiday table: a whole year imported from a pasted list or CSV, single
dates added or removed, and what the consoles warn about. Plain Python, no request.

An import line is `date, kind, name`, separated by commas (also Chinese commas) or tabs:

    2027-02-06~2027-02-12, holiday, 春节
    2027-02-14, workday, 春节调休

`kind` is holiday (休, 假, 放假) or workday (班, 上班, 调休); a date may be a range
`from~to` (also `..` or `至`). Blank lines, lines starting with `#` and a header line are
skipped. Re-importing the same year replaces its dates: the same text twice gives the
same table.
"""

import re
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import sqlalchemy as sa

from kiosk import audit, workdays
from kiosk.extensions import db
from kiosk.models import Site, User
from kiosk.models.calendar import CalendarDay, CalendarYear, DayKind

MAX_TEXT = 20_000
MAX_NAME = 60
MAX_RANGE_DAYS = 15  # no statutory holiday stretch is longer
KINDS = {
    "holiday": DayKind.HOLIDAY,
    "休": DayKind.HOLIDAY,
    "假": DayKind.HOLIDAY,
    "放假": DayKind.HOLIDAY,
    "workday": DayKind.WORKDAY,
    "班": DayKind.WORKDAY,
    "上班": DayKind.WORKDAY,
    "调休": DayKind.WORKDAY,
    "调休上班": DayKind.WORKDAY,
}
RANGE = re.compile(r"\s*(?:~|～|\.\.|至|到)\s*")
HEADER = {"date", "日期"}


@dataclass(frozen=True)
class Problem:
    """One thing wrong with an import: `line` (1-based, 0 for the whole text), a reason
    key the view translates, and the text it concerns."""

    line: int
    reason: str
    text: str = ""


@dataclass
class Parsed:
    days: dict[date, tuple[DayKind, str]] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)


def _date(text: str) -> date | None:
    text = text.strip().replace("/", "-").replace(".", "-")
    try:
        return date.fromisoformat(text) if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text) else None
    except ValueError:
        return None


def parse(text: str, year: int) -> Parsed:
    """The dates of `year` in a pasted list or CSV, or the problems that stop its import."""
    parsed = Parsed()
    if len(text) > MAX_TEXT:
        parsed.problems.append(Problem(0, "too_long"))
        return parsed
    for number, line in enumerate(text.replace("，", ",").splitlines(), start=1):
        raw = line.strip()
        if not raw or raw.startswith("#"):
            continue
        fields = [f.strip().strip('"').strip() for f in raw.split("\t" if "\t" in raw else ",")]
        if fields and fields[0].lower() in HEADER:
            continue
        if len(fields) != 3:
            parsed.problems.append(Problem(number, "fields", raw))
            continue
        when, kind_text, name = fields
        kind = KINDS.get(kind_text.lower())
        bounds = RANGE.split(when)
        first, last = _date(bounds[0]), _date(bounds[-1])
        if len(bounds) > 2 or first is None or last is None:
            parsed.problems.append(Problem(number, "date", raw))
            continue
        if last < first or (last - first).days >= MAX_RANGE_DAYS:
            parsed.problems.append(Problem(number, "range", raw))
            continue
        if first.year != year or last.year != year:
            parsed.problems.append(Problem(number, "year", raw))
            continue
        if kind is None:
            parsed.problems.append(Problem(number, "kind", raw))
            continue
        if not name or len(name) > MAX_NAME:
            parsed.problems.append(Problem(number, "name", raw))
            continue
        day = first
        while day <= last:
            if day in parsed.days:
                parsed.problems.append(Problem(number, "duplicate", raw))
                break
            parsed.days[day] = (kind, name)
            day += timedelta(days=1)
    if not parsed.problems and not any(kind == DayKind.HOLIDAY for kind, _ in parsed.days.values()):
        parsed.problems.append(Problem(0, "no_holiday"))
    return parsed


def import_year(year: int, parsed: Parsed, actor: User, now: datetime) -> CalendarYear:
    """Replace the table's dates of `year` with the parsed ones and mark the year covered.
    The caller commits. Refuses a parse with problems."""
    if parsed.problems:
        raise ValueError("an import with problems cannot be stored")
    db.session.execute(
        sa.delete(CalendarDay).where(CalendarDay.day >= date(year, 1, 1), CalendarDay.day <= date(year, 12, 31))
    )
    for day, (kind, name) in sorted(parsed.days.items()):
        db.session.add(CalendarDay(day=day, kind=kind, name=name, created_by_id=actor.id))
    covered = db.session.get(CalendarYear, year)
    if covered is None:
        covered = CalendarYear(year=year)
        db.session.add(covered)
    covered.imported_at, covered.imported_by_id, covered.days = now, actor.id, len(parsed.days)
    holidays = sum(1 for kind, _ in parsed.days.values() if kind == DayKind.HOLIDAY)
    audit.record(
        actor,
        "calendar.imported",
        details={"year": year, "holidays": holidays, "workdays": len(parsed.days) - holidays},
    )
    return covered


def set_day(day: date, kind: DayKind, name: str, actor: User) -> CalendarDay:
    """Add one date to the table or change it (a correction after an import, a local
    arrangement). It does not make the year covered. The caller commits."""
    row = db.session.scalar(sa.select(CalendarDay).where(CalendarDay.day == day))
    if row is None:
        row = CalendarDay(day=day, kind=kind, name=name, created_by_id=actor.id)
        db.session.add(row)
        db.session.flush()
    else:
        row.kind, row.name = kind, name
    audit.record(actor, "calendar.day_set", row, details={"day": day.isoformat(), "kind": kind.value})
    return row


def remove_day(row: CalendarDay, actor: User) -> None:
    audit.record(actor, "calendar.day_removed", row, details={"day": row.day.isoformat(), "kind": row.kind.value})
    db.session.delete(row)


def year_days(year: int) -> list[CalendarDay]:
    return list(
        db.session.scalars(
            sa.select(CalendarDay)
            .where(CalendarDay.day >= date(year, 1, 1), CalendarDay.day <= date(year, 12, 31))
            .order_by(CalendarDay.day)
            .limit(400)
        )
    )


def covered_years() -> dict[int, CalendarYear]:
    return {row.year: row for row in db.session.scalars(sa.select(CalendarYear).order_by(CalendarYear.year).limit(100))}


def site_today(site: Site | None, now: datetime) -> date:
    return now.astimezone(ZoneInfo(site.timezone if site else "Asia/Shanghai")).date()


def count_uncovered(site_id: int, user) -> int:
    """Home-page counter: years the consoles must warn about today (this one if unknown;
    from 1 November on, the coming one until it is covered)."""
    from kiosk.timeutil import utcnow

    return len(workdays.uncovered_years(site_today(db.session.get(Site, site_id), utcnow())))
