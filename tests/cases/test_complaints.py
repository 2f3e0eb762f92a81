"""Complaint cases (C2-C5, S2): validity, grading, the form signed for on receipt (C5),
deadlines in Chinese working days (C3), pause, missed stays missed, callback with
confirmation and lock, the version check."""

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import sqlalchemy as sa
import time_machine

from kiosk.cases import Conflict, Refused, board, complaints, deadlines
from kiosk.extensions import db
from kiosk.models import AuditEvent, DepartmentKind, Role
from kiosk.models.case_complaints import Complaint, ComplaintCategory, ComplaintStatus, Grade
from kiosk.models.cases import CaseEvent, Confirmation, IntakeClass, Satisfaction
from kiosk.timeutil import utcnow
from tests.cases.helpers import SIGNED, call, received, signature_data_url

SHANGHAI = ZoneInfo("Asia/Shanghai")


def _local(*args) -> datetime:
    return datetime(*args, tzinfo=SHANGHAI).astimezone(UTC)


def _case(world, now) -> Complaint:
    entry = call(world, IntakeClass.COMPLAINT, now, content="楼上装修噪音")
    return db.session.query(Complaint).filter_by(intake_id=entry.id).one()


def _graded(world, now, grade=Grade.GENERAL, signed_for=True) -> Complaint:
    case = _case(world, now)
    complaints.check_validity(case, world.user(Role.RECEPTIONIST), valid=True, explanation=None, now=now)
    complaints.grade(
        case,
        world.user(Role.SUPERVISOR),
        grade=grade,
        reason="影响多户",
        department=world.departments[DepartmentKind.ENGINEERING],
        now=now,
    )
    if signed_for:
        received(world, case, now)
    db.session.commit()
    return case


def test_c3_deadlines_before_national_day():
    """Received Tuesday 30 September 2025, the working day before the National Day holiday
    (1-8 October): rectification counts working days only; 11 October is a make-up Saturday."""
    received = date(2025, 9, 30)
    assert deadlines.rectify_due(received, Grade.MAJOR) == date(2025, 10, 9)
    assert deadlines.rectify_due(received, Grade.GENERAL) == date(2025, 10, 11)  # make-up Saturday counts
    assert deadlines.answer_due(received) == date(2025, 10, 2)  # within 2 days
    assert deadlines.answer_cap(received) == date(2025, 10, 16)  # never later than 7 working days
    assert deadlines.callback_due(date(2025, 10, 9), Grade.MAJOR) == date(2025, 10, 16)
    assert deadlines.callback_due(date(2025, 10, 9), Grade.GENERAL) == date(2025, 10, 23)


def test_c3_complaint_received_on_a_make_up_saturday():
    assert deadlines.rectify_due(date(2025, 10, 11), Grade.MAJOR) == date(2025, 10, 13)
    assert deadlines.rectify_due(date(2025, 10, 11), Grade.GENERAL) == date(2025, 10, 15)


def test_c3_graded_case_before_the_holiday_end_to_end(world):
    with time_machine.travel(_local(2025, 9, 30, 16, 0), tick=False):
        case = _graded(world, utcnow(), Grade.MAJOR)
        assert case.rectify_due == date(2025, 10, 9)
        assert case.notify_due_at == utcnow() + timedelta(hours=4) and not case.notify_missed
    with time_machine.travel(_local(2025, 10, 9, 18, 0), tick=False):
        complaints.mark_missed(case, utcnow())
        assert not case.rectify_missed  # the holiday did not count
        assert case.answer_missed  # no first answer by 2 October


def test_c2_out_of_scope_is_closed_with_the_explanation(world):
    case = _case(world, utcnow())
    with pytest.raises(Refused):
        complaints.check_validity(case, world.user(Role.RECEPTIONIST), valid=False, explanation="", now=utcnow())
    complaints.check_validity(
        case,
        world.user(Role.RECEPTIONIST),
        valid=False,
        explanation="属市政供电问题，已告知业主联系供电局",
        now=utcnow(),
    )
    assert case.status == ComplaintStatus.OUT_OF_SCOPE and "供电局" in case.explanation


def test_c2_only_supervisors_grade_with_reason_and_department(world):
    now = utcnow()
    case = _case(world, now)
    complaints.check_validity(case, world.user(Role.RECEPTIONIST), valid=True, explanation=None, now=now)
    assert board.count_to_grade(world.site.id, None) == 1  # reaches the supervisors at once
    with pytest.raises(Refused):
        complaints.grade(
            case,
            world.user(Role.RECEPTIONIST),
            grade=Grade.MAJOR,
            reason="x",
            department=world.departments[DepartmentKind.CLEANING],
            now=now,
        )
    with pytest.raises(Refused):
        complaints.grade(
            case,
            world.user(Role.SUPERVISOR),
            grade=Grade.MAJOR,
            reason=" ",
            department=world.departments[DepartmentKind.CLEANING],
            now=now,
        )
    complaints.grade(
        case,
        world.user(Role.SUPERVISOR),
        grade=Grade.MAJOR,
        reason="涉及安全",
        department=world.departments[DepartmentKind.CLEANING],
        now=now,
    )
    assert case.status == ComplaintStatus.HANDLING
    assert case.notified_at is None  # notified when the department signs for the form (C5)
    assert case.owner_id == world.user(Role.RECEPTIONIST).id  # first receiver stays owner (C2)


def test_c3_department_notified_late_is_missed(world):
    now = utcnow()
    case = _case(world, now)
    complaints.check_validity(case, world.user(Role.RECEPTIONIST), valid=True, explanation=None, now=now)
    complaints.grade(
        case,
        world.user(Role.SUPERVISOR),
        grade=Grade.GENERAL,
        reason="一般",
        department=world.departments[DepartmentKind.ENGINEERING],
        now=now + timedelta(hours=1),
    )
    assert not case.notify_missed
    received(world, case, now + timedelta(hours=5))  # C5: signed for after 4 hours
    assert case.notify_missed and case.notified_at == now + timedelta(hours=5)


def test_c3_pause_moves_pending_deadlines_but_missed_stays_missed(world):
    start = _local(2025, 6, 2, 9, 0)  # a Monday
    with time_machine.travel(start, tick=False):
        case = _graded(world, utcnow(), Grade.GENERAL)
    assert case.rectify_due == date(2025, 6, 5) and case.answer_due == date(2025, 6, 4)
    with time_machine.travel(_local(2025, 6, 5, 10, 0), tick=False):
        complaints.pause(case, world.user(Role.RECEPTIONIST), "业主出差，约下周再上门", utcnow())
        assert case.answer_missed and not case.rectify_missed  # missed before the pause
    with time_machine.travel(_local(2025, 6, 12, 10, 0), tick=False):
        complaints.mark_missed(case, utcnow())
        assert not case.rectify_missed  # the clock is stopped
        complaints.resume(case, world.user(Role.RECEPTIONIST), utcnow())
        assert case.rectify_due == date(2025, 6, 12)  # moved on by the 5 working days paused
        assert case.answer_missed  # stays missed
        complaints.first_answer(case, world.user(Role.RECEPTIONIST), "已与业主沟通", utcnow())
        assert case.answer_missed
    with time_machine.travel(_local(2025, 6, 20, 10, 0), tick=False):
        complaints.rectified(case, world.user(Role.DEPARTMENT), "已协调装修时间", utcnow())
        assert case.rectify_missed
        assert case.callback_due == date(2025, 7, 4)  # two weeks after rectification (general)


def test_c4_callback_confirmed_by_phone_locks_the_record(world):
    now = utcnow()
    case = _graded(world, now)
    complaints.rectified(case, world.user(Role.DEPARTMENT), "已处理", now)
    with pytest.raises(Refused) as refused:
        complaints.record_callback(
            case,
            world.user(Role.OFFICER),
            satisfaction=Satisfaction.SATISFIED,
            note=None,
            confirmation=Confirmation.PHONE,
            confirmed_by="",
            now=now,
        )
    assert refused.value.reason == "confirmed_by_required"
    complaints.record_callback(
        case,
        world.user(Role.OFFICER),
        satisfaction=Satisfaction.SATISFIED,
        note="满意",
        confirmation=Confirmation.PHONE,
        confirmed_by="业主本人",
        now=now,
    )
    assert case.status == ComplaintStatus.CONFIRMED and case.locked
    with pytest.raises(Refused) as refused:
        complaints.pause(case, world.user(Role.RECEPTIONIST), "x", now)
    assert refused.value.reason == "locked"  # S2


def test_c4_unhappy_customer_reopens_the_case(world):
    now = utcnow()
    case = _graded(world, now, Grade.MAJOR)
    complaints.rectified(case, world.user(Role.DEPARTMENT), "已处理", now)
    complaints.record_callback(
        case,
        world.user(Role.OFFICER),
        satisfaction=Satisfaction.UNSATISFIED,
        note="问题依旧",
        confirmation=None,
        confirmed_by=None,
        now=now,
    )
    assert case.status == ComplaintStatus.HANDLING and case.reopened_count == 1 and not case.locked


@pytest.mark.parametrize(("days_later", "missed"), [(1, False), (12, True)])
def test_c3_c4_a_callback_with_no_first_answer_on_record_is_the_first_answer(world, days_later, missed):
    """Nobody recorded the first answer; the callback reaches the customer: it is the first
    answer, at its own time, and the 2-day deadline is met or missed by it (C3), never left
    neither on a closed complaint."""
    start = utcnow()
    case = _graded(world, start)
    complaints.rectified(case, world.user(Role.DEPARTMENT), "已处理", start)
    later = start + timedelta(days=days_later)
    complaints.record_callback(
        case,
        world.user(Role.OFFICER),
        satisfaction=Satisfaction.SATISFIED,
        note="已答复并确认",
        confirmation=Confirmation.PHONE,
        confirmed_by="业主本人",
        now=later,
    )
    assert case.answered_at == later and case.first_answer == "已答复并确认"
    assert case.answer_missed is missed
    events = db.session.scalars(sa.select(CaseEvent.action).where(CaseEvent.complaint_id == case.id)).all()
    assert "answered" in events


def test_c2_department_records_only_its_own_complaints(world):
    now = utcnow()
    case = _case(world, now)
    complaints.check_validity(case, world.user(Role.RECEPTIONIST), valid=True, explanation=None, now=now)
    complaints.grade(
        case,
        world.user(Role.SUPERVISOR),
        grade=Grade.GENERAL,
        reason="r",
        department=world.departments[DepartmentKind.CLEANING],
        now=now,
    )
    with pytest.raises(Refused) as refused:
        complaints.rectified(case, world.user(Role.DEPARTMENT), "x", now)
    assert refused.value.reason == "not_yours"


def test_c2_version_check_refuses_a_stale_form(world):
    case = _case(world, utcnow())
    complaints.check_version(case, case.version)
    with pytest.raises(Conflict):
        complaints.check_version(case, case.version - 1 if case.version > 1 else 99)


def test_c4_callback_signed_on_the_console_through_the_pages(client, world):
    """Receptionist logs, supervisor grades, department signs for the form (C5) and rectifies,
    officer's callback signed (C4)."""
    now = utcnow()
    case = _case(world, now)
    complaints.check_validity(case, world.user(Role.RECEPTIONIST), valid=True, explanation=None, now=now)
    db.session.commit()
    client.login("supervisor")
    page = f"/console/cases/complaints/{case.id}"
    graded = {
        "version": str(case.version),
        "grade": "major",
        "reason": "涉及安全",
        "department": str(world.departments[DepartmentKind.ENGINEERING].id),
    }
    uncategorised = client.post_form(f"{page}/grade", graded)
    assert uncategorised.status_code == 422  # C5: the supervisor says what it is about
    assert "请选择投诉类别。" in uncategorised.get_data(as_text=True)
    response = client.post_form(f"{page}/grade", {**graded, "category": "security"})
    assert response.status_code == 303
    db.session.expire_all()
    assert db.session.get(Complaint, case.id).category == ComplaintCategory.SECURITY
    client.login("engineer")
    db.session.expire_all()
    case = db.session.get(Complaint, case.id)
    early = client.post_form(f"{page}/rectify", {"version": str(case.version), "note": "已加固"})
    assert early.status_code == 422  # C5: the form is signed for first
    receipt = client.post_form(
        f"{page}/receipt", {"version": str(case.version), "receipt_signature": signature_data_url()}
    )
    assert receipt.status_code == 303
    db.session.expire_all()
    case = db.session.get(Complaint, case.id)
    assert client.post_form(f"{page}/rectify", {"version": str(case.version), "note": "已加固"}).status_code == 303
    client.login("officer")
    db.session.expire_all()
    case = db.session.get(Complaint, case.id)
    signature = signature_data_url()
    empty = client.post_form(
        f"{page}/callback",
        {"version": str(case.version), "satisfaction": "satisfied", "confirmation": "signature", "signature": ""},
    )
    assert empty.status_code == 422
    done = client.post_form(
        f"{page}/callback",
        {
            "version": str(case.version),
            "satisfaction": "satisfied",
            "confirmation": "signature",
            "signature": signature,
        },
    )
    assert done.status_code == 303
    db.session.expire_all()
    case = db.session.get(Complaint, case.id)
    assert case.locked and case.signature_sha256
    assert client.get(f"{page}/signature").status_code == 200
    refused = client.post_form(f"{page}/pause", {"version": str(case.version), "note": "x"})
    assert refused.status_code == 422  # S2: locked


def test_c2_second_editor_gets_the_new_state(client, world):
    now = utcnow()
    case = _case(world, now)
    stale = case.version
    client.login("reception")
    page = f"/console/cases/complaints/{case.id}"
    assert client.post_form(f"{page}/validity", {"version": str(stale), "valid": "yes"}).status_code == 303
    second = client.post_form(f"{page}/validity", {"version": str(stale), "valid": "no", "explanation": "不属物业"})
    assert second.status_code == 409
    db.session.expire_all()
    assert db.session.get(Complaint, case.id).status == ComplaintStatus.TO_GRADE


def test_c5_department_signs_for_the_form_and_meets_the_4_hour_notice(world):
    """C5: the department signs on receipt; the time of receipt is when it was notified (C3)."""
    start = utcnow()
    case = _graded(world, start, signed_for=False)
    assert case.notified_at is None and case.form_received_at is None
    with pytest.raises(Refused) as refused:
        complaints.rectified(case, world.user(Role.DEPARTMENT), "已处理", start)
    assert refused.value.reason == "receipt_required"
    with pytest.raises(Refused) as refused:  # not the responsible department's staff
        complaints.receive_form(case, world.user(Role.SUPERVISOR), signature=SIGNED, now=start)
    assert refused.value.reason == "not_yours"
    with pytest.raises(Refused) as refused:
        complaints.receive_form(case, world.user(Role.DEPARTMENT), signature=None, now=start)
    assert refused.value.reason == "signature_required"
    signed_at = start + timedelta(hours=3, minutes=59)
    complaints.receive_form(case, world.user(Role.DEPARTMENT), signature=SIGNED, now=signed_at)
    assert case.form_received_at == signed_at and case.notified_at == signed_at and not case.notify_missed
    assert case.form_received_by_id == world.user(Role.DEPARTMENT).id and case.form_signature_sha256
    with pytest.raises(Refused):  # signed once
        complaints.receive_form(case, world.user(Role.DEPARTMENT), signature=SIGNED, now=signed_at)
    complaints.rectified(case, world.user(Role.DEPARTMENT), "已处理", signed_at)
    assert case.status == ComplaintStatus.RECTIFIED


def test_c5_form_not_signed_for_in_4_hours_is_missed_and_stays_missed(world):
    start = utcnow()
    case = _graded(world, start, signed_for=False)
    later = start + timedelta(hours=4, minutes=1)
    assert board.overdue(world.site, later)["notify"] == 1
    db.session.commit()
    db.session.refresh(case)
    assert case.notify_missed  # the sweep flagged it
    received(world, case, later + timedelta(minutes=5))
    assert case.notify_missed and case.notified_at is not None  # missed stays missed (C3)


def test_c5_receipt_page_roles_and_bad_signature(client, world):
    now = utcnow()
    case = _graded(world, now, signed_for=False)
    page = f"/console/cases/complaints/{case.id}"
    client.login("reception")
    assert client.post_form(f"{page}/receipt", {"version": str(case.version)}).status_code == 403
    client.login("engineer")
    body = client.get(page).get_data(as_text=True)
    assert "receipt_signature" in body
    empty = client.post_form(f"{page}/receipt", {"version": str(case.version), "receipt_signature": ""})
    assert empty.status_code == 422
    db.session.expire_all()
    assert db.session.get(Complaint, case.id).form_received_at is None
    form = {"version": str(case.version), "receipt_signature": signature_data_url()}
    assert client.post_form(f"{page}/receipt", form).status_code == 303
    assert client.post_form(f"{page}/receipt", form).status_code == 409  # a double submit sees the new state
    client.login("supervisor")
    body = client.get(page).get_data(as_text=True)
    assert f"{page}/receipt-signature" in body
    image = client.get(f"{page}/receipt-signature")
    assert image.status_code == 200 and image.mimetype == "image/png"


def test_s1_c2_c5_every_step_of_a_complaint_is_audited_with_its_author(world):
    """S1 (each change traceable to its own account), C2-C5: received by the receptionist,
    found valid, graded by the supervisor, the form signed for and the case rectified by the
    department, paused by the officer and resumed by the receptionist, the first answer, the
    officer's callback: one audit event per change, in order, with its action, its author,
    its time and its site."""
    reception, supervisor = world.user(Role.RECEPTIONIST), world.user(Role.SUPERVISOR)
    engineer, officer = world.user(Role.DEPARTMENT), world.user(Role.OFFICER)
    expected = []
    with time_machine.travel(_local(2025, 6, 2, 9, 0), tick=False) as clock:  # a Monday

        def step(action, user):
            expected.append((action, user.id, utcnow()))
            clock.shift(timedelta(minutes=30))

        case = _case(world, utcnow())
        step("complaint.received", reception)
        complaints.check_validity(case, reception, valid=True, explanation=None, now=utcnow())
        step("complaint.validity", reception)
        complaints.grade(
            case,
            supervisor,
            grade=Grade.GENERAL,
            reason="影响多户",
            department=world.departments[DepartmentKind.ENGINEERING],
            category=ComplaintCategory.NEIGHBOURS,
            now=utcnow(),
        )
        step("complaint.graded", supervisor)
        complaints.receive_form(case, engineer, signature=SIGNED, now=utcnow())
        step("complaint.form_received", engineer)
        complaints.pause(case, officer, "  业主出差，约下周再上门 ", utcnow())
        step("complaint.paused", officer)
        complaints.resume(case, reception, utcnow())
        step("complaint.resumed", reception)
        complaints.first_answer(case, reception, "已与业主沟通", utcnow())
        step("complaint.answered", reception)
        complaints.rectified(case, engineer, "已协调装修时间", utcnow())
        step("complaint.rectified", engineer)
        complaints.record_callback(
            case,
            officer,
            satisfaction=Satisfaction.SATISFIED,
            note="满意",
            confirmation=Confirmation.PHONE,
            confirmed_by="业主本人",
            now=utcnow(),
        )
        step("complaint.confirmed", officer)
        db.session.commit()
    events = db.session.scalars(
        sa.select(AuditEvent)
        .where(AuditEvent.entity_type == "Complaint", AuditEvent.entity_id == str(case.id))
        .order_by(AuditEvent.id)
    ).all()
    assert [(e.action, e.user_id, e.at) for e in events] == expected
    assert {e.site_id for e in events} == {world.site.id} and {e.device_id for e in events} == {None}
    by_action = {e.action: e for e in events}
    assert by_action["complaint.validity"].details == {"valid": True}
    assert by_action["complaint.graded"].details == {
        "grade": "general",
        "category": "neighbours",
        "department": "engineering",
    }
    assert by_action["complaint.form_received"].details == {"late": False}
    assert by_action["complaint.paused"].reason == "业主出差，约下周再上门"  # why the clocks stopped
    assert by_action["complaint.confirmed"].details == {"satisfaction": "satisfied", "confirmation": "phone"}


@pytest.mark.parametrize("reason", ["", "   \n "])
def test_c3_pausing_without_a_reason_is_refused_and_changes_nothing(world, reason):
    """C3: the clocks stop only for a reason on record (the customer unreachable, a later
    appointment): a pause without one is refused and leaves the case, its history and the
    audit trail as they were."""
    with time_machine.travel(_local(2025, 6, 2, 9, 0), tick=False):
        case = _graded(world, utcnow())
        version, due = case.version, (case.answer_due, case.rectify_due, case.notify_due_at)
        with pytest.raises(Refused) as refused:
            complaints.pause(case, world.user(Role.OFFICER), reason, utcnow())
        assert refused.value.reason == "reason_required"
        db.session.commit()
    db.session.expire_all()
    case = db.session.get(Complaint, case.id)
    assert case.paused_at is None and case.pause_reason is None and case.status == ComplaintStatus.HANDLING
    assert case.version == version and (case.answer_due, case.rectify_due, case.notify_due_at) == due
    actions = db.session.scalars(sa.select(CaseEvent.action).where(CaseEvent.complaint_id == case.id)).all()
    assert "paused" not in actions
    assert db.session.scalar(sa.select(AuditEvent.id).where(AuditEvent.action == "complaint.paused")) is None


def test_c3_the_pause_form_without_a_reason_is_refused_with_its_message(client, world):
    """C3 through the page: a blank reason is the form again (422) with the reason asked for;
    the case is not paused, and a later resume is still an illegal step."""
    with time_machine.travel(_local(2025, 6, 2, 9, 0), tick=False):
        case = _graded(world, utcnow())
        page = f"/console/cases/complaints/{case.id}"
        client.login("reception")
        refused = client.post_form(f"{page}/pause", {"version": str(case.version), "note": "   "})
        assert refused.status_code == 422
        assert "请填写处理情况或原因。" in refused.get_data(as_text=True)
        db.session.expire_all()
        case = db.session.get(Complaint, case.id)
        assert case.paused_at is None and case.pause_reason is None
        assert client.post_form(f"{page}/resume", {"version": str(case.version)}).status_code == 422


def test_c2_first_receiver_sees_the_complaints_they_received_until_closed(client, world):
    """首问责任制 (C2): a receptionist's complaint list holds the complaints they received, not
    another receptionist's, until the complaint is closed; the supervisor sees both."""
    from kiosk.accounts import create_user

    colleague = create_user(world.site, "reception2", "前台二号", Role.RECEPTIONIST, "pw")
    db.session.commit()
    with time_machine.travel(_local(2025, 6, 2, 9, 0), tick=False):
        now = utcnow()
        mine = complaints.open_case(
            world.site,
            user=world.user(Role.RECEPTIONIST),
            now=now,
            content="电梯异响",
            caller_name="张三",
            caller_phone=None,
        )
        theirs = complaints.open_case(
            world.site, user=colleague, now=now, content="楼道积水", caller_name="李四", caller_phone=None
        )
        db.session.commit()

        def listed(username, show="open"):
            client.login(username)
            response = client.get(f"/console/cases/complaints?show={show}")
            assert response.status_code == 200
            body = response.get_data(as_text=True)
            return {c.code for c in (mine, theirs) if f'/console/cases/complaints/{c.id}"' in body}

        assert listed("reception") == {mine.code}
        assert listed("reception2") == {theirs.code}
        assert listed("supervisor") == {mine.code, theirs.code}
        complaints.check_validity(
            mine, world.user(Role.RECEPTIONIST), valid=False, explanation="属市政管辖，已告知业主", now=utcnow()
        )
        db.session.commit()
        assert listed("reception") == set()  # closed: no longer followed
        assert listed("reception", show="all") == {mine.code}  # still theirs on record
        assert listed("reception2") == {theirs.code}


def test_c2_another_sites_complaint_is_not_found_nor_listed(client, world):
    """Site scoping (C2, S3): a complaint received at another site is a 404 on its page and
    its steps for this site's staff, and absent from their list even for the supervisor,
    who sees every complaint of their own site; the other site's receptionist sees it."""
    with time_machine.travel(_local(2025, 6, 2, 9, 0), tick=False):
        here = _case(world, utcnow())
        there = complaints.open_case(
            world.other_site,
            user=world.other_user,
            now=utcnow(),
            content="别处投诉",
            caller_name="赵六",
            caller_phone=None,
        )
        db.session.commit()
        link = f'/console/cases/complaints/{there.id}"'
        client.login("supervisor")
        assert client.get(f"/console/cases/complaints/{there.id}").status_code == 404
        for show in ("open", "all"):
            body = client.get(f"/console/cases/complaints?show={show}").get_data(as_text=True)
            assert f'/console/cases/complaints/{here.id}"' in body and link not in body and "别处投诉" not in body
        client.login("reception")
        assert client.get(f"/console/cases/complaints/{there.id}").status_code == 404
        form = {"version": str(there.version), "valid": "yes"}
        assert client.post_form(f"/console/cases/complaints/{there.id}/validity", form).status_code == 404
        client.login("elsewhere")
        assert link in client.get("/console/cases/complaints").get_data(as_text=True)
        assert client.get(f"/console/cases/complaints/{there.id}").status_code == 200
    db.session.expire_all()
    assert db.session.get(Complaint, there.id).status == ComplaintStatus.RECEIVED
