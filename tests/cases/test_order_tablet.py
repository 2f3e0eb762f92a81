"""The department's tablet (/patrol/work/): department staff work their orders and complaints
on an enrolled tablet through the outbox, exactly once (C5, C10, OFFLINE.md 4-6)."""

import io
import re
import uuid
from datetime import timedelta
from urllib.parse import unquote

import pytest
import sqlalchemy as sa
from PIL import Image

from kiosk.access import DEVICE_COOKIE
from kiosk.accounts import create_user
from kiosk.cases import complaints, orders
from kiosk.extensions import db
from kiosk.models import AuditEvent, Department, DepartmentKind, Role
from kiosk.models.case_complaints import Complaint, ComplaintStatus, Grade
from kiosk.models.case_orders import OrderPhoto, OrderProgress, OrderStatus, RepairCategory, WorkOrder
from kiosk.models.cases import CaseEvent
from kiosk.timeutil import utcnow
from tests.cases.helpers import signature_data_url
from tests.patrolkit import enroll_tablet
from tests.statements import recorded_statements

HEADERS = {"X-Device-Request": "1", "HX-Request": "true"}


def key():
    return str(uuid.uuid4())


def make_order(world, *, department=DepartmentKind.ENGINEERING, priced=False, n=0):
    user = world.user(Role.RECEPTIONIST)
    order = orders.create(
        world.site,
        user=user,
        now=utcnow() - timedelta(hours=2, minutes=n),
        content=f"卫生间水管漏水 {n}",
        category=RepairCategory.PLUMBING,
        contact_name="张三",
        contact_phone="13812345678",
        household=world.households[0],
    )
    orders.dispatch(order, user, world.departments[department], utcnow() - timedelta(hours=1))
    db.session.commit()
    return order


def make_complaint(world, *, signed=False):
    now = utcnow() - timedelta(hours=1)
    case = complaints.open_case(
        world.site,
        user=world.user(Role.RECEPTIONIST),
        now=now,
        content="楼上噪音",
        caller_name="李四",
        caller_phone="13987654321",
        household=world.households[1],
    )
    complaints.check_validity(case, world.user(Role.RECEPTIONIST), valid=True, explanation=None, now=now)
    complaints.grade(
        case,
        world.user(Role.SUPERVISOR),
        grade=Grade.GENERAL,
        reason="影响休息",
        department=world.departments[DepartmentKind.ENGINEERING],
        now=now,
    )
    if signed:
        from tests.cases.helpers import SIGNED

        complaints.receive_form(case, world.user(Role.DEPARTMENT), signature=SIGNED, now=now)
    db.session.commit()
    return case


@pytest.fixture
def device(world):
    _device, credential = enroll_tablet(world.site)
    db.session.commit()
    return credential


def sign_in(client, credential, username="engineer"):
    client.set_cookie(DEVICE_COOKIE, credential)
    token = client.csrf("/patrol/")
    return client.post("/patrol/signin", data={"username": username, "password": "pw", "csrf_token": token})


@pytest.fixture
def dept_tablet(client, device):
    assert sign_in(client, device).headers["Location"].endswith("/patrol/work/")
    return client


def worker_token(client, path):
    page = client.get(path)
    assert page.status_code == 200, page.text
    return re.search(r'name="worker" value="([^"]+)"', page.text).group(1)


def jpeg() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (64, 48), "orange").save(buffer, "JPEG")
    return buffer.getvalue()


def complete_data(token, **extra):
    return {
        "idempotency_key": key(),
        "action_at": "",
        "worker": token,
        "note": "换了阀门",
        "site_fee": "35",
        "customer_signature": signature_data_url(),
        **extra,
    }


def test_c10_department_staff_sign_in_on_the_tablet_and_see_their_open_orders(dept_tablet, world):
    order = make_order(world)
    other = make_order(world, department=DepartmentKind.CLEANING)
    page = dept_tablet.get("/patrol/work/")
    assert page.status_code == 200
    assert order.code in page.text and other.code not in page.text
    assert "138****5678" in page.text and "13812345678" not in page.text  # the phone masked
    assert world.rooms[0].label in page.text
    assert dept_tablet.get("/patrol/").status_code == 303  # the patrol list is not theirs


def test_c10_access_is_refused_outside_the_department_and_the_tablet(client, device, world):
    assert client.get("/patrol/work/").status_code == 403  # a browser that is not an enrolled tablet
    client.set_cookie(DEVICE_COOKIE, device)
    assert client.get("/patrol/work/").status_code == 303  # anonymous: to the sign-in
    early = make_order(world)
    anonymous = client.post(
        f"/patrol/work/orders/{early.id}/progress",
        data={"idempotency_key": key(), "kind": "arrived"},  # no worker vouched for by a sign-in
        headers=HEADERS,
    )
    assert anonymous.status_code == 403 and unquote(anonymous.headers["X-Refusal"])
    assert client.post(f"/patrol/work/orders/{early.id}/progress", data={}).status_code == 403  # no device header
    order = make_order(world, department=DepartmentKind.CLEANING)
    db.session.commit()
    own = make_order(world)
    assert sign_in(client, device).status_code == 303
    assert client.get(f"/patrol/work/orders/{order.id}").status_code == 404  # another department's
    token = worker_token(client, f"/patrol/work/orders/{own.id}")
    refused = client.post(
        f"/patrol/work/orders/{order.id}/progress",
        data={"idempotency_key": key(), "worker": token, "kind": "arrived"},
        headers=HEADERS,
    )
    assert refused.status_code == 422 and "其他部门" in unquote(refused.headers["X-Refusal"])
    # Department staff of another site cannot sign in on this tablet.
    other_dept = Department(site=world.other_site, kind=DepartmentKind.ENGINEERING)
    db.session.add(other_dept)
    db.session.flush()
    create_user(world.other_site, "far", "别处工程", Role.DEPARTMENT, "pw", department_id=other_dept.id)
    db.session.commit()
    assert sign_in(client, device, "far").status_code == 422


def test_c10_progress_is_stored_once_and_a_replay_gets_the_stored_answer(dept_tablet, world):
    order = make_order(world)
    token = worker_token(dept_tablet, f"/patrol/work/orders/{order.id}")
    data = {"idempotency_key": key(), "action_at": "", "worker": token, "kind": "parts_needed", "note": "缺阀门"}
    first = dept_tablet.post(f"/patrol/work/orders/{order.id}/progress", data=data, headers=HEADERS)
    again = dept_tablet.post(f"/patrol/work/orders/{order.id}/progress", data=data, headers=HEADERS)
    assert first.status_code == again.status_code == 200
    rows = db.session.scalars(sa.select(OrderProgress).where(OrderProgress.work_order_id == order.id)).all()
    assert [(r.kind, r.note) for r in rows] == [("parts_needed", "缺阀门")]
    changed = dept_tablet.post(
        f"/patrol/work/orders/{order.id}/progress", data={**data, "note": "别的"}, headers=HEADERS
    )
    assert changed.status_code == 422 and unquote(changed.headers["X-Refusal"])  # the same key, another payload


def test_c10_completion_with_photo_and_signature_once_and_shown_on_the_console(dept_tablet, client, world):
    order = make_order(world)
    token = worker_token(dept_tablet, f"/patrol/work/orders/{order.id}")
    data = complete_data(token)
    for _ in range(2):
        sent = dept_tablet.post(
            f"/patrol/work/orders/{order.id}/complete",
            data={**data, "photo": (io.BytesIO(jpeg()), "photo.jpg")},
            headers=HEADERS,
            content_type="multipart/form-data",
        )
        assert sent.status_code == 200, sent.text
    order = db.session.get(WorkOrder, order.id)
    assert order.status == OrderStatus.DONE and order.site_fee_cents == 3500
    assert order.customer_signature_sha256 and order.completed_by.username == "engineer"
    assert db.session.scalar(sa.select(sa.func.count()).select_from(OrderPhoto)) == 1
    completed = db.session.scalar(
        sa.select(sa.func.count()).where(CaseEvent.work_order_id == order.id, CaseEvent.action == "completed")
    )
    assert completed == 1
    # The console's order page shows it; opening the photo is audited.
    client.login("reception")
    page = client.get(f"/console/cases/orders/{order.id}")
    assert page.status_code == 200 and "缺" not in page.text
    photo = db.session.scalar(sa.select(OrderPhoto))
    assert f"/console/cases/orders/{order.id}/photos/{photo.id}" in page.text
    assert f"/console/cases/orders/{order.id}/customer-signature" in page.text
    shown = client.get(f"/console/cases/orders/{order.id}/photos/{photo.id}")
    assert shown.status_code == 200 and shown.mimetype == "image/jpeg"
    assert client.get(f"/console/cases/orders/{order.id}/customer-signature").mimetype == "image/png"
    assert db.session.scalar(sa.select(sa.func.count()).where(AuditEvent.action == "work_order.photo_viewed")) == 1


def test_c10_refusals_keep_their_reason(dept_tablet, world):
    order = make_order(world)
    token = worker_token(dept_tablet, f"/patrol/work/orders/{order.id}")
    unsigned = dept_tablet.post(
        f"/patrol/work/orders/{order.id}/complete", data=complete_data(token, customer_signature=""), headers=HEADERS
    )
    assert unsigned.status_code == 422 and "签名" in unquote(unsigned.headers["X-Refusal"])
    no_fee = dept_tablet.post(
        f"/patrol/work/orders/{order.id}/complete", data=complete_data(token, site_fee=""), headers=HEADERS
    )
    assert no_fee.status_code == 422 and "现场定价" in unquote(no_fee.headers["X-Refusal"])
    forged = dept_tablet.post(f"/patrol/work/orders/{order.id}/complete", data=complete_data("forged"), headers=HEADERS)
    assert forged.status_code == 403 and unquote(forged.headers["X-Refusal"])
    assert db.session.get(WorkOrder, order.id).status == OrderStatus.DISPATCHED


def test_c5_sign_for_the_form_and_rectify_on_the_tablet_exactly_once(dept_tablet, world):
    case = make_complaint(world)
    token = worker_token(dept_tablet, f"/patrol/work/complaints/{case.id}")
    receipt = {
        "idempotency_key": key(),
        "worker": token,
        "version": str(case.version),
        "receipt_signature": signature_data_url(),
    }
    rectify = {"idempotency_key": key(), "worker": token, "version": str(case.version + 1), "note": "已调解"}
    for _ in range(2):
        assert (
            dept_tablet.post(f"/patrol/work/complaints/{case.id}/receipt", data=receipt, headers=HEADERS).status_code
            == 200
        )
        assert (
            dept_tablet.post(f"/patrol/work/complaints/{case.id}/rectify", data=rectify, headers=HEADERS).status_code
            == 200
        )
    case = db.session.get(Complaint, case.id)
    assert case.status == ComplaintStatus.RECTIFIED and case.form_signature_sha256 and case.handling_note == "已调解"
    actions = db.session.scalars(sa.select(CaseEvent.action).where(CaseEvent.complaint_id == case.id)).all()
    assert actions.count("form_received") == 1 and actions.count("rectified") == 1


def test_c5_a_replay_after_someone_else_changed_the_complaint_is_a_refusal(dept_tablet, world):
    case = make_complaint(world, signed=True)
    token = worker_token(dept_tablet, f"/patrol/work/complaints/{case.id}")
    stale = case.version
    complaints.pause(case, world.user(Role.RECEPTIONIST), "客户出差", utcnow())  # meanwhile, on the console
    db.session.commit()
    sent = dept_tablet.post(
        f"/patrol/work/complaints/{case.id}/rectify",
        data={"idempotency_key": key(), "worker": token, "version": str(stale), "note": "已处理"},
        headers={**HEADERS, "X-Outbox-Replay": "1"},
    )
    assert sent.status_code == 422  # not 409: the outbox would retry that forever
    assert "已被他人修改" in unquote(sent.headers["X-Refusal"])
    assert db.session.get(Complaint, case.id).status == ComplaintStatus.HANDLING


def test_c10_the_list_costs_the_same_statements_for_10_or_100_orders(dept_tablet, world):
    def count():
        with recorded_statements() as statements:
            assert dept_tablet.get("/patrol/work/").status_code == 200
        return len(statements)

    for n in range(10):
        make_order(world, n=n)
    few = count()
    for n in range(10, 100):
        make_order(world, n=n)
    assert count() == few


def test_c10_an_order_dispatched_to_the_engineer_by_name_says_so_on_their_tablet(dept_tablet, world):
    engineering = world.departments[DepartmentKind.ENGINEERING]
    named = orders.create(
        world.site,
        user=world.user(Role.RECEPTIONIST),
        now=utcnow() - timedelta(minutes=30),
        content="热水器不点火",
        category=RepairCategory.PLUMBING,
        contact_name="李四",
    )
    orders.dispatch(named, world.user(Role.RECEPTIONIST), engineering, utcnow(), engineer=world.user(Role.DEPARTMENT))
    unnamed = make_order(world)
    db.session.commit()
    rows = dept_tablet.get("/patrol/work/").text.split('class="work-item"')[1:]
    mine = next(r for r in rows if named.code in r)
    theirs = next(r for r in rows if unnamed.code in r)
    assert "派给您的" in mine and "派给您的" not in theirs
