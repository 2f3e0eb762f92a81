"""Camera QR scanning (js/scan.js) in Chromium with a fake camera that shows a QR code: at
the kiosk a visitor checks out by scanning their visit code (the issue's "Check-out: scan
or type the visit code"; no domain rule), on a patrol tablet the officer opens a checkpoint
by scanning its label (rule P1: the check sheet of a patrol). Debian's
Chromium has no BarcodeDetector of its own, so this runs the vendored polyfill and its
WebAssembly reader, served from here: no request leaves the origin (no CDN)."""

import io
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

import pytest
import segno
import sqlalchemy as sa
import time_machine
from flask import url_for
from PIL import Image

from kiosk.access import DEVICE_COOKIE
from kiosk.extensions import db
from kiosk.models import Departure, DeviceKind, LobbySettings, Purpose, Role, Visit
from kiosk.models.patrols import Patrol
from kiosk.offline import devices
from kiosk.timeutil import utcnow
from kiosk.visits import expected
from kiosk.visits import registration as visits
from kiosk.visits.registration import Registration
from tests import patrolkit
from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS, SIZES, screenshot

WIDTH, HEIGHT = 640, 480
NOON_SHANGHAI = datetime(2026, 11, 23, 4, 0, tzinfo=UTC)  # a Monday, 12:00 in Shanghai
TEXT = {
    "zh": {
        "lang": "zh_Hans_CN",
        "scan": "扫描二维码",
        "close": "关闭相机",
        "checked_out": "签离完成",
        "scan_checkpoint": "扫描巡查点二维码",
        "signin": "登录",
        "start": "开始",
        "start_patrol": "开始巡查",
        "scanned": "已扫码",
        "wait": "请稍候，我们正在联系您要拜访的住户。",
    },
    "en": {
        "lang": "en",
        "scan": "Scan the QR code",
        "close": "Close camera",
        "checked_out": "You are checked out",
        "scan_checkpoint": "Scan checkpoint QR code",
        "signin": "Sign in",
        "start": "Start",
        "start_patrol": "Start patrol",
        "scanned": "Scanned",
        "wait": "Please wait, we are contacting your host.",
    },
}


def fake_camera_file(path: Path, text: str | None, frames: int = 5) -> Path:
    """A YUV4MPEG2 (4:2:0) clip of identical frames for Chromium's fake camera: a large QR
    code of `text` on white, or an empty grey picture when `text` is None."""
    frame = Image.new("L", (WIDTH, HEIGHT), 255 if text else 160)
    if text:
        png = io.BytesIO()
        segno.make_qr(text, error="m").save(png, kind="png", scale=1, border=4)
        qr = Image.open(io.BytesIO(png.getvalue())).convert("L")
        side = (HEIGHT - 40) // qr.width * qr.width
        qr = qr.resize((side, side), Image.NEAREST)
        frame.paste(qr, ((WIDTH - side) // 2, (HEIGHT - side) // 2))
    chroma = bytes([128]) * ((WIDTH // 2) * (HEIGHT // 2))
    with path.open("wb") as out:
        out.write(f"YUV4MPEG2 W{WIDTH} H{HEIGHT} F10:1 Ip A1:1 C420jpeg\n".encode())
        for _ in range(frames):
            out.write(b"FRAME\n" + frame.tobytes() + chroma + chroma)
    return path


@contextmanager
def camera_context(browser, live_server, video: Path | None, size: str, locale: str, credential: str, allowed=True):
    """A Chromium of its own (launched by the session's Playwright, `browser`) whose camera
    shows `video` (None: no camera at all), allowed to use it or not, with a device's
    credential; yields a page whose `foreign` lists requests to other origins (the page's
    and its service worker's)."""
    args = list(CHROMIUM_ARGS)
    if video is not None:
        args += ["--use-fake-device-for-media-stream", f"--use-file-for-fake-video-capture={video}"]
    args.append("--use-fake-ui-for-media-stream" if allowed else "--deny-permission-prompts")
    camera = browser.browser_type.launch(executable_path=CHROMIUM, headless=True, args=args)
    try:
        width, height = SIZES[size]
        context = camera.new_context(
            viewport={"width": width, "height": height}, locale=locale, base_url=live_server.url
        )
        if allowed:
            context.grant_permissions(["camera"], origin=live_server.url)
        context.add_cookies([{"name": DEVICE_COOKIE, "value": credential, "url": live_server.url}])
        foreign = []
        context.on(
            "request",
            lambda r: foreign.append(r.url) if not r.url.startswith((live_server.url, "data:", "blob:")) else None,
        )
        page = context.new_page()
        page.foreign = foreign
        yield page
    finally:
        camera.close()


def _kiosk(site) -> str:
    device, token = devices.create_enrollment(site, DeviceKind.KIOSK, "大堂终端", now=utcnow())
    device, credential = devices.enroll(token, now=utcnow())
    db.session.commit()
    return credential


def _visit(world) -> Visit:
    now = utcnow()
    visit = visits.register(
        world.site,
        Registration(room=world.rooms[0], name="扫码访客", phone="+8613900002222", party_size=1, purpose=Purpose.VISIT),
        received_at=now,
        action_at=now,
        user=world.users[Role.RECEPTIONIST],
    )
    db.session.commit()
    return visit


def _errors(page):
    errors = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    return errors


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_visitor_checks_out_by_scanning_the_visit_code(browser, live_server, world, tmp_path, lang):
    t = TEXT[lang]
    visit = _visit(world)
    video = fake_camera_file(tmp_path / "visit-code.y4m", visit.code)
    with camera_context(browser, live_server, video, "kiosk", "zh-CN", _kiosk(world.site)) as page:
        errors = _errors(page)
        page.goto(f"/kiosk/checkout?lang={t['lang']}")
        page.wait_for_load_state()  # scan.js (deferred) has run
        button = page.get_by_role("button", name=t["scan"])
        assert button.bounding_box()["height"] >= 96  # finger-sized
        screenshot(page, f"kiosk-checkout-scan-{lang}")
        button.click()
        page.get_by_text(t["checked_out"]).wait_for()  # read, filled in and sent as typing does
        assert page.foreign == []  # the reader came from here, not a CDN
        assert errors == []
    db.session.expire_all()
    visit = db.session.get(Visit, visit.id)
    assert visit.departed_at is not None and visit.departure == Departure.KIOSK


def test_an_expected_visitor_scans_the_hosts_code_on_the_welcome_screen(browser, live_server, world, tmp_path):
    """The code a host sent is shown at the kiosk's first screen: straight to waiting.
    An expected visitor's code is valid on its day only: the server's clock (time-machine;
    the live server runs in this process) and the kiosk page's (Playwright) are set to a
    Monday noon, so that the test never straddles midnight."""
    with time_machine.travel(NOON_SHANGHAI, tick=True):
        _expected_visitor_scans(browser, live_server, world, tmp_path)


def _expected_visitor_scans(browser, live_server, world, tmp_path):
    now = utcnow()
    today = expected.local_date(world.site, now)
    announced = expected.create(
        world.site,
        actor=world.users[Role.RECEPTIONIST],
        day=today,
        today=today,
        room=world.rooms[0],
        name="预约访客",
        phone="+8613900003333",
    )
    db.session.commit()
    video = fake_camera_file(tmp_path / "expected-code.y4m", announced.code)
    with camera_context(browser, live_server, video, "kiosk", "zh-CN", _kiosk(world.site)) as page:
        page.clock.install(time=now)
        errors = _errors(page)
        page.goto("/kiosk/?lang=zh_Hans_CN")
        page.wait_for_load_state()
        screenshot(page, "kiosk-welcome-scan-zh")
        page.get_by_role("button", name=TEXT["zh"]["scan"]).click()
        page.get_by_text(TEXT["zh"]["wait"]).wait_for()
        assert page.foreign == [] and errors == []
    db.session.expire_all()
    visit = db.session.scalar(sa.select(Visit).where(Visit.visitor_name == "预约访客"))
    assert visit is not None and visit.room_id == world.rooms[0].id


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_kiosk_camera_panel_closes_and_idle_turns_it_off(browser, live_server, world, tmp_path, lang):
    """The open camera (screenshot), "Close camera" stops it; left open, the idle reset
    stops it before going back to the welcome screen."""
    t = TEXT[lang]
    db.session.add(LobbySettings(site_id=world.site.id, idle_seconds=5))
    db.session.commit()
    video = fake_camera_file(tmp_path / "nothing.y4m", None)
    with camera_context(browser, live_server, video, "kiosk", "zh-CN", _kiosk(world.site)) as page:
        errors = _errors(page)
        # Count the tracks that the page's own code stops (kept across the return to welcome).
        page.add_init_script("""(() => { const stop = MediaStreamTrack.prototype.stop;
          MediaStreamTrack.prototype.stop = function () { sessionStorage.stopped = +(sessionStorage.stopped || 0) + 1;
            return stop.call(this); }; })();""")
        page.goto(f"/kiosk/expected?lang={t['lang']}")
        page.wait_for_load_state()
        page.get_by_role("button", name=t["scan"]).click()
        page.wait_for_function(
            "() => { const v = document.querySelector('#expected-scanner video');"
            " return v && v.srcObject && v.readyState >= 2; }"
        )
        screenshot(page, f"kiosk-expected-camera-{lang}")
        page.get_by_role("button", name=t["close"]).click()
        assert page.evaluate("() => document.querySelector('#expected-scanner video').srcObject") is None
        assert page.evaluate("() => +sessionStorage.stopped") == 1
        assert page.locator("#expected-scanner [data-scanner-view]").is_hidden()

        page.get_by_role("button", name=t["scan"]).click()  # open again, walk away
        page.wait_for_function("() => document.querySelector('#expected-scanner video').srcObject")
        page.wait_for_url("**/kiosk/?lang=*", timeout=20000)
        assert page.evaluate("() => +sessionStorage.stopped") == 2  # turned off by the idle reset
        assert page.foreign == [] and errors == []


def test_p1_a_checkpoint_scanned_with_the_camera_opens_and_is_recorded_as_scanned(
    browser, live_server, world, app, tmp_path
):
    pw = patrolkit.build(world)
    lobby, _stairwell = patrolkit.public_round(pw)
    with app.test_request_context(base_url=live_server.url):
        label = url_for("patrols.checkpoint", code=lobby.code, _external=True)  # what the printed label holds
    video = fake_camera_file(tmp_path / "checkpoint.y4m", label)
    t = TEXT["en"]
    with camera_context(browser, live_server, video, "tablet", "en-US", pw.credential) as page:
        errors = _errors(page)
        page.goto("/patrol/?lang=en")
        page.fill("input[name=username]", "officer")
        page.fill("input[name=password]", "pw")
        page.get_by_role("button", name=t["signin"], exact=True).click()
        page.locator(".occurrence", has_text="Test round").get_by_role("link", name=t["start"]).click()
        page.wait_for_load_state()  # the run page\'s scripts are in place before the start is tapped
        page.get_by_role("button", name=t["start_patrol"]).click()
        with page.expect_response(lambda r: r.url.endswith("/patrol/scan") and r.request.method == "POST") as sent:
            page.get_by_role("button", name=t["scan_checkpoint"]).click()
        assert sent.value.status < 300
        stop = page.locator(f"#stop-{lobby.id}")
        stop.locator("[data-stop-state]", has_text=t["scanned"]).wait_for()
        assert stop.locator(".stop-items").is_visible()  # the checkpoint is open
        screenshot(page, "patrol-run-scanned-en")
        assert page.foreign == [] and errors == []
    assert _scanned_stops() == [(lobby.id, False)]  # by the camera, not typed


def test_p1_a_tablet_scans_a_checkpoint_offline_with_the_reader_it_keeps(browser, live_server, world, app, tmp_path):
    """The worker precaches the polyfill and its wasm: offline, the camera still reads the
    label, and the scan arrives once the network is back."""
    pw = patrolkit.build(world)
    lobby, _stairwell = patrolkit.public_round(pw)
    with app.test_request_context(base_url=live_server.url):
        label = url_for("patrols.checkpoint", code=lobby.code, _external=True)
    video = fake_camera_file(tmp_path / "checkpoint.y4m", label)
    t = TEXT["zh"]
    with camera_context(browser, live_server, video, "tablet", "zh-CN", pw.credential) as page:
        errors = _errors(page)
        page.goto("/patrol/?lang=zh_Hans_CN")
        page.fill("input[name=username]", "officer")
        page.fill("input[name=password]", "pw")
        page.get_by_role("button", name=t["signin"], exact=True).click()
        page.locator("[data-offline-keep][data-kept=all]").wait_for()
        # The reader is in the worker's cache (a flag set by an async check: wait_for_function
        # does not await a promise).
        page.evaluate("""() => { (async function kept() {
          for (const name of await caches.keys()) {
            const urls = (await (await caches.open(name)).keys()).map((r) => r.url);
            if (urls.some((u) => u.includes("/barcode-detector/zxing_reader.wasm?v="))
                && urls.some((u) => u.includes("/barcode-detector/polyfill.js?v="))) { window.readerKept = true; return; }
          }
          setTimeout(kept, 200); })(); }""")
        page.wait_for_function("() => window.readerKept === true")
        page.context.set_offline(True)
        page.reload()
        page.locator(".occurrence", has_text="测试巡查").get_by_role("link", name=t["start"]).click()
        page.wait_for_load_state()  # the run page\'s scripts are in place before the start is tapped
        page.get_by_role("button", name=t["start_patrol"]).click()
        page.get_by_role("button", name=t["scan_checkpoint"]).click()
        page.locator(f"#stop-{lobby.id} [data-stop-state]", has_text=t["scanned"]).wait_for()
        assert page.locator(f"#stop-{lobby.id} .stop-items").is_visible()
        page.locator("#outbox[data-pending='2']").wait_for(state="attached")  # the start and the scan
        assert _scanned_stops() == []
        page.context.set_offline(False)
        page.locator("#outbox[data-pending='0']").wait_for(state="attached")
        assert page.foreign == []
        assert [e for e in errors if "ERR_INTERNET_DISCONNECTED" not in e] == []  # offline, the heartbeat fails
    assert _scanned_stops() == [(lobby.id, False)]


def _scanned_stops():
    db.session.rollback()  # see what the server's threads committed
    patrol = db.session.scalar(sa.select(Patrol))
    return [(s.checkpoint_id, s.typed) for s in patrol.stops if s.scanned_at] if patrol else []


@pytest.mark.parametrize("case", ["refused", "no camera"])
def test_without_a_camera_the_kiosk_says_why_in_its_language_and_typing_goes_on(
    browser, live_server, world, tmp_path, case
):
    visit = _visit(world)
    video = fake_camera_file(tmp_path / "visit-code.y4m", visit.code) if case == "refused" else None
    with camera_context(
        browser, live_server, video, "kiosk", "en-US", _kiosk(world.site), allowed=case == "no camera"
    ) as page:
        errors = _errors(page)
        page.goto("/kiosk/checkout?lang=zh_Hans_CN")
        page.wait_for_load_state()
        page.get_by_role("button", name=TEXT["zh"]["scan"]).click()
        message = page.locator("#checkout-scanner [data-scan-error]")
        message.wait_for()
        expected = "未获准使用摄像头，请手动输入。" if case == "refused" else "没有可用的摄像头，请手动输入。"
        assert message.inner_text() == expected
        assert page.evaluate("() => document.activeElement.id") == "code"  # type it instead
        if case == "refused":
            screenshot(page, "kiosk-checkout-camera-refused-zh")
        page.keyboard.type(visit.code)
        page.keyboard.press("Enter")
        page.get_by_text(TEXT["zh"]["checked_out"]).wait_for()
        assert page.foreign == [] and errors == []
