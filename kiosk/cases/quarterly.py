"""The quarterly complaint analysis (用户投诉分析报告, C5): a site's complaints received in a
quarter counted by category, department, grade and status; how each deadline of C3 went
(met, missed, still running; missed stays missed: the `*_missed` flags are read, never
recomputed); and the last four quarters by category for the trend. Plain Python.

A quarter is bounded in the site's time zone (a complaint at 23:30 Shanghai on 30 June is in
Q2 though it is 15:30 UTC) and compared with the stored UTC times. The figures come from the
dashboard's sweep (four UPDATEs that flag deadlines passed since) and two GROUP BY queries:
the statement count does not grow with the number of complaints.
"""

from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

import sqlalchemy as sa

from kiosk.cases import complaints
from kiosk.extensions import db
from kiosk.models import Department, DepartmentKind
from kiosk.models.case_complaints import Complaint, ComplaintCategory, ComplaintStatus

TREND_QUARTERS = 4
EARLIEST_YEAR = 2000
STATUS_BUCKETS = ("open", "closed", "out_of_scope")
DEADLINES = ("notify", "answer", "rectify", "callback")
OUTCOMES = ("met", "missed", "open")


@dataclass(frozen=True, order=True)
class Quarter:
    year: int
    number: int

    @classmethod
    def of(cls, day: date) -> "Quarter":
        return cls(day.year, (day.month - 1) // 3 + 1)

    @property
    def first_day(self) -> date:
        return date(self.year, 3 * (self.number - 1) + 1, 1)

    def next(self) -> "Quarter":
        return Quarter(self.year + 1, 1) if self.number == 4 else Quarter(self.year, self.number + 1)

    def previous(self) -> "Quarter":
        return Quarter(self.year - 1, 4) if self.number == 1 else Quarter(self.year, self.number - 1)

    def bounds(self, zone: str) -> tuple[datetime, datetime]:
        """[start, end) in UTC: local midnight of the quarter's first day to the next one's."""
        tz = ZoneInfo(zone)
        start = datetime.combine(self.first_day, time.min, tz).astimezone(UTC)
        end = datetime.combine(self.next().first_day, time.min, tz).astimezone(UTC)
        return start, end

    @property
    def label(self) -> str:
        return f"{self.year} Q{self.number}"


class BadQuarter(ValueError):
    """A year or quarter that is not a number, out of range, or not yet begun."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


def parse(year: str | None, number: str | None, today: date) -> Quarter:
    """The quarter asked for; the current one when neither is given."""
    current = Quarter.of(today)
    if not year and not number:
        return current
    try:
        asked = Quarter(int(year or current.year), int(number or current.number))
    except ValueError:
        raise BadQuarter("unreadable") from None
    if not 1 <= asked.number <= 4 or asked.year < EARLIEST_YEAR:
        raise BadQuarter("unreadable")
    if asked > current:
        raise BadQuarter("future")
    return asked


def choices(today: date, years: int = 5) -> list[Quarter]:
    """The quarters a manager may pick: the current one and back, newest first."""
    quarters, q = [], Quarter.of(today)
    while len(quarters) < years * 4:
        quarters.append(q)
        q = q.previous()
    return quarters


@dataclass
class Compliance:
    met: int = 0
    missed: int = 0
    open: int = 0

    @property
    def counted(self) -> int:
        return self.met + self.missed + self.open

    @property
    def rate(self) -> float | None:
        """Met of those decided (met or missed); None when none is decided yet."""
        decided = self.met + self.missed
        return self.met / decided if decided else None


@dataclass
class Report:
    quarter: Quarter
    total: int = 0
    by_category: Counter = field(default_factory=Counter)  # ComplaintCategory | None -> n
    by_department: Counter = field(default_factory=Counter)  # DepartmentKind | None -> n
    by_grade: Counter = field(default_factory=Counter)  # Grade | None -> n
    by_status: Counter = field(default_factory=Counter)  # "open" | "closed" | "out_of_scope" -> n
    compliance: dict[str, Compliance] = field(default_factory=lambda: {d: Compliance() for d in DEADLINES})
    trend: list[tuple[Quarter, Counter]] = field(default_factory=list)  # oldest first

    @property
    def categories(self) -> list[ComplaintCategory | None]:
        """Every category, then "not yet categorised" when there is any."""
        seen = set(self.by_category) | {c for _q, counts in self.trend for c in counts}
        return [*ComplaintCategory, *([None] if None in seen else [])]

    @property
    def departments(self) -> list[DepartmentKind | None]:
        present = [k for k in DepartmentKind if self.by_department.get(k)]
        return [*present, *([None] if self.by_department.get(None) else [])]


def _status_bucket(status: ComplaintStatus) -> str:
    if status == ComplaintStatus.OUT_OF_SCOPE:
        return "out_of_scope"
    return "closed" if status == ComplaintStatus.CONFIRMED else "open"


def _deadline_columns():
    """(deadline, done-at column, missed flag) of the four deadlines of C3."""
    c = Complaint
    return (
        ("notify", c.notified_at, c.notify_missed),
        ("answer", c.answered_at, c.answer_missed),
        ("rectify", c.rectified_at, c.rectify_missed),
        ("callback", c.callback_at, c.callback_missed),
    )


def _outcome_sums():
    """For each deadline: met (done, never missed), missed (flagged: stays so even when done
    later), still running (not done, not missed, the complaint open with the deadline set)."""
    running = Complaint.status.in_(complaints.OPEN)
    due_set = {
        "notify": Complaint.notify_due_at.is_not(None),
        "answer": sa.true(),
        "rectify": Complaint.rectify_due.is_not(None),
        "callback": Complaint.callback_due.is_not(None),
    }
    sums = []
    for name, done_at, missed in _deadline_columns():
        conditions = {
            "met": sa.and_(done_at.is_not(None), missed.is_(False)),
            "missed": missed.is_(True),
            "open": sa.and_(done_at.is_(None), missed.is_(False), running, due_set[name]),
        }
        for outcome in OUTCOMES:
            sums.append(sa.func.sum(sa.case((conditions[outcome], 1), else_=0)).label(f"{name}_{outcome}"))
    return sums


def build(site, quarter: Quarter, now: datetime) -> Report:
    """The analysis of `quarter` for `site` as of `now` (deadlines passed by now are flagged first)."""
    complaints.sweep(site, now)
    report = Report(quarter)
    start, end = quarter.bounds(site.timezone)
    rows = db.session.execute(
        sa.select(
            Complaint.category,
            Department.kind,
            Complaint.grade,
            Complaint.status,
            sa.func.count(Complaint.id),
            *_outcome_sums(),
        )
        .outerjoin(Department, Department.id == Complaint.department_id)
        .where(Complaint.site_id == site.id, Complaint.received_at >= start, Complaint.received_at < end)
        .group_by(Complaint.category, Department.kind, Complaint.grade, Complaint.status)
    ).all()
    for row in rows:
        category, department, grade, status, n = row[:5]
        report.total += n
        report.by_category[category] += n
        report.by_department[department] += n
        report.by_grade[grade] += n
        report.by_status[_status_bucket(status)] += n
        mapping = row._mapping
        for name in DEADLINES:
            tally = report.compliance[name]
            tally.met += mapping[f"{name}_met"] or 0
            tally.missed += mapping[f"{name}_missed"] or 0
            tally.open += mapping[f"{name}_open"] or 0
    report.trend = _trend(site, quarter)
    return report


def _trend(site, quarter: Quarter) -> list[tuple[Quarter, Counter]]:
    """The complaints of the last TREND_QUARTERS quarters (this one included) by category, in
    one query: each received time falls in one quarter's bucket."""
    quarters = [quarter]
    while len(quarters) < TREND_QUARTERS:
        quarters.insert(0, quarters[0].previous())
    bounds = [q.bounds(site.timezone) for q in quarters]
    bucket = sa.case(
        *[
            (sa.and_(Complaint.received_at >= start, Complaint.received_at < end), i)
            for i, (start, end) in enumerate(bounds)
        ],
        else_=-1,
    ).label("bucket")
    received = (
        sa.select(bucket, Complaint.category.label("category"))
        .where(
            Complaint.site_id == site.id, Complaint.received_at >= bounds[0][0], Complaint.received_at < bounds[-1][1]
        )
        .subquery()
    )
    # grouped outside: PostgreSQL would not match the CASE's bound parameters in GROUP BY
    rows = db.session.execute(
        sa.select(received.c.bucket, received.c.category, sa.func.count()).group_by(
            received.c.bucket, received.c.category
        )
    ).all()
    trend = [(q, Counter()) for q in quarters]
    for index, category, n in rows:
        if 0 <= index < len(trend):
            trend[index][1][category] += n
    return trend
