"""Complaint cases (C2-C5, S2). Plain Python.

received -> (validity) -> to_grade -> (supervisor grades) -> handling (the department signs
for the complaint form on receipt, C5: that meets the 4-hour notice) -> rectified
-> (callback, confirmed) confirmed and locked; out-of-scope closes with the explanation;
an unhappy customer on callback reopens it. Deadlines from kiosk.cases.deadlines; a
deadline once missed stays missed (the *_missed flags are set once, never cleared).
"""

from datetime import datetime

import sqlalchemy as sa

from kiosk import audit
from kiosk.cases import Conflict, Refused, deadlines
from kiosk.extensions import db
from kiosk.models import Department, Role, User
from kiosk.models.case_complaints import Complaint, ComplaintCategory, ComplaintStatus, Grade
from kiosk.models.cases import CaseEvent, Confirmation, Satisfaction
from kiosk.timeutil import to_local

SUPERVISOR_ROLES = frozenset({Role.SUPERVISOR, Role.MANAGER})
OPEN = (ComplaintStatus.RECEIVED, ComplaintStatus.TO_GRADE, ComplaintStatus.HANDLING, ComplaintStatus.RECTIFIED)


def local_date(site, at: datetime):
    return to_local(at, site.timezone).date()


def _event(case: Complaint, action: str, user: User | None, at: datetime, note: str | None = None) -> None:
    db.session.add(
        CaseEvent(
            site_id=case.site_id,
            complaint=case,
            at=at,
            user_id=user.id if user else None,
            action=action,
            note=(note or "").strip() or None,
        )
    )


def check_version(case: Complaint, expected: int | None) -> None:
    """The form's version must be the record's: else someone changed it meanwhile."""
    if expected is None or int(expected) != case.version:
        raise Conflict()


def _writable(case: Complaint) -> None:
    if case.locked:
        raise Refused("locked")  # S2: signed records are not altered


def open_case(
    site,
    *,
    user: User,
    now: datetime,
    content: str,
    caller_name: str,
    caller_phone: str | None,
    household=None,
    room=None,
    intake=None,
) -> Complaint:
    """A complaint from the intake log; its receiver owns it until it is closed (C2)."""
    received_on = local_date(site, now)
    case = Complaint(
        site_id=site.id,
        intake=intake,
        household_id=household.id if household else None,
        room_id=(room.id if room else (household.room_id if household else None)),
        caller_name=caller_name,
        caller_phone=caller_phone,
        content=content,
        received_at=now,
        owner_id=user.id,
        notify_due_at=deadlines.notify_due(now),
        answer_due=deadlines.answer_due(received_on),
        answer_cap=deadlines.answer_cap(received_on),
    )
    db.session.add(case)
    _event(case, "received", user, now)
    db.session.flush()
    audit.record(user, "complaint.received", case)
    return case


def mark_missed(case: Complaint, now: datetime) -> None:
    """Set the flag of every deadline passed and not met (C3). Never clears one. A paused
    clock does not run, so nothing new is missed while paused."""
    if case.paused_at is not None or case.status in (ComplaintStatus.OUT_OF_SCOPE, ComplaintStatus.CONFIRMED):
        return
    today = local_date(case.site, now)
    if case.notified_at is None and case.notify_due_at is not None and now > case.notify_due_at:
        case.notify_missed = True
    if case.answered_at is None and today > case.answer_due:
        case.answer_missed = True
    if case.rectified_at is None and case.rectify_due is not None and today > case.rectify_due:
        case.rectify_missed = True
    if case.callback_at is None and case.callback_due is not None and today > case.callback_due:
        case.callback_missed = True


def sweep(site, now: datetime) -> None:
    """Mark missed deadlines of a site's open, unpaused complaints in four bounded UPDATEs
    (the dashboard runs it before counting)."""
    today = local_date(site, now)
    base = sa.update(Complaint).where(
        Complaint.site_id == site.id, Complaint.paused_at.is_(None), Complaint.status.in_(OPEN)
    )
    db.session.execute(
        base.where(
            Complaint.notify_missed.is_(False), Complaint.notified_at.is_(None), Complaint.notify_due_at < now
        ).values(notify_missed=True),
        execution_options={"synchronize_session": False},
    )
    db.session.execute(
        base.where(
            Complaint.answer_missed.is_(False), Complaint.answered_at.is_(None), Complaint.answer_due < today
        ).values(answer_missed=True),
        execution_options={"synchronize_session": False},
    )
    db.session.execute(
        base.where(
            Complaint.rectify_missed.is_(False), Complaint.rectified_at.is_(None), Complaint.rectify_due < today
        ).values(rectify_missed=True),
        execution_options={"synchronize_session": False},
    )
    db.session.execute(
        base.where(
            Complaint.callback_missed.is_(False), Complaint.callback_at.is_(None), Complaint.callback_due < today
        ).values(callback_missed=True),
        execution_options={"synchronize_session": False},
    )


def check_validity(case: Complaint, user: User, *, valid: bool, explanation: str | None, now: datetime) -> None:
    """C2: a valid complaint goes to the supervisors at once; an out-of-scope one is closed
    with the polite explanation given to the customer recorded."""
    _writable(case)
    if case.status != ComplaintStatus.RECEIVED:
        raise Refused("illegal_step")
    mark_missed(case, now)
    if valid:
        case.status = ComplaintStatus.TO_GRADE
        _event(case, "valid", user, now)
    else:
        if not (explanation or "").strip():
            raise Refused("explanation_required")
        case.status = ComplaintStatus.OUT_OF_SCOPE
        case.explanation = explanation.strip()
        _event(case, "out_of_scope", user, now, explanation)
    audit.record(user, "complaint.validity", case, details={"valid": valid})


def grade(
    case: Complaint,
    user: User,
    *,
    grade: Grade,
    reason: str,
    department: Department,
    now: datetime,
    category: ComplaintCategory | None = None,
) -> None:
    """The supervisor grades it, says what it is about (the category the quarterly analysis
    counts, C5) and names the department; the department is notified now (C2, C3)."""
    _writable(case)
    if user.role not in SUPERVISOR_ROLES:
        raise Refused("supervisors_only")
    if case.status != ComplaintStatus.TO_GRADE:
        raise Refused("illegal_step")
    if not (reason or "").strip():
        raise Refused("reason_required")
    if department.site_id != case.site_id:
        raise Refused("illegal_step")
    mark_missed(case, now)
    case.grade, case.grade_reason = grade, reason.strip()
    case.category = category
    case.graded_at, case.graded_by_id, case.department_id = now, user.id, department.id
    case.rectify_due = deadlines.rectify_due(local_date(case.site, case.received_at), grade)
    case.status = ComplaintStatus.HANDLING  # the form goes to the department, who signs for it (C5)
    _event(case, "graded", user, now, reason)
    audit.record(
        user,
        "complaint.graded",
        case,
        details={
            "grade": str(grade),
            "category": str(category) if category else None,
            "department": str(department.kind),
        },
    )


def first_answer(case: Complaint, user: User, text: str, now: datetime) -> None:
    """The first answer to the customer: within 2 days, never after 7 working days (C3)."""
    _writable(case)
    if case.status not in (ComplaintStatus.TO_GRADE, ComplaintStatus.HANDLING, ComplaintStatus.RECTIFIED):
        raise Refused("illegal_step")
    if case.answered_at is not None:
        raise Refused("illegal_step")
    if not (text or "").strip():
        raise Refused("reason_required")
    mark_missed(case, now)
    case.answered_at, case.first_answer = now, text.strip()
    _event(case, "answered", user, now, text)
    audit.record(user, "complaint.answered", case)


def _answered_by_callback(case: Complaint, user: User, note: str | None, now: datetime) -> None:
    """The callback speaks to the customer. With no first answer on record it is the first
    answer, given now, and the 2-day deadline (C3) is met or missed by this time (mark_missed
    ran first): a closed complaint never leaves that deadline neither met nor missed."""
    if case.answered_at is not None:
        return
    case.answered_at, case.first_answer = now, (note or "").strip() or None
    _event(case, "answered", user, now, note)


def receive_form(case: Complaint, user: User, *, signature, now: datetime) -> None:
    """C5: the responsible department signs for the complaint form on receipt (a drawn
    signature, kept with its sha256). The time of receipt is when the department was
    notified: the 4-hour deadline (C3) is met, or missed, by it."""
    _writable(case)
    if case.status != ComplaintStatus.HANDLING or case.form_received_at is not None:
        raise Refused("illegal_step")
    if user.role != Role.DEPARTMENT or user.department_id != case.department_id:
        raise Refused("not_yours")
    if signature is None:
        raise Refused("signature_required")
    mark_missed(case, now)
    case.form_received_at, case.form_received_by_id = now, user.id
    case.form_signature_path, case.form_signature_sha256 = signature.path, signature.sha256
    case.notified_at = now
    if case.notify_due_at is not None and now > case.notify_due_at:
        case.notify_missed = True  # set once, never cleared
    _event(case, "form_received", user, now)
    audit.record(user, "complaint.form_received", case, details={"late": case.notify_missed})


def may_handle(case: Complaint, user: User) -> bool:
    if user.role == Role.DEPARTMENT:
        return case.department_id is not None and case.department_id == user.department_id
    return user.role in SUPERVISOR_ROLES


def rectified(case: Complaint, user: User, note: str, now: datetime) -> None:
    """The department records the handling and rectification; the callback clock starts (C3)."""
    _writable(case)
    if case.status != ComplaintStatus.HANDLING:
        raise Refused("illegal_step")
    if not may_handle(case, user):
        raise Refused("not_yours")
    if case.form_received_at is None:
        raise Refused("receipt_required")  # C5: the form comes back handled once it was signed for
    if not (note or "").strip():
        raise Refused("reason_required")
    mark_missed(case, now)
    case.rectified_at, case.handling_note = now, note.strip()
    case.callback_due = deadlines.callback_due(local_date(case.site, now), case.grade)
    case.status = ComplaintStatus.RECTIFIED
    _event(case, "rectified", user, now, note)
    audit.record(user, "complaint.rectified", case)


def pause(case: Complaint, user: User, reason: str, now: datetime) -> None:
    """Stop the clocks while the customer is unreachable or chose a later appointment (C3)."""
    _writable(case)
    if case.status not in OPEN or case.paused_at is not None:
        raise Refused("illegal_step")
    if not (reason or "").strip():
        raise Refused("reason_required")
    mark_missed(case, now)  # what was missed before the pause stays missed
    case.paused_at, case.pause_reason = now, reason.strip()
    _event(case, "paused", user, now, reason)
    audit.record(user, "complaint.paused", case, reason=reason.strip())


def resume(case: Complaint, user: User, now: datetime) -> None:
    """Restart the clocks: every deadline not yet met nor missed moves on by the pause."""
    _writable(case)
    if case.paused_at is None:
        raise Refused("illegal_step")
    paused_on, resumed_on = local_date(case.site, case.paused_at), local_date(case.site, now)
    calendar_days = resumed_on - paused_on
    if case.notified_at is None and not case.notify_missed and case.notify_due_at is not None:
        case.notify_due_at = case.notify_due_at + (now - case.paused_at)
    if case.answered_at is None and not case.answer_missed:
        case.answer_due = min(case.answer_due + calendar_days, case.answer_cap)
    if case.rectified_at is None and not case.rectify_missed and case.rectify_due is not None:
        case.rectify_due = deadlines.shift_workdays(case.rectify_due, paused_on, resumed_on)
    if case.callback_at is None and not case.callback_missed and case.callback_due is not None:
        case.callback_due = case.callback_due + calendar_days
    case.paused_at = None
    _event(case, "resumed", user, now)
    audit.record(user, "complaint.resumed", case)


def record_callback(
    case: Complaint,
    user: User,
    *,
    satisfaction: Satisfaction,
    note: str | None,
    confirmation: Confirmation | None,
    confirmed_by: str | None,
    signature=None,
    now: datetime,
) -> None:
    """The callback record (C4). Unsatisfied reopens the case to its department; otherwise
    the customer's confirmation (drawn signature, or by phone with who) locks it (S2)."""
    _writable(case)
    if case.status != ComplaintStatus.RECTIFIED:
        raise Refused("illegal_step")
    mark_missed(case, now)
    if satisfaction == Satisfaction.UNSATISFIED:
        case.status = ComplaintStatus.HANDLING
        case.reopened_count += 1
        case.rectified_at = None
        case.callback_due = None
        case.rectify_due = deadlines.rectify_due(local_date(case.site, now), case.grade)
        case.rectify_missed = case.rectify_missed  # stays as it was: missed stays missed
        _answered_by_callback(case, user, note, now)
        _event(case, "reopened", user, now, note)
        audit.record(user, "complaint.reopened", case)
        return
    if confirmation == Confirmation.SIGNATURE and signature is None:
        raise Refused("signature_required")
    if confirmation == Confirmation.PHONE and not (confirmed_by or "").strip():
        raise Refused("confirmed_by_required")
    if confirmation is None:
        raise Refused("confirmation_required")
    _answered_by_callback(case, user, note, now)
    case.callback_at, case.callback_by_id = now, user.id
    case.satisfaction, case.callback_note = satisfaction, (note or "").strip() or None
    case.confirmation = confirmation
    case.confirmed_by_name = (confirmed_by or "").strip() or None
    if signature is not None:
        case.signature_path, case.signature_sha256 = signature.path, signature.sha256
    case.status = ComplaintStatus.CONFIRMED
    case.locked = True
    _event(case, "confirmed", user, now, note)
    audit.record(
        user,
        "complaint.confirmed",
        case,
        details={"satisfaction": str(satisfaction), "confirmation": str(confirmation)},
    )
