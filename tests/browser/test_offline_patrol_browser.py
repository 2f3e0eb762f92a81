"""A patrol tablet without a network (issue 5, OFFLINE.md "the promise": an officer runs a
whole patrol with photos with no network): the same outbox as the kiosk's, in a
persistent profile; when the network returns, the patrol arrives exactly once."""
import pytest
import sqlalchemy as sa

from kiosk.extensions import db
from kiosk.models.patrols import Answer, Patrol, Photo, Task
from tests import patrolkit
from tests.browser.conftest import screenshot
from tests.browser.offline_harness import DeviceBrowser, RestartableServer, outbox_status, wait_for
from tests.browser.test_patrol_browser import TEXT, _photo

RECONNECT_SECONDS = 15


@pytest.fixture(autouse=True)
def _photo_root(app_config, tmp_path):
    app_config["PHOTO_ROOT"] = str(tmp_path / "photos")


def test_a_patrol_run_offline_arrives_once_with_its_photo(browser, app, world, tmp_path):
    pw = patrolkit.build(world)
    lobby, stairwell = patrolkit.public_round(pw)
    server = RestartableServer(app).start()
    tablet = DeviceBrowser(browser.browser_type, tmp_path / "profile", server.url, pw.credential, size="tablet")
    t = TEXT["en"]
    try:
        page = tablet.open("/patrol/?lang=en", locale="en-US")
        page.fill("input[name=username]", "officer")
        page.fill("input[name=password]", "pw")
        page.get_by_role("button", name=t["signin"], exact=True).click()
        page.locator(".occurrence", has_text="Test round").get_by_role("link", name=t["start"]).click()
        page.get_by_role("button", name=t["start_patrol"]).wait_for()

        tablet.context.set_offline(True)  # the basement: no network from here to the end
        page.get_by_role("button", name=t["start_patrol"]).click()
        page.fill("#typed-code", lobby.code)
        page.keyboard.press("Enter")
        item = page.locator(f"#stop-{lobby.id} .item").first
        item.get_by_role("button", name=t["fail"], exact=True).click()
        item.locator("textarea[name=note]").fill("Water on the lobby floor")
        item.get_by_role("button", name=t["save_note"]).click()
        item.locator("[data-photo-input]").set_input_files(
            files=[{"name": "floor.jpg", "mimeType": "image/jpeg", "buffer": _photo()}])
        item.locator("[data-photo-count]").get_by_text("✓ 1").wait_for()
        page.locator(f"#stop-{lobby.id}").get_by_role("button", name=t["all_pass"]).click()
        page.fill("#typed-code", stairwell.code)
        page.keyboard.press("Enter")
        reading = page.locator(f"#stop-{stairwell.id} input[name=number]")
        reading.fill("1.2")
        reading.press("Enter")
        page.locator(f"#stop-{stairwell.id}").get_by_role("button", name=t["all_pass"]).click()
        page.get_by_role("button", name=t["finish"]).click()
        page.get_by_role("heading", name=t["done"]).wait_for()
        pending = outbox_status(page)["pending"]
        assert pending > 10
        screenshot(page, "offline-patrol-finished-en")
        db.session.rollback()
        assert db.session.scalar(sa.select(sa.func.count()).select_from(Patrol)) == 0

        tablet.context.set_offline(False)
        wait_for(lambda: outbox_status(page)["pending"] == 0, RECONNECT_SECONDS, "the patrol to be sent")
        db.session.rollback()
        patrol = db.session.scalar(sa.select(Patrol))
        assert patrol.finished_at is not None and patrol.officer_id == pw.officer.id
        assert [s.scan_sequence for s in patrol.stops] == [1, 2]
        answers = db.session.scalars(sa.select(Answer)).all()
        assert len(answers) == 8 + 10 and sum(a.result == "fail" for a in answers) == 1
        assert db.session.scalar(sa.select(sa.func.count()).select_from(Photo)) == 1
        assert db.session.scalar(sa.select(sa.func.count()).select_from(Task)) == 1
        assert outbox_status(page)["dead"] == 0
    finally:
        tablet.close()
        server.stop()
    assert tablet.errors == []
