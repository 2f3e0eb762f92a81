"""Working days in mainland China: weekends, statutory holidays and make-up workdays
(调休) counted by the `chinese-calendar` library. Used for rectification deadlines (P7)
and complaint deadlines (C3). Plain Python, no request.

chinese-calendar knows the years the State Council has published; outside them it
raises NotImplementedError and we fall back to Monday-Friday.
"""
from datetime import date, timedelta

import chinese_calendar


def is_workday(day: date) -> bool:
    try:
        return chinese_calendar.is_workday(day)
    except NotImplementedError:
        return day.weekday() < 5


def add_workdays(start: date, days: int) -> date:
    """The date `days` working days after `start` (start itself does not count).

    add_workdays(Friday, 1) is the next Monday; across the National Day holiday it is
    the first working day after it; a make-up Saturday counts as a working day.
    `days=0` gives `start` if it is a working day, else the next working day.
    """
    if days < 0:
        raise ValueError("days must be >= 0")
    day = start
    if days == 0:
        while not is_workday(day):
            day += timedelta(days=1)
        return day
    remaining = days
    while remaining:
        day += timedelta(days=1)
        if is_workday(day):
            remaining -= 1
    return day


def workdays_between(start: date, end: date) -> int:
    """Working days after `start` up to and including `end` (negative if end < start)."""
    if end < start:
        return -workdays_between(end, start)
    count, day = 0, start
    while day < end:
        day += timedelta(days=1)
        if is_workday(day):
            count += 1
    return count
