"""What a patrol tablet keeps for offline use (issue 12, OFFLINE.md 7; P1): after a day of
the demo's patrols at most 2 MB, counted in bytes (never time) on the tablet itself: every
cached response's body as stored, the IndexedDB outbox (navigator.storage.estimate) and
the tablet's records of its patrols (localStorage). Run pages are kept compressed; a run
page goes once the server has acknowledged the run's finish, and stays while it waits."""

from datetime import UTC, datetime

import pytest
import sqlalchemy as sa
import time_machine

from kiosk import demo
from kiosk.extensions import db
from kiosk.models import DeviceKind, Site
from kiosk.models.patrols import Patrol
from tests.browser.conftest import screenshot
from tests.browser.offline_harness import DeviceBrowser, RestartableServer, enroll_device, outbox_status, wait_for

NOON_SHANGHAI = datetime(2026, 11, 23, 4, 0, tzinfo=UTC)  # a Monday, 12:00 in Shanghai
MAX_KEPT = 2 * 1024 * 1024
WAIT_MS = 30000  # generous: the machine is shared; every wait is for a condition
TEXT = {
    "signin": "登录",
    "start_patrol": "开始巡查",
    "finish": "完成巡查",
    "finish_anyway": "按未完成结束巡查",
    "done": "巡查已完成",
}

# What the tablet stores, in bytes: each cache entry's body as stored, IndexedDB as the
# browser counts it, and localStorage (UTF-16: two bytes a character).
STORED = """async () => {
  const entries = [];
  for (const name of await caches.keys()) {
    const cache = await caches.open(name);
    for (const request of await cache.keys()) {
      const response = await cache.match(request);
      const url = new URL(request.url);
      entries.push({ cache: name, path: url.pathname + url.search, bytes: (await response.arrayBuffer()).byteLength });
    }
  }
  const estimate = await navigator.storage.estimate();
  let local = 0;
  for (const key of Object.keys(localStorage)) local += 2 * (key.length + localStorage.getItem(key).length);
  const cached = entries.reduce((sum, e) => sum + e.bytes, 0);
  const indexedDB = (estimate.usageDetails || {}).indexedDB || 0;
  return { entries, cached, indexedDB, local, usage: estimate.usage, total: cached + indexedDB + local };
}"""


@pytest.fixture
def server(app):
    server = RestartableServer(app).start()
    yield server
    server.stop()


@pytest.fixture
def noon():
    with time_machine.travel(NOON_SHANGHAI, tick=True):
        yield


def _demo_tablet(browser, server, tmp_path):
    demo.seed("pw")
    site = db.session.scalar(sa.select(Site).where(Site.code == demo.DEMO_SITE_CODE))
    dev, credential = enroll_device(site, DeviceKind.TABLET, "巡检平板 测试")
    tablet = DeviceBrowser(browser.browser_type, tmp_path / "profile", server.url, credential, size="tablet")
    page = tablet.open("/patrol/?lang=zh_Hans_CN")
    page.fill("input[name=username]", "officer")
    page.fill("input[name=password]", "pw")
    page.get_by_role("button", name=TEXT["signin"], exact=True).click()
    page.locator("[data-offline-keep][data-kept=all]").wait_for(timeout=WAIT_MS)
    tablet.device_id = dev.id
    return tablet, page


def _run_links(page) -> list[str]:
    return page.eval_on_selector_all(".occurrence a[href*='/patrol/run/']", "links => links.map(a => a.pathname)")


def _kept(page) -> set[str]:
    """The pages and files the tablet holds (path and query)."""
    return {e["path"] for e in page.evaluate(STORED)["entries"]}


def _copies(path: str) -> set[str]:
    return {f"{path}?lang=zh_Hans_CN", f"{path}?lang=en"}


def _walk(page, path: str):
    """A patrol as an officer cut short walks it: started, finished as incomplete with a reason."""
    page.goto(path)
    page.wait_for_load_state()  # the run page's scripts are in place before the start is tapped
    page.get_by_role("button", name=TEXT["start_patrol"]).click()
    page.get_by_role("button", name=TEXT["finish"]).click()
    page.fill("#incomplete-reason", "暴雨，停止巡查")
    page.get_by_role("button", name=TEXT["finish_anyway"]).click()
    page.get_by_role("heading", name=TEXT["done"]).wait_for(timeout=WAIT_MS)


def _finished(device_id):
    db.session.rollback()  # see what the server's threads committed
    return db.session.scalars(
        sa.select(Patrol).where(Patrol.finished_at.is_not(None), Patrol.device_id == device_id)
    ).all()


def test_a_day_of_demo_patrols_keeps_at_most_2_mb_on_the_tablet(browser, server, app, tmp_path, noon):
    """Measured when the day begins (every run page of the day kept, in both languages)
    and after the officer has walked every patrol of the day."""
    tablet, page = _demo_tablet(browser, server, tmp_path)
    try:
        runs = _run_links(page)
        assert len(runs) > 10
        morning = page.evaluate(STORED)
        print("kept at the start of the day:", morning["total"], "bytes;", len(morning["entries"]), "entries")
        for path in runs:
            _walk(page, path)
        page.goto("/patrol/")
        page.locator("[data-offline-keep][data-kept=all]").wait_for(timeout=WAIT_MS)
        wait_for(lambda: outbox_status(page)["pending"] == 0, WAIT_MS / 1000, "the outbox to empty")
        evening = page.evaluate(STORED)
        print("kept after the day:", evening["total"], "bytes;", len(evening["entries"]), "entries")
        print("browser's own count (navigator.storage.estimate):", morning["usage"], "->", evening["usage"])
        assert not any(_copies(path) & {e["path"] for e in evening["entries"]} for path in runs)
        screenshot(page, "patrol-storage-after-the-day-zh")
    finally:
        tablet.close()
    assert len(_finished(tablet.device_id)) == len(runs)
    assert morning["total"] <= MAX_KEPT, morning
    assert evening["total"] <= MAX_KEPT, evening
    assert tablet.errors == []


def test_an_acknowledged_run_is_evicted_and_an_unacknowledged_one_kept(browser, server, app, tmp_path, noon):
    """Run A finished online: the server acknowledges its finish at once and A's pages go.
    Run B walked offline from its kept copy: while its finish waits in the outbox, B's
    pages stay; once the outbox has delivered it, they go too (P1, OFFLINE.md 7)."""
    tablet, page = _demo_tablet(browser, server, tmp_path)
    try:
        first, second = _run_links(page)[:2]
        kept = _kept(page)
        assert _copies(first) <= kept and _copies(second) <= kept

        _walk(page, first)
        kept = _kept(page)
        assert not _copies(first) & kept and _copies(second) <= kept

        tablet.context.set_offline(True)
        _walk(page, second)  # the page from the tablet's compressed copy
        page.locator("[data-finish-queued]").wait_for(timeout=WAIT_MS)
        assert outbox_status(page)["pending"] == 2  # start and finish
        assert _copies(second) <= _kept(page)
        page.goto("/patrol/")  # the tablet's copy of the list still names A: not kept again
        page.locator("[data-offline-keep][data-kept=all]").wait_for(timeout=WAIT_MS)
        kept = _kept(page)
        assert not _copies(first) & kept and _copies(second) <= kept
        screenshot(page, "patrol-storage-offline-list-zh")

        tablet.context.set_offline(False)
        wait_for(lambda: outbox_status(page)["pending"] == 0, WAIT_MS / 1000, "the outbox to empty")
        wait_for(lambda: not _copies(second) & _kept(page), WAIT_MS / 1000, "B's pages to go")
    finally:
        tablet.close()
    assert len(_finished(tablet.device_id)) == 2
    assert tablet.errors == []
