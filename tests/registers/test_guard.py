"""The security guard at the gate (rule V6, S1): a department account of the security
department (保安部), no role of its own. It lands on the gate check, scans a goods pass and
marks it used; it does not see other departments' work. The demo seeds it as `guard`."""

from datetime import timedelta

import pytest
import sqlalchemy as sa

from kiosk import demo
from kiosk.accounts import create_user
from kiosk.extensions import db
from kiosk.models import AuditEvent, DepartmentKind, Role, User
from kiosk.models.case_complaints import Complaint
from kiosk.models.case_orders import WorkOrder
from kiosk.models.cases import CoordinationRequest, Intake
from kiosk.models.patrols import Task
from kiosk.models.registers import GoodsItem, GoodsPass, PassStatus
from kiosk.timeutil import utcnow

GATE = "/console/registers/gate"


@pytest.fixture
def guard(world):
    user = create_user(
        world.site, "guard", "马辉", Role.DEPARTMENT, "pw", department_id=world.departments[DepartmentKind.SECURITY].id
    )
    db.session.commit()
    return user


def _approved_pass(world) -> GoodsPass:
    now = utcnow()
    goods_pass = GoodsPass(
        site_id=world.site.id,
        code="GATE2345",
        requester_kind="household",
        room_id=world.rooms[0].id,
        carrier_name="搬家师傅",
        direction="out",
        valid_from=now - timedelta(hours=1),
        valid_until=now + timedelta(hours=3),
        consent="owner",
        consent_by="张三",
        status=PassStatus.APPROVED,
        created_by_id=world.user(Role.RECEPTIONIST).id,
        decided_at=now,
        decided_by_id=world.user(Role.SUPERVISOR).id,
        items=[GoodsItem(name="冰箱", quantity=1)],
    )
    db.session.add(goods_pass)
    db.session.commit()
    return goods_pass


def test_v6_the_guard_lands_on_the_gate_check(client, guard):
    response = client.login("guard")
    assert response.status_code == 303 and response.headers["Location"] == GATE
    assert client.get("/").headers["Location"] == GATE  # the home address leads there too
    page = client.get(GATE + "?lang=en").get_data(as_text=True)
    assert 'name="code"' in page and "Gate check" in page


def test_v6_the_guard_scans_a_pass_and_marks_it_used(client, world, guard):
    goods_pass = _approved_pass(world)
    client.login("guard")
    page = client.get(f"{GATE}?code={goods_pass.code}&lang=en").get_data(as_text=True)
    assert "Valid: the goods listed may pass." in page and "冰箱" in page
    response = client.post_form(f"{GATE}/{goods_pass.code}/use", page=f"{GATE}?code={goods_pass.code}")
    assert response.status_code == 303
    db.session.refresh(goods_pass)
    assert goods_pass.status == PassStatus.USED and goods_pass.used_by_id == guard.id


def test_v6_another_departments_account_does_not_work_the_gate(client, world):
    goods_pass = _approved_pass(world)
    client.login("engineer")
    assert client.login("engineer").headers["Location"] == "/console/"  # the engineer's home is not the gate
    page = client.get(f"{GATE}?code={goods_pass.code}&lang=en").get_data(as_text=True)
    assert "冰箱" not in page and "for the security department" in page
    client.post_form(f"{GATE}/{goods_pass.code}/use")
    db.session.refresh(goods_pass)
    assert goods_pass.status == PassStatus.APPROVED


def test_s1_the_demo_guard_sees_no_other_departments_work(app, client):
    """On the demo's data (work orders, complaints, services, coordination requests and
    patrol tasks for engineering and others), the guard's lists and records hold none of
    another department's; the engineer sees engineering's (the check is not vacuous)."""
    demo.seed("pw")
    guard = db.session.scalar(sa.select(User).where(User.username == "guard"))
    assert guard.role == Role.DEPARTMENT and guard.department.kind == DepartmentKind.SECURITY
    engineer = db.session.scalar(sa.select(User).where(User.username == "engineer"))
    # the demo's records were made by the engineer, not by the guard seeded after them
    assert db.session.scalar(sa.select(sa.func.count(AuditEvent.id)).where(AuditEvent.user_id == guard.id)) == 0
    theirs = {
        "/console/cases/orders": ("/console/cases/orders/{}", WorkOrder),
        "/console/cases/complaints": ("/console/cases/complaints/{}", Complaint),
        "/console/patrols/tasks": ("/console/patrols/tasks/{}", Task),
        "/console/cases/coordination": ("/console/cases/coordination/{}", None),
        "/console/cases/": ("/console/cases/intake/{}", Intake),
    }
    client.login("guard")
    engineer_client = app.test_client()
    engineer_client.login("engineer")
    seen_by_engineer = 0
    for listing, (detail, model) in theirs.items():
        guard_page = client.get(listing)
        assert guard_page.status_code == 200, listing
        if model is None:
            continue
        others = db.session.scalars(
            sa.select(model.id).where(model.department_id.is_not(None), model.department_id != guard.department_id)
        ).all()
        for ident in others:
            assert f'href="{detail.format(ident)}"' not in guard_page.get_data(as_text=True), listing
        for ident in others[:3]:
            assert client.get(detail.format(ident)).status_code in (403, 404), detail.format(ident)
        mine = db.session.scalars(sa.select(model.id).where(model.department_id == engineer.department_id)).all()
        engineer_page = engineer_client.get(listing).get_data(as_text=True)
        seen_by_engineer += sum(f'href="{detail.format(i)}"' in engineer_page for i in mine)
    assert seen_by_engineer > 0
    # a coordination request not addressed to security does not open for the guard
    for request_id in db.session.scalars(sa.select(CoordinationRequest.id)).all():
        request = db.session.get(CoordinationRequest, request_id)
        if all(a.department_id != guard.department_id for a in request.answers):
            assert client.get(f"/console/cases/coordination/{request_id}").status_code in (403, 404)


def test_v6_the_gate_check_is_in_the_menu_of_the_guard_and_the_desk_only(app, client, world, guard):
    client.login("guard")
    assert f'href="{GATE}"' in client.get("/console/").get_data(as_text=True)
    for username in ("engineer", "reception"):
        other = app.test_client()
        other.login(username)
        page = other.get("/console/").get_data(as_text=True)
        assert (f'href="{GATE}"' in page) == (username == "reception"), username
