"""Working-day deadlines counted again after the holiday schedule changed (C3, C7, C10).

A deadline counted through a year whose holidays were not known yet was counted Monday
to Friday (kiosk.workdays: provisional). When a manager imports that year, or sets or
removes a date, the open cases' working-day deadlines that run through the changed dates
are counted again from their start, so that supervisors can trust them:

- a complaint's 7-working-day cap on the first answer (and the 2-day answer due, which the
  cap bounds) and its rectification deadline (1 or 3 working days from receipt), C3;
- a reopened work order's fix (1 working day from the callback that found the problem), C10;
- a special service's payment notice (the working day after the service), C7.

Deadlines in calendar days (callbacks, survey opinions) do not move with holidays.

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
from kiosk.cases.orders import _event as _order_event
from kiosk.extensions import db
from kiosk.models import User
from kiosk.models.case_complaints import Complaint
from kiosk.models.case_orders import OrderStatus, WorkOrder
from kiosk.models.case_services import ServiceStatus, SpecialService
from kiosk.models.cases import CaseEvent


def recount_deadlines(first: date, last: date, now: datetime, actor: User) -> int:
    """Count again the open cases' working-day deadlines running through [first, last];
    returns how many complaints, work orders and special services had a deadline moved."""
    return _complaints(first, last, now, actor) + _orders(first, last, now, actor) + _services(first, last, now, actor)


def _before(last: date) -> datetime:
    """The UTC instant after which nothing started on or before `last` (a day of margin for
    the site's time zone; the exact local date is compared row by row)."""
    return datetime.combine(last + timedelta(days=1), time(), UTC)


def _complaints(first: date, last: date, now: datetime, actor: User) -> int:
    ever_paused = sa.select(CaseEvent.complaint_id).where(
        CaseEvent.action == "paused", CaseEvent.complaint_id.is_not(None)
    )
    cases = db.session.scalars(
        sa.select(Complaint).where(
            Complaint.status.in_(OPEN),
            Complaint.paused_at.is_(None),
            Complaint.reopened_count == 0,
            Complaint.received_at <= _before(last),
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


def _orders(first: date, last: date, now: datetime, actor: User) -> int:
    """Reopened work orders: the fix owed 1 working day after the callback that found the
    problem (C10), counted again from that callback's date while it has not passed."""
    reopened = db.session.scalars(
        sa.select(WorkOrder).where(
            WorkOrder.status == OrderStatus.DISPATCHED,
            WorkOrder.fix_due >= first,
            WorkOrder.callback_at <= _before(last),
        )
    ).all()
    moved = {}
    with db.session.no_autoflush:
        for order in reopened:
            if order.fix_due < local_date(order.site, now):
                continue  # passed: left as it was
            due = deadlines.repair_refix_due(local_date(order.site, order.callback_at))
            if due != order.fix_due:
                moved[order.id] = f"{order.fix_due.isoformat()} → {due.isoformat()}"
                _order_event(order, "deadline_recounted", actor, now, moved[order.id])
                order.fix_due = due
    return _audited(actor, "work_order.deadlines_recounted", first, last, work_orders=moved)


def _services(first: date, last: date, now: datetime, actor: User) -> int:
    """Special services done, their payment notice not yet given: due the working day after
    the service (C7), counted again from the service's date while it has not passed."""
    owed = db.session.scalars(
        sa.select(SpecialService).where(
            SpecialService.status == ServiceStatus.DONE,
            SpecialService.notice_missed.is_(False),
            SpecialService.notice_due >= first,
            SpecialService.done_at <= _before(last),
        )
    ).all()
    moved = {}
    for service in owed:
        if service.notice_due < local_date(service.site, now):
            continue  # passed: the sweep marks it missed, and missed stays missed
        due = deadlines.service_notice_due(local_date(service.site, service.done_at))
        if due != service.notice_due:
            moved[service.id] = f"{service.notice_due.isoformat()} → {due.isoformat()}"
            service.notice_due = due
    return _audited(actor, "special_service.deadlines_recounted", first, last, special_services=moved)


def _audited(actor: User, action: str, first: date, last: date, **moved: dict) -> int:
    """One audit event for the records of one kind whose deadline moved; returns how many."""
    ((kind, records),) = moved.items()
    if records:
        audit.record(actor, action, details={"from": first.isoformat(), "to": last.isoformat(), kind: records})
    return len(records)
