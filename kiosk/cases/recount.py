"""Complaint deadlines counted again after the holiday schedule changed (C3).

A deadline counted through a year whose holidays were not known yet was counted Monday
to Friday (kiosk.workdays: provisional). When a manager imports that year, or sets or
removes a date, the open complaints' working-day deadlines that run through the changed
dates are counted again from their start, so that supervisors can trust them:

- the 7-working-day cap on the first answer (and the 2-day answer due, which the cap bounds);
- the rectification deadline (1 or 3 working days from receipt).

A deadline already passed, met or marked missed is left as it was (missed stays missed).
A complaint whose clock was ever paused, or that was reopened after a callback, keeps its
deadlines: they were moved by events this count cannot replay; its page still says which
deadlines are provisional. The caller commits.
"""

from datetime import UTC, date, datetime, time, timedelta

import sqlalchemy as sa

from kiosk import audit
from kiosk.cases import deadlines
from kiosk.cases.complaints import OPEN, _event, local_date
from kiosk.extensions import db
from kiosk.models import User
from kiosk.models.cases import CaseEvent, Complaint


def recount_deadlines(first: date, last: date, now: datetime, actor: User) -> int:
    """Count again the open complaints' deadlines running through [first, last]; returns
    how many complaints had a deadline moved."""
    ever_paused = sa.select(CaseEvent.complaint_id).where(
        CaseEvent.action == "paused", CaseEvent.complaint_id.is_not(None)
    )
    cases = db.session.scalars(
        sa.select(Complaint).where(
            Complaint.status.in_(OPEN),
            Complaint.paused_at.is_(None),
            Complaint.reopened_count == 0,
            Complaint.received_at <= datetime.combine(last + timedelta(days=1), time(), UTC),
            sa.or_(Complaint.answer_cap >= first, Complaint.rectify_due >= first),
            Complaint.id.not_in(ever_paused),
        )
    ).all()
    moved = 0
    with db.session.no_autoflush:  # one UPDATE per complaint: its version moves on once
        for case in cases:
            today, received_on = local_date(case.site, now), local_date(case.site, case.received_at)
            changes = []
            if case.answered_at is None and not case.answer_missed and case.answer_cap >= today:
                cap = deadlines.answer_cap(received_on)
                if cap != case.answer_cap:
                    changes.append(f"{case.answer_cap.isoformat()} → {cap.isoformat()}")
                    case.answer_cap, case.answer_due = cap, deadlines.answer_due(received_on)
            if (
                case.rectify_due is not None
                and case.rectified_at is None
                and not case.rectify_missed
                and case.rectify_due >= today
            ):
                due = deadlines.rectify_due(received_on, case.grade)
                if due != case.rectify_due:
                    changes.append(f"{case.rectify_due.isoformat()} → {due.isoformat()}")
                    case.rectify_due = due
            if changes:
                _event(case, "deadline_recounted", actor, now, "; ".join(changes))
                moved += 1  # the version moves on (version_id_col): an open page is told it changed
    if moved:
        audit.record(
            actor,
            "complaint.deadlines_recounted",
            details={"from": first.isoformat(), "to": last.isoformat(), "complaints": moved},
        )
    return moved
