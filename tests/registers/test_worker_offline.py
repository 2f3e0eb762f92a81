"""V7 offline: the kiosk keeps the last list of worker passes it synced and judges a code
from it while the server cannot be reached (the browser half: test_registers_offline_browser).
The list holds no plain code, no name and no phone; it is the kiosk's own site's; only an
enrolled kiosk gets it."""

import json
from datetime import timedelta

import pytest
import time_machine

from kiosk.access import DEVICE_COOKIE
from kiosk.extensions import db
from kiosk.models import DeviceKind, Role
from kiosk.offline import devices
from kiosk.registers import worker_passes
from kiosk.timeutil import utcnow
from tests.kiosk_helpers import enroll_kiosk

LIST = "/kiosk/worker/passes.json"
NOW = "2026-06-10T10:00:00+08:00"


@pytest.fixture
def kiosk(app, world, client):
    client.device = enroll_kiosk(client, world.site)
    return client


def _pass(world, first, last, room_index=2, **kwargs):
    today = worker_passes.local_date(world.site, utcnow())
    worker_pass = worker_passes.issue(
        world.rooms[room_index],
        worker_name="装修工 老陈",
        phone="+8613600001111",
        company="美家装饰",
        valid_from=today + timedelta(days=first),
        valid_until=today + timedelta(days=last),
        by=world.user(Role.RECEPTIONIST),
        now=utcnow() + timedelta(days=min(first, 0)),
        **kwargs,
    )
    db.session.commit()
    return worker_pass


@time_machine.travel(NOW, tick=False)
def test_v7_the_offline_list_holds_hashes_windows_and_floors_never_codes_or_names(kiosk, world):
    valid = _pass(world, -2, 10)
    ended = _pass(world, -20, -3)
    revoked = _pass(world, 0, 5, room_index=0)
    worker_passes.revoke(revoked, "工期结束", world.user(Role.RECEPTIONIST), utcnow())
    gone = _pass(world, -100, -31)  # ended more than 30 days ago: not on the list
    db.session.commit()

    response = kiosk.get(LIST)
    assert response.status_code == 200 and response.mimetype == "application/json"
    assert response.headers["Cache-Control"] == "no-store"
    text = response.get_data(as_text=True)
    for secret in (valid.code, ended.code, revoked.code, gone.code, "老陈", "13600001111", "美家装饰"):
        assert secret not in text
    data = json.loads(text)
    assert data["timezone"] == "Asia/Shanghai" and len(data["salt"]) == 32
    by_hash = {p["hash"]: p for p in data["passes"]}
    assert set(by_hash) == {worker_passes.code_hash(data["salt"], p.code) for p in (valid, ended, revoked)}
    today = worker_passes.local_date(world.site, utcnow())
    entry = by_hash[worker_passes.code_hash(data["salt"], valid.code)]
    assert entry == {
        "hash": entry["hash"],
        "valid_from": (today - timedelta(days=2)).isoformat(),
        "valid_until": (today + timedelta(days=10)).isoformat(),
        "revoked": False,
        "floor": world.rooms[2].floor,
    }
    assert by_hash[worker_passes.code_hash(data["salt"], revoked.code)]["revoked"] is True
    # the kiosk hashes what is typed as the server does: lower case, a scanned URL
    assert worker_passes.code_hash(data["salt"], f"https://x/kiosk/worker/{valid.code.lower()}/") == entry["hash"]
    # a new salt every sync: one list's hashes say nothing about another's
    assert json.loads(kiosk.get(LIST).get_data(as_text=True))["salt"] != data["salt"]


def test_v7_the_offline_list_is_the_kiosks_own_site(app, world, client):
    _pass(world, 0, 10)
    enroll_kiosk(client, world.other_site, name="别处终端")
    assert json.loads(client.get(LIST).get_data(as_text=True))["passes"] == []


def test_v7_the_offline_list_is_for_enrolled_kiosks_only(app, world, client):
    _pass(world, 0, 10)
    assert client.get(LIST).status_code in (302, 403)  # no device
    client.login("reception")  # staff in the console: not a kiosk
    assert client.get(LIST).status_code in (302, 403)
    tablet, token = devices.create_enrollment(world.site, DeviceKind.TABLET, "巡检平板", now=utcnow())
    tablet, credential = devices.enroll(token, now=utcnow())
    db.session.commit()
    client.set_cookie(DEVICE_COOKIE, credential)
    assert client.get(LIST).status_code == 403


@pytest.mark.parametrize(
    ("lang", "texts"),
    [
        ("zh_Hans_CN", ("请乘电梯到 __FLOOR__ 层", "此工人出入证已过期", "重新输入")),
        ("en", ("floor __FLOOR__", "this worker pass has expired", "Try again")),
    ],
)
def test_v7_the_offline_verdict_screen_is_precached_in_each_language_without_personal_data(kiosk, world, lang, texts):
    worker_config = kiosk.get("/sw.js").get_data(as_text=True).split("\n", 1)[0]
    config = json.loads(worker_config.removeprefix("self.OFFLINE = ").removesuffix(";"))
    assert f"/kiosk/worker/verdict?lang={lang}" in config["pages"]
    assert config["worker_passes"] == {
        "list": LIST,
        "screen": "/kiosk/worker/verdict",
        "write": "/kiosk/worker",
    }
    response = kiosk.get(f"/kiosk/worker/verdict?lang={lang}")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert 'data-verdict="pending"' in html and "__UNTIL__" in html
    for text in texts:
        assert text in html
    assert response.headers["HX-Retarget"] == "#screen"


def test_v7_a_tablet_gets_no_worker_pass_list_in_its_worker(app, world, client, pw):
    client.set_cookie(DEVICE_COOKIE, pw.credential)
    worker_config = client.get("/sw.js").get_data(as_text=True).split("\n", 1)[0]
    assert json.loads(worker_config.removeprefix("self.OFFLINE = ").removesuffix(";"))["worker_passes"] is None
