"""K4 "back the same day" in the last minute of the day and across midnight (Shanghai), frozen clock.

A loan recorded at 23:59:30 is due by the end of that day (the form's default 23:59 means the
day's last instant), is not overdue before midnight and is overdue just after it; a form shown
before midnight and sent after it records a loan due by the end of the new day."""

import re
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

import time_machine

from kiosk.extensions import db
from kiosk.keys import loans
from kiosk.models import Role
from kiosk.models.keys import KeyLoan
from tests.keys import kit

SHANGHAI = ZoneInfo(kit.TZ)
LAST_MINUTE = datetime(2026, 3, 10, 23, 59, 30, tzinfo=SHANGHAI)


def _form(world, expected_back: str) -> dict:
    return {
        "borrower_kind": "staff",
        "borrower_user": str(world.users[Role.DEPARTMENT].id),
        "borrower_name": "",
        "company": "",
        "purpose": "夜间抢修",
        "expected_back": expected_back,
        "signature": kit.signature_url(),
    }


def _default_on_form(body: str) -> str:
    match = re.search(r'name="expected_back"[^>]*value="([0-9:]+)"|value="([0-9:]+)"[^>]*name="expected_back"', body)
    assert match, "no expected-back field on the loan form"
    return match.group(1) or match.group(2)


def test_k4_a_loan_at_23_59_30_shanghai_is_recorded_and_due_by_the_end_of_the_day(client, world):
    with time_machine.travel(LAST_MINUTE, tick=False):
        key_set = kit.household_set(world)
        db.session.commit()
        now = datetime.now(ZoneInfo("UTC"))
        day_end = datetime.combine(now.astimezone(SHANGHAI).date(), loans.LAST_INSTANT, tzinfo=SHANGHAI)
        assert loans.default_expected_back(now, kit.TZ, time(18, 0)) == day_end
        assert client.login("reception").status_code == 303
        page = f"/console/keys/sets/{key_set.id}/lend"
        default = _default_on_form(client.get(page).get_data(as_text=True))
        assert default.startswith("23:59")
        response = client.post_form(page, _form(world, default[:5]), page=page)
        assert response.status_code == 303, response.get_data(as_text=True)
        loan = db.session.query(KeyLoan).one()
        assert loan.expected_back_at == day_end and loan.lent_at == now
        assert not loans.is_overdue(loan, now) and loans.count_overdue(world.site.id, None, now) == 0
        assert "loan-late" not in client.get("/console/keys/board").get_data(as_text=True)
    with time_machine.travel(LAST_MINUTE + timedelta(seconds=29), tick=False):  # 23:59:59
        assert loans.count_overdue(world.site.id, None) == 0
    with time_machine.travel(LAST_MINUTE + timedelta(seconds=31), tick=False):  # 00:00:01 the next day
        assert loans.count_overdue(world.site.id, None) == 1
        assert client.login("reception").status_code == 303
        assert "loan-late" in client.get("/console/keys/board").get_data(as_text=True)


def test_k4_a_form_shown_before_midnight_and_sent_after_it_is_due_by_the_end_of_the_new_day(client, world):
    with time_machine.travel(LAST_MINUTE + timedelta(seconds=20), tick=False):  # 23:59:50
        key_set = kit.household_set(world)
        db.session.commit()
        assert client.login("reception").status_code == 303
        page = f"/console/keys/sets/{key_set.id}/lend"
        default = _default_on_form(client.get(page).get_data(as_text=True))
        token = client.csrf(page)
    with time_machine.travel(LAST_MINUTE + timedelta(seconds=40), tick=False):  # 00:00:10 the next day
        response = client.post(page, data={**_form(world, default[:5]), "csrf_token": token})
        assert response.status_code == 303
        loan = db.session.query(KeyLoan).one()
        new_day = (LAST_MINUTE + timedelta(seconds=40)).date()
        assert loan.expected_back_at == datetime.combine(new_day, loans.LAST_INSTANT, tzinfo=SHANGHAI)
        assert loan.lent_at.astimezone(SHANGHAI).date() == new_day


def test_k4_the_same_day_rule_still_refuses_a_time_already_past_and_tomorrow(world):
    """At 23:59:30 a typed 23:58 has passed; nothing later than the day's last instant is same-day."""
    from kiosk.keys import KeyRefused

    key_set = kit.household_set(world)
    now = LAST_MINUTE.astimezone(ZoneInfo("UTC"))
    for expected in (
        loans.expected_back_today(now, kit.TZ, time(23, 58)),
        loans.end_of_day(now, kit.TZ) + timedelta(microseconds=1),
    ):
        try:
            kit.lend(world, key_set, now, expected_back_at=expected)
        except KeyRefused as refused:
            assert refused.reason == "same_day"
        else:
            raise AssertionError(f"lent with expected return {expected}")
    loan = kit.lend(world, key_set, now, expected_back_at=loans.expected_back_today(now, kit.TZ, time(23, 59)))
    assert loan.expected_back_at.astimezone(SHANGHAI).time() == loans.LAST_INSTANT
