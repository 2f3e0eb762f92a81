"""Demo shift logs: three weeks of day and night handovers with daily reviews (called by demo.seed)."""

import random
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

import sqlalchemy as sa

from kiosk.extensions import db
from kiosk.handover import shifts
from kiosk.keys.demo import drawn_signer
from kiosk.keys.register import cabinet_count
from kiosk.models import Role, Room, Site, User
from kiosk.models.handover import EntryKind

EVENTS = [
    "3栋2单元电梯困人，已通知工程部，15分钟解救",
    "业主反映1栋楼道灯不亮，已报修",
    "收到快递12件，已通知业主领取",
    "装修工人临时出入证发放3张",
    "2-1-0803业主投诉楼上噪音，已登记并回访",
    "消防通道有杂物，已通知保洁清理",
    "停水通知已张贴于各单元大堂",
    "访客车辆占用消防通道，已劝离",
    "夜间巡查正常",
    "地下车库积水，已通知工程部排水",
]
NOTES = [
    "明早9点电梯维保，请提前张贴告示",
    "1-2-1502业主下午来取钥匙，请核对身份",
    "工程部借用水泵房钥匙，晚上归还",
    "物业费催缴通知待派发",
]


def _snapshot(rooms: list[Room], rng: random.Random) -> list[dict]:
    visitors = [
        {"text": rng.choice(rooms).label, "detail": "", "text_en": None, "since": None, "due": None, "late": False}
        for _ in range(rng.randint(0, 3))
    ]
    return [
        {"key": "visitors", "total": len(visitors), "items": visitors},
        {"key": "keys", "total": 0, "items": []},
        {"key": "tasks", "total": rng.randint(0, 3), "items": []},
    ]


def seed(site: Site, rng: random.Random, days: int = 21) -> int:
    tz = ZoneInfo(site.timezone)
    from kiosk.timeutil import utcnow

    now = utcnow()
    users = {u.role: u for u in db.session.scalars(sa.select(User).where(User.site_id == site.id).order_by(User.id))}
    day_desk, night_desk = users[Role.RECEPTIONIST], users.get(Role.DUTY_MANAGER, users[Role.SUPERVISOR])
    rooms = db.session.scalars(sa.select(Room).where(Room.site_id == site.id).order_by(Room.id).limit(60)).all()
    today = now.astimezone(tz).date()
    start = datetime.combine(today - timedelta(days=days), time(8, 0), tzinfo=tz)
    log = shifts.open_log(site.id, day_desk, start, site.timezone)
    made, refused_once, mismatch_once = 1, False, False
    signed = drawn_signer(site.id, random.Random(site.id))  # its own stream: the demo's rng stays as it was
    while True:
        at = start + timedelta(hours=12 * (made - 1))
        night = made % 2 == 0
        end = at + timedelta(hours=12)
        if end - timedelta(minutes=5) > now:
            break
        outgoing = db.session.get(User, log.outgoing_id)
        for k in range(rng.randint(1, 4)):
            shifts.add_entry(
                log,
                outgoing,
                at + timedelta(hours=1 + k * 2, minutes=rng.randrange(60)),
                rng.choice(EVENTS[-3:] if night else EVENTS),
            )
        if rng.random() < 0.4:
            shifts.add_entry(log, outgoing, end - timedelta(minutes=20), rng.choice(NOTES), EntryKind.NOTE)
        incoming = day_desk if night else night_desk
        shifts.sign(log, outgoing, end - timedelta(minutes=5), signature=signed())
        log.pending = _snapshot(rooms, rng)
        if not refused_once and end > now - timedelta(days=days // 2):
            shifts.refuse(log, incoming, end, "钥匙柜A区少一套钥匙，去向未说明")
            shifts.add_entry(
                log,
                outgoing,
                end + timedelta(minutes=5),
                "A-12 由工程部借用，已在借用记录登记，明早归还",
                EntryKind.ANSWER,
            )
            shifts.sign(log, outgoing, end + timedelta(minutes=8), signature=signed())
            log.pending = _snapshot(rooms, rng)
            refused_once = True
        count, note = cabinet_count(site.id), None
        if not mismatch_once and end > now - timedelta(days=4):
            count, note, mismatch_once = count - 1, "C-03 挂钩空，经查为保洁借用未登记，已补登记并报主管", True
        log = shifts.accept(
            log,
            incoming,
            end + timedelta(minutes=10),
            site.timezone,
            equipment_checked=True,
            keys_counted=count,
            mismatch_note=note,
            signature=signed(),
        )
        made += 1
    # The manager or duty head signed every day but the last two (left for the demo to show).
    manager = users[Role.MANAGER]
    for back in range(days, 2, -1):
        day = today - timedelta(days=back)
        try:
            shifts.sign_day(
                site.id,
                day,
                manager if back % 3 else night_desk,
                datetime.combine(day + timedelta(days=1), time(9, 30), tzinfo=tz),
                "已审阅",
            )
        except shifts.HandoverRefused:
            pass
    return made
