"""The lobby as the front desk sees it: the site's lobby settings, the board's lists
(waiting, on site, left today, expected today) and the household phones a waiting
visitor's host is reached on (staff only, every look audited; rule V3). No request."""
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from kiosk import audit
from kiosk.extensions import db
from kiosk.timeutil import utcnow
from kiosk.models import (
    Desk, Device, Household, IdempotencyKey, LobbySettings, Room, Site, User, Visit, VisitStatus,
)

DEFAULTS = {"ask_id_number": False, "idle_seconds": 60, "retention_days": 180,
            "closing_time": time(23, 0)}


def settings_for(site_id: int) -> LobbySettings:
    """The site's settings, or (not saved) the defaults when the site has none yet."""
    row = db.session.scalar(sa.select(LobbySettings).where(LobbySettings.site_id == site_id))
    return row if row is not None else LobbySettings(site_id=site_id, **DEFAULTS)


def recent_submissions(device: Device, now: datetime, window: timedelta = timedelta(minutes=1)) -> int:
    """Submissions this device made within the window: the kiosk's rate limit counts
    them in the database, so it holds across server processes."""
    return db.session.scalar(
        sa.select(sa.func.count(IdempotencyKey.id)).where(
            IdempotencyKey.device_id == device.id, IdempotencyKey.received_at >= now - window)
    ) or 0


def day_bounds(site: Site, now: datetime) -> tuple[datetime, datetime]:
    """Start and end (UTC) of the site's local day containing `now`."""
    zone = ZoneInfo(site.timezone)
    local = now.astimezone(zone)
    start = datetime.combine(local.date(), time(0), tzinfo=zone)
    return start, start + timedelta(days=1)


def _with_rooms(query):
    return query.options(
        selectinload(Visit.room).selectinload(Room.building),
        selectinload(Visit.room).selectinload(Room.unit),
        selectinload(Visit.watch_entry),
    )


def waiting(site_id: int, desk: Desk | None = None) -> list[Visit]:
    """Registered visitors the desk still has to answer, oldest first (held ones too)."""
    query = sa.select(Visit).where(
        Visit.site_id == site_id, Visit.status.in_((VisitStatus.WAITING, VisitStatus.HELD)))
    if desk is not None:
        query = query.where(Visit.desk == desk)
    return list(db.session.scalars(_with_rooms(query).order_by(Visit.action_at, Visit.id)))


def on_site(site_id: int) -> list[Visit]:
    query = sa.select(Visit).where(Visit.site_id == site_id, Visit.status == VisitStatus.ON_SITE)
    return list(db.session.scalars(_with_rooms(query).order_by(Visit.action_at, Visit.id)))


def left_today(site: Site, now: datetime) -> list[Visit]:
    """Checked out or turned away since the start of the site's local day, latest first."""
    start, end = day_bounds(site, now)
    query = sa.select(Visit).where(
        Visit.site_id == site.id,
        sa.or_(
            sa.and_(Visit.departed_at >= start, Visit.departed_at < end),
            sa.and_(Visit.status == VisitStatus.TURNED_AWAY, Visit.departed_at.is_(None),
                    Visit.action_at >= start, Visit.action_at < end),
        ),
    )
    return list(db.session.scalars(_with_rooms(query).order_by(Visit.id.desc())))


def contacts(visit: Visit, *, actor: User) -> list[Household]:
    """The active households of the visited room, for the desk to phone the host (V4).
    Never shown on the kiosk (V3); each look is audited."""
    if visit.room_id is None:
        return []
    rows = list(db.session.scalars(
        sa.select(Household).where(Household.site_id == visit.site_id, Household.room_id == visit.room_id,
                                   Household.active.is_(True)).order_by(Household.id)
    ))
    audit.record(actor, "visit.host_contacts_viewed", visit, details={"households": [h.id for h in rows]})
    return rows


def room_directory(site_id: int):
    """Buildings -> units -> floors (top first) -> rooms, for the kiosk's room buttons.
    Only building, unit and room numbers: nothing about who lives there (V3)."""
    rooms = db.session.scalars(
        sa.select(Room).where(Room.site_id == site_id)
        .options(selectinload(Room.building), selectinload(Room.unit))
    ).all()
    tree: dict = {}
    for room in rooms:
        building = tree.setdefault(room.building, {})
        floors = building.setdefault(room.unit, {})
        floors.setdefault(room.floor, []).append(room)
    directory = []
    for building in sorted(tree, key=lambda b: (b.sort_order, b.name)):
        units = []
        for unit in sorted(tree[building], key=lambda u: (u is not None, u.name if u else "")):
            floors = tree[building][unit]
            units.append((unit, [(floor, sorted(floors[floor], key=lambda r: r.number))
                                 for floor in sorted(floors, reverse=True)]))
        directory.append((building, units))
    return directory


def seed_demo(site: Site, rng) -> None:
    """Demo lobby: settings with a notice in both languages and three expected visitors
    today (called by kiosk.demo.seed before it commits)."""
    from kiosk.visits import expected
    from kiosk.models import Purpose

    if db.session.scalar(sa.select(LobbySettings.id).where(LobbySettings.site_id == site.id)) is None:
        db.session.add(LobbySettings(
            site_id=site.id, **DEFAULTS,
            notice_zh="本周六 9:00-12:00 小区停水检修，请访客提前安排行程。",
            notice_en="Water will be off on Saturday 9:00-12:00 for maintenance.",
        ))
    rooms = db.session.scalars(sa.select(Room).where(Room.site_id == site.id).order_by(Room.id)).all()
    today = expected.local_date(site, utcnow())
    for name, purpose in (("周家明", Purpose.VISIT), ("顺丰 刘师傅", Purpose.DELIVERY), ("Emily Carter", Purpose.INTERVIEW)):
        room = rooms[rng.randrange(len(rooms))]
        db.session.add(expected.ExpectedVisit(
            site_id=site.id, code=_demo_code(rng), room=room, day=today, visitor_name=name,
            visitor_phone="+86139" + "".join(str(rng.randrange(10)) for _ in range(8)), purpose=purpose,
        ))


def _demo_code(rng) -> str:
    from kiosk.visits.registration import CODE_ALPHABET, CODE_LENGTH

    return "".join(rng.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
