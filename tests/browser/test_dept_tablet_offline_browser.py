"""The department's tablet without a network (issue 14): an enrolled tablet at 1280x800, the
engineering worker signed in online opens a work order and a complaint; then offline: the
order completed with a photo and the customer's drawn signature, the complaint marked
rectified; both wait in the tablet's visible queue; online again, each arrives exactly once
(C5, C10, OFFLINE.md); a third entry, made on a complaint someone changed meanwhile on the
console, is refused and the tablet's queue shows why. Screenshots in zh and en at 1280x800 and 800x1280 go to
/tmp/shots-deptab/ for a person to look at."""

from datetime import timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa

from kiosk.cases import complaints
from kiosk.extensions import db
from kiosk.models import DeviceKind, Role
from kiosk.models.case_complaints import Complaint, ComplaintStatus
from kiosk.models.case_orders import OrderPhoto, OrderStatus, WorkOrder
from kiosk.models.cases import CaseEvent
from kiosk.timeutil import utcnow
from tests import patrolkit
from tests.browser.conftest import draw_signature, sign_in
from tests.browser.offline_harness import DeviceBrowser, RestartableServer, enroll_device, outbox_status, wait_for
from tests.cases.test_order_tablet import make_complaint, make_order

WAIT_MS = 30000
SHOTS = Path("/tmp/shots-deptab")


@pytest.fixture
def server(app):
    server = RestartableServer(app).start()
    yield server
    server.stop()


def shot(page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def _fresh(model, ident):
    db.session.rollback()  # see what the server's threads committed
    return db.session.get(model, ident)


def _events(column, ident, action):
    db.session.rollback()
    return db.session.scalar(sa.select(sa.func.count()).where(column == ident, CaseEvent.action == action))


def test_c10_c5_order_completed_and_complaint_rectified_offline_arrive_once(browser, server, world, tmp_path):
    _device, credential = enroll_device(world.site, DeviceKind.TABLET, "工程部平板")
    order = make_order(world)
    older = make_order(world, n=30)
    older.appointment_at = utcnow() - timedelta(minutes=30)  # shows the "appointment passed" flag
    case = make_complaint(world, signed=True)
    changed = make_complaint(world, signed=True)  # changed on the console while the tablet is offline
    make_complaint(world)  # one still to sign for
    db.session.commit()
    tablet = DeviceBrowser(browser.browser_type, tmp_path / "profile", server.url, credential, size="tablet_wide")
    try:
        page = tablet.open("/patrol/?lang=zh_Hans_CN")
        page.fill("input[name=username]", "engineer")
        page.fill("input[name=password]", "pw")
        page.get_by_role("button", name="登录", exact=True).click()
        page.wait_for_url("**/patrol/work/", timeout=WAIT_MS)
        page.locator("[data-offline-keep][data-kept=all]").wait_for(timeout=WAIT_MS)
        shot(page, "work-list-zh-1280x800")
        page.get_by_role("link", name=order.code).click()
        page.get_by_role("heading", name=f"维修单 {order.code}").wait_for(timeout=WAIT_MS)
        shot(page, "work-order-zh-1280x800")
        page.goto("/patrol/work/?show=complaints")
        page.locator(f"a[href='/patrol/work/complaints/{case.id}']").click()
        page.get_by_role("heading", name=f"投诉 {case.code}").wait_for(timeout=WAIT_MS)

        tablet.context.set_offline(True)
        page.fill("textarea[name=note]", "已更换隔音垫，与楼上住户沟通")
        page.get_by_role("button", name="标记为已整改").click()
        page.locator(".rectify-form [data-queued]").wait_for(timeout=WAIT_MS)
        page.goto(f"/patrol/work/complaints/{changed.id}")  # kept by the list; then changed on the console
        page.fill("textarea[name=note]", "已处理")
        page.get_by_role("button", name="标记为已整改").click()
        page.locator(".rectify-form [data-queued]").wait_for(timeout=WAIT_MS)
        complaints.pause(_fresh(Complaint, changed.id), world.user(Role.RECEPTIONIST), "业主出差", utcnow())
        db.session.commit()
        page.goto(f"/patrol/work/orders/{order.id}")  # the tablet's kept copy
        page.get_by_role("heading", name=f"维修单 {order.code}").wait_for(timeout=WAIT_MS)
        form = page.locator(".complete-form")
        form.locator("textarea[name=note]").fill("更换角阀")
        form.locator("input[name=site_fee]").fill("35")
        form.locator("[data-work-photos]").set_input_files(
            files=[{"name": "valve.jpg", "mimeType": "image/jpeg", "buffer": patrolkit.jpeg_bytes(size=(2400, 1800))}]
        )
        form.locator("[data-photo-count]").get_by_text("✓ 1").wait_for(timeout=WAIT_MS)
        draw_signature(page, "[data-testid=customer_signature-canvas]")
        form.get_by_role("button", name="确认完工").click()
        form.locator("[data-queued]").wait_for(timeout=WAIT_MS)
        page.locator("#outbox[data-pending='3']").wait_for(state="attached", timeout=WAIT_MS)
        queue = page.locator("[data-work-queue] [data-queue-state=pending]")
        queue.nth(2).wait_for(timeout=WAIT_MS)
        assert queue.count() == 3
        assert order.code in queue.nth(2).inner_text() and case.code in queue.nth(0).inner_text()
        shot(page, "work-order-queued-offline-zh-1280x800")
        assert _fresh(WorkOrder, order.id).status == OrderStatus.DISPATCHED  # nothing reached the server
        assert _fresh(Complaint, case.id).status == ComplaintStatus.HANDLING

        tablet.context.set_offline(False)
        wait_for(lambda: _fresh(WorkOrder, order.id).status == OrderStatus.DONE, WAIT_MS / 1000, "the completion")
        wait_for(lambda: _fresh(Complaint, case.id).status == ComplaintStatus.RECTIFIED, WAIT_MS / 1000, "the rectify")
        wait_for(lambda: outbox_status(page)["pending"] == 0, WAIT_MS / 1000, "the tablet's outbox to empty")
        # The replay made after the console's change is refused, never stored: the queue says why (C5).
        assert outbox_status(page)["dead"] == 1
        refused = page.locator("[data-work-queue] [data-queue-state=refused]")
        refused.wait_for(timeout=WAIT_MS)
        assert changed.code in refused.inner_text() and "已被他人修改" in refused.inner_text()
        assert _fresh(Complaint, changed.id).status == ComplaintStatus.HANDLING
        shot(page, "work-order-refused-in-queue-zh-1280x800")

        # The other faces of the pages, for a person to look at.
        page.goto("/patrol/work/?lang=en")
        page.locator("html[lang=en]").wait_for(state="attached", timeout=WAIT_MS)
        shot(page, "work-list-en-1280x800")
        page.goto(f"/patrol/work/orders/{older.id}?lang=en")
        shot(page, "work-order-en-1280x800")
        page.set_viewport_size({"width": 800, "height": 1280})
        page.goto("/patrol/work/?show=complaints&lang=en")
        shot(page, "work-complaints-en-800x1280")
        page.goto(f"/patrol/work/orders/{older.id}?lang=zh_Hans_CN")
        shot(page, "work-order-zh-800x1280")
        page.goto("/patrol/work/?lang=zh_Hans_CN")
        shot(page, "work-list-zh-800x1280")
    finally:
        tablet.close()
    assert tablet.errors == []

    done = _fresh(WorkOrder, order.id)
    assert done.site_fee_cents == 3500 and done.customer_signature_sha256 and done.completed_by.username == "engineer"
    assert _events(CaseEvent.work_order_id, order.id, "completed") == 1
    assert _events(CaseEvent.complaint_id, case.id, "rectified") == 1
    (photo,) = db.session.scalars(sa.select(OrderPhoto)).all()
    assert photo.work_order_id == order.id and max(photo.width, photo.height) == 1600
    assert _fresh(Complaint, case.id).handling_note == "已更换隔音垫，与楼上住户沟通"

    # The console's order page shows what came from the tablet: the photo (its view audited) and the signature.
    console = browser.new_context(base_url=server.url, viewport={"width": 1280, "height": 800}, locale="zh-CN")
    try:
        page = console.new_page()
        sign_in(page, "reception")
        page.goto(f"/console/cases/orders/{order.id}")
        signature = page.locator(".order-work img.signature-image")
        signature.wait_for(timeout=WAIT_MS)
        page.wait_for_function("() => document.querySelector('.order-work img.signature-image').naturalWidth > 0")
        assert page.locator(".order-work .photo-links a").count() == 1
        shot(page, "console-order-from-tablet-zh-1280x800")
    finally:
        console.close()
