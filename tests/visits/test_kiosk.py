"""The lobby kiosk over HTTP (V1-V4): screens, validation, exactly-once, rate limit,
devices, after-hours routing, expected codes, the watch list, check-out."""

import re
from datetime import UTC, date, datetime

import pytest
import sqlalchemy as sa
import time_machine

from kiosk.access import DEVICE_COOKIE
from kiosk.extensions import db
from kiosk.models import Desk, LobbySettings, Visit, VisitStatus
from kiosk.offline import devices
from kiosk.timeutil import utcnow
from kiosk.visits import expected, watchlist
from tests.kiosk_helpers import DEVICE_HEADERS, enroll_kiosk, new_key, post, visit_data

CODE = re.compile(r"data-visit-code>(\w+)<")


@pytest.fixture
def kiosk(app, world, client):
    client.device = enroll_kiosk(client, world.site)
    return client


def _visits():
    return db.session.scalars(sa.select(Visit).order_by(Visit.id)).all()


def _register(kiosk, room_id, lang="zh_Hans_CN", **overrides):
    return post(kiosk, f"/kiosk/visits?lang={lang}", visit_data(room_id, **overrides))


@pytest.mark.parametrize("path", ["/kiosk/", "/kiosk/visit", "/kiosk/checkout", "/kiosk/expected"])
def test_screens_are_pages_and_fragments(kiosk, path):
    page = kiosk.get(path + "?lang=en")
    assert page.status_code == 200 and "<html" in page.text and 'id="screen"' in page.text
    assert '"X-Device-Request": "1"' in page.text and "csrf" not in page.text.lower()
    fragment = kiosk.get(path + "?lang=en", headers={"HX-Request": "true"})
    assert fragment.status_code == 200 and "<html" not in fragment.text and 'id="screen"' in fragment.text
    assert "HX-Request" in fragment.headers["Vary"]


def test_the_kiosk_speaks_the_sites_language_first_then_the_visitors(kiosk):
    first = kiosk.get("/kiosk/", headers={"Accept-Language": "en-US"})
    assert first.status_code == 302 and first.headers["Location"].endswith("?lang=zh_Hans_CN")
    assert "欢迎光临" in kiosk.get("/kiosk/?lang=zh_Hans_CN").text
    assert "Welcome" in kiosk.get("/kiosk/?lang=en").text
    assert "Welcome" in kiosk.get("/kiosk/").text  # the choice is remembered until the idle reset


def test_welcome_shows_the_lobby_notice_in_the_visitors_language(kiosk, world):
    db.session.add(LobbySettings(site_id=world.site.id, notice_zh="电梯检修", notice_en="Lift maintenance"))
    db.session.commit()
    assert "电梯检修" in kiosk.get("/kiosk/?lang=zh_Hans_CN").text
    assert "Lift maintenance" in kiosk.get("/kiosk/?lang=en").text


def test_v1_register_shows_the_waiting_screen_with_code_and_qr(kiosk, world):
    response = _register(kiosk, world.rooms[0].id, lang="en")
    assert response.status_code == 200
    visit = _visits()[0]
    assert CODE.search(response.text).group(1) == visit.code
    assert "<svg" in response.text and "Please wait, we are contacting your host." in response.text
    # a full QR code (21 modules and the 4-module quiet zone at scale 10), never Micro QR (kiosk.qr)
    assert 'viewBox="0 0 290 290"' in response.text
    assert 'hx-trigger="every 2s"' in response.text
    assert (visit.device_id, visit.registered_by_id, visit.status) == (kiosk.device.id, None, VisitStatus.WAITING)
    assert "访客甲" not in response.text and "13900001234" not in response.text  # nothing typed comes back


@pytest.mark.parametrize(
    "lang, phone_msg, name_msg",
    [
        ("en", "Please enter an 11-digit mainland mobile number", "Please enter your name."),
        ("zh_Hans_CN", "请输入11位中国大陆手机号码", "请输入您的姓名。"),
    ],
)
def test_v1_bad_fields_get_messages_in_the_visitors_language_and_input_is_kept(kiosk, world, lang, phone_msg, name_msg):
    data = visit_data(world.rooms[0].id, name="", phone="12345", plate="粤B12345", party_size="3")
    response = post(kiosk, f"/kiosk/visits?lang={lang}", data)
    assert response.status_code == 422
    assert phone_msg in response.text and name_msg in response.text
    assert 'value="12345"' in response.text and 'value="粤B12345"' in response.text and 'value="3"' in response.text
    assert f'name="idempotency_key" value="{data["idempotency_key"]}"' in response.text  # same attempt
    assert 'data-current-step="about"' in response.text
    assert _visits() == []


def test_v1_a_room_that_does_not_exist_is_a_message_not_a_crash(kiosk, world):
    response = _register(kiosk, "", lang="en", room_number="8-8-8888")
    assert response.status_code == 422
    assert "There is no room 8-8-8888 here" in response.text and 'data-current-step="whom"' in response.text
    assert _register(kiosk, "999999", lang="en").status_code == 422


def test_v1_the_privacy_notice_must_be_accepted(kiosk, world):
    response = _register(kiosk, world.rooms[0].id, lang="en", privacy="")
    assert response.status_code == 422 and 'data-current-step="privacy"' in response.text
    assert "180 days" in response.text  # how long, from the lobby settings


def test_script_in_a_name_is_shown_as_text(kiosk, world, app):
    name = '<script>alert("x")</script>'
    page = _register(kiosk, world.rooms[0].id, name=name, phone="")
    assert page.status_code == 422 and "<script>alert" not in page.text and "&lt;script&gt;" in page.text
    assert _register(kiosk, world.rooms[0].id, name=name).status_code == 200
    staff = app.test_client()
    staff.login("reception")
    board = staff.get("/console/lobby/?desk=all")  # whichever desk the clock routes it to (V2)
    assert "<script>alert" not in board.text and "&lt;script&gt;alert" in board.text


def test_a_double_tap_registers_one_visit(kiosk, world):
    data = visit_data(world.rooms[0].id)
    first = post(kiosk, "/kiosk/visits", data)
    second = post(kiosk, "/kiosk/visits", data)
    assert first.status_code == second.status_code == 200
    assert CODE.search(first.text).group(1) == CODE.search(second.text).group(1)
    assert len(_visits()) == 1


def test_the_same_key_with_other_answers_is_refused(kiosk, world):
    data = visit_data(world.rooms[0].id)
    post(kiosk, "/kiosk/visits", data)
    changed = post(kiosk, "/kiosk/visits?lang=en", {**data, "name": "别人"})
    assert changed.status_code == 422 and "already sent with other answers" in changed.text
    assert post(kiosk, "/kiosk/visits", {**data, "idempotency_key": "short"}).status_code == 400
    assert len(_visits()) == 1


def test_device_time_is_kept_and_a_late_arrival_is_marked_offline(kiosk, world):
    with time_machine.travel(datetime(2026, 11, 23, 1, 0, 20, tzinfo=UTC), tick=False):
        _register(kiosk, world.rooms[0].id, action_at="2026-11-23T01:00:00Z")
    assert not _visits()[0].registered_offline  # sent at once: not offline
    with time_machine.travel(datetime(2026, 11, 23, 1, 30, tzinfo=UTC), tick=False):
        _register(kiosk, world.rooms[0].id, action_at="2026-11-23T01:00:00Z")
    late = _visits()[-1]
    assert late.action_at == datetime(2026, 11, 23, 1, 0, tzinfo=UTC)
    assert late.received_at == datetime(2026, 11, 23, 1, 30, tzinfo=UTC) and late.registered_offline


@pytest.mark.parametrize("app_config", [{"KIOSK_RATE_LIMIT": 3}])
def test_submissions_are_rate_limited_per_device_with_a_friendly_page(kiosk, world, app_config):
    for _ in range(3):
        assert _register(kiosk, world.rooms[0].id).status_code == 200
    limited = _register(kiosk, world.rooms[0].id, lang="en")
    assert limited.status_code == 429 and "Please wait a minute and try again" in limited.text
    assert len(_visits()) == 3
    other_kiosk = kiosk.application.test_client()
    enroll_kiosk(other_kiosk, world.site, name="Kiosk 2")  # counted per device
    assert _register(other_kiosk, world.rooms[0].id).status_code == 200


@pytest.mark.parametrize("app_config", [{"KIOSK_RATE_LIMIT": 2, "KIOSK_REPLAY_RATE_LIMIT": 5}])
def test_an_outbox_backlog_drains_past_the_visitors_limit_up_to_its_own(kiosk, world, app_config):
    """Visitors registered one by one while the kiosk was offline: their replays are not turned
    away by the limit meant for one visitor tapping (the backlog would stall), but
    replays have a ceiling of their own."""
    replay = {"X-Outbox-Replay": "1"}
    answers = [
        post(kiosk, "/kiosk/visits", visit_data(world.rooms[0].id, name=f"离线{i}"), **replay).status_code
        for i in range(6)
    ]
    assert answers == [200] * 5 + [429]  # 429 is retried by the outbox with back-off
    assert _register(kiosk, world.rooms[0].id).status_code == 429  # a visitor, now: still limited
    assert len(_visits()) == 5


def test_the_default_limit_is_30_a_minute():
    from kiosk.blueprints.kiosk.routes import RATE_LIMIT, REPLAY_RATE_LIMIT

    assert RATE_LIMIT == 30 and REPLAY_RATE_LIMIT == 300


KIOSK_PATHS = ["/kiosk/", "/kiosk/visit", "/kiosk/checkout", "/kiosk/expected", "/kiosk/visits/ABCDEF"]


def test_unenrolled_and_revoked_devices_see_the_not_enrolled_page_and_cannot_post(app, world, client):
    for path in KIOSK_PATHS:
        page = client.get(path + "?lang=en")
        assert page.status_code == 403 and "This device is not enrolled" in page.text
    assert post(client, "/kiosk/visits", visit_data(world.rooms[0].id)).status_code == 403
    device = enroll_kiosk(client, world.site)
    credential = client.get_cookie(DEVICE_COOKIE).value
    devices.revoke(device, now=utcnow(), actor=world.users["supervisor"])
    db.session.commit()
    client.set_cookie(DEVICE_COOKIE, credential)
    assert client.get("/kiosk/?lang=en").status_code == 403
    assert post(client, "/kiosk/visits", visit_data(world.rooms[0].id)).status_code == 403
    assert post(client, "/kiosk/checkout", {"code": "ABCDEF", "idempotency_key": new_key()}).status_code == 403
    assert _visits() == []


def test_device_writes_need_the_header_and_the_same_origin(kiosk, world):
    data = visit_data(world.rooms[0].id)
    assert kiosk.post("/kiosk/visits", data=data).status_code == 403
    assert (
        kiosk.post("/kiosk/visits", data=data, headers={**DEVICE_HEADERS, "Origin": "https://evil.example"}).status_code
        == 403
    )
    assert _visits() == []


def test_opening_the_kiosk_ends_a_staff_session_in_that_browser(app, world, client):
    client.login("reception")
    assert client.get("/console/").status_code == 200
    enroll_kiosk(client, world.site)
    assert client.get("/kiosk/?lang=en").status_code == 200
    assert client.get("/console/").status_code == 302  # signed out


def test_v2_after_hours_registrations_go_to_the_duty_manager(kiosk, world):
    with time_machine.travel(datetime(2026, 11, 23, 13, 30, tzinfo=UTC), tick=False):  # 21:30 local
        _register(kiosk, world.rooms[0].id)
    with time_machine.travel(datetime(2026, 11, 23, 23, 59, tzinfo=UTC), tick=False):  # 07:59 local
        _register(kiosk, world.rooms[0].id)
    with time_machine.travel(datetime(2026, 11, 24, 0, 0, tzinfo=UTC), tick=False):  # 08:00 local
        _register(kiosk, world.rooms[0].id)
    assert [v.desk for v in _visits()] == [Desk.DUTY, Desk.DUTY, Desk.RECEPTION]


def test_an_expected_code_works_today_and_is_refused_tomorrow(kiosk, world):
    with time_machine.travel(datetime(2026, 11, 23, 2, 0, tzinfo=UTC), tick=False):
        row = expected.create(
            world.site,
            actor=world.users["receptionist"],
            day=date(2026, 11, 23),
            today=date(2026, 11, 23),
            room=world.rooms[2],
            name="预约客",
            phone="+8613911112222",
        )
        db.session.commit()
        other = expected.create(
            world.site,
            actor=world.users["receptionist"],
            day=date(2026, 11, 23),
            today=date(2026, 11, 23),
            room=world.rooms[2],
            name="明天来",
            phone="+8613911113333",
        )
        db.session.commit()
        today = post(kiosk, "/kiosk/expected?lang=en", {"code": row.code.lower(), "idempotency_key": new_key()})
        assert today.status_code == 200 and "Please wait, we are contacting your host." in today.text
        assert _visits()[0].expected_visit_id == row.id
        again = post(kiosk, "/kiosk/expected?lang=en", {"code": row.code, "idempotency_key": new_key()})
        assert again.status_code == 422 and "used already" in again.text
    with time_machine.travel(datetime(2026, 11, 23, 16, 1, tzinfo=UTC), tick=False):  # 00:01 next day
        tomorrow = post(kiosk, "/kiosk/expected?lang=en", {"code": other.code, "idempotency_key": new_key()})
        assert tomorrow.status_code == 422 and "This code is valid on 2026-11-23 only." in tomorrow.text
        unknown = post(kiosk, "/kiosk/expected?lang=en", {"code": "ZZZZZZ", "idempotency_key": new_key()})
        assert unknown.status_code == 422 and "We do not know this code" in unknown.text
    assert len(_visits()) == 1


def _shape(html: str) -> str:
    """The response without what differs between two visits (code, QR, timing)."""
    html = re.sub(r"<svg.*?</svg>", "<svg/>", html, flags=re.S)
    return CODE.sub("data-visit-code>X<", re.sub(r"/kiosk/visits/\w+", "/kiosk/visits/X", html))


def test_a_watch_list_match_is_held_and_the_visitor_sees_the_ordinary_screen(kiosk, world):
    watchlist.add(world.site.id, actor=world.users["supervisor"], reason="曾冒充快递", phone="+8613900009999")
    db.session.commit()
    ordinary = _register(kiosk, world.rooms[0].id)
    held = _register(kiosk, world.rooms[0].id, phone="13900009999")
    assert [v.status for v in _visits()] == [VisitStatus.WAITING, VisitStatus.HELD]
    assert held.status_code == ordinary.status_code == 200
    assert _shape(held.text) == _shape(ordinary.text)
    assert "冒充" not in held.text
    poll = kiosk.get(f"/kiosk/visits/{_visits()[1].code}", headers={"HX-Request": "true"})
    assert _shape(poll.text) == _shape(
        kiosk.get(f"/kiosk/visits/{_visits()[0].code}", headers={"HX-Request": "true"}).text
    )


def test_v4_the_waiting_screen_polls_until_the_desk_records_the_outcome(kiosk, world, app):
    code = CODE.search(_register(kiosk, world.rooms[2].id).text).group(1)
    waiting = kiosk.get(f"/kiosk/visits/{code}?lang=en", headers={"HX-Request": "true"})
    assert 'hx-trigger="every 2s"' in waiting.text and "<html" not in waiting.text
    staff = app.test_client()
    staff.login("reception")
    visit = _visits()[0]
    assert (
        staff.post_form(f"/console/lobby/visits/{visit.id}/outcome", {"outcome": "go_up", "floor": "3"}).status_code
        == 303
    )
    done = kiosk.get(f"/kiosk/visits/{code}?lang=en", headers={"HX-Request": "true"})
    assert "Please take the lift to floor 3." in done.text and "every 2s" not in done.text
    assert "Thank you for registering." in done.text
    assert "王小明" not in done.text and "15011112222" not in done.text  # V3


@pytest.mark.parametrize(
    "outcome, message",
    [
        ("coming_down", "Your host is coming down."),
        ("wait_lounge", "Please take a seat in the lounge."),
        ("not_in", "your host is not in at the moment"),
    ],
)
def test_v4_each_outcome_has_its_message(kiosk, world, app, outcome, message):
    code = CODE.search(_register(kiosk, world.rooms[0].id).text).group(1)
    staff = app.test_client()
    staff.login("reception")
    staff.post_form(f"/console/lobby/visits/{_visits()[0].id}/outcome", {"outcome": outcome})
    assert message in kiosk.get(f"/kiosk/visits/{code}?lang=en", headers={"HX-Request": "true"}).text


def test_check_out_by_code_and_by_phone_and_room(kiosk, world):
    code = CODE.search(_register(kiosk, world.rooms[0].id).text).group(1)
    _register(kiosk, world.rooms[1].id, phone="13700001111")
    by_code = post(kiosk, "/kiosk/checkout?lang=en", {"code": code.lower(), "idempotency_key": new_key()})
    assert by_code.status_code == 200 and "You are checked out" in by_code.text
    wrong_room = post(
        kiosk,
        "/kiosk/checkout?lang=en",
        {"phone": "13700001111", "phone_country": "+86", "room_number": "0101", "idempotency_key": new_key()},
    )
    assert wrong_room.status_code == 422 and "We found no visit on site" in wrong_room.text
    assert 'value="13700001111"' in wrong_room.text
    data = {"phone": "137 0000 1111", "phone_country": "+86", "room_number": "1-1-0201", "idempotency_key": new_key()}
    assert post(kiosk, "/kiosk/checkout?lang=en", data).status_code == 200
    assert post(kiosk, "/kiosk/checkout?lang=en", data).status_code == 200  # a replay: the same answer
    first, second = _visits()
    assert first.status == second.status == VisitStatus.LEFT and first.departed_at and second.departure == "kiosk"
    unknown = post(kiosk, "/kiosk/checkout?lang=en", {"code": "ZZZZZZ", "idempotency_key": new_key()})
    assert unknown.status_code == 422 and "We found no visit with this check-out code" in unknown.text
    empty = post(kiosk, "/kiosk/checkout?lang=en", {"idempotency_key": new_key()})
    assert empty.status_code == 422 and "Please enter your check-out code" in empty.text


def test_the_language_switch_keeps_what_was_entered(kiosk, world):
    data = visit_data(world.rooms[0].id, step="about", name="Anna", phone="")
    page = post(kiosk, "/kiosk/visit?lang=en", data)
    assert page.status_code == 200 and "About you" in page.text and 'value="Anna"' in page.text
    assert 'data-current-step="about"' in page.text and "1-1-0101" in page.text
    assert _visits() == []


def test_a_typed_room_is_checked_on_the_first_step(kiosk, world):
    found = kiosk.get("/kiosk/rooms?number=201&building=")
    assert found.status_code == 200 and found.json == {"id": world.rooms[1].id, "label": "1-1-0201"}
    missing = kiosk.get("/kiosk/rooms?number=4711&lang=en")
    assert missing.status_code == 422 and missing.json["message"].startswith("There is no room 4711 here")
