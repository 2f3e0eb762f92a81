"""Decoration-worker passes (V7): issued for a room and a validity period; at the kiosk the
worker signs in with the code and skips the host loop while the pass is valid; an expired
or revoked pass is refused politely in the visitor's language; a sign-in queued offline
is judged by the day it was made; workers on site are on the lobby's roll call."""

from datetime import timedelta

import pytest
import sqlalchemy as sa
import time_machine

from kiosk.blueprints.offline.http import REPLAY_HEADER
from kiosk.extensions import db
from kiosk.models import Outcome, Purpose, Role, Visit, VisitStatus
from kiosk.models.registers import WorkerPass, WorkerSignIn
from kiosk.registers import worker_passes
from kiosk.timeutil import utcnow
from tests.kiosk_helpers import enroll_kiosk, new_key, post
from tests.registers.helpers import jpeg_bytes
from tests.visit_factory import make_visit

BASE = "/console/registers"


@pytest.fixture
def kiosk(app, world, client):
    client.device = enroll_kiosk(client, world.site)
    return client


def _pass(world, first=0, last=10, room_index=2):
    today = worker_passes.local_date(world.site, utcnow())
    worker_pass = worker_passes.issue(
        world.rooms[room_index],
        worker_name="装修工 老陈",
        phone="+8613600001111",
        company="美家装饰",
        valid_from=today + timedelta(days=first),
        valid_until=today + timedelta(days=last),
        by=world.user(Role.RECEPTIONIST),
        now=utcnow(),
    )
    db.session.commit()
    return worker_pass


def test_v7_a_valid_worker_pass_skips_the_host_loop_and_is_on_the_roll_call(kiosk, world):
    worker_pass = _pass(world)
    response = post(kiosk, "/kiosk/worker?lang=en", {"code": worker_pass.code.lower(), "idempotency_key": new_key()})
    assert response.status_code == 200 and "Please take the lift to floor 3." in response.text
    visit = db.session.scalars(sa.select(Visit)).one()
    assert (visit.status, visit.outcome, visit.purpose, visit.room_id) == (
        VisitStatus.ON_SITE,
        Outcome.GO_UP,
        Purpose.WORKS,
        world.rooms[2].id,
    )
    assert db.session.scalar(sa.select(WorkerSignIn.visit_id)) == visit.id
    # the roll call of who is on site lists the worker
    kiosk.login("reception")
    assert "装修工 老陈" in kiosk.get("/console/visits/on-site").get_data(as_text=True)


@pytest.mark.parametrize("lang,text", [("en", "this worker pass has expired"), ("zh_Hans_CN", "此工人出入证已过期")])
def test_v7_an_expired_worker_pass_is_refused_politely_in_the_visitors_language(kiosk, world, lang, text):
    worker_pass = _pass(world, last=1)
    with time_machine.travel(utcnow() + timedelta(days=3), tick=False):
        response = post(kiosk, f"/kiosk/worker?lang={lang}", {"code": worker_pass.code, "idempotency_key": new_key()})
    assert response.status_code == 422 and text in response.text
    assert db.session.scalar(sa.select(sa.func.count(Visit.id))) == 0


def test_v7_a_revoked_or_unknown_pass_is_refused(kiosk, world):
    worker_pass = _pass(world)
    worker_passes.revoke(worker_pass, "装修完工", world.user(Role.RECEPTIONIST), utcnow())
    db.session.commit()
    revoked = post(kiosk, "/kiosk/worker?lang=en", {"code": worker_pass.code, "idempotency_key": new_key()})
    assert revoked.status_code == 422 and "no longer valid" in revoked.text
    unknown = post(kiosk, "/kiosk/worker?lang=en", {"code": "WNOSUCH1", "idempotency_key": new_key()})
    assert unknown.status_code == 422 and "found no worker pass" in unknown.text
    not_yet = _pass(world, first=2, last=5)
    early = post(kiosk, "/kiosk/worker?lang=en", {"code": not_yet.code, "idempotency_key": new_key()})
    assert early.status_code == 422 and "not valid yet" in early.text


def test_v7_offline_a_sign_in_made_while_valid_is_accepted_when_it_arrives_later_exactly_once(kiosk, world):
    """The kiosk queued the sign-in offline on the pass's last day; the replay arrives the
    next morning: judged by the day it was made, registered once."""
    worker_pass = _pass(world, last=0)
    made = utcnow()
    key = new_key()
    data = {"code": worker_pass.code, "idempotency_key": key, "action_at": made.isoformat()}
    with time_machine.travel(made + timedelta(hours=20), tick=False):
        first = post(kiosk, "/kiosk/worker?lang=en", data, **{REPLAY_HEADER: "1"})
        again = post(kiosk, "/kiosk/worker?lang=en", data, **{REPLAY_HEADER: "1"})
    # the device trusts its clock at most DEVICE_CLOCK_TRUST back; within it, the day made counts
    assert first.status_code == 200 and again.status_code == 200
    visits = db.session.scalars(sa.select(Visit)).all()
    assert len(visits) == 1 and visits[0].registered_offline


def test_v7_offline_a_sign_in_made_after_expiry_is_refused_on_replay(kiosk, world):
    worker_pass = _pass(world, last=0)
    later = utcnow() + timedelta(days=2)
    with time_machine.travel(later, tick=False):
        data = {"code": worker_pass.code, "idempotency_key": new_key(), "action_at": utcnow().isoformat()}
        response = post(kiosk, "/kiosk/worker?lang=en", data, **{REPLAY_HEADER: "1"})
    assert response.status_code == 422 and "expired" in response.text


def test_v7_issue_check_and_revoke_in_the_console(client, world):
    client.login("reception")
    today = worker_passes.local_date(world.site, utcnow())
    data = {
        "room": "1-1-0301",
        "worker_name": "王师傅",
        "phone": "13600002222",
        "company": "",
        "valid_from": today.isoformat(),
        "valid_until": (today - timedelta(days=1)).isoformat(),
    }
    bad = client.post_form(f"{BASE}/workers/new", data)
    assert bad.status_code == 422 and "王师傅" in bad.get_data(as_text=True)
    from io import BytesIO

    ok = client.post_form(
        f"{BASE}/workers/new",
        {**data, "valid_until": (today + timedelta(days=20)).isoformat(), "photo": (BytesIO(jpeg_bytes()), "me.jpg")},
        content_type="multipart/form-data",
    )
    assert ok.status_code == 303
    worker_pass = db.session.scalars(sa.select(WorkerPass)).one()
    assert worker_pass.photo_sha256
    page = client.get(f"{BASE}/workers/{worker_pass.id}").get_data(as_text=True)
    assert "136****2222" in page
    card = client.get(f"{BASE}/workers/{worker_pass.id}/print").get_data(as_text=True)
    assert "<svg" in card and worker_pass.code in card
    assert client.post_form(f"{BASE}/workers/{worker_pass.id}/revoke", {"reason": ""}).status_code == 422
    assert client.post_form(f"{BASE}/workers/{worker_pass.id}/revoke", {"reason": "完工"}).status_code == 303
    db.session.refresh(worker_pass)
    assert worker_passes.state(worker_pass, today) == "revoked"
    book = client.get(f"{BASE}/workers/").get_data(as_text=True)
    assert "王*" in book and "王师傅" not in book
    client.login("elsewhere")
    assert client.get(f"{BASE}/workers/{worker_pass.id}").status_code == 404


def test_v7_a_worker_on_the_watch_list_is_held_not_sent_up(kiosk, world):
    from kiosk.models import WatchEntry

    worker_pass = _pass(world)
    fields = {c.name for c in WatchEntry.__table__.columns}
    entry = {"site_id": world.site.id, "phone": "+8613600001111", "reason": "测试"}
    if "added_by_id" in fields:
        entry["added_by_id"] = world.user(Role.SUPERVISOR).id
    db.session.add(WatchEntry(**{k: v for k, v in entry.items() if k in fields}))
    db.session.commit()
    response = post(kiosk, "/kiosk/worker?lang=en", {"code": worker_pass.code, "idempotency_key": new_key()})
    assert response.status_code == 200
    visit = db.session.scalars(sa.select(Visit)).one()
    assert visit.status == VisitStatus.HELD and visit.outcome is None


def test_v7_the_roll_call_lists_workers_on_site_apart_from_visitors(kiosk, world):
    worker_pass = _pass(world)
    assert post(kiosk, "/kiosk/worker", {"code": worker_pass.code, "idempotency_key": new_key()}).status_code == 200
    make_visit(world.site, room=world.rooms[0], name="访客张三", status=VisitStatus.ON_SITE, commit=True)
    kiosk.login("reception")
    page = kiosk.get("/console/visits/on-site?lang=en").get_data(as_text=True)
    visitors, workers = page.split("Decoration workers on site")
    assert "访客张三" in visitors and "装修工 老陈" not in visitors
    assert "装修工 老陈" in workers and "美家装饰" in workers and worker_pass.code in workers
    assert "访客张三" not in workers
    assert "Decoration workers: <strong>1</strong>" in page and "Upstairs: <strong>1</strong>" in page
    assert "People on site: <strong>2</strong>" in page
    zh = kiosk.get("/console/visits/on-site?lang=zh").get_data(as_text=True)
    assert "在场装修工人" in zh
