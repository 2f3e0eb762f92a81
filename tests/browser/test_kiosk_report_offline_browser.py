"""C1 offline at the kiosk (1080x1920, Debian's Chromium, persistent profile): a resident
reports a repair with a photo while the kiosk has no network. The bad phone number is
caught on its step, the photo is shrunk on the kiosk (photo.js), the report waits in the
outbox with its photo behind a "queued" screen, the kiosk returns to its welcome screen,
and once the network is back exactly one intake with the photo reaches the server. The
kiosk names no resident (V3)."""

import io

import pytest
import sqlalchemy as sa
from PIL import Image

from kiosk import photos
from kiosk.extensions import db
from kiosk.models.cases import Channel, Intake
from tests.browser.conftest import screenshot
from tests.browser.offline_harness import DeviceBrowser, RestartableServer, enroll_device, outbox_status, wait_for


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


def _intakes() -> list[Intake]:
    db.session.rollback()  # see what the server's threads committed
    return db.session.scalars(sa.select(Intake).order_by(Intake.id)).all()


def _camera_photo() -> bytes:
    """A phone camera's photo: 4000x3000, far more than the kiosk keeps."""
    image = Image.new("RGB", (4000, 3000), (90, 140, 200))
    for x in range(0, 4000, 250):
        image.paste((230, 200, 60), (x, 0, x + 120, 3000))
    out = io.BytesIO()
    image.save(out, "JPEG", quality=95)
    return out.getvalue()


SHRUNK = """async () => {
    const file = document.querySelector("#photo").files[0];
    const bitmap = await createImageBitmap(file);
    return {name: file.name, type: file.type, size: file.size, side: Math.max(bitmap.width, bitmap.height)};
}"""


def _first_step(page, lang):
    page.goto(f"/kiosk/report/?lang={lang}")
    page.wait_for_selector("section[data-step=where]:not([hidden])")


# The tappable elements that the device's outbox badge (shown while offline) lies over.
COVERED_BY_BADGE = """() => {
  const badge = document.querySelector('#outbox .outbox-badge');
  if (!badge || !badge.getClientRects().length) return ['the badge is not shown'];
  const r = badge.getBoundingClientRect();
  return [...document.querySelectorAll('button, a, input, textarea, select, label')]
    .filter(e => !badge.contains(e) && e.getClientRects().length)
    .filter(e => { const q = e.getBoundingClientRect();
      return q.left < r.right && r.left < q.right && q.top < r.bottom && r.top < q.bottom; })
    .map(e => e.outerHTML.slice(0, 80));
}"""


def test_c1_offline_report_with_a_photo_arrives_exactly_once(kiosk, world, app):
    page = kiosk.open("/kiosk/report/?lang=zh_Hans_CN")
    kiosk.context.set_offline(True)
    _first_step(page, "zh_Hans_CN")  # the report form opens offline (a cached page)
    screenshot(page, "kiosk-report-1-zh")
    page.fill("#room", "1-1-0201")
    page.fill("#phone", "12ab")
    page.click("section[data-step=where] [data-goto=what]")
    error = page.locator("section[data-step=where] [data-client-error]:not([hidden])")
    error.wait_for()
    assert "请" in error.inner_text()  # caught on the step, in the visitor's language
    assert page.locator("section[data-step=what]").is_hidden()
    screenshot(page, "kiosk-report-1-bad-phone-zh")
    page.fill("#phone", "13900001234")
    page.click("section[data-step=where] [data-goto=what]")
    page.wait_for_selector("section[data-step=what]:not([hidden])")
    page.fill("#content", "厨房水龙头一直滴水")
    original = _camera_photo()
    page.set_input_files("#photo", files=[{"name": "IMG_0001.jpg", "mimeType": "image/jpeg", "buffer": original}])
    page.wait_for_selector("img[data-photo-preview]:not([hidden])")
    shrunk = page.evaluate(SHRUNK)
    assert shrunk["name"] == "photo.jpg" and shrunk["type"] == "image/jpeg"
    assert shrunk["side"] <= 1600 and shrunk["size"] < len(original)  # shrunk on the kiosk
    screenshot(page, "kiosk-report-2-photo-zh")
    assert page.evaluate(COVERED_BY_BADGE) == []  # the offline badge covers no target the visitor taps
    page.click("section[data-step=what] button[type=submit]")
    page.wait_for_selector("#screen[data-queued=report]")
    queued = page.inner_text("#screen")
    assert "网络恢复后会自动发送" in queued
    screenshot(page, "kiosk-report-queued-zh")
    for household in world.households:  # V3 on every screen the visitor saw
        assert household.name not in page.content()
    assert outbox_status(page)["pending"] == 1
    assert _intakes() == []
    # The personal screen goes: back to the welcome screen after the queued screen's idle time.
    page.wait_for_selector("#screen[data-screen=welcome]", timeout=30000)
    assert "厨房水龙头" not in page.content()

    kiosk.context.set_offline(False)
    page.goto("/kiosk/")
    wait_for(lambda: len(_intakes()) == 1, 20, "the queued report after reconnecting")
    wait_for(lambda: outbox_status(page)["pending"] == 0, 10, "the kiosk's outbox to empty")
    entries = _intakes()
    assert len(entries) == 1  # exactly once
    entry = entries[0]
    assert entry.channel == Channel.KIOSK and entry.content == "厨房水龙头一直滴水"
    assert entry.caller_phone == "13900001234" and entry.room_id == world.rooms[1].id
    assert entry.photo_path
    path = photos.open_path(photos.root(app.config, app.instance_path), entry.photo_path)
    with Image.open(path) as image:
        assert max(image.size) <= 1600


def test_c1_report_steps_in_english_and_a_refused_file(kiosk, world):
    page = kiosk.open("/kiosk/report/?lang=en")
    _first_step(page, "en")
    screenshot(page, "kiosk-report-1-en")
    page.fill("#room", "1-1-0201")
    page.fill("#phone", "13900001234")
    page.click("section[data-step=where] [data-goto=what]")
    page.wait_for_selector("section[data-step=what]:not([hidden])")
    page.fill("#content", "The corridor light on floor 2 is broken")
    page.set_input_files("#photo", files=[{"name": "notes.txt", "mimeType": "text/plain", "buffer": b"not a photo"}])
    message = page.locator(".photo-field [data-client-error]:not([hidden])")
    message.wait_for()
    assert "not a photo" in message.inner_text()
    assert page.evaluate("() => document.querySelector('#photo').files.length") == 0  # nothing bad is sent
    assert page.input_value("#content") == "The corridor light on floor 2 is broken"  # nothing typed is lost
    screenshot(page, "kiosk-report-2-refused-en")
    page.set_input_files(
        "#photo", files=[{"name": "IMG_0002.jpg", "mimeType": "image/jpeg", "buffer": _camera_photo()}]
    )
    page.wait_for_selector("img[data-photo-preview]:not([hidden])")
    assert page.locator(".photo-field [data-client-error]").is_hidden()
    screenshot(page, "kiosk-report-2-photo-en")
    page.click("section[data-step=what] button[type=submit]")
    page.wait_for_selector("#screen[data-screen=reported]")
    screenshot(page, "kiosk-report-done-en")
    entries = _intakes()
    assert len(entries) == 1 and entries[0].photo_path
    page.goto("/kiosk/queued/report?lang=en")
    screenshot(page, "kiosk-report-queued-en")
