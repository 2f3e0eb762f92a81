"""The registers in a real browser (V5, V6, V8): a goods pass is printed with its QR code,
the printed QR is scanned by a guard's tablet camera at the gate and the pass marked used,
then scanned again says so; the register pages in both languages (screenshots)."""

import io
from datetime import timedelta
from pathlib import Path

import pytest
from PIL import Image

from kiosk.extensions import db
from kiosk.models import DepartmentKind, Role
from kiosk.models.registers import MailKind, PassStatus
from kiosk.registers import goods_passes, lost_found, mail
from kiosk.timeutil import utcnow
from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS, SIZES, draw_signature, screenshot, sign_in

WIDTH, HEIGHT = 640, 480


def camera_file(path: Path, picture: bytes, frames: int = 5) -> Path:
    """A YUV4MPEG2 clip for Chromium's fake camera showing `picture` (a PNG) on white."""
    image = Image.open(io.BytesIO(picture)).convert("L")
    scale = min((WIDTH - 40) / image.width, (HEIGHT - 40) / image.height)
    image = image.resize((int(image.width * scale), int(image.height * scale)), Image.NEAREST)
    frame = Image.new("L", (WIDTH, HEIGHT), 255)
    frame.paste(image, ((WIDTH - image.width) // 2, (HEIGHT - image.height) // 2))
    chroma = bytes([128]) * ((WIDTH // 2) * (HEIGHT // 2))
    with path.open("wb") as out:
        out.write(f"YUV4MPEG2 W{WIDTH} H{HEIGHT} F10:1 Ip A1:1 C420jpeg\n".encode())
        for _ in range(frames):
            out.write(b"FRAME\n" + frame.tobytes() + chroma + chroma)
    return path


def _approved_pass(world):
    now = utcnow()
    req = goods_passes.Request(
        requester_kind=goods_passes.RequesterKind.HOUSEHOLD,
        carrier_name="搬家师傅 老刘",
        direction=goods_passes.Direction.OUT,
        valid_from=now - timedelta(minutes=10),
        valid_until=now + timedelta(hours=4),
        room=world.rooms[0],
        lines=[goods_passes.Line("冰箱", 1), goods_passes.Line("纸箱", 12)],
        consent=goods_passes.Consent.OWNER,
        consent_by="张三",
    )
    goods_pass = goods_passes.request(world.site.id, req, world.user(Role.RECEPTIONIST), now)
    goods_passes.approve(goods_pass, world.user(Role.SUPERVISOR), now)
    db.session.commit()
    return goods_pass


def _errors(page):
    errors = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    return errors


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_v6_a_printed_pass_is_scanned_at_the_gate_on_a_tablet_and_used_once(
    browser, live_server, new_page, world, tmp_path, lang
):
    locale = "zh_Hans_CN" if lang == "zh" else "en"
    goods_pass = _approved_pass(world)
    # the desk prints the pass: two parts, each with the QR code
    desk = new_page("desktop")
    errors = _errors(desk)
    sign_in(desk, "reception")
    desk.goto(f"/console/registers/goods/{goods_pass.id}/print?lang={locale}")
    assert desk.locator(".pass-part").count() == 2 and desk.locator(".qr svg").count() == 2
    desk.emulate_media(media="print")
    screenshot(desk, f"registers-goods-pass-print-{lang}")
    pdf = desk.pdf(format="A4")
    assert pdf.startswith(b"%PDF")
    qr_png = desk.locator(".qr").first.screenshot()
    assert errors == []

    # the guard (security department) scans the printed QR with the tablet's camera
    guard = world.user(Role.DEPARTMENT)
    guard.department_id = world.departments[DepartmentKind.SECURITY].id
    db.session.commit()
    video = camera_file(tmp_path / "pass.y4m", qr_png)
    camera = browser.browser_type.launch(
        executable_path=CHROMIUM,
        headless=True,
        args=[
            *CHROMIUM_ARGS,
            "--use-fake-device-for-media-stream",
            f"--use-file-for-fake-video-capture={video}",
            "--use-fake-ui-for-media-stream",
        ],
    )
    try:
        width, height = SIZES["tablet"]
        context = camera.new_context(viewport={"width": width, "height": height}, base_url=live_server.url)
        context.grant_permissions(["camera"], origin=live_server.url)
        page = context.new_page()
        errors = _errors(page)
        foreign = []
        page.on(
            "request",
            lambda r: foreign.append(r.url) if not r.url.startswith((live_server.url, "data:", "blob:")) else None,
        )
        sign_in(page, "engineer")
        page.goto(f"/console/registers/gate?lang={locale}")
        page.wait_for_load_state()
        screenshot(page, f"registers-gate-tablet-{lang}")
        scan = "扫描放行条二维码" if lang == "zh" else "Scan the pass's QR code"
        page.get_by_role("button", name=scan).click()
        page.locator(".verdict-ok").wait_for(timeout=20000)
        screenshot(page, f"registers-gate-valid-tablet-{lang}")
        use = "物品相符：登记放行" if lang == "zh" else "The goods match: mark the pass used"
        page.get_by_role("button", name=use).click()
        page.locator(".verdict-bad").wait_for()
        db.session.expire_all()
        assert db.session.get(type(goods_pass), goods_pass.id).status == PassStatus.USED
        # scanned again: it says it was used
        page.get_by_role("button", name=scan).click()
        page.wait_for_load_state()
        page.locator(".verdict-bad").wait_for()
        assert ("已使用" if lang == "zh" else "Already used") in page.locator(".verdict").inner_text()
        screenshot(page, f"registers-gate-used-tablet-{lang}")
        assert errors == [] and foreign == []
    finally:
        camera.close()


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_register_pages_in_a_browser(new_page, world, lang, tmp_path):
    """Screenshots of the registers at console width: mail book, a mail record with the
    signature pad, the goods pass, lost and found (V5, V6, V8)."""
    locale = "zh_Hans_CN" if lang == "zh" else "en"
    desk = world.user(Role.RECEPTIONIST)
    now = utcnow()
    item = mail.receive(world.rooms[0], MailKind.PARCEL, 2, "顺丰速运", desk, now - timedelta(days=5))
    mail.receive(world.rooms[1], MailKind.LETTER, 1, "邮递员", desk, now)
    lost_found.record(
        world.site.id,
        description="黑色雨伞",
        found_place="大堂沙发",
        found_at=now - timedelta(days=3),
        found_by="保洁 王阿姨",
        storage_place="前台 2 号抽屉",
        by=desk,
        now=now,
    )
    goods_pass = _approved_pass(world)
    db.session.commit()
    page = new_page("desktop")
    errors = _errors(page)
    sign_in(page, "reception")
    for path, name in [
        ("/console/registers/mail/", "mail"),
        (f"/console/registers/mail/{item.id}", "mail-item"),
        (f"/console/registers/goods/{goods_pass.id}", "goods-pass"),
        ("/console/registers/goods/new", "goods-new"),
        ("/console/registers/found/", "found"),
    ]:
        page.goto(f"{path}?lang={locale}")
        screenshot(page, f"registers-{name}-{lang}")
    # the signature pad draws and the collection is recorded
    page.goto(f"/console/registers/mail/{item.id}?lang={locale}")
    page.fill("input[name=collector_name]", "张三")
    draw_signature(page)
    page.get_by_role("button", name="交付" if lang == "zh" else "Deliver", exact=True).click()
    page.wait_for_load_state()
    assert page.locator(".error").all_inner_texts() == []
    page.locator(".flash").wait_for()
    db.session.expire_all()
    assert db.session.get(type(item), item.id).signature_sha256
    assert errors == []
