"""The cases console in a browser (C1-C5): a receptionist logs a complaint by phone with the
keyboard alone in a handful of steps, the supervisor grades it, the department signs for the
complaint form (C5) and records the rectification on its tablet while offline, the tablet
syncs once the network is back, and the officer's callback is signed on the pad; screenshots
in zh and en at console and tablet sizes."""

import sqlalchemy as sa

from kiosk.extensions import db
from kiosk.models import DeviceKind
from kiosk.models.case_complaints import Complaint, ComplaintStatus
from kiosk.models.cases import CaseEvent, Intake
from tests.browser.conftest import draw_signature, screenshot, sign_in
from tests.browser.offline_harness import DeviceBrowser, enroll_device, outbox_status, wait_for

WAIT_MS = 30000


def _fresh(case_id):
    db.session.rollback()  # see what the server's threads committed
    return db.session.get(Complaint, case_id)


def test_c1_c4_complaint_logged_by_keyboard_graded_rectified_and_signed(
    new_page, browser, live_server, world, tmp_path
):
    desk = new_page("desktop", locale="zh-CN")
    sign_in(desk, "reception")
    desk.goto("/console/cases/new")
    steps = 0
    desk.keyboard.type("0201")
    steps += 1  # the room, in the focused search
    desk.wait_for_selector("#callers input[name=household]:checked")
    desk.keyboard.press("Tab")
    steps += 1  # the found household (checked)
    desk.keyboard.press("Tab")
    desk.keyboard.press("Tab")
    desk.keyboard.press("Tab")
    steps += 3  # to content
    desk.keyboard.type("楼上每天早上七点装修，噪音太大")
    steps += 1
    desk.keyboard.press("Tab")
    desk.keyboard.press("ArrowRight")
    steps += 2  # class: inquiry -> complaint
    desk.keyboard.press("Tab")
    desk.keyboard.press("Space")
    steps += 2  # read back: confirmed
    desk.keyboard.press("Tab")
    desk.keyboard.press("Enter")
    steps += 2  # save
    desk.wait_for_url("**/console/cases/intake/*")
    assert steps <= 12  # a call logged in a dozen keyboard steps, well under 30 seconds (C1)
    db.session.expire_all()
    entry = db.session.scalar(sa.select(Intake))
    assert entry.kind == "complaint" and entry.channel == "phone" and entry.household_id == world.households[1].id
    case = db.session.scalar(sa.select(Complaint))
    screenshot(desk, "cases-intake-record-zh")
    desk.goto("/console/cases/new")
    screenshot(desk, "cases-log-form-zh")
    desk.goto(f"/console/cases/complaints/{case.id}")
    desk.get_by_role("button", name="保存").click()  # valid (the default)
    desk.wait_for_load_state()

    boss = new_page("desktop", locale="en-US")
    sign_in(boss, "supervisor")
    boss.goto(f"/console/cases/complaints/{case.id}?lang=en")
    boss.get_by_label("Major").check()
    boss.get_by_label("What the complaint is about").select_option(label="Neighbour disputes")
    boss.get_by_label("Reason for the grade").fill("Noise every morning affects several households")
    boss.get_by_label("Responsible department").select_option(label="Engineering")
    boss.get_by_role("button", name="Grade and notify the department").click()
    boss.wait_for_load_state()
    screenshot(boss, "cases-complaint-graded-en")

    # The department closes it on its tablet in the plant room, without a network (C5, C3):
    # signs for the complaint form and records the rectification; both wait in the tablet's
    # queue and arrive once when the network is back.
    _device, credential = enroll_device(world.site, DeviceKind.TABLET, "工程部平板")
    tablet = DeviceBrowser(browser.browser_type, tmp_path / "tablet", live_server.url, credential, size="tablet_wide")
    try:
        engineer = tablet.open("/patrol/?lang=zh_Hans_CN")
        engineer.fill("input[name=username]", "engineer")
        engineer.fill("input[name=password]", "pw")
        engineer.get_by_role("button", name="登录", exact=True).click()
        engineer.wait_for_url("**/patrol/work/", timeout=WAIT_MS)
        engineer.locator("[data-offline-keep][data-kept=all]").wait_for(timeout=WAIT_MS)
        engineer.goto("/patrol/work/?show=complaints")
        engineer.locator(f"a[href='/patrol/work/complaints/{case.id}']").click()
        engineer.get_by_role("heading", name=f"投诉 {case.code}").wait_for(timeout=WAIT_MS)

        tablet.context.set_offline(True)
        draw_signature(engineer, "[data-testid=receipt_signature-canvas]")
        engineer.click(".receipt-form button[type=submit]")
        engineer.locator(".receipt-form [data-queued]").wait_for(timeout=WAIT_MS)
        engineer.fill(".rectify-form textarea[name=note]", "已与装修户约定九点后施工")
        engineer.click(".rectify-form button[type=submit]")
        engineer.locator(".rectify-form [data-queued]").wait_for(timeout=WAIT_MS)
        engineer.locator("#outbox[data-pending='2']").wait_for(state="attached", timeout=WAIT_MS)
        screenshot(engineer, "cases-complaint-rectified-offline-tablet-zh")
        assert _fresh(case.id).status == ComplaintStatus.HANDLING  # nothing reached the server yet

        tablet.context.set_offline(False)
        wait_for(lambda: _fresh(case.id).status == ComplaintStatus.RECTIFIED, WAIT_MS / 1000, "the rectification")
        wait_for(lambda: outbox_status(engineer)["pending"] == 0, WAIT_MS / 1000, "the tablet's outbox to empty")
        engineer.goto(f"/patrol/work/complaints/{case.id}?lang=en")
        engineer.locator("html[lang=en]").wait_for(state="attached", timeout=WAIT_MS)
        screenshot(engineer, "cases-complaint-rectified-synced-tablet-en")
    finally:
        tablet.close()
    assert tablet.errors == []
    synced = _fresh(case.id)
    assert synced.form_received_by.username == "engineer" and synced.form_signature_sha256
    assert synced.handling_note == "已与装修户约定九点后施工"
    assert (
        db.session.scalar(
            sa.select(sa.func.count(CaseEvent.id)).where(
                CaseEvent.complaint_id == case.id, CaseEvent.action == "rectified"
            )
        )
        == 1
    )  # exactly once

    officer = new_page("tablet", locale="zh-CN")
    sign_in(officer, "officer")
    officer.goto(f"/console/cases/complaints/{case.id}")
    draw_signature(officer)
    officer.get_by_role("button", name="保存回访记录").click()
    officer.wait_for_load_state()
    db.session.expire_all()
    case = db.session.get(Complaint, case.id)
    assert case.status == ComplaintStatus.CONFIRMED and case.locked and case.signature_sha256
    screenshot(officer, "cases-complaint-signed-tablet-zh")
    boss.goto(f"/console/cases/complaints/{case.id}?lang=en")
    screenshot(boss, "cases-complaint-confirmed-en")


def test_cases_dashboard_and_lists_screenshots(new_page, world):
    from datetime import timedelta

    from kiosk.models.cases import IntakeClass
    from kiosk.timeutil import utcnow
    from tests.cases.helpers import call

    now = utcnow()
    for i, kind in enumerate([IntakeClass.REPAIR, IntakeClass.COMPLAINT, IntakeClass.SUGGESTION, IntakeClass.REPAIR]):
        call(world, kind, now - timedelta(days=i * 3, minutes=i), household=i % 3)
    for locale, lang in (("zh-CN", "zh"), ("en-US", "en")):
        page = new_page("desktop", locale=locale)
        sign_in(page, "supervisor")
        for path, name in (
            ("/console/cases/board", "board"),
            ("/console/cases/", "intake"),
            ("/console/cases/orders", "orders"),
        ):
            page.goto(f"{path}?lang={lang}")
            screenshot(page, f"cases-{name}-{lang}")
    tablet = new_page("tablet", locale="en-US")
    sign_in(tablet, "reception")
    tablet.goto("/console/cases/new?lang=en")
    screenshot(tablet, "cases-log-form-tablet-en")


def test_c1_kiosk_report_screen(new_page, live_server, world):
    """The kiosk's report form, in both languages at kiosk size: room numbers only (V3)."""
    from kiosk.access import DEVICE_COOKIE
    from kiosk.models import DeviceKind
    from kiosk.offline import devices
    from kiosk.timeutil import utcnow

    _device, token = devices.create_enrollment(world.site, DeviceKind.KIOSK, "Lobby kiosk", now=utcnow())
    _device, credential = devices.enroll(token, now=utcnow())
    db.session.commit()
    for locale, lang in (("zh-CN", "zh_Hans_CN"), ("en-US", "en")):
        page = new_page("kiosk", locale=locale)
        page.context.add_cookies([{"name": DEVICE_COOKIE, "value": credential, "url": live_server.url}])
        page.goto(f"/kiosk/report/?lang={lang}")
        assert page.locator("form[data-idempotent]").count() == 1
        screenshot(page, f"cases-kiosk-report-{lang[:2]}")
