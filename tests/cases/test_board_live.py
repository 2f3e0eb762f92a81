"""The supervisor's dashboard, live (C8): polled every 30 s with the fingerprint of what it
shows; 204 and next to no work while nothing changed, the counters again plus the
`nav-counts` event (the top bar's badges) after a change; a poll never keeps an idle
session alive (S1)."""

import re

import time_machine

from kiosk.models import Role
from kiosk.models.cases import IntakeClass
from kiosk.timeutil import utcnow
from tests.cases.helpers import call
from tests.live import LiveClient, serving
from tests.statements import recorded_statements

LIVE = re.compile(r'hx-get="(/console/cases/board/live\?fp=[0-9a-f]+)"')


def _complaint_to_grade(world, content="电梯噪音大"):
    """A new complaint, found valid: it waits for the supervisor's grading (C2)."""
    from kiosk.cases import complaints
    from kiosk.extensions import db
    from kiosk.models.case_complaints import Complaint

    entry = call(world, IntakeClass.COMPLAINT, utcnow(), content=content)
    case = db.session.query(Complaint).filter_by(intake_id=entry.id).one()
    complaints.check_validity(case, world.user(Role.RECEPTIONIST), valid=True, explanation=None, now=utcnow())
    db.session.commit()
    return case


def _live_url(page: str) -> str:
    match = LIVE.search(page)
    assert match, "the dashboard names its live route with its fingerprint"
    return match.group(1)


def test_c8_board_polls_every_30_seconds_with_its_fingerprint(client, world):
    client.login("supervisor")
    page = client.get("/console/cases/board").get_data(as_text=True)
    assert 'hx-trigger="every 30s"' in page and _live_url(page)


def test_c8_unchanged_board_answers_204_in_at_most_two_statements(client, world):
    client.login("supervisor")
    url = _live_url(client.get("/console/cases/board").get_data(as_text=True))
    with recorded_statements() as statements:
        response = client.htmx("get", url)
    assert response.status_code == 204 and response.get_data() == b""
    assert "HX-Trigger" not in response.headers
    assert len(statements) <= 2, statements  # the signed-in user, the fingerprint


def test_c8_a_new_complaint_redraws_the_board_and_announces_nav_counts(client, world):
    client.login("supervisor")
    url = _live_url(client.get("/console/cases/board").get_data(as_text=True))
    call(world, IntakeClass.COMPLAINT, utcnow(), content="电梯噪音大")
    response = client.htmx("get", url)
    fragment = response.get_data(as_text=True)
    assert response.status_code == 200 and response.headers["HX-Trigger"] == "nav-counts"
    assert "<html" not in fragment and 'id="board-live"' in fragment
    new_url = _live_url(fragment)
    assert new_url != url  # the fragment carries the new fingerprint ...
    assert client.htmx("get", new_url).status_code == 204  # ... and the next poll is quiet again


def test_c8_a_changed_record_redraws_the_board(client, world):
    """Not only new rows: a record changing state (an intake closed) changes the fingerprint."""
    from kiosk.cases import intake
    from kiosk.extensions import db

    entry = call(world, IntakeClass.SUGGESTION, utcnow())
    client.login("supervisor")
    url = _live_url(client.get("/console/cases/board").get_data(as_text=True))
    assert client.htmx("get", url).status_code == 204
    if entry.status == "open":
        intake.close(entry, world.user(Role.RECEPTIONIST), "已转交", utcnow())
    else:
        entry.status = "open"
    db.session.commit()
    assert client.htmx("get", url).status_code == 200


def test_c8_the_clock_alone_redraws_the_board_within_five_minutes(client, world):
    """Overdue counts move with time (dispatch within 5 minutes): a quiet board is still redrawn."""
    client.login("supervisor")
    url = _live_url(client.get("/console/cases/board").get_data(as_text=True))
    with time_machine.travel(utcnow().timestamp() + 6 * 60, tick=False):
        assert client.htmx("get", url).status_code == 200


def test_s1_board_poll_does_not_keep_the_session_alive(client, world):
    client.login("supervisor")
    url = _live_url(client.get("/console/cases/board").get_data(as_text=True))
    with client.session_transaction() as session:
        seen = session["seen"]
    with time_machine.travel(utcnow().timestamp() + 60, tick=False):
        call(world, IntakeClass.COMPLAINT, utcnow())
        assert client.htmx("get", url).status_code == 200  # a redraw ...
        assert client.htmx("get", "/console/nav-counts").status_code == 200  # ... and the badges
    with client.session_transaction() as session:
        assert session["seen"] == seen  # ... are not activity


def test_c8_nav_counts_fill_the_badges_of_the_groups(client, world):
    _complaint_to_grade(world)
    client.login("supervisor")
    page = client.get("/console/cases/board").get_data(as_text=True)
    assert 'hx-trigger="load, nav-counts from:body"' in page
    assert re.search(r'<span id="nav-badge-cases" class="nav-badge"\s+hidden>', page)
    badges = client.htmx("get", "/console/nav-counts").get_data(as_text=True)
    badge = re.search(
        r'<span id="nav-badge-cases" class="nav-badge nav-badge-urgent" hx-swap-oob="true"[^>]*>(\d+)</span>', badges
    )
    assert badge and int(badge.group(1)) >= 1  # the complaint to grade
    other = client.application.test_client()
    other.login("engineer")
    assert 'id="nav-badge-admin"' not in other.htmx("get", "/console/nav-counts").get_data(
        as_text=True
    )  # own groups only


def test_c8_live_board_over_a_live_server(app, world):
    """The polled fragment as a browser receives it: 204 without a body, then 200 with the
    event header after a change (tests/live.py)."""
    with serving(app) as server:
        live = LiveClient(server.url)
        live.login("supervisor")
        url = _live_url(live.get("/console/cases/board").text)
        quiet = live.get(url, headers={"HX-Request": "true"})
        assert quiet.status == 204 and quiet.body == b""
        with app.app_context():
            call(world, IntakeClass.COMPLAINT, utcnow())
        changed = live.get(url, headers={"HX-Request": "true"})
        assert changed.status == 200 and changed.headers["HX-Trigger"] == "nav-counts"
        assert 'id="board-live"' in changed.text and "<html" not in changed.text


def test_c8_fingerprint_moves_with_the_sites_case_writes_only(app, world):
    """The fingerprint is the site's change counter (one read, whatever the history): a write to
    a case record of the site moves it, within its transaction; a rolled-back write, another
    site's case or a visitor's registration does not."""
    from kiosk.cases import board_live
    from kiosk.extensions import db
    from kiosk.models import Visit
    from kiosk.models.case_orders import WorkOrder

    now = utcnow()
    site, other = world.site.id, world.other_site.id
    first = board_live.fingerprint(site, now)
    entry = call(world, IntakeClass.REPAIR, now)
    after_call = board_live.fingerprint(site, now)
    assert after_call != first
    order = db.session.query(WorkOrder).filter_by(intake_id=entry.id).one()
    order.content = "厨房水龙头漏水（补充：夜间更严重）"
    db.session.flush()
    assert board_live.fingerprint(site, now) != after_call
    db.session.rollback()
    assert board_live.fingerprint(site, now) == after_call  # the counter went back with the write
    other_before = board_live.fingerprint(other, now)
    db.session.add(
        Visit(site_id=site, code="BL0001", visitor_name="访客", purpose="visit", action_at=now, received_at=now)
    )
    db.session.commit()
    assert board_live.fingerprint(site, now) == after_call
    assert board_live.fingerprint(other, now) == other_before
    with recorded_statements() as statements:
        board_live.fingerprint(site, now)
    assert len(statements) == 1
