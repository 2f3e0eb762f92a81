"""V7 offline at the kiosk, in Debian's Chromium with a persistent profile: the kiosk syncs
its list of worker passes while online, and with the network gone it judges a typed code
itself, in the visitor's language: a valid pass sends the worker up and queues the sign-in,
which reaches the server exactly once when the network returns; an expired or revoked
pass is refused on the spot and queues nothing."""

from datetime import timedelta

import pytest
import sqlalchemy as sa

from kiosk.extensions import db
from kiosk.models import Role, VisitStatus
from kiosk.models.registers import WorkerSignIn
from kiosk.registers import worker_passes
from kiosk.timeutil import utcnow
from tests.browser.conftest import screenshot
from tests.browser.offline_harness import (
    DeviceBrowser,
    RestartableServer,
    enroll_device,
    outbox_status,
    visits,
    wait_for,
)

LIST_KEPT = """() => caches.open("offline-state")
    .then((cache) => cache.match("/__offline/worker-passes")).then((hit) => hit !== undefined)"""


@pytest.fixture
def server(app):
    server = RestartableServer(app).start()
    yield server
    server.stop()


@pytest.fixture
def kiosk(browser, server, world, tmp_path):
    _device, credential = enroll_device(world.site)
    device = DeviceBrowser(browser.browser_type, tmp_path / "profile", server.url, credential)
    yield device
    device.close()
    assert device.errors == []


def _pass(world, first, last, room_index=2):
    today = worker_passes.local_date(world.site, utcnow())
    return worker_passes.issue(
        world.rooms[room_index],
        worker_name="装修工 老陈",
        phone="+8613600001111",
        company="美家装饰",
        valid_from=today + timedelta(days=first),
        valid_until=today + timedelta(days=last),
        by=world.user(Role.RECEPTIONIST),
        now=utcnow() + timedelta(days=min(first, 0)),
    )


def _sign_in(page, code, lang, expect):
    page.goto(f"/kiosk/worker?lang={lang}")
    page.fill("#worker-code", code)
    page.click(".code-form button[type=submit]")
    page.wait_for_selector(f"#screen[data-verdict={expect}]", timeout=10000)
    return page.locator(f".verdict-{expect}")


def test_v7_offline_the_kiosk_judges_worker_passes_from_its_synced_list(kiosk, world):
    valid, expired = _pass(world, -2, 10), _pass(world, -20, -3)
    revoked = _pass(world, 0, 5)
    worker_passes.revoke(revoked, "工期结束", world.user(Role.RECEPTIONIST), utcnow())
    db.session.commit()
    today = worker_passes.local_date(world.site, utcnow())

    page = kiosk.open()
    wait_for(lambda: page.evaluate(LIST_KEPT), 15, "the kiosk to sync its worker passes")
    kiosk.context.set_offline(True)

    shown = _sign_in(page, valid.code.lower(), "zh_Hans_CN", "valid")
    assert shown.is_visible() and "请乘电梯到 3 层" in shown.inner_text()
    assert (today + timedelta(days=10)).isoformat() in shown.inner_text()
    assert page.locator(".verdict-expired").is_hidden()
    screenshot(page, "kiosk-worker-offline-valid-zh")
    shown = _sign_in(page, expired.code, "zh_Hans_CN", "expired")
    assert "此工人出入证已过期" in shown.inner_text() and page.locator(".verdict-valid").is_hidden()
    screenshot(page, "kiosk-worker-offline-expired-zh")
    shown = _sign_in(page, revoked.code, "en", "revoked")
    assert "this worker pass is no longer valid" in shown.inner_text()
    screenshot(page, "kiosk-worker-offline-revoked-en")
    shown = _sign_in(page, "W2345678", "en", "unknown")
    assert "We found no worker pass with this code" in shown.inner_text()
    shown = _sign_in(page, valid.code, "en", "valid")
    assert "Please take the lift to floor 3." in shown.inner_text()
    screenshot(page, "kiosk-worker-offline-valid-en")
    assert outbox_status(page)["pending"] == 2  # the two valid sign-ins; no refusal waits
    assert visits() == []

    kiosk.context.set_offline(False)
    page.goto("/kiosk/")
    wait_for(lambda: len(visits()) == 2, 15, "the queued sign-ins after reconnecting")
    wait_for(lambda: outbox_status(page)["pending"] == 0, 10, "the kiosk's outbox to empty")
    stored = visits()
    assert len(stored) == 2  # exactly once each
    assert all(v.status == VisitStatus.ON_SITE and v.room_id == world.rooms[2].id for v in stored)
    assert all(v.registered_offline for v in stored)
    assert db.session.scalar(sa.select(sa.func.count(WorkerSignIn.id))) == 2
