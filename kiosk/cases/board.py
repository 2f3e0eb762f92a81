"""What the supervisor and the callback officers look at (C4, C8, C10, C11): the callbacks
due, the dashboard's bounded counts, and the home-page counters. Plain Python."""

import hashlib
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from kiosk.cases import complaints, orders
from kiosk.extensions import db
from kiosk.models import Room, Site
from kiosk.models.cases import (
    Complaint,
    ComplaintStatus,
    CoordinationAnswer,
    CoordinationRequest,
    HouseholdVisit,
    Intake,
    IntakeClass,
    IntakeStatus,
    OrderStatus,
    VisitPlanEntry,
    WorkOrder,
)
from kiosk.timeutil import to_local

LIST_LIMIT = 50
WEEK = timedelta(days=7)


@dataclass(frozen=True)
class Due:
    kind: str  # "complaint" | "repair"
    record: object
    due: date


def _room_options(entity):
    return (selectinload(entity.room).selectinload(Room.building), selectinload(entity.room).selectinload(Room.unit))


def callbacks_due(site_id: int, limit: int = LIST_LIMIT) -> list[Due]:
    """One list across complaints and repairs, earliest deadline first (C4, C10)."""
    cases = db.session.scalars(
        sa.select(Complaint)
        .where(Complaint.site_id == site_id, Complaint.status == ComplaintStatus.RECTIFIED)
        .options(*_room_options(Complaint))
        .order_by(Complaint.callback_due, Complaint.id)
        .limit(limit)
    )
    work = db.session.scalars(
        sa.select(WorkOrder)
        .where(WorkOrder.site_id == site_id, WorkOrder.status == OrderStatus.DONE)
        .options(*_room_options(WorkOrder))
        .order_by(WorkOrder.callback_due, WorkOrder.id)
        .limit(limit)
    )
    rows = [Due("complaint", c, c.callback_due) for c in cases] + [Due("repair", o, o.callback_due) for o in work]
    return sorted(rows, key=lambda d: (d.due or date.max, d.kind, d.record.id))[:limit]


def day_bounds(site: Site, now: datetime) -> tuple[datetime, datetime]:
    zone = ZoneInfo(site.timezone)
    start = datetime.combine(to_local(now, site.timezone).date(), datetime.min.time(), zone)
    return start, start + timedelta(days=1)


def today_by_class(site: Site, now: datetime) -> dict[IntakeClass, int]:
    start, end = day_bounds(site, now)
    rows = db.session.execute(
        sa.select(Intake.kind, sa.func.count(Intake.id))
        .where(Intake.site_id == site.id, Intake.received_at >= start, Intake.received_at < end)
        .group_by(Intake.kind)
    ).all()
    counts = {kind: 0 for kind in IntakeClass}
    counts.update({kind: n for kind, n in rows})
    return counts


def overdue(site: Site, now: datetime) -> dict[str, int]:
    """Overdue items by kind, each one bounded COUNT (C3, C10, C1)."""
    complaints.sweep(site, now)
    today = to_local(now, site.timezone).date()
    open_cases = sa.and_(
        Complaint.site_id == site.id, Complaint.status.in_(complaints.OPEN), Complaint.paused_at.is_(None)
    )
    count = lambda query: db.session.scalar(query) or 0  # noqa: E731
    return {
        "to_grade": count(
            sa.select(sa.func.count(Complaint.id)).where(
                Complaint.site_id == site.id, Complaint.status == ComplaintStatus.TO_GRADE
            )
        ),
        "notify": count(
            sa.select(sa.func.count(Complaint.id)).where(
                open_cases, Complaint.notified_at.is_(None), Complaint.notify_due_at < now
            )
        ),
        "answer": count(
            sa.select(sa.func.count(Complaint.id)).where(
                open_cases, Complaint.answered_at.is_(None), Complaint.answer_due < today
            )
        ),
        "rectify": count(
            sa.select(sa.func.count(Complaint.id)).where(
                open_cases, Complaint.rectified_at.is_(None), Complaint.rectify_due < today
            )
        ),
        "complaint_callback": count(
            sa.select(sa.func.count(Complaint.id)).where(
                open_cases, Complaint.status == ComplaintStatus.RECTIFIED, Complaint.callback_due < today
            )
        ),
        "dispatch": count(
            sa.select(sa.func.count(WorkOrder.id)).where(
                WorkOrder.site_id == site.id,
                WorkOrder.status == OrderStatus.LOGGED,
                WorkOrder.created_at < now - orders.deadlines.DISPATCH_WITHIN,
            )
        ),
        "follow_up": count(
            sa.select(sa.func.count(WorkOrder.id)).where(
                WorkOrder.site_id == site.id,
                WorkOrder.status.in_(orders.OPEN_STATUSES),
                WorkOrder.created_at < day_bounds(site, now)[0],
            )
        ),
        "repair_callback": count(
            sa.select(sa.func.count(WorkOrder.id)).where(
                WorkOrder.site_id == site.id, WorkOrder.status == OrderStatus.DONE, WorkOrder.callback_due < today
            )
        ),
        "reply": count(
            sa.select(sa.func.count(Intake.id)).where(
                Intake.site_id == site.id,
                Intake.status == IntakeStatus.OPEN,
                Intake.kind == IntakeClass.INQUIRY,
                Intake.reply_due_at < now,
            )
        ),
    }


def open_over_a_week(site: Site, now: datetime, limit: int = LIST_LIMIT) -> dict[str, list]:
    """C8: the weekly list of items open for more than a week, oldest first, each list bounded."""
    before = now - WEEK
    return {
        "intake": list(
            db.session.scalars(
                sa.select(Intake)
                .where(Intake.site_id == site.id, Intake.status == IntakeStatus.OPEN, Intake.received_at < before)
                .options(*_room_options(Intake))
                .order_by(Intake.received_at, Intake.id)
                .limit(limit)
            )
        ),
        "complaints": list(
            db.session.scalars(
                sa.select(Complaint)
                .where(
                    Complaint.site_id == site.id, Complaint.status.in_(complaints.OPEN), Complaint.received_at < before
                )
                .options(*_room_options(Complaint), selectinload(Complaint.owner))
                .order_by(Complaint.received_at, Complaint.id)
                .limit(limit)
            )
        ),
        "orders": list(
            db.session.scalars(
                sa.select(WorkOrder)
                .where(
                    WorkOrder.site_id == site.id,
                    WorkOrder.status.in_((*orders.OPEN_STATUSES, OrderStatus.DONE)),
                    WorkOrder.created_at < before,
                )
                .options(*_room_options(WorkOrder), selectinload(WorkOrder.department))
                .order_by(WorkOrder.created_at, WorkOrder.id)
                .limit(limit)
            )
        ),
    }


def yesterdays_orders(site: Site, now: datetime) -> dict:
    """C11: the supervisor's morning check of the previous day's orders: count, voids, gaps."""
    start, _end = day_bounds(site, now)
    rows = list(
        db.session.scalars(
            sa.select(WorkOrder)
            .where(
                WorkOrder.site_id == site.id,
                WorkOrder.created_at >= start - timedelta(days=1),
                WorkOrder.created_at < start,
            )
            .order_by(WorkOrder.number)
            .limit(500)
        )
    )
    return {
        "count": len(rows),
        "voided": [o for o in rows if o.status == OrderStatus.VOIDED],
        "gaps": orders.numbering_gaps(site.id, to_local(now, site.timezone).year),
    }


def callback_rate(site: Site, now: datetime, days: int = 30) -> tuple[int, int]:
    """(called back, completed) of the repairs completed in the last `days` (target 100%, C10)."""
    since = now - timedelta(days=days)
    completed = sa.and_(WorkOrder.site_id == site.id, WorkOrder.completed_at >= since)
    done = db.session.scalar(sa.select(sa.func.count(WorkOrder.id)).where(completed)) or 0
    called = (
        db.session.scalar(sa.select(sa.func.count(WorkOrder.id)).where(completed, WorkOrder.callback_at.is_not(None)))
        or 0
    )
    return called, done


# --- the dashboard's live refresh ---------------------------------------------------------

# Counters that move with the clock alone (an order not dispatched within 5 minutes, a
# reply owed by a time, a new day) are refreshed at least this often.
CLOCK_STEP = timedelta(minutes=5)


def fingerprint(site_id: int, now: datetime) -> str:
    """What the dashboard shows depends on, in one statement: per table of the site, the
    count, the newest id and what moves when a row changes (versions summed, closings
    counted), and the current CLOCK_STEP. The same fingerprint: nothing to redraw."""

    def one(*columns, where):
        return [sa.select(column).where(*where).scalar_subquery() for column in columns]

    count, top = sa.func.count, sa.func.max
    state = db.session.execute(
        sa.select(
            *one(
                count(Intake.id),
                top(Intake.id),
                count(Intake.id).filter(Intake.status != IntakeStatus.OPEN),
                where=[Intake.site_id == site_id],
            ),
            *one(
                count(WorkOrder.id),
                top(WorkOrder.id),
                sa.func.sum(WorkOrder.version),
                where=[WorkOrder.site_id == site_id],
            ),
            *one(
                count(Complaint.id),
                top(Complaint.id),
                sa.func.sum(Complaint.version),
                where=[Complaint.site_id == site_id],
            ),
            *one(
                count(CoordinationRequest.id),
                top(CoordinationRequest.id),
                count(CoordinationRequest.closed_at),
                where=[CoordinationRequest.site_id == site_id],
            ),
            *one(
                count(CoordinationAnswer.answered_at),
                where=[CoordinationAnswer.request_id == CoordinationRequest.id, CoordinationRequest.site_id == site_id],
            ),
            *one(count(HouseholdVisit.id), top(HouseholdVisit.id), where=[HouseholdVisit.site_id == site_id]),
            *one(count(VisitPlanEntry.id), top(VisitPlanEntry.id), where=[VisitPlanEntry.site_id == site_id]),
        )
    ).one()
    step = int(now.timestamp() // CLOCK_STEP.total_seconds())
    return hashlib.sha256(repr((tuple(state), step)).encode()).hexdigest()[:20]


# --- home-page counters (kiosk.navigation.add_counter): one bounded query each ----------


def count_to_grade(site_id: int, user) -> int:
    return (
        db.session.scalar(
            sa.select(sa.func.count(Complaint.id)).where(
                Complaint.site_id == site_id, Complaint.status == ComplaintStatus.TO_GRADE
            )
        )
        or 0
    )


def count_callbacks_due(site_id: int, user) -> int:
    cases = (
        db.session.scalar(
            sa.select(sa.func.count(Complaint.id)).where(
                Complaint.site_id == site_id, Complaint.status == ComplaintStatus.RECTIFIED
            )
        )
        or 0
    )
    repairs = (
        db.session.scalar(
            sa.select(sa.func.count(WorkOrder.id)).where(
                WorkOrder.site_id == site_id, WorkOrder.status == OrderStatus.DONE
            )
        )
        or 0
    )
    return cases + repairs


def count_my_open(site_id: int, user) -> int:
    """Complaints the person received and still owns (首问责任, C2)."""
    return (
        db.session.scalar(
            sa.select(sa.func.count(Complaint.id)).where(
                Complaint.site_id == site_id, Complaint.owner_id == user.id, Complaint.status.in_(complaints.OPEN)
            )
        )
        or 0
    )


def count_department_orders(site_id: int, user) -> int:
    if user.department_id is None:
        return 0
    return (
        db.session.scalar(
            sa.select(sa.func.count(WorkOrder.id)).where(
                WorkOrder.site_id == site_id,
                WorkOrder.department_id == user.department_id,
                WorkOrder.status == OrderStatus.DISPATCHED,
            )
        )
        or 0
    )


def count_undispatched(site_id: int, user) -> int:
    return (
        db.session.scalar(
            sa.select(sa.func.count(WorkOrder.id)).where(
                WorkOrder.site_id == site_id, WorkOrder.status == OrderStatus.LOGGED
            )
        )
        or 0
    )
