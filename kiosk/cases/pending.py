"""What the intake log and the complaint cases leave open at the end of a shift (H1, with C1-C3):
open intake items (a reply owed, a department to verify, an escalation) and complaints still
being handled, each with its next deadline. Callbacks (C4) have their own list (kiosk.cases.callbacks).

Plain Python; three bounded queries per call, whatever the number of open records.
"""

from dataclasses import dataclass
from datetime import date, datetime

import sqlalchemy as sa

from kiosk.cases.board import _room_options
from kiosk.extensions import db
from kiosk.models import Site
from kiosk.models.case_complaints import Complaint, ComplaintStatus
from kiosk.models.cases import Intake, IntakeStatus
from kiosk.timeutil import to_local

# Complaints before their callback (RECTIFIED ones are on the callbacks list).
HANDLED = (ComplaintStatus.RECEIVED, ComplaintStatus.TO_GRADE, ComplaintStatus.HANDLING)


@dataclass(frozen=True)
class Open:
    kind: str  # "intake" | "complaint"
    record: Intake | Complaint
    step: str  # what is owed next: reply | verify | follow_up | validity | grade | answer | rectify | paused
    due: datetime | date | None  # an instant (reply, validity, grade) or a working day (answer, rectify)
    late: bool


def _complaint_step(case: Complaint, now: datetime, today: date) -> tuple[str, datetime | date | None, bool]:
    """The next deadline of a complaint (C2, C3): its validity checked and grading (which notifies
    the department) by the notify deadline, then the first answer, then the rectification. A
    paused clock owes nothing until it runs again."""
    if case.paused_at is not None:
        return "paused", None, False
    if case.status in (ComplaintStatus.RECEIVED, ComplaintStatus.TO_GRADE):
        step = "validity" if case.status == ComplaintStatus.RECEIVED else "grade"
        if case.notify_due_at is not None:
            return step, case.notify_due_at, now > case.notify_due_at
        return step, case.answer_due, today > case.answer_due
    if case.answered_at is None:
        return "answer", case.answer_due, today > case.answer_due
    if case.rectified_at is None and case.rectify_due is not None:
        return "rectify", case.rectify_due, today > case.rectify_due
    return "answer", None, False


def _intake_step(entry: Intake, now: datetime) -> tuple[str, datetime | None, bool]:
    if entry.reply_due_at is not None:
        return "reply", entry.reply_due_at, now > entry.reply_due_at
    return ("verify" if entry.department_id else "follow_up"), None, False


def _sort_key(row: Open):
    due = row.due
    if isinstance(due, datetime):
        key = due.date()
    else:
        key = due or date.max
    return (not row.late, key, row.kind, row.record.id)


def open_for_handover(site_id: int, now: datetime, limit: int) -> tuple[list[Open], int]:
    """At most `limit` open items, late ones first then by deadline, and how many there are."""
    site = db.session.get(Site, site_id)
    today = to_local(now, site.timezone).date()
    intake_open = sa.and_(Intake.site_id == site_id, Intake.status == IntakeStatus.OPEN)
    cases_open = sa.and_(Complaint.site_id == site_id, Complaint.status.in_(HANDLED))
    entries = db.session.scalars(
        sa.select(Intake)
        .where(intake_open)
        .options(*_room_options(Intake))
        .order_by(Intake.reply_due_at.is_(None), Intake.reply_due_at, Intake.received_at, Intake.id)
        .limit(limit)
    ).all()
    cases = db.session.scalars(
        sa.select(Complaint)
        .where(cases_open)
        .options(*_room_options(Complaint))
        .order_by(Complaint.answer_due, Complaint.id)
        .limit(limit)
    ).all()
    total = db.session.execute(
        sa.select(
            sa.select(sa.func.count(Intake.id)).where(intake_open).scalar_subquery(),
            sa.select(sa.func.count(Complaint.id)).where(cases_open).scalar_subquery(),
        )
    ).one()
    rows = [Open("intake", entry, *_intake_step(entry, now)) for entry in entries] + [
        Open("complaint", case, *_complaint_step(case, now, today)) for case in cases
    ]
    return sorted(rows, key=_sort_key)[:limit], int(total[0] or 0) + int(total[1] or 0)
