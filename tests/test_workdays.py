"""Working days with statutory holidays and make-up workdays (P7 deadlines, C3)."""

from datetime import date

from kiosk import workdays


def test_weekend_is_skipped():
    assert workdays.add_workdays(date(2026, 11, 20), 1) == date(2026, 11, 23)  # Fri -> Mon


def test_national_day_holiday_is_skipped_and_make_up_saturday_counts():
    assert workdays.add_workdays(date(2026, 9, 30), 1) == date(2026, 10, 8)
    assert workdays.add_workdays(date(2026, 10, 9), 1) == date(2026, 10, 10)  # make-up Saturday
    assert not workdays.is_workday(date(2026, 10, 1))


def test_zero_days_and_counting_between():
    assert workdays.add_workdays(date(2026, 10, 3), 0) == date(2026, 10, 8)
    assert workdays.workdays_between(date(2026, 9, 30), date(2026, 10, 8)) == 1
    assert workdays.workdays_between(date(2026, 10, 8), date(2026, 9, 30)) == -1


def test_years_the_calendar_does_not_know_fall_back_to_weekdays():
    assert workdays.add_workdays(date(2099, 1, 2), 1) == date(2099, 1, 5)
