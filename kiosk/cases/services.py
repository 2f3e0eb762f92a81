"""Paid special services (特约服务, C7). Plain Python.

booked -> (the service is done) done -> (payment notice given) notified -> (phone callback
on satisfaction) closed; a customer not satisfied on the callback sends it back to booked,
to be done again. Own deadlines (kiosk.cases.deadlines): the payment notice by the working
day after the service, the phone callback within 2 days of it; a deadline missed is flagged
when the late step is taken, or by `sweep` (the dashboard's) once its day has passed, and
stays flagged. Every step is audited; the history shown is
the audit trail's.
"""

from datetime import datetime

import sqlalchemy as sa

from kiosk import audit
from kiosk.cases import Refused, deadlines
from kiosk.extensions import db
from kiosk.models import Department, Household, Role, User
from kiosk.models.case_services import ServiceStatus, SpecialService
from kiosk.models.cases import Satisfaction
from kiosk.timeutil import to_local

OPEN = (ServiceStatus.BOOKED, ServiceStatus.DONE, ServiceStatus.NOTIFIED)
MAX_FEE_CENTS = 10_000_000


def local_date(site, at: datetime):
    return to_local(at, site.timezone).date()


def book(
    site,
    *,
    user: User,
    now: datetime,
    content: str,
    fee_cents: int,
    household: Household | None,
    contact_name: str | None,
    contact_phone: str | None,
    appointment_at: datetime | None = None,
    department: Department | None = None,
    room=None,
) -> SpecialService:
    """A paid special service agreed with the customer: what, the fee, when, by whom."""
    if household is not None and household.site_id != site.id:
        raise Refused("illegal_step")
    if department is not None and department.site_id != site.id:
        raise Refused("illegal_step")
    name = (contact_name or "").strip() or (household.name if household else "")
    if not name:
        raise Refused("caller_required")
    if not (content or "").strip():
        raise Refused("reason_required")
    if fee_cents is None or not 0 <= fee_cents <= MAX_FEE_CENTS:
        raise Refused("fee_out_of_range")
    service = SpecialService(
        site_id=site.id,
        household_id=household.id if household else None,
        room_id=room.id if room is not None else (household.room_id if household else None),
        contact_name=name,
        contact_phone=(contact_phone or "").strip() or (household.phone if household else None),
        content=content.strip(),
        fee_cents=fee_cents,
        appointment_at=appointment_at,
        department_id=department.id if department else None,
        booked_at=now,
        booked_by_id=user.id,
    )
    db.session.add(service)
    db.session.flush()
    audit.record(user, "special_service.booked", service, details={"fee_cents": fee_cents})
    return service


def may_work(service: SpecialService, user: User) -> bool:
    if user.role == Role.DEPARTMENT:
        return service.department_id is not None and service.department_id == user.department_id
    return user.role in (Role.SUPERVISOR, Role.MANAGER, Role.RECEPTIONIST, Role.DUTY_MANAGER)


def done(service: SpecialService, user: User, note: str | None, now: datetime) -> None:
    """The service is done: the payment notice and the callback clocks start (C7)."""
    if service.status != ServiceStatus.BOOKED:
        raise Refused("illegal_step")
    if not may_work(service, user):
        raise Refused("not_yours")
    done_on = local_date(service.site, now)
    service.status = ServiceStatus.DONE
    service.done_at, service.done_note = now, (note or "").strip() or None
    service.notice_due = deadlines.service_notice_due(done_on)
    service.callback_due = deadlines.service_callback_due(done_on)
    audit.record(user, "special_service.done", service)


def payment_notice(service: SpecialService, user: User, *, fee_cents: int, now: datetime) -> None:
    """The payment notice after the service (C7), with the fee charged (it may differ from the
    fee agreed, e.g. materials; both are kept in the audit trail)."""
    if service.status != ServiceStatus.DONE:
        raise Refused("illegal_step")
    if fee_cents is None or not 0 <= fee_cents <= MAX_FEE_CENTS:
        raise Refused("fee_out_of_range")
    if service.notice_due is not None and local_date(service.site, now) > service.notice_due:
        service.notice_missed = True
    agreed = service.fee_cents
    service.fee_cents = fee_cents
    service.status = ServiceStatus.NOTIFIED
    service.notice_at, service.notice_by_id = now, user.id
    audit.record(
        user,
        "special_service.payment_notice",
        service,
        details={"agreed_cents": agreed, "fee_cents": fee_cents, "late": service.notice_missed},
    )


def callback(
    service: SpecialService,
    user: User,
    *,
    satisfaction: Satisfaction,
    confirmed_by: str | None,
    note: str | None,
    now: datetime,
) -> None:
    """The phone callback on satisfaction (C7, as C4): who confirmed on the phone is recorded;
    not satisfied sends the service back to be done again."""
    if service.status != ServiceStatus.NOTIFIED:
        raise Refused("illegal_step")
    if not (confirmed_by or "").strip():
        raise Refused("confirmed_by_required")
    if service.callback_due is not None and local_date(service.site, now) > service.callback_due:
        service.callback_missed = True
    service.callback_at, service.callback_by_id = now, user.id
    service.satisfaction, service.confirmed_by_name = satisfaction, confirmed_by.strip()
    service.callback_note = (note or "").strip() or None
    if satisfaction == Satisfaction.UNSATISFIED:
        service.status = ServiceStatus.BOOKED
        service.reopened_count += 1
        service.done_at = service.notice_at = service.callback_due = service.notice_due = None
        audit.record(user, "special_service.reopened", service, details={"late": service.callback_missed})
        return
    service.status = ServiceStatus.CLOSED
    audit.record(
        user,
        "special_service.called_back",
        service,
        details={"satisfaction": str(satisfaction), "late": service.callback_missed},
    )


def sweep(site, now: datetime) -> None:
    """Flag the steps whose day has passed without them (C7), for a whole site in two bounded
    UPDATEs: a payment notice still owed after its day, a callback still owed after its day.
    Never cleared: a deadline once missed stays missed, whatever happens after (C3)."""
    today = local_date(site, now)
    mine = SpecialService.site_id == site.id
    for status, due, missed in (
        (ServiceStatus.DONE, SpecialService.notice_due, "notice_missed"),
        (ServiceStatus.NOTIFIED, SpecialService.callback_due, "callback_missed"),
    ):
        db.session.execute(
            sa.update(SpecialService)
            .where(mine, SpecialService.status == status, getattr(SpecialService, missed).is_(False), due < today)
            .values({missed: True}),
            execution_options={"synchronize_session": False},
        )
