"""The holiday schedule on the console: who may see and edit it, the import of a whole
year (422 with the text kept, idempotent), and the home-page warning from 1 November."""

from datetime import UTC, datetime

import pytest
import sqlalchemy as sa
import time_machine

from kiosk.extensions import db
from kiosk.models import AuditEvent, Role
from kiosk.models.calendar import CalendarDay, CalendarYear
from tests.calendar.test_workdays_table import TEST_2027
from tests.world import USERNAMES

PAGE = "/console/calendar/"
NOV_2 = datetime(2026, 11, 2, 2, 0, tzinfo=UTC)  # 10:00 in Shanghai
OCT_20 = datetime(2026, 10, 20, 2, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    "role, status",
    [
        (Role.MANAGER, 200),
        (Role.SUPERVISOR, 200),
        (Role.RECEPTIONIST, 403),
        (Role.OFFICER, 403),
        (Role.DUTY_MANAGER, 403),
        (Role.DEPARTMENT, 403),
        (Role.ADMIN, 403),
    ],
)
def test_who_may_see_the_holiday_schedule(world, client, role, status):
    client.login(USERNAMES[role])
    response = client.get(PAGE)
    assert response.status_code == status
    if role == Role.SUPERVISOR:
        page = response.get_data(as_text=True)
        assert 'action="/console/calendar/import"' not in page  # supervisors look, managers edit


def test_anonymous_goes_to_the_login(client):
    assert client.get(PAGE).headers["Location"].startswith("/auth/login")


def test_only_a_manager_imports(world, client):
    client.login("supervisor")
    response = client.post_form("/console/calendar/import", {"year": "2027", "text": TEST_2027})
    assert response.status_code == 403
    assert db.session.scalar(sa.select(sa.func.count()).select_from(CalendarDay)) == 0


def test_import_of_a_whole_year_is_idempotent_and_audited(world, client):
    client.login("manager")
    for _ in range(2):
        response = client.post_form("/console/calendar/import", {"year": "2027", "text": TEST_2027})
        assert response.status_code == 303
        assert response.headers["Location"].endswith("/console/calendar/?year=2027")
    assert db.session.scalar(sa.select(sa.func.count()).select_from(CalendarDay)) == 10
    assert db.session.get(CalendarYear, 2027).days == 10
    events = db.session.scalars(sa.select(AuditEvent).where(AuditEvent.action == "calendar.imported")).all()
    assert len(events) == 2 and events[0].details == {"year": 2027, "holidays": 8, "workdays": 2}
    page = client.get("/console/calendar/?year=2027").get_data(as_text=True)
    assert 'data-day="2027-02-13"' in page and "春节调休" in page
    # a corrected import replaces the year's dates
    client.post_form("/console/calendar/import", {"year": "2027", "text": "2027-01-01, holiday, 元旦"})
    assert db.session.scalars(sa.select(CalendarDay.name)).all() == ["元旦"]


def test_a_bad_import_answers_422_keeps_the_text_and_stores_nothing(world, client):
    client.login("manager")
    text = "2027-01-01, holiday, 元旦\n2027-02-30, holiday, <b>春节</b>"
    response = client.post_form("/console/calendar/import?lang=en", {"year": "2027", "text": text})
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "Line 2: the date is not a date like 2027-02-06" in page
    assert "&lt;b&gt;春节&lt;/b&gt;" in page and "<b>春节" not in page  # kept, escaped
    assert db.session.scalar(sa.select(sa.func.count()).select_from(CalendarDay)) == 0
    response = client.post_form("/console/calendar/import?lang=zh", {"year": "", "text": ""})
    assert response.status_code == 422
    assert "请填写年份。" in response.get_data(as_text=True)


def test_a_manager_sets_and_removes_one_date(world, client):
    client.login("manager")
    response = client.post_form("/console/calendar/days", {"day": "2027-05-03", "kind": "holiday", "name": "劳动节"})
    assert response.status_code == 303
    row = db.session.scalar(sa.select(CalendarDay))
    assert row.kind == "holiday" and db.session.get(CalendarYear, 2027) is None  # not covered by one date
    assert (
        client.post_form("/console/calendar/days", {"day": "2027-13-01", "kind": "holiday", "name": "x"}).status_code
        == 422
    )
    assert client.post_form(f"/console/calendar/days/{row.id}/remove", {}).status_code == 303
    assert db.session.scalar(sa.select(sa.func.count()).select_from(CalendarDay)) == 0


@pytest.mark.parametrize(
    "role, warned", [(Role.SUPERVISOR, True), (Role.MANAGER, True), (Role.RECEPTIONIST, False), (Role.ADMIN, False)]
)
def test_home_page_warns_from_1_november_until_the_coming_year_is_covered(world, client, role, warned):
    with time_machine.travel(OCT_20, tick=False):
        client.login(USERNAMES[role])
        assert "Years without a holiday schedule" not in client.get("/console/?lang=en").get_data(as_text=True)
    with time_machine.travel(NOV_2, tick=False):
        client.login(USERNAMES[role])
        home = client.get("/console/?lang=en").get_data(as_text=True)
        assert ("Years without a holiday schedule" in home) == warned
        if role == Role.MANAGER:
            page = client.get(PAGE + "?lang=en").get_data(as_text=True)
            assert 'data-uncovered="2027"' in page
            client.post_form("/console/calendar/import", {"year": "2027", "text": TEST_2027})
            assert "Years without a holiday schedule" not in client.get("/console/?lang=en").get_data(as_text=True)


def test_two_managers_saving_the_same_dates_at_once_is_not_a_crash(world, client, monkeypatch):
    from datetime import date

    from kiosk.calendar import schedule

    def racing_import(year, parsed, actor, now):  # the other manager's rows land first
        db.session.add_all(
            [
                CalendarDay(day=date(2027, 1, 1), kind="holiday", name="元旦"),
                CalendarDay(day=date(2027, 1, 1), kind="holiday", name="元旦"),
            ]
        )

    monkeypatch.setattr(schedule, "import_year", racing_import)
    client.login("manager")
    response = client.post_form("/console/calendar/import?lang=en", {"year": "2027", "text": TEST_2027})
    assert response.status_code == 303
    assert "Someone else changed the holiday schedule" in client.get(response.headers["Location"]).text
    assert db.session.scalar(sa.select(sa.func.count()).select_from(CalendarDay)) == 0
