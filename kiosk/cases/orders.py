"""Repair work orders (C10, C11). Plain Python.

Numbers are per site and year, consecutive with no gap: the counter row of (site, year) is
bumped with one `UPDATE ... RETURNING` in the transaction that inserts the order. On
PostgreSQL the UPDATE takes the row lock, so a concurrent creator waits until this
transaction ends; on SQLite the first write takes the database's write lock (busy timeout
set in create_app). Either way a rolled-back creation gives its number back with it.
"""

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import selectinload

from kiosk import audit
from kiosk.cases import Refused, board_live, deadlines
from kiosk.extensions import db
from kiosk.models import Department, Household, Role, Room, User
from kiosk.models.case_orders import OrderCounter, OrderStatus, RepairCategory, WorkOrder
from kiosk.models.case_services import PriceItem
from kiosk.models.cases import CaseEvent
from kiosk.timeutil import to_local

OPEN_STATUSES = (OrderStatus.LOGGED, OrderStatus.DISPATCHED)


def local_date(site, at: datetime):
    return to_local(at, site.timezone).date()


def next_number(site_id: int, year: int) -> int:
    """The next number of (site, year), taken inside the caller's transaction (C11)."""
    db.session.flush()  # what is pending first (an intake record moves the dashboard's counter) ...
    board_live.moved(site_id)  # ... and that counter before this one, whichever way the order came
    insert = pg_insert if db.session.get_bind().dialect.name == "postgresql" else sqlite_insert
    db.session.execute(
        insert(OrderCounter)
        .values(site_id=site_id, year=year, last_number=0)
        .on_conflict_do_nothing(index_elements=["site_id", "year"])
    )
    return db.session.execute(
        sa.update(OrderCounter)
        .where(OrderCounter.site_id == site_id, OrderCounter.year == year)
        .values(last_number=OrderCounter.last_number + 1)
        .returning(OrderCounter.last_number)
    ).scalar_one()


def _event(order: WorkOrder, action: str, user: User | None, at: datetime, note: str | None = None) -> None:
    db.session.add(
        CaseEvent(
            site_id=order.site_id,
            work_order=order,
            at=at,
            user_id=user.id if user else None,
            action=action,
            note=(note or "").strip() or None,
        )
    )


def earlier_repeat(site_id: int, room_id: int | None, category: RepairCategory, at: datetime) -> WorkOrder | None:
    """The latest order of the same room and category within 90 days before (C10 repeat)."""
    if room_id is None:
        return None
    return db.session.scalar(
        sa.select(WorkOrder)
        .where(
            WorkOrder.site_id == site_id,
            WorkOrder.room_id == room_id,
            WorkOrder.category == category,
            WorkOrder.status != OrderStatus.VOIDED,
            WorkOrder.created_at >= at - deadlines.REPEAT_WINDOW,
            WorkOrder.created_at <= at,
        )
        .order_by(WorkOrder.created_at.desc(), WorkOrder.id.desc())
        .limit(1)
    )


def create(
    site,
    *,
    user: User,
    now: datetime,
    content: str,
    category: RepairCategory,
    contact_name: str,
    contact_phone: str | None = None,
    household: Household | None = None,
    room: Room | None = None,
    intake=None,
    appointment_at: datetime | None = None,
    price_item: PriceItem | None = None,
    department: Department | None = None,
) -> WorkOrder:
    """Write the work order and give it the next number of the site's year (C10, C11). An item
    of the price list fixes the fee confirmed with the customer; without one it is priced on site."""
    if price_item is not None and (price_item.site_id != site.id or not price_item.active):
        raise Refused("price_item_unknown")
    if household is not None and room is None:
        room = household.room
    year = local_date(site, now).year
    repeat = earlier_repeat(site.id, room.id if room else None, category, now)
    order = WorkOrder(
        site_id=site.id,
        year=year,
        number=next_number(site.id, year),
        intake=intake,
        household_id=household.id if household else None,
        room_id=room.id if room else None,
        contact_name=contact_name,
        contact_phone=contact_phone,
        content=content,
        category=category,
        appointment_at=appointment_at,
        price_item_id=price_item.id if price_item else None,
        fee_cents=price_item.fee_cents if price_item else None,
        department_id=department.id if department else None,
        created_at=now,
        created_by_id=user.id,
        repeat_of_id=repeat.id if repeat else None,
    )
    db.session.add(order)
    _event(order, "logged", user, now)
    db.session.flush()
    audit.record(user, "work_order.created", order, details={"code": order.code})
    return order


def is_dispatch_late(order: WorkOrder, now: datetime) -> bool:
    """Dispatched, or still waiting, more than 5 minutes after logging (C10)."""
    if order.status == OrderStatus.VOIDED:
        return False
    if order.dispatched_at is not None:
        return order.dispatch_late
    return now - order.created_at > deadlines.DISPATCH_WITHIN


def may_work(order: WorkOrder, user: User) -> bool:
    if user.role == Role.DEPARTMENT:
        return order.department_id is not None and order.department_id == user.department_id
    return user.role in (Role.SUPERVISOR, Role.MANAGER, Role.RECEPTIONIST, Role.DUTY_MANAGER)


def dispatch(order: WorkOrder, user: User, department: Department, now: datetime, engineer: User | None = None) -> None:
    """To a department, and if chosen to one of its engineers (C10: late after 5 minutes)."""
    if order.status != OrderStatus.LOGGED:
        raise Refused("illegal_step")
    if department.site_id != order.site_id:
        raise Refused("illegal_step")
    if engineer is not None and not (
        engineer.site_id == order.site_id
        and engineer.role == Role.DEPARTMENT
        and engineer.department_id == department.id
        and engineer.active
    ):
        raise Refused("engineer_department")
    order.department_id = department.id
    order.engineer_id = engineer.id if engineer is not None else None
    order.status = OrderStatus.DISPATCHED
    order.dispatched_at = now
    order.dispatch_late = now - order.created_at > deadlines.DISPATCH_WITHIN
    _event(order, "dispatched", user, now, str(department.kind))
    audit.record(
        user,
        "work_order.dispatched",
        order,
        details={"late": order.dispatch_late, "engineer": engineer.id if engineer is not None else None},
    )


def engineers(site_id: int) -> list[User]:
    """Who an order can be dispatched to by name: the site's active department staff."""
    return list(
        db.session.scalars(
            sa.select(User)
            .where(User.site_id == site_id, User.role == Role.DEPARTMENT, User.active.is_(True))
            .options(selectinload(User.department))
            .order_by(User.department_id, User.display_name, User.id)
        )
    )


def complete(order: WorkOrder, user: User, note: str | None, now: datetime) -> None:
    """Finished: the customer is called back within 2 days (C10)."""
    if order.status != OrderStatus.DISPATCHED:
        raise Refused("illegal_step")
    if not may_work(order, user):
        raise Refused("not_yours")
    order.status = OrderStatus.DONE
    order.completed_at = now
    order.completion_note = (note or "").strip() or None
    order.callback_due = deadlines.repair_callback_due(local_date(order.site, now))
    order.fix_due = None
    _event(order, "completed", user, now, note)
    audit.record(user, "work_order.completed", order)


def callback(
    order: WorkOrder, user: User, *, satisfied: bool, fee_confirmed: bool, note: str | None, now: datetime
) -> None:
    """The callback (C10): satisfied closes it; a problem reopens it with a 1-working-day fix."""
    if order.status != OrderStatus.DONE:
        raise Refused("illegal_step")
    today = local_date(order.site, now)
    if order.callback_due is not None and today > order.callback_due:
        order.callback_missed = True
    order.callback_at, order.callback_by_id = now, user.id
    order.callback_satisfied, order.callback_fee_confirmed = satisfied, fee_confirmed
    order.callback_note = (note or "").strip() or None
    if satisfied:
        order.status = OrderStatus.CLOSED
        _event(order, "called_back", user, now, note)
    else:
        order.status = OrderStatus.DISPATCHED
        order.reopened_count += 1
        order.fix_due = deadlines.repair_refix_due(today)
        order.callback_due = None
        _event(order, "reopened", user, now, note)
    audit.record(user, "work_order.callback", order, details={"satisfied": satisfied, "fee_confirmed": fee_confirmed})


def set_terms(
    order: WorkOrder, user: User, *, appointment_at: datetime | None, price_item: PriceItem | None, now: datetime
) -> None:
    """Agree the appointment (when no one is free at once) and the item and fee, or "priced on
    site", while the order is open (C10). The change is on the order's history and audited."""
    if order.status not in OPEN_STATUSES:
        raise Refused("illegal_step")
    kept = price_item is not None and price_item.id == order.price_item_id
    if price_item is not None and not kept and (price_item.site_id != order.site_id or not price_item.active):
        raise Refused("price_item_unknown")
    before = {"fee_cents": order.fee_cents, "price_item": order.price_item_id}
    if not kept:  # a kept item keeps the fee agreed with the customer, whatever the list says now
        order.price_item_id = price_item.id if price_item else None
        order.fee_cents = price_item.fee_cents if price_item else None
    order.appointment_at = appointment_at
    _event(order, "terms", user, now, price_item.name if price_item else None)
    audit.record(
        user,
        "work_order.terms",
        order,
        details={"before": before, "fee_cents": order.fee_cents, "appointment": bool(appointment_at)},
    )


def void(order: WorkOrder, user: User, reason: str, now: datetime) -> None:
    """A voided order keeps its number and states why (C11)."""
    if order.status in (OrderStatus.VOIDED, OrderStatus.CLOSED):
        raise Refused("illegal_step")
    if not (reason or "").strip():
        raise Refused("reason_required")
    order.status = OrderStatus.VOIDED
    order.voided_at, order.voided_by_id, order.void_reason = now, user.id, reason.strip()
    _event(order, "voided", user, now, reason)
    audit.record(user, "work_order.voided", order, reason=reason.strip())


def needs_follow_up(order: WorkOrder, now: datetime) -> bool:
    """Not finished on the day it was logged: on the daily follow-up list until done (C10)."""
    return order.status in OPEN_STATUSES and local_date(order.site, order.created_at) < local_date(order.site, now)


def numbering_gaps(site_id: int, year: int) -> list[int]:
    """Numbers of the year missing between 1 and the counter (C11): should always be [].
    One count along the unique index answers the usual case; only a year with a gap is read
    number by number."""
    of_year = sa.and_(WorkOrder.site_id == site_id, WorkOrder.year == year)
    top = (
        db.session.scalar(
            sa.select(OrderCounter.last_number).where(OrderCounter.site_id == site_id, OrderCounter.year == year)
        )
        or 0
    )
    if (db.session.scalar(sa.select(sa.func.count()).where(of_year, WorkOrder.number <= top)) or 0) >= top:
        return []
    numbers = set(db.session.scalars(sa.select(WorkOrder.number).where(of_year)))
    return [n for n in range(1, top + 1) if n not in numbers][:50]
