"""The tablet face over HTTP: officer sign-in, the device-form contract (OFFLINE.md 4-6),
a whole patrol with a failed item and a photo, exactly once (P1, P7)."""

import io
import re
import uuid
from datetime import UTC, datetime, timedelta

import sqlalchemy as sa
import time_machine
from PIL import Image

from kiosk.access import DEVICE_COOKIE
from kiosk.extensions import db
from kiosk.models.patrols import Answer, Patrol, PatrolStop, Photo, Task
from tests import patrolkit
from tests.kiosk_helpers import DEVICE_HEADERS

HEADERS = {"X-Device-Request": "1", "HX-Request": "true"}


def key():
    return str(uuid.uuid4())


def post(client, path, data, **kw):
    return client.post(path, data=data, headers=HEADERS, **kw)


def _adhoc_page(tablet, pw):
    template = pw.template("public_area")
    page = tablet.get(f"/patrol/adhoc/{template.id}")
    assert page.status_code == 200
    officer = re.search(r'name="officer" value="([^"]+)"', page.text).group(1)
    return template, page, officer


def _start(tablet, pw, patrol_key=None):
    template, page, officer = _adhoc_page(tablet, pw)
    patrol_key = patrol_key or key()
    response = post(
        tablet,
        "/patrol/start",
        {
            "idempotency_key": key(),
            "action_at": "",
            "patrol": patrol_key,
            "officer": officer,
            "template": template.id,
            "reason": "weather",
        },
    )
    assert response.status_code == 204, response.text
    return db.session.scalar(sa.select(Patrol).where(Patrol.uuid == patrol_key)), page


def test_the_tablet_asks_the_officer_to_sign_in(client, pw):
    client.set_cookie(DEVICE_COOKIE, pw.credential)
    page = client.get("/patrol/")
    assert page.status_code == 200 and 'name="password"' in page.text
    token = client.csrf("/patrol/")
    bad = client.post("/patrol/signin", data={"username": "officer", "password": "nope", "csrf_token": token})
    assert bad.status_code == 422 and 'value="officer"' in bad.text  # the username is kept
    receptionist = client.post("/patrol/signin", data={"username": "reception", "password": "pw", "csrf_token": token})
    assert receptionist.status_code == 422


def test_without_a_tablet_the_patrol_pages_are_refused(client, pw):
    assert client.get("/patrol/").status_code == 403
    assert client.post("/patrol/signin", data={}).status_code in (303, 400)


@time_machine.travel(patrolkit.T0 + timedelta(days=2, hours=4), tick=True)  # Wednesday 13:00: rounds open today
def test_todays_list_and_the_run_page(tablet, pw):
    token = tablet.csrf("/patrol/")  # signed in again on the frozen day (the fixture signed in at the real now)
    assert (
        tablet.post("/patrol/signin", data={"username": "officer", "password": "pw", "csrf_token": token}).status_code
        == 303
    )
    page = tablet.get("/patrol/")
    assert "Building 1 public areas" not in page.text and "1栋公共区域巡查" in page.text
    english = tablet.get("/patrol/?lang=en")
    assert "Building 1 public areas" in english.text and "Extra patrol" in english.text
    template, run, _officer = _adhoc_page(tablet, pw)
    assert run.text.count('class="stop"') == len(run.text.split('data-code="')) - 1
    assert 'hx-post="/patrol/answer"' in run.text and "data-idempotent" in run.text
    assert 'name="idempotency_key">' in run.text  # never rendered with a value
    assert '"X-Device-Request": "1"' in run.text
    assert 'capture="environment"' in run.text
    # The typed code's button opens a checkpoint: not the task state "Open" (待整改).
    chinese = tablet.get(f"/patrol/adhoc/{template.id}?lang=zh_Hans_CN").text
    assert re.search(r"data-typed-form>.*?<button[^>]*>打开</button>", chinese, re.S)


def test_a_whole_patrol_with_a_failed_item_and_a_photo_exactly_once(tablet, pw):
    patrol, page = _start(tablet, pw)
    assert patrol.officer_id == pw.officer.id and patrol.device_id == pw.tablet.id and patrol.reason == "weather"
    lobby = patrol.stops[0].checkpoint
    # The checklist is rendered once per kind of place; the page fills in the checkpoint.
    lobby_checklist = page.text[page.text.index('<template data-checklist="lobby">') :]
    item_id = int(
        re.search(
            r'name="checkpoint" value="__cp__"><input type="hidden" name="item" value="(\d+)"', lobby_checklist
        ).group(1)
    )
    # The tablet's clock, a few minutes behind the server's: within the window the server believes.
    device_at = datetime.now(UTC).replace(microsecond=0) - timedelta(minutes=5)
    base = {"patrol": patrol.uuid, "action_at": device_at.isoformat().replace("+00:00", "Z")}
    assert (
        post(tablet, "/patrol/scan", {**base, "idempotency_key": key(), "code": lobby.code, "typed": "1"}).status_code
        == 204
    )
    fail_key = key()
    fail = {
        **base,
        "idempotency_key": fail_key,
        "checkpoint": lobby.id,
        "item": item_id,
        "result": "fail",
        "note": "大堂地面有积水",
        "department": "",
    }
    for _ in range(2):  # a double tap or a replay
        assert post(tablet, "/patrol/answer", fail).status_code == 204
    assert post(tablet, "/patrol/answer", {**fail, "note": "changed"}).status_code == 422  # key reused
    finish_key = key()
    blocked = post(
        tablet, "/patrol/finish", {**base, "idempotency_key": finish_key, "incomplete_reason": "测试：只查了大堂"}
    )
    assert blocked.status_code == 422 and "data-toast" in blocked.text
    photo = {**base, "idempotency_key": key(), "checkpoint": lobby.id, "item": item_id}
    for _ in range(2):
        response = tablet.post(
            "/patrol/photo",
            data={**photo, "photo": (io.BytesIO(patrolkit.jpeg_bytes(size=(2000, 1500), exif_gps=True)), "p.jpg")},
            headers=HEADERS,
            content_type="multipart/form-data",
        )
        assert response.status_code == 204, response.text
    assert (
        post(
            tablet, "/patrol/finish", {**base, "idempotency_key": finish_key, "incomplete_reason": "测试：只查了大堂"}
        ).status_code
        == 204
    )
    assert (
        post(
            tablet, "/patrol/finish", {**base, "idempotency_key": finish_key, "incomplete_reason": "测试：只查了大堂"}
        ).status_code
        == 204
    )
    db.session.expire_all()
    patrol = db.session.get(Patrol, patrol.id)
    assert patrol.finished_at is not None
    assert db.session.scalar(sa.select(sa.func.count(Answer.id))) == 1
    photos = db.session.scalars(sa.select(Photo)).all()
    assert len(photos) == 1 and max(photos[0].width, photos[0].height) == 1600
    with Image.open(pw_photo_path(tablet, photos[0])) as stored:
        assert not stored.getexif()
    tasks = db.session.scalars(sa.select(Task)).all()
    assert len(tasks) == 1 and tasks[0].department.kind == "cleaning"
    stop = db.session.scalar(
        sa.select(PatrolStop).where(PatrolStop.checkpoint_id == lobby.id, PatrolStop.patrol_id == patrol.id)
    )
    assert stop.typed and stop.scanned_at.replace(tzinfo=UTC) == device_at
    summary = tablet.get(f"/patrol/patrols/{patrol.uuid}")
    assert summary.status_code == 200


def pw_photo_path(client, photo):
    from pathlib import Path

    return Path(client.application.config["PHOTO_ROOT"]) / photo.path


def test_writes_need_the_device_header(tablet, pw):
    patrol, _page = _start(tablet, pw)
    response = tablet.post("/patrol/scan", data={"patrol": patrol.uuid, "idempotency_key": key(), "code": "X"})
    assert response.status_code == 403


def test_another_tablet_cannot_write_to_the_patrol(tablet, pw, app):
    patrol, _page = _start(tablet, pw)
    other, credential = patrolkit.enroll_tablet(pw.site, "平板 2")
    intruder = app.test_client()
    intruder.set_cookie(DEVICE_COOKIE, credential)
    response = intruder.post(
        "/patrol/scan",
        data={"patrol": patrol.uuid, "idempotency_key": key(), "code": patrol.stops[0].checkpoint.code},
        headers=HEADERS,
    )
    assert response.status_code == 403


def test_a_start_with_a_forged_officer_is_refused(tablet, pw):
    template = pw.template("public_area")
    response = post(
        tablet,
        "/patrol/start",
        {"idempotency_key": key(), "patrol": key(), "officer": "forged", "template": template.id},
    )
    assert response.status_code == 403
    assert db.session.scalar(sa.select(sa.func.count(Patrol.id))) == 0


def test_writes_for_a_patrol_not_yet_started_ask_for_a_retry(tablet, pw):
    response = post(tablet, "/patrol/scan", {"patrol": key(), "idempotency_key": key(), "code": "X"})
    assert response.status_code == 409


def test_the_start_is_accepted_after_the_officers_tablet_login_expired(tablet, pw):
    """OFFLINE 6: the replay carries the officer's token; the session is not needed."""
    template, _page, officer = _adhoc_page(tablet, pw)
    with tablet.session_transaction() as session:
        session.clear()
    response = post(
        tablet,
        "/patrol/start",
        {"idempotency_key": key(), "patrol": key(), "officer": officer, "template": template.id},
    )
    assert response.status_code == 204
    assert db.session.scalar(sa.select(Patrol.officer_id)) == pw.officer.id


def test_a_bad_photo_is_refused(tablet, pw):
    patrol, _page = _start(tablet, pw)
    response = tablet.post(
        "/patrol/photo",
        data={
            "patrol": patrol.uuid,
            "idempotency_key": key(),
            "checkpoint": "1",
            "item": "1",
            "photo": (io.BytesIO(b"<svg/>"), "x.svg"),
        },
        headers=HEADERS,
        content_type="multipart/form-data",
    )
    assert response.status_code == 422


def test_tablet_pages_leave_the_session_cookie_alone(tablet):
    """Each response re-sending the session cookie would let a slow request that began
    before the officer signed in put the signed-out session back: only a change (the
    sign-in, the sign-out) sets it."""
    for _ in range(2):
        response = tablet.get("/patrol/")
        assert response.status_code == 200 and response.headers.getlist("Set-Cookie") == []
    heartbeat = tablet.post("/devices/heartbeat", json={"pending": 0, "dead": 0}, headers=DEVICE_HEADERS)
    assert heartbeat.headers.getlist("Set-Cookie") == []
