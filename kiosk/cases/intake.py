"""The intake log (来电来访信息登记, C1): every call, visit or letter is logged, read back
to the caller, classed, and routed by its class. Plain Python.

repair -> a work order; complaint -> a complaint case (its receiver owns it); issue report ->
open for the chosen department to verify; inquiry -> answered on the spot, or a reply owed
by a due time; suggestion -> gathered for the supervisor's list; praise -> noted;
other -> open, escalated by its importance.
"""

from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from kiosk import audit, paging
from kiosk.cases import Refused, complaints, orders
from kiosk.extensions import db
from kiosk.models import Building, Department, Household, Room, Unit, User
from kiosk.models.case_orders import RepairCategory
from kiosk.models.case_services import PriceItem
from kiosk.models.cases import Channel, Importance, Intake, IntakeClass, IntakeStatus
from kiosk.names import pinyin_of
from kiosk.photos import StoredPhoto

SEARCH_LIMIT = 8


@dataclass
class Call:
    """What the receptionist typed (already validated for form by the face)."""

    channel: Channel
    kind: IntakeClass
    content: str
    read_back: bool
    household: Household | None = None
    caller_name: str | None = None
    caller_phone: str | None = None
    answer: str | None = None
    reply_due_at: datetime | None = None
    department: Department | None = None
    importance: Importance = Importance.NORMAL
    category: RepairCategory = RepairCategory.OTHER
    price_item: PriceItem | None = None  # repair: the price-list item confirmed, or None (priced on site)
    appointment_at: datetime | None = None  # repair: the time agreed with the customer


def log(site, call: Call, *, user: User, now: datetime) -> Intake:
    """Log and route one call (C1). Raises Refused before anything is written."""
    if not call.read_back:
        raise Refused("read_back_required")
    if call.household is not None and call.household.site_id != site.id:
        raise Refused("illegal_step")
    name = (call.caller_name or "").strip() or (call.household.name if call.household else "")
    if not name:
        raise Refused("caller_required")
    phone = (call.caller_phone or "").strip() or (call.household.phone if call.household else None)
    if call.kind == IntakeClass.INQUIRY and not (call.answer or "").strip() and call.reply_due_at is None:
        raise Refused("answer_or_due")
    if call.kind == IntakeClass.ISSUE and call.department is None:
        raise Refused("department_required")
    if call.department is not None and call.department.site_id != site.id:
        raise Refused("illegal_step")
    entry = Intake(
        site_id=site.id,
        received_at=now,
        channel=call.channel,
        kind=call.kind,
        content=call.content.strip(),
        household_id=call.household.id if call.household else None,
        room_id=call.household.room_id if call.household else None,
        caller_name=name,
        caller_phone=phone,
        received_by_id=user.id,
        read_back=True,
        importance=call.importance,
    )
    db.session.add(entry)
    db.session.flush()
    if call.kind == IntakeClass.REPAIR:
        entry.status = IntakeStatus.ROUTED
        orders.create(
            site,
            user=user,
            now=now,
            content=entry.content,
            category=call.category,
            contact_name=name,
            contact_phone=phone,
            household=call.household,
            intake=entry,
            price_item=call.price_item,
            appointment_at=call.appointment_at,
        )
    elif call.kind == IntakeClass.COMPLAINT:
        entry.status = IntakeStatus.ROUTED
        complaints.open_case(
            site,
            user=user,
            now=now,
            content=entry.content,
            caller_name=name,
            caller_phone=phone,
            household=call.household,
            intake=entry,
        )
    elif call.kind == IntakeClass.ISSUE:
        entry.department_id = call.department.id
    elif call.kind == IntakeClass.INQUIRY:
        if (call.answer or "").strip():
            entry.answer = call.answer.strip()
            _close(entry, user, now)
        else:
            entry.reply_due_at = call.reply_due_at
    elif call.kind in (IntakeClass.SUGGESTION, IntakeClass.PRAISE):
        _close(entry, user, now)
    audit.record(user, "intake.logged", entry, details={"kind": str(call.kind), "channel": str(call.channel)})
    return entry


def from_kiosk(
    site,
    device,
    *,
    room: Room,
    phone: str,
    content: str,
    kind: IntakeClass,
    action_at: datetime,
    received_at: datetime,
    photo: StoredPhoto | None = None,
) -> Intake:
    """A repair or a problem reported on the lobby kiosk: open in the intake log with channel
    kiosk for the front desk to route (C1). Only the room and the phone the reporter gave,
    and the photo they took, if any (already stored, kiosk.photos); the kiosk never shows
    who lives there (V3)."""
    if kind not in (IntakeClass.REPAIR, IntakeClass.ISSUE) or room.site_id != site.id:
        raise Refused("illegal_step")
    entry = Intake(
        site_id=site.id,
        received_at=action_at,
        channel=Channel.KIOSK,
        kind=kind,
        room_id=room.id,
        caller_name="",
        caller_phone=phone.strip(),
        content=content.strip(),
        device_id=device.id,
        status=IntakeStatus.OPEN,
        photo_path=photo.path if photo else None,
        photo_sha256=photo.sha256 if photo else None,
    )
    db.session.add(entry)
    db.session.flush()
    audit.record(
        device,
        "intake.kiosk_report",
        entry,
        details={"kind": str(kind), "received_at": received_at.isoformat(), "photo": photo is not None},
    )
    return entry


def route_repair(site, entry: Intake, user: User, category: RepairCategory, now: datetime):
    """The front desk opens the work order of a repair reported on the kiosk (C10)."""
    if entry.channel != Channel.KIOSK or entry.kind != IntakeClass.REPAIR or entry.status != IntakeStatus.OPEN:
        raise Refused("illegal_step")
    order = orders.create(
        site,
        user=user,
        now=now,
        content=entry.content,
        category=category,
        contact_name=entry.caller_name or "",
        contact_phone=entry.caller_phone,
        room=entry.room,
        intake=entry,
    )
    entry.status = IntakeStatus.ROUTED
    return order


def _close(entry: Intake, user: User, now: datetime, note: str | None = None) -> None:
    entry.status = IntakeStatus.CLOSED
    entry.closed_at, entry.closed_by_id = now, user.id
    entry.closing_note = (note or "").strip() or None


def close(entry: Intake, user: User, note: str, now: datetime) -> None:
    """The reply owed was given, the department verified the issue, the escalation was handled."""
    if entry.status != IntakeStatus.OPEN:
        raise Refused("illegal_step")
    if not (note or "").strip():
        raise Refused("reason_required")
    if entry.kind == IntakeClass.ISSUE and user.role == "department" and user.department_id != entry.department_id:
        raise Refused("not_yours")
    _close(entry, user, now, note)
    audit.record(user, "intake.closed", entry)


def find_callers(site_id: int, text: str) -> list[Household]:
    """Households by room ("1-1-0201", "0201"), name, pinyin initials or phone digits (C1)."""
    text = (text or "").strip()
    if len(text) < 2:
        return []
    room_label = sa.func.coalesce(Building.name, "") + "-" + sa.func.coalesce(Unit.name, "") + "-" + Room.number
    like = f"%{text.replace('%', '').replace('_', '')}%"
    query = (
        sa.select(Household)
        .join(Room, Household.room_id == Room.id)
        .join(Building, Room.building_id == Building.id)
        .outerjoin(Unit, Room.unit_id == Unit.id)
        .where(Household.site_id == site_id, Household.active.is_(True))
        .options(
            selectinload(Household.room).selectinload(Room.building),
            selectinload(Household.room).selectinload(Room.unit),
        )
    )
    conditions = [Household.name.like(like), room_label.like(like), Room.number == text]
    if text.isdigit() and len(text) >= 4:
        conditions.append(Household.phone.like(like))
    found = list(db.session.scalars(query.where(sa.or_(*conditions)).order_by(Household.id).limit(SEARCH_LIMIT)))
    if not found and text.isascii() and text.isalpha():
        # pinyin initials ("zs" for 张三): compared in Python over a bounded slice of the site
        wanted = text.casefold()
        candidates = db.session.scalars(query.order_by(Household.id).limit(3000))
        found = [h for h in candidates if pinyin_of(h.name)[1].startswith(wanted)][:SEARCH_LIMIT]
    return found


def page(
    site_id: int,
    *,
    cursor: str | None,
    size: int,
    kind: IntakeClass | None = None,
    status: IntakeStatus | None = None,
    department_id: int | None = None,
) -> paging.Page:
    """The intake log, newest first, keyset-paged; related rows loaded in a fixed number of queries."""
    query = (
        sa.select(Intake)
        .where(Intake.site_id == site_id)
        .options(
            selectinload(Intake.received_by),
            selectinload(Intake.department),
            selectinload(Intake.room).selectinload(Room.building),
            selectinload(Intake.room).selectinload(Room.unit),
        )
    )
    if kind is not None:
        query = query.where(Intake.kind == kind)
    if status is not None:
        query = query.where(Intake.status == status)
    if department_id is not None:
        query = query.where(Intake.department_id == department_id)
    return paging.keyset(query, Intake.received_at, Intake.id, cursor=cursor, size=size)
