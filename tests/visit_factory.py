"""Visits made directly with the model, filled as registration fills them (search columns
from kiosk.names), for tests of the visitor log. Not the registration rules themselves."""

import itertools
from datetime import datetime, timedelta

from kiosk.extensions import db
from kiosk.models import Departure, Outcome, Purpose, Room, Site, Visit, VisitStatus
from kiosk.names import mask_id_number, pinyin_of
from kiosk.timeutil import utcnow

_codes = itertools.count(1)


def make_visit(
    site: Site,
    *,
    room: Room | None = None,
    name: str | None = "张三",
    phone: str | None = "+8613812345678",
    at: datetime | None = None,
    status: VisitStatus = VisitStatus.ON_SITE,
    purpose: Purpose = Purpose.VISIT,
    plate: str | None = None,
    party_size: int = 1,
    id_number: str | None = None,
    departed_at: datetime | None = None,
    departure: Departure | None = None,
    commit: bool = False,
    **extra,
) -> Visit:
    at = at or utcnow() - timedelta(minutes=30)
    pinyin, initials = pinyin_of(name)
    visit = Visit(
        site=site,
        code=f"T{next(_codes):05d}",
        room=room,
        visitor_name=name,
        visitor_phone=phone,
        phone_last4=phone[-4:] if phone else None,
        name_pinyin=pinyin or None,
        name_initials=initials or None,
        id_number_masked=mask_id_number(id_number) or None,
        party_size=party_size,
        purpose=purpose,
        plate=plate,
        status=status,
        action_at=at,
        received_at=at,
        departed_at=departed_at,
        departure=departure,
        **extra,
    )
    if status in (VisitStatus.ON_SITE, VisitStatus.LEFT) and "outcome" not in extra:
        visit.outcome, visit.outcome_at = Outcome.COMING_DOWN, at + timedelta(minutes=2)
    if status == VisitStatus.LEFT and departed_at is None:
        visit.departed_at, visit.departure = at + timedelta(hours=1), departure or Departure.KIOSK
    db.session.add(visit)
    if commit:
        db.session.commit()
    else:
        db.session.flush()
    return visit
