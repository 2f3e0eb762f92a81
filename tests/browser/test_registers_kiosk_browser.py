"""A decoration worker signs in at the lobby kiosk by scanning the QR of the printed
worker pass (V7), in both languages; an expired pass is refused politely."""

from datetime import timedelta

import pytest
import sqlalchemy as sa

from kiosk.access import DEVICE_COOKIE
from kiosk.extensions import db
from kiosk.models import DeviceKind, Role, Visit, VisitStatus
from kiosk.offline import devices
from kiosk.registers import worker_passes
from kiosk.timeutil import utcnow
from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS, SIZES, screenshot
from tests.browser.test_scan_browser import fake_camera_file

TEXT = {
    "zh": ("zh_Hans_CN", "扫描二维码", "请乘电梯到 3 层", "此工人出入证已过期"),
    "en": ("en", "Scan the QR code", "floor 3", "this worker pass has expired"),
}


def _pass(world, last):
    today = worker_passes.local_date(world.site, utcnow())
    worker_pass = worker_passes.issue(
        world.rooms[2],
        worker_name="装修工 老陈",
        phone="+8613600001111",
        company="美家装饰",
        valid_from=today - timedelta(days=5),
        valid_until=today + timedelta(days=last),
        by=world.user(Role.RECEPTIONIST),
        now=utcnow() - timedelta(days=5) if last < 0 else utcnow(),
    )
    db.session.commit()
    return worker_pass


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_v7_a_worker_signs_in_at_the_kiosk_by_scanning_the_pass(browser, live_server, world, tmp_path, lang):
    locale, scan, floor, _expired = TEXT[lang]
    worker_pass = _pass(world, 10)
    device, token = devices.create_enrollment(world.site, DeviceKind.KIOSK, "大堂终端", now=utcnow())
    device, credential = devices.enroll(token, now=utcnow())
    db.session.commit()
    video = fake_camera_file(tmp_path / "worker.y4m", worker_pass.code)
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
        width, height = SIZES["kiosk"]
        context = camera.new_context(viewport={"width": width, "height": height}, base_url=live_server.url)
        context.grant_permissions(["camera"], origin=live_server.url)
        context.add_cookies([{"name": DEVICE_COOKIE, "value": credential, "url": live_server.url}])
        page = context.new_page()
        errors = []
        page.on("pageerror", lambda exc: errors.append(str(exc)))
        page.goto(f"/kiosk/?lang={locale}")
        screenshot(page, f"kiosk-welcome-worker-entry-{lang}")
        page.locator(".worker-entry a").click()
        page.wait_for_load_state()
        screenshot(page, f"kiosk-worker-{lang}")
        page.get_by_role("button", name=scan).click()
        page.get_by_text(floor).first.wait_for(timeout=20000)
        screenshot(page, f"kiosk-worker-signed-in-{lang}")
        assert errors == []
    finally:
        camera.close()
    db.session.expire_all()
    visit = db.session.scalars(sa.select(Visit)).one()
    assert visit.status == VisitStatus.ON_SITE and visit.room_id == world.rooms[2].id


def test_v7_an_expired_pass_typed_at_the_kiosk_is_refused(new_page, world, live_server):
    worker_pass = _pass(world, -1)
    device, token = devices.create_enrollment(world.site, DeviceKind.KIOSK, "大堂终端", now=utcnow())
    device, credential = devices.enroll(token, now=utcnow())
    db.session.commit()
    page = new_page("kiosk")
    page.context.add_cookies([{"name": DEVICE_COOKIE, "value": credential, "url": live_server.url}])
    page.goto("/kiosk/worker?lang=zh_Hans_CN")
    page.fill("#worker-code", worker_pass.code)
    page.get_by_role("button", name="继续").click()
    page.get_by_text(TEXT["zh"][3]).wait_for()
    screenshot(page, "kiosk-worker-expired-zh")
    assert db.session.scalar(sa.select(sa.func.count(Visit.id))) == 0


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_v9_an_approved_kiosk_notice_is_on_the_welcome_screen_in_the_visitors_language(
    new_page, world, live_server, lang
):
    from kiosk.models.registers import Channel
    from kiosk.registers import notices

    now = utcnow()
    notice = notices.draft(
        world.site.id,
        channel=Channel.KIOSK,
        outage=True,
        title_zh="停水通知",
        body_zh="本周六 8:00-14:00 小区停水，请提前储水。",
        title_en="Water cut",
        body_en="No water on Saturday 8:00-14:00; please store some in advance.",
        show_from=now - timedelta(minutes=1),
        show_until=now + timedelta(days=2),
        by=world.user(Role.RECEPTIONIST),
        now=now,
    )
    notices.submit(notice, world.user(Role.RECEPTIONIST), now)
    notices.approve(notice, world.user(Role.MANAGER), now)
    notices.publish(notice, world.user(Role.RECEPTIONIST), now)
    db.session.commit()
    device, token = devices.create_enrollment(world.site, DeviceKind.KIOSK, "大堂终端", now=utcnow())
    device, credential = devices.enroll(token, now=utcnow())
    db.session.commit()
    page = new_page("kiosk")
    page.context.add_cookies([{"name": DEVICE_COOKIE, "value": credential, "url": live_server.url}])
    page.goto(f"/kiosk/?lang={'zh_Hans_CN' if lang == 'zh' else 'en'}")
    title = "停水通知" if lang == "zh" else "Water cut"
    page.get_by_text(title).wait_for()
    screenshot(page, f"kiosk-welcome-notice-{lang}")
    # an end that passes while the screen is shown (or cached offline) hides it
    page.evaluate("() => document.querySelector('.kiosk-notice').dataset.until = '2000-01-01T00:00:00+00:00'")
    page.evaluate("() => document.dispatchEvent(new Event('DOMContentLoaded'))")
    assert page.locator(".kiosk-notice").count() == 0
