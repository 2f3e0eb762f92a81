"""Working days in mainland China: weekends, statutory holidays and make-up workdays
(调休). Used for rectification deadlines (P7) and complaint deadlines (C3). Plain Python,
no request.

Two sources, the first that knows a date wins:
1. the holiday table a manager keeps on the console (kiosk.models.calendar), filled the
   week the State Council publishes next year's schedule;
2. the `chinese-calendar` library, which knows the years published before its release.
A year that neither knows (the table has no imported schedule for it and the library
raises NotImplementedError) is counted Monday to Friday, and whatever is computed from
it is *provisional*: `deadline()` says so, and the consoles warn from 1 November
(`uncovered_years`). Never a silent guess.

Outside an application context (plain scripts, unit tests) only the library is used.
"""

from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import cache

import chinese_calendar
import sqlalchemy as sa
from flask import has_app_context

# From this day of a year on, the consoles warn when the coming year is not covered.
WARN_FROM = (11, 1)


@cache
def library_knows(year: int) -> bool:
    """Whether the installed `chinese-calendar` has the State Council's schedule of `year`."""
    try:
        chinese_calendar.is_workday(date(year, 6, 1))
    except NotImplementedError:
        return False
    return True


@dataclass(frozen=True)
class Deadline:
    """A deadline and whether it rests on a year whose holidays nobody knows yet."""

    day: date
    provisional: bool


@dataclass
class Calendar:
    """What is known about working days, read once: the holiday table's dates and the
    years it covers, loaded year by year as a computation reaches them."""

    use_table: bool = True
    _days: dict[date, bool] = field(default_factory=dict)  # date -> is a working day
    _loaded: set[int] = field(default_factory=set)
    _table_years: frozenset[int] | None = None

    def _load_year(self, year: int) -> None:
        if year in self._loaded:
            return
        self._loaded.add(year)
        if not self.use_table:
            return
        from kiosk.extensions import db
        from kiosk.models.calendar import CalendarDay, DayKind

        rows = db.session.execute(
            sa.select(CalendarDay.day, CalendarDay.kind).where(
                CalendarDay.day >= date(year, 1, 1), CalendarDay.day <= date(year, 12, 31)
            )
        )
        for day, kind in rows:
            self._days[day] = kind == DayKind.WORKDAY

    def table_years(self) -> frozenset[int]:
        if self._table_years is None:
            if self.use_table:
                from kiosk.extensions import db
                from kiosk.models.calendar import CalendarYear

                self._table_years = frozenset(db.session.scalars(sa.select(CalendarYear.year)))
            else:
                self._table_years = frozenset()
        return self._table_years

    def knows(self, year: int) -> bool:
        """The year's holidays are known: imported into the table, or in the library."""
        return library_knows(year) or year in self.table_years()

    def is_workday(self, day: date) -> bool:
        self._load_year(day.year)
        if day in self._days:
            return self._days[day]
        if library_knows(day.year):
            return chinese_calendar.is_workday(day)
        return day.weekday() < 5

    def provisional(self, start: date, end: date) -> bool:
        """A count of working days from `start` to `end` rests on an unknown year."""
        low, high = min(start, end), max(start, end)
        return any(not self.knows(year) for year in range(low.year, high.year + 1))

    def add_workdays(self, start: date, days: int) -> date:
        if days < 0:
            raise ValueError("days must be >= 0")
        day = start
        if days == 0:
            while not self.is_workday(day):
                day += timedelta(days=1)
            return day
        remaining = days
        while remaining:
            day += timedelta(days=1)
            if self.is_workday(day):
                remaining -= 1
        return day

    def deadline(self, start: date, days: int) -> Deadline:
        day = self.add_workdays(start, days)
        return Deadline(day, self.provisional(start, day))

    def workdays_between(self, start: date, end: date) -> int:
        if end < start:
            return -self.workdays_between(end, start)
        count, day = 0, start
        while day < end:
            day += timedelta(days=1)
            if self.is_workday(day):
                count += 1
        return count

    def uncovered_years(self, today: date) -> list[int]:
        """The years the consoles must warn about on `today`: this year if unknown, and
        from 1 November on the coming year until it is covered."""
        years = [today.year]
        if (today.month, today.day) >= WARN_FROM:
            years.append(today.year + 1)
        return [year for year in years if not self.knows(year)]


def calendar() -> Calendar:
    """A fresh view of what is known (the table is read only inside an app context)."""
    return Calendar(use_table=has_app_context())


def is_workday(day: date) -> bool:
    return calendar().is_workday(day)


def add_workdays(start: date, days: int) -> date:
    """The date `days` working days after `start` (start itself does not count).

    add_workdays(Friday, 1) is the next Monday; across the National Day holiday it is
    the first working day after it; a make-up Saturday counts as a working day.
    `days=0` gives `start` if it is a working day, else the next working day.
    Use `deadline()` where the caller can show that a deadline is provisional.
    """
    return calendar().add_workdays(start, days)


def deadline(start: date, days: int) -> Deadline:
    """add_workdays() with a flag: provisional when a year it counts through is unknown."""
    return calendar().deadline(start, days)


def is_provisional(start: date, end: date) -> bool:
    """Whether a deadline counted from `start` to `end` rests on an unknown year."""
    return calendar().provisional(start, end)


def workdays_between(start: date, end: date) -> int:
    """Working days after `start` up to and including `end` (negative if end < start)."""
    return calendar().workdays_between(start, end)


def uncovered_years(today: date) -> list[int]:
    """Years to warn about on `today` (see Calendar.uncovered_years)."""
    return calendar().uncovered_years(today)
