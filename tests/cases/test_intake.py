"""The intake log (C1): routing by class, the read-back, the receptionist's form, the caller
search and masking (A5, V3), site scoping."""

from datetime import timedelta

import pytest
import sqlalchemy as sa

from kiosk.cases import Refused, intake
from kiosk.extensions import db
from kiosk.models import DepartmentKind, Role
from kiosk.models.case_complaints import Complaint, ComplaintStatus
from kiosk.models.case_orders import OrderStatus, WorkOrder
from kiosk.models.cases import Channel, Intake, IntakeClass, IntakeStatus
from kiosk.timeutil import utcnow
from tests.cases.helpers import call


def test_c1_repair_opens_a_work_order(world):
    entry = call(world, IntakeClass.REPAIR, utcnow())
    order = db.session.scalar(sa.select(WorkOrder).where(WorkOrder.intake_id == entry.id))
    assert entry.status == IntakeStatus.ROUTED
    assert order.status == OrderStatus.LOGGED and order.number == 1
    assert order.room_id == world.households[0].room_id and order.contact_phone == "13812345678"


def test_c1_complaint_opens_a_case_owned_by_its_receiver(world):
    entry = call(world, IntakeClass.COMPLAINT, utcnow(), content="噪音扰民")
    case = db.session.scalar(sa.select(Complaint).where(Complaint.intake_id == entry.id))
    assert case.status == ComplaintStatus.RECEIVED
    assert case.owner_id == world.user(Role.RECEPTIONIST).id  # C2 first-receiver ownership


def test_c1_issue_report_goes_to_the_chosen_department(world):
    cleaning = world.departments[DepartmentKind.CLEANING]
    entry = call(world, IntakeClass.ISSUE, utcnow(), department=cleaning)
    assert entry.status == IntakeStatus.OPEN and entry.department_id == cleaning.id
    with pytest.raises(Refused) as refused:
        call(world, IntakeClass.ISSUE, utcnow())
    assert refused.value.reason == "department_required"


def test_c1_inquiry_answered_or_reply_owed(world):
    now = utcnow()
    answered = call(world, IntakeClass.INQUIRY, now, answer="物业费可在前台缴纳")
    owed = call(world, IntakeClass.INQUIRY, now, reply_due_at=now + timedelta(hours=4))
    assert answered.status == IntakeStatus.CLOSED
    assert owed.status == IntakeStatus.OPEN and owed.reply_due_at is not None
    with pytest.raises(Refused):
        call(world, IntakeClass.INQUIRY, now)


def test_c1_suggestion_gathered_praise_noted_other_escalated(world):
    from kiosk.models.cases import Importance

    now = utcnow()
    assert call(world, IntakeClass.SUGGESTION, now).status == IntakeStatus.CLOSED
    assert call(world, IntakeClass.PRAISE, now).status == IntakeStatus.CLOSED
    other = call(world, IntakeClass.OTHER, now, importance=Importance.URGENT)
    assert other.status == IntakeStatus.OPEN and other.importance == Importance.URGENT


def test_c1_not_saved_without_read_back(world):
    with pytest.raises(Refused) as refused:
        intake.log(
            world.site,
            intake.Call(
                channel=Channel.PHONE, kind=IntakeClass.PRAISE, content="好", read_back=False, caller_name="路人"
            ),
            user=world.user(Role.RECEPTIONIST),
            now=utcnow(),
        )
    assert refused.value.reason == "read_back_required"


def test_c1_unregistered_caller(world):
    entry = call(world, IntakeClass.PRAISE, utcnow(), household=None, caller_name="路过的王先生")
    assert entry.household_id is None and entry.caller_name == "路过的王先生"


def test_c1_receptionist_logs_a_repair_through_the_form(client, world):
    client.login("reception")
    response = client.post_form(
        "/console/cases/new",
        {
            "channel": "phone",
            "household": str(world.households[1].id),
            "content": "卫生间漏水",
            "kind": "repair",
            "category": "plumbing",
            "importance": "normal",
            "read_back": "y",
            "department": "0",
        },
        page="/console/cases/new",
    )
    assert response.status_code == 303
    order = db.session.scalar(sa.select(WorkOrder))
    assert order.household_id == world.households[1].id and order.code.endswith("-000001")


def test_c1_form_without_read_back_is_422_with_input_kept(client, world):
    client.login("reception")
    response = client.post_form(
        "/console/cases/new",
        {
            "channel": "phone",
            "caller_name": "陌生人",
            "content": "电梯异响",
            "kind": "issue",
            "department": "0",
            "category": "other",
            "importance": "normal",
        },
        page="/console/cases/new",
    )
    assert response.status_code == 422
    assert "电梯异响" in response.get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count(Intake.id))) == 0


def test_c1_a5_caller_search_masks_names_and_phones(client, world):
    client.login("reception")
    body = client.htmx("get", "/console/cases/callers?q=1-1-0201").get_data(as_text=True)
    assert "1-1-0201" in body and "李**" in body and "139****4321" in body
    assert "李四" not in body and "13987654321" not in body
    by_initials = client.htmx("get", "/console/cases/callers?q=wxm").get_data(as_text=True)
    assert "1-1-0301" in by_initials
    by_phone = client.htmx("get", "/console/cases/callers?q=5011112222").get_data(as_text=True)
    assert "1-1-0301" in by_phone


def test_c1_intake_log_is_scoped_to_the_site(client, world):
    call(world, IntakeClass.PRAISE, utcnow(), content="保安很负责")
    client.login("elsewhere")
    assert "保安很负责" not in client.get("/console/cases/").get_data(as_text=True)
    client.login("reception")
    assert "保安很负责" in client.get("/console/cases/").get_data(as_text=True)


def test_c1_intake_log_pages_with_constant_statements(client, world):
    from tests.statements import recorded_statements

    client.login("reception")
    now = utcnow()

    def add(n):
        for i in range(n):
            call(
                world,
                IntakeClass.REPAIR if i % 2 else IntakeClass.ISSUE,
                now - timedelta(minutes=i),
                household=i % 3,
                department=world.departments[DepartmentKind.CLEANING],
            )

    counts = []
    for n in (3, 30):
        add(n)
        with recorded_statements() as statements:
            assert client.get("/console/cases/").status_code == 200
        counts.append(len(statements))
    assert counts[0] == counts[1]


def test_a5_full_phone_only_once_the_caller_is_verified_and_audited(client, world):
    """The full phone of a household's case is shown only after the identity step: how the
    caller was verified, recorded against the household (A5); each look is audited."""
    from kiosk.models import AuditEvent
    from kiosk.models.households import IdentityCheck

    entry = call(world, IntakeClass.REPAIR, utcnow())
    order = db.session.scalar(sa.select(WorkOrder).where(WorkOrder.intake_id == entry.id))
    page = f"/console/cases/orders/{order.id}"
    client.login("officer")
    assert "13812345678" not in client.get(page).get_data(as_text=True)
    asked = client.get(f"{page}?reveal=1").get_data(as_text=True)
    assert "13812345678" not in asked and f"/console/cases/work_order/{order.id}/identity" in asked

    unchosen = client.post_form(f"/console/cases/work_order/{order.id}/identity", {}, page=page)
    assert unchosen.status_code == 303 and db.session.scalar(sa.select(sa.func.count(IdentityCheck.id))) == 0
    assert "13812345678" not in client.get(unchosen.location).get_data(as_text=True)

    verified = client.post_form(f"/console/cases/work_order/{order.id}/identity", {"method": "callback"}, page=page)
    assert verified.status_code == 303 and verified.location.endswith(f"{page}?reveal=1")
    check = db.session.scalar(sa.select(IdentityCheck))
    assert check.household_id == order.household_id and check.checked_by_id == world.user(Role.OFFICER).id
    assert "13812345678" in client.get(verified.location).get_data(as_text=True)
    actions = list(db.session.scalars(sa.select(AuditEvent.action)))
    assert actions.count("work_order.contact_revealed") == 1 and "household.identity_verified" in actions

    client.login("reception")  # another person's check does not count for them
    assert "13812345678" not in client.get(f"{page}?reveal=1").get_data(as_text=True)


def test_a5_a_caller_with_no_household_on_file_gets_their_own_phone_back(client, world):
    entry = call(world, IntakeClass.REPAIR, utcnow(), household=None, caller_name="路人", caller_phone="13700001111")
    order = db.session.scalar(sa.select(WorkOrder).where(WorkOrder.intake_id == entry.id))
    client.login("officer")
    assert "13700001111" in client.get(f"/console/cases/orders/{order.id}?reveal=1").get_data(as_text=True)
