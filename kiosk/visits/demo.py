"""Demo visitor log: three weeks of past visits at the demo site (called by demo.seed)."""

import random
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

import sqlalchemy as sa

from kiosk.extensions import db
from kiosk.models import Departure, Outcome, Purpose, Room, Site, Visit, VisitStatus
from kiosk.names import mask_id_number, pinyin_of
from kiosk.timeutil import utcnow

PLATES = ("粤B", "粤A", "湘A", "沪A", "京N")


def seed(site: Site, rng: random.Random, name_of, mobile_of, days: int = 21) -> int:
    """Past visits only (the lobby's live visits come from the kiosk); returns how many."""

    rooms = db.session.scalars(sa.select(Room).where(Room.site_id == site.id).order_by(Room.id)).all()
    tz = ZoneInfo(site.timezone)
    today = utcnow().astimezone(tz).date()
    purposes = [Purpose.VISIT] * 6 + [Purpose.DELIVERY] * 3 + [Purpose.WORKS] * 2 + [Purpose.INTERVIEW, Purpose.OTHER]
    made = 0
    for back in range(days, 0, -1):
        day = today - timedelta(days=back)
        for _ in range(rng.randint(2, 6)):
            at = datetime.combine(day, time(rng.randint(8, 20), rng.randrange(60)), tzinfo=tz)
            name, phone = name_of(rng), "+86" + mobile_of(rng)
            pinyin, initials = pinyin_of(name)
            purpose = rng.choice(purposes)
            outcome = rng.choice([Outcome.COMING_DOWN] * 4 + [Outcome.GO_UP] * 3 + [Outcome.NOT_IN])
            visit = Visit(
                site=site,
                code=f"H{made + 1:05d}",
                room=rng.choice(rooms) if rng.random() < 0.92 else None,
                visitor_name=name,
                visitor_phone=phone,
                phone_last4=phone[-4:],
                name_pinyin=pinyin,
                name_initials=initials,
                party_size=rng.choice([1, 1, 1, 2, 2, 3]),
                purpose=purpose,
                plate=rng.choice(PLATES) + f"{rng.randrange(10000, 99999)}" if rng.random() < 0.3 else None,
                action_at=at,
                received_at=at,
                outcome=outcome,
                outcome_at=at + timedelta(minutes=rng.randint(1, 6)),
                id_number_masked=mask_id_number("4403051990" + f"{rng.randrange(10**8):08d}")
                if rng.random() < 0.2
                else None,
            )
            if outcome == Outcome.NOT_IN:
                visit.status = VisitStatus.TURNED_AWAY
            else:
                visit.status = VisitStatus.LEFT
                if rng.random() < 0.1:  # forgot to check out: closed at the 23:00 closing time
                    visit.departed_at = datetime.combine(day, time(23, 0), tzinfo=tz)
                    visit.departure = Departure.AUTO
                else:
                    visit.departed_at = at + timedelta(minutes=rng.randint(15, 180))
                    visit.departure = rng.choice([Departure.KIOSK, Departure.KIOSK, Departure.STAFF])
            db.session.add(visit)
            made += 1
    return made
