"""A whole public-area patrol without a network (issue 6 on the offline layer of issue 5):
an enrolled tablet at 1024x768 in a persistent Chromium profile, the officer signed in
online; then offline: start, scan, fail an item with a note and a photo, switch to
English, finish; the browser closed and reopened; online again. The server then holds
the patrol exactly once, with every answer, the photo (shrunk, no location) and one
rectification task (P1, P2, P7)."""

from pathlib import Path

import pytest
import sqlalchemy as sa
from PIL import Image
from playwright.sync_api import expect

from kiosk.extensions import db
from kiosk.models.patrols import Answer, Patrol, Photo, Task
from tests import patrolkit
from tests.browser.conftest import screenshot
from tests.browser.offline_harness import DeviceBrowser, RestartableServer, outbox_status, wait_for
from tests.browser.test_patrol_browser import TEXT

WAIT_MS = 30000  # generous: the machine is shared; every wait is for a condition
# start, 2 scans, fail + its note (saved as typed), photo, 5 passes in the lobby, the reading + 8 passes
# on the stairs, finish
QUEUED = 1 + 2 + 2 + 1 + 5 + 1 + 8 + 1


@pytest.fixture
def server(app):
    server = RestartableServer(app).start()
    yield server
    server.stop()


def _patrols():
    db.session.rollback()  # see what the server's threads committed
    return db.session.scalars(sa.select(Patrol)).all()


def test_p1_a_whole_public_area_patrol_offline_arrives_exactly_once(browser, server, world, tmp_path, app):
    pw = patrolkit.build(world)
    lobby, stairwell = patrolkit.public_round(pw)
    tablet = DeviceBrowser(browser.browser_type, tmp_path / "profile", server.url, pw.credential, size="tablet")
    zh, en = TEXT["zh"], TEXT["en"]
    try:
        page = tablet.open("/patrol/?lang=zh_Hans_CN")
        page.fill("input[name=username]", "officer")
        page.fill("input[name=password]", "pw")
        page.get_by_role("button", name=zh["signin"], exact=True).click()
        # Today's patrol pages are kept on the tablet before it goes where the signal is not.
        page.locator("[data-offline-keep][data-kept=all]").wait_for(timeout=WAIT_MS)
        tablet.context.set_offline(True)
        page.reload()  # the list from the tablet's copy, which still has every page kept
        page.locator("[data-offline-keep][data-kept=all]").wait_for(timeout=WAIT_MS)
        screenshot(page, "patrol-offline-today-zh")

        page.locator(".occurrence", has_text="测试巡查").get_by_role("link", name=zh["start"]).click()
        page.wait_for_load_state()  # the run page\'s scripts are in place before the start is tapped
        page.get_by_role("button", name=zh["start_patrol"]).click()
        page.fill("#typed-code", lobby.code.lower())
        page.keyboard.press("Enter")
        item = page.locator(f"#stop-{lobby.id} .item").first
        item.get_by_role("button", name=zh["fail"], exact=True).click()
        item.locator("textarea[name=note]").fill("大堂地面有积水")
        # Saved as typed, into the outbox, and the page says so.
        item.locator("[data-note-state]").get_by_text("已保存在本平板", exact=False).wait_for(timeout=WAIT_MS)
        item.locator("[data-photo-input]").set_input_files(
            files=[
                {
                    "name": "floor.jpg",
                    "mimeType": "image/jpeg",
                    "buffer": patrolkit.jpeg_bytes(size=(2400, 1800), exif_gps=True),
                }
            ]
        )
        item.locator("[data-photo-count]").get_by_text("✓ 1").wait_for(timeout=WAIT_MS)
        page.locator(f"#stop-{lobby.id}").get_by_role("button", name=zh["all_pass"]).click()
        page.locator(f"#outbox[data-pending='{1 + 1 + 2 + 1 + 5}']").wait_for(state="attached", timeout=WAIT_MS)
        screenshot(page, "patrol-offline-run-fail-zh")

        # The officer switches to English halfway, still offline: the tablet's copy of the
        # page in English, filled from the tablet's record of the patrol.
        page.click(".lang-switch a[lang=en]")
        page.wait_for_url("**/patrol/run/*?lang=en", timeout=WAIT_MS)
        failed = page.locator(f"html[lang=en] #stop-{lobby.id} .item").first
        expect(failed).to_have_attribute("data-result", "fail", timeout=WAIT_MS)
        expect(failed.locator("textarea[name=note]")).to_have_value("大堂地面有积水", timeout=WAIT_MS)
        expect(failed.locator("[data-photo-count]")).to_have_text("✓ 1", timeout=WAIT_MS)
        screenshot(page, "patrol-offline-run-fail-en")
        page.fill("#typed-code", stairwell.code)
        page.keyboard.press("Enter")
        reading = page.locator(f"#stop-{stairwell.id} input[name=number]")
        reading.fill("1.2")
        reading.press("Enter")
        page.locator(f"#stop-{stairwell.id}").get_by_role("button", name=en["all_pass"]).click()
        page.get_by_role("button", name=en["finish"]).click()
        page.get_by_role("heading", name=en["done"]).wait_for(timeout=WAIT_MS)
        page.locator(f"#outbox[data-pending='{QUEUED}']").wait_for(state="attached", timeout=WAIT_MS)
        expect(page.locator("[data-finish-queued]")).to_be_visible(timeout=WAIT_MS)
        screenshot(page, "patrol-offline-finished-en")
        assert _patrols() == []  # nothing reached the server
        tablet.close()

        page = tablet.reopen_offline(server, "/patrol/")  # the browser closed and reopened
        page.locator(f"#outbox[data-pending='{QUEUED}']").wait_for(state="attached", timeout=WAIT_MS)
        page.locator(".occurrence", has_text="Test round").locator("[data-local-finished]").wait_for(timeout=WAIT_MS)
        screenshot(page, "patrol-offline-today-reopened-en")
        assert _patrols() == []

        tablet.context.set_offline(False)
        wait_for(lambda: [p for p in _patrols() if p.finished_at], WAIT_MS / 1000, "the patrol after reconnecting")
        wait_for(lambda: outbox_status(page)["pending"] == 0, WAIT_MS / 1000, "the tablet's outbox to empty")
        assert outbox_status(page)["dead"] == 0
    except Exception:
        if tablet.context is not None:
            screenshot(tablet.context.pages[-1], "patrol-offline-failure")
        raise
    finally:
        tablet.close()
    assert tablet.errors == []

    (patrol,) = _patrols()
    assert patrol.officer_id == pw.officer.id and patrol.device_id == pw.tablet.id
    assert patrol.started_at < patrol.started_received_at  # the tablet's time of the action
    assert [s.scan_sequence for s in patrol.stops] == [1, 2] and all(s.typed for s in patrol.stops)
    answers = db.session.scalars(sa.select(Answer).where(Answer.patrol_id == patrol.id)).all()
    assert len(answers) == 6 + 9  # lobby A B D E G H; stairwell A-D F-H, the reading and the fire exit
    (failed,) = [a for a in answers if a.result == "fail"]
    assert failed.checkpoint_id == lobby.id and failed.note == "大堂地面有积水"
    (reading,) = [a for a in answers if a.number is not None]
    assert reading.number == 1.2 and reading.result == "pass"
    (photo,) = db.session.scalars(sa.select(Photo)).all()
    assert photo.answer_id == failed.id and max(photo.width, photo.height) == 1600
    with Image.open(Path(app.config["PHOTO_ROOT"]) / photo.path) as stored:
        assert stored.format == "JPEG" and max(stored.size) <= 1600
        assert not stored.getexif() and 0x8825 not in stored.getexif()  # no camera, no GPS
    (task,) = db.session.scalars(sa.select(Task)).all()
    assert task.answer_id == failed.id and task.department.kind == "cleaning"
