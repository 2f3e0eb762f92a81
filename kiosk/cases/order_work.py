"""Work orders and complaints worked on the department's tablet (C5, C10). Plain Python.

Department staff sign in on an enrolled tablet (the patrol tablet's sign-in) and see their
department's open work orders and the complaints handed to it; they note progress, and
complete an order on site with up to 3 photos, the customer's drawn signature and, when it
was priced on site, the fee the customer confirmed. Every write comes through the tablet's
outbox (OFFLINE.md): the views accept each once by its key, and a replay made long after
is attributed to the worker by a token signed at sign-in and bound to the tablet.
Complaints use kiosk.cases.complaints as the console does.
"""

from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from itsdangerous import BadSignature, URLSafeTimedSerializer
from sqlalchemy.orm import selectinload

from kiosk import audit
from kiosk.cases import Refused, orders
from kiosk.cases import complaints as complaint_cases
from kiosk.extensions import db
from kiosk.models import Device, Role, Room, User
from kiosk.models.case_complaints import Complaint, ComplaintStatus
from kiosk.models.case_orders import OrderPhoto, OrderProgress, ProgressKind, WorkOrder
from kiosk.models.cases import CaseEvent

MAX_PHOTOS = 3  # completion photos per order
MAX_FEE_CENTS = 10_000_000  # 100,000 yuan: a fee typed on site above that is a typo
MAX_NOTE = 2000
WORKER_TOKEN_MAX_AGE = 7 * 24 * 3600  # a sign-in vouches for writes made within a week
# The complaints a department works on the tablet: signed for (C5) and handled until rectified.
COMPLAINT_STATUSES = (ComplaintStatus.HANDLING,)


def is_worker(user: User | None) -> bool:
    """Department staff with a department: they may work orders and complaints on a tablet."""
    return user is not None and user.role == Role.DEPARTMENT and user.department_id is not None


# --- who: a token signed at sign-in, bound to the tablet (OFFLINE.md 6) ---------------


def _serializer(secret: str) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(secret, salt="department-worker")


def worker_token(secret: str, user: User, device: Device) -> str:
    return _serializer(secret).dumps({"u": user.id, "d": device.id})


def worker_from_token(secret: str, token: str | None, device: Device) -> User:
    """The worker a form vouches for; refused ("worker") when the token is forged, old,
    from another tablet, or the account is no longer department staff of this site."""
    try:
        data = _serializer(secret).loads(token or "", max_age=WORKER_TOKEN_MAX_AGE)
    except BadSignature:
        raise Refused("worker")
    user = db.session.get(User, data.get("u")) if data.get("d") == device.id else None
    if user is None or not user.active or user.site_id != device.site_id or not is_worker(user):
        raise Refused("worker")
    return user


# --- the list --------------------------------------------------------------------------


def open_orders(user: User) -> sa.Select:
    """The worker's department's open orders (dispatched, or logged to it), rooms loaded."""
    return (
        sa.select(WorkOrder)
        .where(
            WorkOrder.site_id == user.site_id,
            WorkOrder.department_id == user.department_id,
            WorkOrder.status.in_(orders.OPEN_STATUSES),
        )
        .options(
            selectinload(WorkOrder.room).selectinload(Room.building),
            selectinload(WorkOrder.room).selectinload(Room.unit),
        )
    )


def open_complaints(user: User) -> sa.Select:
    """Complaints graded and handed to the worker's department: the form to sign for (C5), then handling."""
    return (
        sa.select(Complaint)
        .where(
            Complaint.site_id == user.site_id,
            Complaint.department_id == user.department_id,
            Complaint.status.in_(COMPLAINT_STATUSES),
        )
        .options(
            selectinload(Complaint.room).selectinload(Room.building),
            selectinload(Complaint.room).selectinload(Room.unit),
        )
    )


@dataclass(frozen=True)
class OrderFlags:
    follow_up: bool  # not finished on the day it was logged (C10)
    appointment_passed: bool
    fix_overdue: bool  # a problem found on callback, not fixed within 1 working day


def order_flags(order: WorkOrder, now: datetime) -> OrderFlags:
    today = orders.local_date(order.site, now)
    return OrderFlags(
        follow_up=orders.needs_follow_up(order, now),
        appointment_passed=order.appointment_at is not None and order.appointment_at < now,
        fix_overdue=order.fix_due is not None and order.fix_due < today,
    )


def complaint_late(case: Complaint, now: datetime) -> bool:
    """The rectification deadline passed, or the form not signed for within 4 hours (C3)."""
    today = complaint_cases.local_date(case.site, now)
    if case.rectify_missed or (case.rectify_due is not None and case.rectify_due < today):
        return True
    return case.form_received_at is None and case.notify_due_at is not None and now > case.notify_due_at


# --- the order: progress and completion ------------------------------------------------


def _may_work(order: WorkOrder, user: User) -> None:
    if order.status != orders.OrderStatus.DISPATCHED:
        raise Refused("illegal_step")
    if not is_worker(user) or order.department_id != user.department_id:
        raise Refused("not_yours")


def _note(text: str | None) -> str | None:
    return (text or "").strip()[:MAX_NOTE] or None


def add_progress(
    order: WorkOrder,
    user: User,
    *,
    kind: ProgressKind,
    note: str | None,
    at: datetime,
    received: datetime,
    device: Device | None = None,
) -> OrderProgress:
    """A progress entry (arrived, parts needed, ...) on a dispatched order of the worker's department."""
    _may_work(order, user)
    if kind == ProgressKind.NOTE and not _note(note):
        raise Refused("reason_required")
    entry = OrderProgress(
        site_id=order.site_id,
        work_order_id=order.id,
        kind=kind,
        note=_note(note),
        at=at,
        received_at=received,
        user_id=user.id,
        device_id=device.id if device else None,
    )
    db.session.add(entry)
    db.session.add(
        CaseEvent(site_id=order.site_id, work_order=order, at=at, user_id=user.id, action="progress", note=_note(note))
    )
    db.session.flush()
    audit.record(user, "work_order.progress", order, details={"kind": str(kind)})
    return entry


def complete_on_site(
    order: WorkOrder,
    user: User,
    *,
    note: str | None,
    photos: list,
    signature,
    site_fee_cents: int | None,
    at: datetime,
    received: datetime,
    device: Device | None = None,
) -> WorkOrder:
    """Finished on site (C10): the customer signs on the tablet, up to 3 photos (stored by
    kiosk/photos.py), and an order priced on site needs the fee the customer confirmed.
    Then it is done as on the console: the callback is owed within 2 days."""
    _may_work(order, user)
    if len(photos) > MAX_PHOTOS:
        raise Refused("photos_max")
    if signature is None:
        raise Refused("signature_required")
    if order.fee_cents is None:
        if site_fee_cents is None:
            raise Refused("site_fee_required")
        if not 0 <= site_fee_cents <= MAX_FEE_CENTS:
            raise Refused("fee_out_of_range")
        order.site_fee_cents = site_fee_cents
    orders.complete(order, user, _note(note), at)
    order.completed_by_id = user.id
    order.customer_signature_path, order.customer_signature_sha256 = signature.path, signature.sha256
    for stored in photos:
        db.session.add(
            OrderPhoto(
                site_id=order.site_id,
                work_order_id=order.id,
                **stored.columns(),
                taken_at=at,
                received_at=received,
                uploaded_by_id=user.id,
                device_id=device.id if device else None,
            )
        )
    db.session.flush()
    audit.record(
        user,
        "work_order.completed_on_site",
        order,
        details={"photos": len(photos), "site_fee_cents": order.site_fee_cents},
    )
    return order


def progress_of(order_ids: list[int]) -> dict[int, list[OrderProgress]]:
    """order id -> its progress entries, oldest first, in one query."""
    found: dict[int, list[OrderProgress]] = {i: [] for i in order_ids}
    if order_ids:
        rows = db.session.scalars(
            sa.select(OrderProgress)
            .where(OrderProgress.work_order_id.in_(order_ids))
            .options(selectinload(OrderProgress.user))
            .order_by(OrderProgress.work_order_id, OrderProgress.at, OrderProgress.id)
        )
        for row in rows:
            found[row.work_order_id].append(row)
    return found


def photos_of(order: WorkOrder) -> list[OrderPhoto]:
    return list(
        db.session.scalars(sa.select(OrderPhoto).where(OrderPhoto.work_order_id == order.id).order_by(OrderPhoto.id))
    )


# --- the complaint: the console's steps, from the tablet ------------------------------


def sign_for_complaint(case: Complaint, user: User, *, version: int | None, signature, at: datetime) -> Complaint:
    """C5 on the tablet: the version the tablet showed must still be the record's (else Conflict)."""
    complaint_cases.check_version(case, version)
    complaint_cases.receive_form(case, user, signature=signature, now=at)
    return case


def rectify_complaint(case: Complaint, user: User, *, version: int | None, note: str, at: datetime) -> Complaint:
    """The handling recorded and the complaint marked rectified, as on the console (C3)."""
    complaint_cases.check_version(case, version)
    complaint_cases.rectified(case, user, note, at)
    return case
