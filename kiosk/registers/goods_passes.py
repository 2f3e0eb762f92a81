"""Goods passes (携物出入门证, V6): requested by a household or a company, refused when
hazardous, approved with the owner's or signatory's consent for goods going out, a
moving slot on a lift that no other move holds, printed with a QR code, and marked used
at the gate once. Plain Python, no request.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload, selectinload

from kiosk import audit, paging
from kiosk.extensions import db
from kiosk.models import DepartmentKind, HouseholdKind, Role, Room, User
from kiosk.models.registers import (
    Consent,
    Direction,
    GoodsItem,
    GoodsPass,
    Hazard,
    LiftBooking,
    PassStatus,
    RequesterKind,
)
from kiosk.names import normalise_name
from kiosk.registers import signatories
from kiosk.registers.common import Refused, move, random_code
from kiosk.registers.mail import household_of

MAX_WINDOW = timedelta(days=7)
MAX_ITEMS = 30
SLOT = timedelta(hours=1)  # a lift is booked by the hour
LIFTS = ("1", "2", "goods")


@dataclass(frozen=True)
class Line:
    name: str
    quantity: int
    hazard: Hazard = Hazard.NONE


@dataclass(frozen=True)
class Request:
    requester_kind: RequesterKind
    carrier_name: str
    direction: Direction
    valid_from: datetime
    valid_until: datetime
    lines: list[Line]
    room: Room | None = None
    company_name: str = ""
    carrier_phone: str = ""
    consent: Consent | None = None
    consent_by: str = ""


def _check_consent(site_id: int, req: Request) -> None:
    """V6: goods out need consent; a worker or a departing tenant cannot give it themselves;
    a company's signatory must be on file for that company (signatories.py)."""
    if req.direction != Direction.OUT:
        return
    if req.consent is None or not req.consent_by.strip() and req.consent != Consent.SEAL:
        raise Refused("consent_missing", "consent")
    if req.requester_kind == RequesterKind.HOUSEHOLD:
        if req.consent != Consent.OWNER:
            raise Refused("owner_consent", "consent")
        household = household_of(req.room) if req.room is not None else None
        if (
            household is not None
            and household.kind == HouseholdKind.TENANT
            and normalise_name(household.name) == normalise_name(req.consent_by)
        ):
            raise Refused("tenant_self_consent", "consent_by")
    elif req.consent not in (Consent.SEAL, Consent.SIGNATORY):
        raise Refused("company_consent", "consent")
    elif req.consent == Consent.SIGNATORY and not signatories.on_file(site_id, req.company_name, req.consent_by):
        raise Refused("signatory_not_on_file", "consent_by")
    if req.consent_by.strip() and normalise_name(req.consent_by) == normalise_name(req.carrier_name):
        raise Refused("self_consent", "consent_by")


def request(site_id: int, req: Request, by: User, now: datetime) -> GoodsPass:
    """Record a request. Hazardous goods are refused at once with the reason recorded (V6);
    missing consent for goods out is refused without a record (the form says why)."""
    if req.requester_kind == RequesterKind.HOUSEHOLD and (req.room is None or req.room.site_id != site_id):
        raise Refused("room", "room")
    if req.requester_kind == RequesterKind.COMPANY and not req.company_name.strip():
        raise Refused("company", "company_name")
    if not req.lines or len(req.lines) > MAX_ITEMS:
        raise Refused("no_items")
    if req.valid_until <= req.valid_from or req.valid_until - req.valid_from > MAX_WINDOW:
        raise Refused("window", "valid_until")
    if req.valid_until < now:
        raise Refused("window_past", "valid_until")
    _check_consent(site_id, req)
    goods_pass = GoodsPass(
        site_id=site_id,
        code=_new_code(),
        requester_kind=req.requester_kind,
        room_id=req.room.id if req.room is not None else None,
        company_name=req.company_name.strip() or None,
        carrier_name=req.carrier_name.strip(),
        carrier_phone=req.carrier_phone.strip() or None,
        direction=req.direction,
        valid_from=req.valid_from,
        valid_until=req.valid_until,
        consent=req.consent if req.direction == Direction.OUT else None,
        consent_by=req.consent_by.strip() or None if req.direction == Direction.OUT else None,
        created_by_id=by.id,
        created_at=now,
        items=[GoodsItem(name=line.name.strip(), quantity=line.quantity, hazard=line.hazard) for line in req.lines],
    )
    hazards = sorted({line.hazard.value for line in req.lines if line.hazard != Hazard.NONE})
    if hazards:
        goods_pass.status = PassStatus.REFUSED
        goods_pass.refusal_reason = "hazardous:" + ",".join(hazards)
        goods_pass.decided_at, goods_pass.decided_by_id = now, by.id
    db.session.add(goods_pass)
    db.session.flush()
    audit.record(
        by, "goods_pass.refused" if hazards else "goods_pass.requested", goods_pass, reason=goods_pass.refusal_reason
    )
    return goods_pass


def _new_code() -> str:
    for _ in range(20):
        code = "GP" + random_code(8)
        if db.session.scalar(sa.select(GoodsPass.id).where(GoodsPass.code == code)) is None:
            return code
    raise RuntimeError("no free pass code")  # pragma: no cover


def slot_taken(site_id: int, lift: str, slot_start: datetime) -> bool:
    return (
        db.session.scalar(
            sa.select(LiftBooking.id).where(
                LiftBooking.site_id == site_id, LiftBooking.lift == lift, LiftBooking.slot_start == slot_start
            )
        )
        is not None
    )


def approve(
    goods_pass: GoodsPass, by: User, now: datetime, *, lift: str | None = None, slot_start: datetime | None = None
) -> GoodsPass:
    """V6: approve, with an optional moving slot; no two moves hold one lift slot."""
    if goods_pass.status != PassStatus.REQUESTED:
        raise Refused("not_requested")
    if goods_pass.valid_until < now:
        raise Refused("expired")
    if lift is not None and slot_start is not None:
        if lift not in LIFTS:
            raise Refused("lift", "lift")
        if slot_start.minute or slot_start.second or slot_start.microsecond:
            raise Refused("slot_hour", "slot")
        if not goods_pass.valid_from <= slot_start < goods_pass.valid_until:
            raise Refused("slot_window", "slot")
        if slot_taken(goods_pass.site_id, lift, slot_start):
            raise Refused("slot_taken", "slot")
        try:
            with db.session.begin_nested():
                db.session.add(
                    LiftBooking(site_id=goods_pass.site_id, lift=lift, slot_start=slot_start, pass_id=goods_pass.id)
                )
        except IntegrityError:
            raise Refused("slot_taken", "slot")
    values = {
        "status": PassStatus.APPROVED,
        "decided_at": now,
        "decided_by_id": by.id,
        "lift": lift if slot_start is not None else None,
        "slot_start": slot_start if lift else None,
    }
    if not move(GoodsPass, goods_pass.id, PassStatus.REQUESTED, values):
        raise Refused("not_requested")
    audit.record(by, "goods_pass.approved", goods_pass, details={"lift": lift} if lift else None)
    return goods_pass


def refuse(goods_pass: GoodsPass, reason: str, by: User, now: datetime) -> GoodsPass:
    if goods_pass.status != PassStatus.REQUESTED:
        raise Refused("not_requested")
    if not reason.strip():
        raise Refused("reason", "reason")
    if not move(
        GoodsPass,
        goods_pass.id,
        PassStatus.REQUESTED,
        {"status": PassStatus.REFUSED, "refusal_reason": reason.strip(), "decided_at": now, "decided_by_id": by.id},
    ):
        raise Refused("not_requested")
    audit.record(by, "goods_pass.refused", goods_pass, reason=reason.strip())
    return goods_pass


# --- at the gate -------------------------------------------------------------------------


def verdict(goods_pass: GoodsPass, now: datetime) -> str:
    """What the guard is told: valid, used, expired, not_yet, refused, requested, cancelled."""
    if goods_pass.status == PassStatus.USED:
        return "used"
    if goods_pass.status != PassStatus.APPROVED:
        return goods_pass.status.value
    if now > goods_pass.valid_until:
        return "expired"
    if now < goods_pass.valid_from - timedelta(minutes=30):
        return "not_yet"
    return "valid"


def normalise_code(text: str) -> str:
    """A typed or scanned code: the code itself, or a URL ending in it."""
    text = (text or "").strip().upper().rstrip("/")
    return text.rsplit("/", 1)[-1][:12]


def find(site_id: int, code: str) -> GoodsPass | None:
    return db.session.scalars(_detail(site_id).where(GoodsPass.code == normalise_code(code))).unique().one_or_none()


def mark_used(goods_pass: GoodsPass, by: User, now: datetime) -> GoodsPass:
    """The goods passed the gate: the pass is used, once (V6)."""
    state = verdict(goods_pass, now)
    if state != "valid":
        raise Refused(state)
    if not move(
        GoodsPass, goods_pass.id, PassStatus.APPROVED, {"status": PassStatus.USED, "used_at": now, "used_by_id": by.id}
    ):
        raise Refused("used")
    audit.record(by, "goods_pass.used", goods_pass)
    return goods_pass


# --- lists -------------------------------------------------------------------------------


def _detail(site_id: int):
    return (
        sa.select(GoodsPass)
        .where(GoodsPass.site_id == site_id)
        .options(
            selectinload(GoodsPass.items),
            joinedload(GoodsPass.room).joinedload(Room.building),
            joinedload(GoodsPass.room).joinedload(Room.unit),
        )
    )


def load(site_id: int, pass_id: int) -> GoodsPass | None:
    return db.session.scalars(_detail(site_id).where(GoodsPass.id == pass_id)).unique().one_or_none()


def book(site_id: int, *, status: PassStatus | None = None, cursor: str | None = None, size: int = 50) -> paging.Page:
    query = _detail(site_id)
    if status is not None:
        query = query.where(GoodsPass.status == status)
    return paging.keyset(query, GoodsPass.created_at, GoodsPass.id, cursor=cursor, size=size)


def count_requested(site_id: int, user=None) -> int:
    return (
        db.session.scalar(
            sa.select(sa.func.count(GoodsPass.id)).where(
                GoodsPass.site_id == site_id, GoodsPass.status == PassStatus.REQUESTED
            )
        )
        or 0
    )


def in_use(site_id: int, now: datetime, limit: int = 100) -> list[GoodsPass]:
    """Approved passes whose window is open now or opens within a day: the handover's
    "passes in use" (H1, V6), soonest first."""
    return list(
        db.session.scalars(
            _detail(site_id)
            .where(
                GoodsPass.status == PassStatus.APPROVED,
                GoodsPass.valid_until >= now,
                GoodsPass.valid_from <= now + timedelta(days=1),
            )
            .order_by(GoodsPass.valid_from, GoodsPass.id)
            .limit(limit)
        ).unique()
    )


def lift_bookings(site_id: int, start: datetime, end: datetime, limit: int = 200) -> list[LiftBooking]:
    return list(
        db.session.scalars(
            sa.select(LiftBooking)
            .where(LiftBooking.site_id == site_id, LiftBooking.slot_start >= start, LiftBooking.slot_start < end)
            .order_by(LiftBooking.slot_start, LiftBooking.lift)
            .limit(limit)
        )
    )


def works_the_gate(user) -> bool:
    """V6: the gate check is the front desk's and the security department's (the guard);
    other departments' staff have their own work."""
    if user.role != Role.DEPARTMENT:
        return True
    return user.department is not None and user.department.kind == DepartmentKind.SECURITY
