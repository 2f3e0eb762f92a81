"""Working days beyond the published calendar (P7, C3): the holiday table comes first,
an unknown year counts Monday to Friday and says so, and the consoles warn from
1 November. The 2027 schedule below is a test fixture, not the real one."""

from datetime import UTC, date, datetime, timedelta

import time_machine

from kiosk import workdays
from kiosk.calendar import schedule
from kiosk.extensions import db
from kiosk.models import Role
from kiosk.models.calendar import DayKind

# Made up for the tests (shaped like a Spring Festival: a week off, two make-up days).
TEST_2027 = """\
# date, kind, name
2027-01-01, holiday, 元旦
2027-02-05~2027-02-11, holiday, 春节
2027-02-13, workday, 春节调休
2027-02-20, workday, 春节调休
"""


def _import(world, text=TEST_2027, year=2027):
    parsed = schedule.parse(text, year)
    assert parsed.problems == []
    schedule.import_year(year, parsed, world.users[Role.MANAGER], datetime.now(UTC))
    db.session.commit()


def test_c3_p7_2027_without_the_table_counts_weekdays_and_is_provisional(world):
    result = workdays.deadline(date(2027, 2, 4), 1)  # a Thursday
    assert result == workdays.Deadline(date(2027, 2, 5), provisional=True)
    assert workdays.add_workdays(date(2027, 2, 5), 1) == date(2027, 2, 8)  # Fri -> Mon
    assert workdays.is_provisional(date(2027, 2, 4), date(2027, 2, 5))


def test_c3_p7_2027_with_the_imported_schedule_skips_the_holiday_and_counts_make_up_days(world):
    _import(world)
    assert workdays.deadline(date(2027, 2, 4), 1) == workdays.Deadline(date(2027, 2, 12), provisional=False)
    assert workdays.add_workdays(date(2027, 2, 12), 1) == date(2027, 2, 13)  # make-up Saturday
    assert not workdays.is_workday(date(2027, 2, 8))
    assert workdays.workdays_between(date(2027, 2, 4), date(2027, 2, 15)) == 3  # 12, 13, 15


def test_c3_p7_2028_stays_provisional_when_only_2027_is_imported(world):
    _import(world)
    crossing = workdays.deadline(date(2027, 12, 30), 3)  # Thu -> Fri 31, Mon 3, Tue 4
    assert crossing == workdays.Deadline(date(2028, 1, 4), provisional=True)
    assert workdays.deadline(date(2028, 3, 1), 2).provisional
    entry = schedule.parse("2028-01-31~2028-02-04, holiday, 春节", 2028)
    schedule.set_day(date(2028, 3, 2), DayKind.HOLIDAY, "测试", world.users[Role.MANAGER])
    db.session.commit()
    # one date entered by hand is used, but the year is still not known: still provisional
    assert workdays.deadline(date(2028, 3, 1), 1) == workdays.Deadline(date(2028, 3, 3), provisional=True)
    assert entry.problems == []


def test_c3_p7_the_table_overrides_the_library_in_a_year_it_knows(world):
    assert workdays.add_workdays(date(2026, 11, 20), 1) == date(2026, 11, 23)
    schedule.set_day(date(2026, 11, 23), DayKind.HOLIDAY, "本地调整", world.users[Role.MANAGER])
    schedule.set_day(date(2026, 11, 21), DayKind.WORKDAY, "本地调休", world.users[Role.MANAGER])
    db.session.commit()
    assert workdays.add_workdays(date(2026, 11, 20), 1) == date(2026, 11, 21)
    assert workdays.add_workdays(date(2026, 11, 21), 1) == date(2026, 11, 24)
    assert not workdays.deadline(date(2026, 11, 20), 1).provisional


def test_outside_an_application_the_library_alone_is_used():
    assert workdays.calendar().use_table is False
    assert workdays.deadline(date(2026, 9, 30), 1) == workdays.Deadline(date(2026, 10, 8), False)
    assert workdays.deadline(date(2099, 1, 2), 1) == workdays.Deadline(date(2099, 1, 5), True)


SHANGHAI_MIDNIGHT_NOV_1 = datetime(2026, 10, 31, 16, 0, tzinfo=UTC)


def test_warning_for_the_coming_year_starts_on_1_november_site_time(world):
    with time_machine.travel(SHANGHAI_MIDNIGHT_NOV_1 - timedelta(minutes=1), tick=False):
        assert schedule.count_uncovered(world.site.id, None) == 0
    with time_machine.travel(SHANGHAI_MIDNIGHT_NOV_1, tick=False):
        assert schedule.count_uncovered(world.site.id, None) == 1
        assert workdays.uncovered_years(date(2026, 11, 1)) == [2027]
        _import(world)
        assert schedule.count_uncovered(world.site.id, None) == 0


def test_warning_inside_an_unknown_year_names_it_and_next_from_november(world):
    assert workdays.uncovered_years(date(2027, 3, 1)) == [2027]
    assert workdays.uncovered_years(date(2027, 11, 1)) == [2027, 2028]
    _import(world)
    assert workdays.uncovered_years(date(2027, 3, 1)) == []
    assert workdays.uncovered_years(date(2027, 11, 1)) == [2028]


def test_import_parses_ranges_chinese_kinds_and_tabs_and_rejects_bad_lines():
    ok = schedule.parse("日期,类型,名称\n2027-10-01~2027-10-07，休，国庆节\n2027-09-26\t班\t国庆调休\n", 2027)
    assert ok.problems == [] and len(ok.days) == 8
    assert ok.days[date(2027, 9, 26)] == (DayKind.WORKDAY, "国庆调休")
    bad = schedule.parse(
        "\n".join(
            [
                "2027-02-30, holiday, 春节",  # 1 no such date
                "2028-01-01, holiday, 元旦",  # 2 other year
                "2027-05-01, vacation, 劳动节",  # 3 unknown kind
                "2027-05-01, holiday",  # 4 two parts
                "2027-05-07~2027-05-01, holiday, x",  # 5 backwards
                "2027-06-01, holiday, 端午",
                "2027-06-01, workday, 端午",  # 7 twice
                "2027-07-01, holiday, ",  # 8 no name
            ]
        ),
        2027,
    )
    assert [(p.line, p.reason) for p in bad.problems] == [
        (1, "date"),
        (2, "year"),
        (3, "kind"),
        (4, "fields"),
        (5, "range"),
        (7, "duplicate"),
        (8, "name"),
    ]
    assert schedule.parse("2027-02-13, workday, 调休", 2027).problems[0].reason == "no_holiday"
