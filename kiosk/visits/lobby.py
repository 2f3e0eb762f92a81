"""The lobby as the front desk sees it: the site's lobby settings, the board's lists
(waiting, on site, left today, expected today) and the household phones a waiting
visitor's host is reached on (staff only, every look audited; rule V3). No request.

The board is bounded: each list shows at most BOARD_LIMIT rows (the oldest waiting
first), with its count and a link to the full list. A desk that forgets to record
outcomes on a busy day must not get a board of megabytes, re-sent every few seconds.
`board_version` is a short token of everything the board shows, read with two small
aggregate queries: the board's poll sends it and is answered "no change" (204) while it
holds, so an idle board costs a few hundred bytes a poll.
"""

import hashlib
from collections import Counter
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from sqlalchemy.orm import joinedload, selectinload

from kiosk import audit
from kiosk.extensions import db
from kiosk.models import (
    Desk,
    Device,
    ExpectedVisit,
    Household,
    IdempotencyKey,
    LobbySettings,
    Room,
    Site,
    User,
    Visit,
    VisitStatus,
)
from kiosk.timeutil import utcnow

BOARD_LIMIT = 25  # rows of each list on the board; the rest is one link away
WAITING_STATUSES = (VisitStatus.WAITING, VisitStatus.HELD)

DEFAULTS = {"ask_id_number": False, "idle_seconds": 60, "retention_days": 180, "closing_time": time(23, 0)}


def settings_for(site_id: int) -> LobbySettings:
    """The site's settings, or (not saved) the defaults when the site has none yet."""
    row = db.session.scalar(sa.select(LobbySettings).where(LobbySettings.site_id == site_id))
    return row if row is not None else LobbySettings(site_id=site_id, **DEFAULTS)


def recent_submissions(device: Device, now: datetime, window: timedelta = timedelta(minutes=1)) -> int:
    """Submissions this device made within the window: the kiosk's rate limit counts
    them in the database, so it holds across server processes."""
    return (
        db.session.scalar(
            sa.select(sa.func.count(IdempotencyKey.id)).where(
                IdempotencyKey.device_id == device.id, IdempotencyKey.received_at >= now - window
            )
        )
        or 0
    )


def day_bounds(site: Site, now: datetime) -> tuple[datetime, datetime]:
    """Start and end (UTC) of the site's local day containing `now`."""
    zone = ZoneInfo(site.timezone)
    local = now.astimezone(zone)
    start = datetime.combine(local.date(), time(0), tzinfo=zone)
    return start, start + timedelta(days=1)


def _with_rooms(query):
    """Rooms and watch entries joined in (each is one row per visit): the same statements
    whether or not any listed visit has a room or a watch entry."""
    return query.options(
        joinedload(Visit.room).joinedload(Room.building),
        joinedload(Visit.room).joinedload(Room.unit),
        joinedload(Visit.watch_entry),
    )


def _in_status(site_id: int, statuses, desk: Desk | None = None) -> sa.Select:
    """The site's visits in `statuses`, found by their ids first (a range of
    ix_visit_site_status_action: the lobby's few, not the years behind them). Asked for in time
    order directly, a planner may walk the site's whole history by time to find them."""
    ids = sa.select(Visit.id).where(Visit.site_id == site_id, Visit.status.in_(statuses))
    if desk is not None:
        ids = ids.where(Visit.desk == desk)
    return sa.select(Visit).where(Visit.id.in_(ids))


def waiting(site_id: int, desk: Desk | None = None, limit: int | None = BOARD_LIMIT) -> list[Visit]:
    """Registered visitors the desk still has to answer, oldest first (held ones too),
    at most `limit` of them."""
    query = _with_rooms(_in_status(site_id, WAITING_STATUSES, desk)).order_by(Visit.action_at, Visit.id)
    return list(db.session.scalars(query.limit(limit) if limit else query))


def waiting_counts(site_id: int) -> Counter:
    """How many wait at each desk ("reception", "duty"): one query, whatever the number."""
    rows = db.session.execute(
        sa.select(Visit.desk, sa.func.count(Visit.id))
        .where(Visit.site_id == site_id, Visit.status.in_(WAITING_STATUSES))
        .group_by(Visit.desk)
    )
    return Counter({str(desk): count for desk, count in rows})


def on_site(site_id: int, limit: int | None = BOARD_LIMIT) -> list[Visit]:
    """Visitors on site, longest there first, at most `limit` of them."""
    query = _with_rooms(_in_status(site_id, (VisitStatus.ON_SITE,))).order_by(Visit.action_at, Visit.id)
    return list(db.session.scalars(query.limit(limit) if limit else query))


def on_site_count(site_id: int) -> int:
    return (
        db.session.scalar(
            sa.select(sa.func.count(Visit.id)).where(Visit.site_id == site_id, Visit.status == VisitStatus.ON_SITE)
        )
        or 0
    )


def _left_today_ids(site: Site, now: datetime):
    """Ids of the visits that left since the start of the site's local day: checked out
    today, or turned away today without a check-out. Two index ranges (ix_visit_site_departed,
    ix_visit_site_status_action) joined by UNION ALL: the cost follows today's traffic, not
    the years of history."""
    start, end = day_bounds(site, now)
    departed = sa.select(Visit.id).where(Visit.site_id == site.id, Visit.departed_at >= start, Visit.departed_at < end)
    turned_away = sa.select(Visit.id).where(
        Visit.site_id == site.id,
        Visit.status == VisitStatus.TURNED_AWAY,
        Visit.action_at >= start,
        Visit.action_at < end,
        Visit.departed_at.is_(None),
    )
    return sa.union_all(departed, turned_away)


def _left_today_where(site: Site, now: datetime):
    return Visit.id.in_(_left_today_ids(site, now))


def left_today(site: Site, now: datetime, limit: int | None = BOARD_LIMIT) -> list[Visit]:
    """Checked out or turned away since the start of the site's local day, latest first,
    at most `limit` of them."""
    query = _with_rooms(sa.select(Visit).where(_left_today_where(site, now))).order_by(Visit.id.desc())
    return list(db.session.scalars(query.limit(limit) if limit else query))


def left_today_count(site: Site, now: datetime) -> int:
    ids = _left_today_ids(site, now).subquery()
    return db.session.scalar(sa.select(sa.func.count()).select_from(ids)) or 0


def board_version(site: Site, now: datetime, today: date) -> str:
    """A short token that changes whenever anything the board shows changes: a visit
    registered, answered, allowed or refused, checked out or purged; an expected visitor
    added or cancelled; and every minute (the board shows minutes waited, and day and
    night hours). Two aggregate queries, whatever the number of visitors."""
    start, end = day_bounds(site, now)
    present = sa.select(Visit.id).where(
        Visit.site_id == site.id, Visit.status.in_((*WAITING_STATUSES, VisitStatus.ON_SITE))
    )
    on_board = Visit.id.in_(sa.union(present, *_left_today_ids(site, now).selects))
    visits = db.session.execute(
        sa.select(
            Visit.status,
            Visit.desk,
            sa.func.count(Visit.id),
            sa.func.coalesce(sa.func.sum(Visit.id), 0),
            sa.func.max(Visit.outcome_at),
            sa.func.max(Visit.departed_at),
            sa.func.max(Visit.purged_at),
        )
        .where(on_board)  # the ids are the site's already: looked up one by one, not scanned
        .group_by(Visit.status, Visit.desk)
        .order_by(Visit.status, Visit.desk)
    ).all()
    expected = db.session.execute(
        sa.select(
            sa.func.count(ExpectedVisit.id),
            sa.func.coalesce(sa.func.sum(ExpectedVisit.id), 0),
            sa.func.max(ExpectedVisit.cancelled_at),
            sa.func.max(ExpectedVisit.purged_at),
        ).where(ExpectedVisit.site_id == site.id, ExpectedVisit.day == today)
    ).one()
    minute = now.replace(second=0, microsecond=0).isoformat()
    text = repr((minute, start.isoformat(), [tuple(map(str, row)) for row in visits], tuple(map(str, expected))))
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def contacts(visit: Visit, *, actor: User) -> list[Household]:
    """The active households of the visited room, for the desk to phone the host (V4).
    Never shown on the kiosk (V3); each look is audited."""
    if visit.room_id is None:
        return []
    rows = list(
        db.session.scalars(
            sa.select(Household)
            .where(Household.site_id == visit.site_id, Household.room_id == visit.room_id, Household.active.is_(True))
            .order_by(Household.id)
        )
    )
    audit.record(actor, "visit.host_contacts_viewed", visit, details={"households": [h.id for h in rows]})
    return rows


def room_directory(site_id: int):
    """Buildings -> units -> floors (top first) -> rooms, for the kiosk's room buttons.
    Only building, unit and room numbers: nothing about who lives there (V3)."""
    rooms = db.session.scalars(
        sa.select(Room).where(Room.site_id == site_id).options(selectinload(Room.building), selectinload(Room.unit))
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
            units.append(
                (
                    unit,
                    [(floor, sorted(floors[floor], key=lambda r: r.number)) for floor in sorted(floors, reverse=True)],
                )
            )
        directory.append((building, units))
    return directory


def seed_demo(site: Site, rng) -> None:
    """Demo lobby: settings with a notice in both languages and three expected visitors
    today (called by kiosk.demo.seed before it commits)."""
    from kiosk.models import Purpose
    from kiosk.visits import expected

    if db.session.scalar(sa.select(LobbySettings.id).where(LobbySettings.site_id == site.id)) is None:
        db.session.add(
            LobbySettings(
                site_id=site.id,
                **DEFAULTS,
                notice_zh="本周六 9:00-12:00 小区停水检修，请访客提前安排行程。",
                notice_en="Water will be off on Saturday 9:00-12:00 for maintenance.",
            )
        )
    rooms = db.session.scalars(sa.select(Room).where(Room.site_id == site.id).order_by(Room.id)).all()
    today = expected.local_date(site, utcnow())
    for name, purpose in (
        ("周家明", Purpose.VISIT),
        ("顺丰 刘师傅", Purpose.DELIVERY),
        ("Emily Carter", Purpose.INTERVIEW),
    ):
        room = rooms[rng.randrange(len(rooms))]
        db.session.add(
            expected.ExpectedVisit(
                site_id=site.id,
                code=_demo_code(rng),
                room=room,
                day=today,
                visitor_name=name,
                visitor_phone="+86139" + "".join(str(rng.randrange(10)) for _ in range(8)),
                purpose=purpose,
            )
        )


def _demo_code(rng) -> str:
    from kiosk.visits.registration import CODE_ALPHABET, CODE_LENGTH

    return "".join(rng.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
