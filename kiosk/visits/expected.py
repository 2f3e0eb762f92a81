"""Expected visitors: announced by staff for a room and a day. The code is valid on that
day only (the site's local date) and once; at the kiosk it fills in the registration and
goes straight to the waiting screen (V4). Plain Python: no request."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import selectinload

from kiosk import audit
from kiosk.extensions import db
from kiosk.models import Device, ExpectedVisit, Purpose, Room, Site, User, Visit
from kiosk.visits import registration as visits
from kiosk.visits.registration import Registration, VisitError

MSG_UNKNOWN = _l("We do not know this code. Please check it, or register at the screen's start.")
MSG_NOT_TODAY = _l("This code is valid on %(day)s only.")
MSG_CANCELLED = _l("This code was cancelled. Please register at the screen's start.")
MSG_USED = _l("This code has been used already. Please register at the screen's start.")
MSG_PAST_DAY = _l("The day cannot be in the past.")


def local_date(site: Site, moment: datetime) -> date:
    return moment.astimezone(ZoneInfo(site.timezone)).date()


def create(
    site: Site,
    *,
    actor: User,
    day: date,
    today: date,
    room: Room | None,
    name: str,
    phone: str | None,
    party_size: int = 1,
    purpose: Purpose = Purpose.VISIT,
    plate: str | None = None,
    note: str | None = None,
) -> ExpectedVisit:
    """A pre-registration with its own code (name, phone already checked). Audited."""
    if day < today:
        raise VisitError(MSG_PAST_DAY, field="day")
    expected = ExpectedVisit(
        site_id=site.id,
        code=visits.new_code(site.id, ExpectedVisit),
        room=room,
        day=day,
        visitor_name=name,
        visitor_phone=phone,
        party_size=party_size,
        purpose=purpose,
        plate=plate,
        note=(note or "").strip() or None,
        created_by_id=actor.id,
    )
    db.session.add(expected)
    db.session.flush()
    audit.record(actor, "expected.created", expected, details={"day": day.isoformat()})
    return expected


def cancel(expected: ExpectedVisit, *, actor: User, now: datetime) -> None:
    if expected.cancelled_at is None:
        expected.cancelled_at = now
        audit.record(actor, "expected.cancelled", expected)


def by_code(site_id: int, code: str | None) -> ExpectedVisit | None:
    code = visits.normalise_code(code)
    if not code:
        return None
    return db.session.scalar(
        sa.select(ExpectedVisit).where(ExpectedVisit.site_id == site_id, ExpectedVisit.code == code)
    )


def redeemable(site: Site, code: str | None, *, on: date) -> ExpectedVisit:
    """The expected visit for this code if it may be used on `on` (site-local date);
    raises VisitError saying why not."""
    expected = by_code(site.id, code)
    if expected is None or expected.purged_at is not None:
        raise VisitError(MSG_UNKNOWN, field="code")
    if expected.cancelled_at is not None:
        raise VisitError(MSG_CANCELLED, field="code")
    if expected.day != on:
        raise VisitError(_l("This code is valid on %(day)s only.", day=expected.day.isoformat()), field="code")
    used = db.session.scalar(sa.select(Visit.id).where(Visit.expected_visit_id == expected.id))
    if used is not None:
        raise VisitError(MSG_USED, field="code")
    return expected


def redeem(
    site: Site,
    code: str | None,
    *,
    received_at: datetime,
    action_at: datetime,
    device: Device | None = None,
    user: User | None = None,
    replayed: bool = False,
) -> Visit:
    """Register the expected visitor (same rules as any registration: V2 routing, the
    watch list) if the code is valid on the day of the action."""
    expected = redeemable(site, code, on=local_date(site, action_at))
    reg = Registration(
        room=expected.room,
        name=expected.visitor_name or "",
        phone=expected.visitor_phone or "",
        party_size=expected.party_size,
        purpose=expected.purpose,
        plate=expected.plate,
    )
    return visits.register(
        site,
        reg,
        received_at=received_at,
        action_at=action_at,
        device=device,
        user=user,
        expected=expected,
        replayed=replayed,
    )


def for_day(site_id: int, day: date, limit: int | None = None) -> list[ExpectedVisit]:
    """The day's expected visitors (cancelled ones included, marked), rooms loaded; at
    most `limit` of them (the board)."""
    query = (
        sa.select(ExpectedVisit)
        .where(ExpectedVisit.site_id == site_id, ExpectedVisit.day == day, ExpectedVisit.purged_at.is_(None))
        .options(
            selectinload(ExpectedVisit.room).selectinload(Room.building),
            selectinload(ExpectedVisit.room).selectinload(Room.unit),
        )
        .order_by(ExpectedVisit.id)
    )
    return list(db.session.scalars(query.limit(limit) if limit else query))


def count_for_day(site_id: int, day: date) -> int:
    return (
        db.session.scalar(
            sa.select(sa.func.count(ExpectedVisit.id)).where(
                ExpectedVisit.site_id == site_id, ExpectedVisit.day == day, ExpectedVisit.purged_at.is_(None)
            )
        )
        or 0
    )


def upcoming(site_id: int, start: date, days: int = 30) -> list[ExpectedVisit]:
    """Expected visitors from `start` on (not cancelled), day by day, rooms loaded."""
    return list(
        db.session.scalars(
            sa.select(ExpectedVisit)
            .where(
                ExpectedVisit.site_id == site_id,
                ExpectedVisit.day >= start,
                ExpectedVisit.day < start + timedelta(days=days),
                ExpectedVisit.cancelled_at.is_(None),
                ExpectedVisit.purged_at.is_(None),
            )
            .options(
                selectinload(ExpectedVisit.room).selectinload(Room.building),
                selectinload(ExpectedVisit.room).selectinload(Room.unit),
            )
            .order_by(ExpectedVisit.day, ExpectedVisit.id)
        )
    )
