"""Generate one large site's history fast, with bulk inserts (bench/run.py calls it).

The demo site (kiosk.demo.seed) gives the accounts, departments and a first set of rooms;
this adds buildings up to `rooms` rooms with their households, then `visits` visits spread
over `days` days with realistic Chinese names, pinyin, phones and plates. Deterministic.
"""

import random
import time
from datetime import timedelta

import sqlalchemy as sa

from bench import bulk, history
from kiosk import demo, statistics
from kiosk.extensions import db
from kiosk.models import Building, Household, Room, Site, Unit, Visit
from kiosk.models.case_orders import WorkOrder
from kiosk.models.cases import Intake
from kiosk.models.patrols import Answer, Patrol, PatrolStop, Task
from kiosk.names import pinyin_of
from kiosk.timeutil import utcnow

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
GIVEN = "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英华玉萍红娥玲芬燕彬鹏辉建国建华志强文博浩然子涵欣怡宇轩梓萱"
PROVINCES = "京沪粤苏浙鲁川鄂湘闽皖豫"
BATCH = 10_000


def _name(rng: random.Random) -> str:
    return rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2))))


# Visitors' names come from a pool, as in life (names repeat); each name's pinyin and
# initials are worked out once, as the app writes them.
NAME_POOL = 30_000


def _phone(rng: random.Random) -> str:
    return f"+861{rng.choice('3456789')}{rng.randrange(10**9):09d}"


def generate(
    *,
    rooms: int,
    visits: int,
    days: int,
    patrols: int = 0,
    intake: int = 0,
    orders: int = 0,
    looks: int = 0,
    seed: int = 2026,
    out=print,
) -> dict:
    """Fill the current app's database; returns counts and seconds taken."""
    started = time.perf_counter()
    rng = random.Random(seed)
    demo.seed("bench-pass")
    site = db.session.scalar(sa.select(Site).where(Site.code == demo.DEMO_SITE_CODE))
    room_ids = list(db.session.scalars(sa.select(Room.id).where(Room.site_id == site.id)))
    b = 100
    while len(room_ids) < rooms:
        building = Building(site=site, name=str(b), sort_order=b)
        unit = Unit(site=site, building=building, name="1")
        db.session.add_all([building, unit])
        db.session.flush()
        new_rooms = [
            {
                "site_id": site.id,
                "building_id": building.id,
                "unit_id": unit.id,
                "floor": floor,
                "number": f"{floor:02d}{door:02d}",
                "occupancy": "occupied",
            }
            for floor in range(1, 33)
            for door in range(1, 5)
        ]
        db.session.execute(sa.insert(Room), new_rooms)
        b += 1
        room_ids = list(db.session.scalars(sa.select(Room.id).where(Room.site_id == site.id)))
    have = set(db.session.scalars(sa.select(Household.room_id).where(Household.site_id == site.id)))
    db.session.execute(
        sa.insert(Household),
        [
            {"site_id": site.id, "room_id": rid, "kind": "owner", "name": _name(rng), "phone": _phone(rng)[3:]}
            for rid in room_ids
            if rid not in have
        ],
    )
    db.session.commit()
    out(f"rooms: {len(room_ids)} ({time.perf_counter() - started:.1f} s)")

    with bulk.without_indexes(Visit):
        _visits(site, rng, room_ids, visits=visits, days=days)
    out(f"visits: {visits} over {days} days ({time.perf_counter() - started:.1f} s in all)")
    ids = history.Ids()
    with bulk.without_indexes(Patrol, PatrolStop, Answer, Task):
        history.patrols(site, rng, count=patrols, days=days, ids=ids)
    out(f"patrols: {patrols} ({time.perf_counter() - started:.1f} s in all)")
    with bulk.without_indexes(Intake, WorkOrder):
        history.cases(site, rng, intake=intake, orders=orders, days=days, ids=ids)
    out(f"intake: {intake}, work orders: {orders} ({time.perf_counter() - started:.1f} s in all)")
    history.looks(site, rng, count=looks, days=days, ids=ids)
    history.move_sequences()
    statistics.refresh()  # as the daily refresh-statistics timer has done on a live site
    seconds = time.perf_counter() - started
    out(f"household-file looks: {looks} ({seconds:.1f} s in all)")
    return {
        "rooms": len(room_ids),
        "visits": visits,
        "patrols": patrols,
        "intake": intake,
        "orders": orders,
        "looks": looks,
        "days": days,
        "seconds": round(seconds, 1),
    }


def _visits(site, rng: random.Random, room_ids: list[int], *, visits: int, days: int) -> None:
    now = utcnow()
    span = timedelta(days=days).total_seconds()
    pool = [(name, *pinyin_of(name)) for name in {_name(rng) for _ in range(NAME_POOL)}]
    pool.sort()  # a set's order changes between runs; the data must not
    rows = []
    for n in range(visits):
        name, pinyin, initials = rng.choice(pool)
        phone = _phone(rng)
        at = now - timedelta(seconds=span * (1 - n / max(visits, 1)) + rng.random())
        gone = at + timedelta(minutes=rng.randrange(5, 240))
        recent = (now - at) < timedelta(hours=2)
        rows.append(
            {
                "site_id": site.id,
                "code": f"{n:08d}",
                "room_id": rng.choice(room_ids),
                "visitor_name": name,
                "visitor_phone": phone,
                "phone_last4": phone[-4:],
                "name_pinyin": pinyin,
                "name_initials": initials,
                "party_size": 1,
                "purpose": rng.choice(("visit", "visit", "visit", "delivery", "works")),
                "plate": f"{rng.choice(PROVINCES)}{rng.choice('ABCDE')}{rng.randrange(10000, 99999)}"
                if rng.random() < 0.3
                else None,
                "desk": "reception",
                "status": "waiting" if recent and rng.random() < 0.2 else "left",
                "action_at": at,
                "received_at": at,
                "registered_offline": False,
                "departed_at": None if recent else gone,
                "departure": None if recent else "staff",
            }
        )
        if len(rows) == BATCH:
            db.session.connection().execute(Visit.__table__.insert(), rows)
            db.session.commit()
            rows = []
    if rows:
        db.session.connection().execute(Visit.__table__.insert(), rows)
        db.session.commit()
