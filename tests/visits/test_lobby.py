"""The front desk's lobby board over HTTP (V1-V4): desks, outcomes, host phones,
desk registration, expected visitors, the watch list, query counts."""

from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa
import time_machine

from kiosk.extensions import db
from kiosk.models import AuditEvent, Desk, ExpectedVisit, LobbySettings, Purpose, Visit, VisitStatus, WatchEntry
from kiosk.timeutil import utcnow
from kiosk.visits import expected, watchlist
from kiosk.visits import registration as visits
from kiosk.visits.registration import Registration
from tests.kiosk_helpers import new_key
from tests.statements import recorded_statements

NOON = datetime(2026, 11, 23, 4, 0, tzinfo=UTC)  # a Monday, 12:00 in Shanghai: no midnight in reach


def _visit(world, desk=Desk.RECEPTION, site=None, room=0, name="访客甲", phone="+8613900001234", status=None):
    site = site or world.site
    now = utcnow()
    visit = visits.register(
        site,
        Registration(
            room=world.rooms[room] if site is world.site else None,
            name=name,
            phone=phone,
            party_size=1,
            purpose=Purpose.VISIT,
        ),
        received_at=now,
        action_at=now,
        user=world.users["receptionist"],
    )
    visit.desk = desk
    if status:
        visit.status = status
    db.session.commit()
    return visit


def _board(client, query=""):
    return client.get(f"/console/lobby/{query}", headers={"HX-Request": "true"})


@pytest.mark.parametrize("username", ["reception", "duty"])
def test_front_desk_roles_land_on_the_lobby_board(world, client, username):
    response = client.login(username)
    assert response.headers["Location"].endswith("/console/lobby/")


def test_the_board_is_a_page_and_a_fragment(world, client):
    client.login("reception")
    page = client.get("/console/lobby/")
    assert "<html" in page.text and 'id="board"' in page.text and 'hx-trigger="every 4s"' in page.text
    fragment = _board(client)
    assert "<html" not in fragment.text and 'id="board"' in fragment.text and "HX-Request" in fragment.headers["Vary"]


def test_v2_each_desk_sees_its_own_registrations_by_default_with_night_ones_marked(world, client):
    _visit(world, Desk.RECEPTION, name="白天来")
    _visit(world, Desk.DUTY, name="夜里来")
    client.login("reception")
    day = _board(client).text
    assert "白天来" in day and "夜里来" not in day
    assert "夜里来" in _board(client, "?desk=all").text
    client.login("duty")
    night = _board(client, "?lang=en").text
    assert "夜里来" in night and "白天来" not in night and "Night" in night
    client.login("supervisor")
    everything = _board(client).text
    assert "夜里来" in everything and "白天来" in everything


def test_v2_the_board_says_whose_hours_it_is(world, client):
    client.login("duty")
    with time_machine.travel(datetime(2026, 11, 23, 13, 0, tzinfo=UTC), tick=False):  # 21:00 local
        client.login("duty")
        assert "Night hours" in _board(client, "?lang=en").text
    with time_machine.travel(datetime(2026, 11, 23, 4, 0, tzinfo=UTC), tick=False):  # 12:00 local
        client.login("duty")
        assert "Day hours" in _board(client, "?lang=en").text


def test_polling_the_board_does_not_keep_an_idle_session_alive(world, client):
    start = datetime(2026, 11, 23, 4, 0, tzinfo=UTC)
    with time_machine.travel(start, tick=False):
        client.login("reception")
    with time_machine.travel(start + timedelta(minutes=10), tick=False):
        assert client.get("/console/lobby/board", headers={"HX-Request": "true"}).status_code == 200
    with time_machine.travel(start + timedelta(minutes=16), tick=False):
        response = client.get("/console/lobby/board", headers={"HX-Request": "true"})
        assert response.status_code == 204 and "/auth/login" in response.headers["HX-Redirect"]


def test_lists_mask_phones_and_are_scoped_to_the_site(world, client):
    _visit(world)
    _visit(world, site=world.other_site, name="别处访客")
    client.login("reception")
    board = _board(client, "?desk=all").text
    assert "139****1234" in board and "13900001234" not in board
    assert "别处访客" not in board
    other = db.session.scalar(sa.select(Visit).where(Visit.site_id == world.other_site.id))
    assert client.post_form(f"/console/lobby/visits/{other.id}/outcome", {"outcome": "not_in"}).status_code == 404
    assert client.get(f"/console/lobby/visits/{other.id}/contacts").status_code == 404


def test_v3_the_hosts_phones_are_for_staff_and_every_look_is_audited(world, client):
    visit = _visit(world)
    client.login("reception")
    response = client.get(f"/console/lobby/visits/{visit.id}/contacts", headers={"HX-Request": "true"})
    assert "张三" in response.text and "13812345678" in response.text and "<html" not in response.text
    event = db.session.scalar(sa.select(AuditEvent).where(AuditEvent.action == "visit.host_contacts_viewed"))
    assert event.user_id == world.users["receptionist"].id and event.entity_id == str(visit.id)


def test_v4_one_tap_outcome_refreshes_the_board(world, client):
    visit = _visit(world)
    client.login("reception")
    response = client.htmx(
        "post",
        f"/console/lobby/visits/{visit.id}/outcome?lang=en",
        data={"outcome": "go_up", "floor": "7", "csrf_token": client.csrf()},
    )
    assert response.status_code == 200 and 'id="board"' in response.text
    assert "the kiosk shows it now" in response.text
    db.session.refresh(visit)
    assert (visit.status, visit.outcome_floor, visit.outcome_by_id) == (
        VisitStatus.ON_SITE,
        7,
        world.users["receptionist"].id,
    )
    again = client.htmx(
        "post",
        f"/console/lobby/visits/{visit.id}/outcome?lang=en",
        data={"outcome": "not_in", "csrf_token": client.csrf()},
    )
    assert again.status_code == 422 and "no longer waiting" in again.text


def test_staff_actions_need_csrf(world, client):
    visit = _visit(world)
    client.login("reception")
    assert client.post(f"/console/lobby/visits/{visit.id}/outcome", data={"outcome": "not_in"}).status_code == 400
    assert client.post("/console/lobby/register", data={"name": "x"}).status_code == 400


def test_a_held_visit_is_flagged_with_the_reason_and_decided_by_staff(world, client):
    watchlist.add(world.site.id, actor=world.users["supervisor"], reason="曾冒充快递", phone="+8613900001234")
    db.session.commit()
    held = _visit(world)
    assert held.status == VisitStatus.HELD
    client.login("reception")
    board = _board(client, "?lang=en").text
    assert "Held: watch list" in board and "曾冒充快递" in board
    refused = client.post_form(
        f"/console/lobby/visits/{held.id}/decision?lang=en", {"decision": "refuse", "reason": ""}
    )
    assert refused.status_code == 303
    db.session.refresh(held)
    assert held.status == VisitStatus.HELD  # a refusal needs a reason
    client.post_form(f"/console/lobby/visits/{held.id}/decision", {"decision": "refuse", "reason": "名单人员"})
    db.session.refresh(held)
    assert held.status == VisitStatus.TURNED_AWAY


@time_machine.travel(NOON, tick=True)  # "left today" / "valid on that day only"
def test_staff_check_anyone_out(world, client):
    visit = _visit(world, status=VisitStatus.ON_SITE)
    client.login("duty")
    assert client.post_form(f"/console/lobby/visits/{visit.id}/checkout").status_code == 303
    db.session.refresh(visit)
    assert visit.status == VisitStatus.LEFT and visit.departure == "staff"
    assert visit.departed_by_id == world.users["duty_manager"].id
    assert "访客甲" in _board(client, "?desk=all").text  # left today


def _desk_form(**overrides):
    data = {
        "room_number": "0201",
        "name": "王五",
        "phone_country": "+86",
        "phone": "13711112222",
        "party_size": "2",
        "purpose": "visit",
        "plate": "",
        "idempotency_key": new_key(),
    }
    data.update(overrides)
    return data


def test_v1_staff_register_at_the_desk_with_the_same_rules_exactly_once(world, client):
    client.login("reception")
    data = _desk_form()
    assert client.post_form("/console/lobby/register", data).status_code == 303
    assert client.post_form("/console/lobby/register", data).status_code == 303
    visit = db.session.scalar(sa.select(Visit))
    assert db.session.scalar(sa.select(sa.func.count(Visit.id))) == 1
    assert (visit.room_id, visit.registered_by_id, visit.device_id) == (
        world.rooms[1].id,
        world.users["receptionist"].id,
        None,
    )
    bad = client.post_form("/console/lobby/register?lang=en", _desk_form(room_number="77-7", phone="1", plate="X"))
    assert bad.status_code == 422
    assert "There is no room 77-7 here" in bad.text and "This is not a Chinese licence plate" in bad.text
    assert 'value="77-7"' in bad.text


def test_the_desk_form_asks_for_the_id_number_when_the_site_does(world, client):
    db.session.add(LobbySettings(site_id=world.site.id, ask_id_number=True))
    db.session.commit()
    client.login("reception")
    assert 'name="id_number"' in client.get("/console/lobby/register").text
    missing = client.post_form("/console/lobby/register?lang=en", _desk_form())
    assert missing.status_code == 422 and "Please enter your ID card number." in missing.text
    client.post_form("/console/lobby/register", _desk_form(id_number="11010519491231002X"))
    assert db.session.scalar(sa.select(Visit.id_number_masked)) == "110105********002X"


@time_machine.travel(NOON, tick=True)  # "left today" / "valid on that day only"
def test_expected_visitors_created_printed_listed_and_cancelled(world, client):
    client.login("reception")
    today = expected.local_date(world.site, utcnow())
    response = client.post_form("/console/lobby/expected", {**_desk_form(), "day": today.isoformat(), "note": "带合同"})
    assert response.status_code == 303
    row = db.session.scalar(sa.select(ExpectedVisit))
    card = client.get(response.headers["Location"] + "?lang=en")
    assert row.code in card.text and "<svg" in card.text and "Valid on" in card.text
    assert row.code in client.get("/console/lobby/expected").text
    assert row.code in _board(client).text  # expected today
    past = client.post_form(
        "/console/lobby/expected?lang=en", {**_desk_form(), "day": (today - timedelta(days=1)).isoformat()}
    )
    assert past.status_code == 422 and "The day cannot be in the past." in past.text
    assert client.post_form(f"/console/lobby/expected/{row.id}/cancel").status_code == 303
    db.session.refresh(row)
    assert row.cancelled_at is not None


def test_the_watch_list_is_for_supervisors_and_every_change_is_audited(world, client):
    client.login("reception")
    assert client.get("/console/lobby/watch").status_code == 403
    client.login("supervisor")
    no_reason = client.post_form(
        "/console/lobby/watch?lang=en", {"name": "李大嘴", "reason": "", "phone_country": "+86"}
    )
    assert no_reason.status_code == 422 and "Please give a reason." in no_reason.text
    nothing = client.post_form("/console/lobby/watch?lang=en", {"reason": "x", "phone_country": "+86"})
    assert nothing.status_code == 422
    bad_id = client.post_form(
        "/console/lobby/watch?lang=en", {"reason": "x", "phone_country": "+86", "id_number": "123"}
    )
    assert bad_id.status_code == 422 and "ID card number is not valid" in bad_id.text
    added = client.post_form(
        "/console/lobby/watch",
        {
            "name": "李大嘴",
            "reason": "推销",
            "phone_country": "+86",
            "phone": "13900009999",
            "id_number": "11010519491231002X",
        },
    )
    assert added.status_code == 303
    entry = db.session.scalar(sa.select(WatchEntry))
    assert (entry.phone, entry.id_number_masked) == ("+8613900009999", "110105********002X")
    listing = client.get("/console/lobby/watch").text
    assert "139****9999" in listing and "11010519491231002X" not in listing
    client.post_form(
        f"/console/lobby/watch/{entry.id}",
        {"name": "李大嘴", "aliases": "大嘴", "reason": "推销保险", "phone_country": "+86", "phone": "+8613900009999"},
    )
    removed = client.post_form(f"/console/lobby/watch/{entry.id}/remove", {"remove-reason": "已解决"})
    assert removed.status_code == 303
    db.session.refresh(entry)
    assert not entry.active and entry.aliases == "大嘴"
    actions = db.session.scalars(sa.select(AuditEvent.action).where(AuditEvent.entity_type == "WatchEntry")).all()
    assert actions == ["watch.added", "watch.changed", "watch.removed"]


def _fill(world, n):
    for i in range(n):
        status = [VisitStatus.WAITING, VisitStatus.HELD, VisitStatus.ON_SITE, VisitStatus.LEFT][i % 4]
        visit = _visit(world, room=i % 3, name=f"访客{i}", status=status)
        if status == VisitStatus.LEFT:
            visit.departed_at = utcnow()
    entry = watchlist.add(world.site.id, actor=world.users["supervisor"], reason="x", name="nobody")
    for visit in db.session.scalars(sa.select(Visit).where(Visit.status == VisitStatus.HELD)):
        visit.watch_entry = entry
    for i in range(n // 5):
        db.session.add(
            ExpectedVisit(
                site_id=world.site.id,
                code=f"EX{n}{i:03d}",
                room=world.rooms[i % 3],
                day=expected.local_date(world.site, utcnow()),
                visitor_name=f"预约{i}",
            )
        )
    db.session.commit()


def test_board_query_count_stays_flat_as_visits_grow(world, client):
    client.login("supervisor")
    _fill(world, 5)
    _board(client)
    with recorded_statements() as few:
        assert _board(client).status_code == 200
    _fill(world, 45)
    with recorded_statements() as many:
        page = _board(client)
    assert page.text.count('class="waiting-item') > 20
    assert len(many) == len(few), (len(few), len(many))
