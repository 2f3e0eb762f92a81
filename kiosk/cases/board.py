"""What the supervisor looks at (C3, C6-C8, C10, C11): the dashboard's bounded counts and the
home-page counters. The callbacks due are listed by kiosk.cases.callbacks. Plain Python."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from kiosk.cases import callbacks, complaints, orders
from kiosk.cases import overdue as late
from kiosk.extensions import db
from kiosk.models import Room, Site
from kiosk.models.case_complaints import Complaint, ComplaintStatus
from kiosk.models.case_orders import OrderStatus, WorkOrder, order_code
from kiosk.models.cases import Intake, IntakeClass, IntakeStatus
from kiosk.timeutil import to_local

LIST_LIMIT = 50
WEEK = timedelta(days=7)


def _room_options(entity):
    return (selectinload(entity.room).selectinload(Room.building), selectinload(entity.room).selectinload(Room.unit))


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
    """Overdue items by kind (the rules, and the count by department: kiosk.cases.overdue)."""
    return late.count(site, now).by_kind


def _found_by_ids(model, *where) -> sa.Select:
    """The rows meeting `where`, their ids found first (an index range on status: the open
    few). Asked for oldest first directly, a planner may walk years of closed rows by time."""
    return sa.select(model).where(model.id.in_(sa.select(model.id).where(*where)))


def open_over_a_week(site: Site, now: datetime, limit: int = LIST_LIMIT) -> dict[str, list]:
    """C8: the weekly list of items open for more than a week, oldest first, each list bounded."""
    before = now - WEEK
    return {
        "intake": list(
            db.session.scalars(
                _found_by_ids(
                    Intake, Intake.site_id == site.id, Intake.status == IntakeStatus.OPEN, Intake.received_at < before
                )
                .options(*_room_options(Intake))
                .order_by(Intake.received_at, Intake.id)
                .limit(limit)
            )
        ),
        "complaints": list(
            db.session.scalars(
                _found_by_ids(
                    Complaint,
                    Complaint.site_id == site.id,
                    Complaint.status.in_(complaints.OPEN),
                    Complaint.received_at < before,
                )
                .options(*_room_options(Complaint), selectinload(Complaint.owner))
                .order_by(Complaint.received_at, Complaint.id)
                .limit(limit)
            )
        ),
        "orders": list(
            db.session.scalars(
                _found_by_ids(
                    WorkOrder,
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
    today = to_local(now, site.timezone).date()
    years = sorted({(today - timedelta(days=1)).year, today.year})  # on 1 January, last year's too
    return {
        "count": len(rows),
        "voided": [o for o in rows if o.status == OrderStatus.VOIDED],
        "gaps": [order_code(year, n) for year in years for n in orders.numbering_gaps(site.id, year)],
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
    """Callbacks owed across complaints, repairs, survey opinions and special services (C4, C6, C7, C10)."""
    return callbacks.count(site_id)


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
