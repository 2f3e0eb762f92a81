"""Demo registers: three weeks of mail, goods passes and found items at the demo site
(called by kiosk.demo.seed). Deterministic for a given rng; times computed from now."""

import random
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

import sqlalchemy as sa

from kiosk.extensions import db
from kiosk.models import Household, Role, Room, Site, User
from kiosk.models.registers import (
    Channel,
    CollectionMethod,
    Consent,
    Direction,
    FoundItem,
    FoundStatus,
    GoodsItem,
    GoodsPass,
    Hazard,
    LiftBooking,
    MailAuthorisation,
    MailItem,
    MailKind,
    MailStatus,
    Notice,
    NoticeSignOff,
    NoticeStatus,
    PassStatus,
    RequesterKind,
    WorkerPass,
)
from kiosk.registers.common import random_code
from kiosk.timeutil import utcnow

COURIERS = ("顺丰速运", "中通快递", "圆通速递", "京东物流", "EMS", "邮递员", "韵达快递")
GOODS = ("冰箱", "洗衣机", "沙发", "床垫", "书桌", "纸箱", "电脑主机", "显示器", "办公椅", "行李箱", "自行车")
FOUND = [
    ("黑色折叠雨伞", "大堂沙发"),
    ("蓝色钱包（内有证件）", "1 号楼电梯厅"),
    ("儿童水杯", "小区游乐场"),
    ("一串钥匙（3 把）", "地下车库 B1"),
    ("白色无线耳机", "会所前台"),
    ("灰色羽绒外套", "2 号楼大堂"),
    ("身份证一张", "快递柜旁"),
    ("黑色双肩包", "东门岗亭"),
    ("老花镜", "大堂休息区"),
]
STORAGE = ("前台 1 号抽屉", "前台 2 号抽屉", "前台保险柜", "客服中心储物柜")


def seed(site: Site, rng: random.Random, name_of, days: int = 21) -> None:
    tz = ZoneInfo(site.timezone)
    now = utcnow()
    today = now.astimezone(tz).date()
    users = {u.role: u for u in db.session.scalars(sa.select(User).where(User.site_id == site.id))}
    desk, boss = users[Role.RECEPTIONIST], users[Role.SUPERVISOR]
    households = db.session.scalars(
        sa.select(Household).where(Household.site_id == site.id).order_by(Household.id)
    ).all()

    def at(day_back: int, hour_from=8, hour_to=20) -> datetime:
        day = today - timedelta(days=day_back)
        moment = datetime.combine(day, time(rng.randint(hour_from, hour_to - 1), rng.randrange(60)), tzinfo=tz)
        return min(moment.astimezone(ZoneInfo("UTC")), now - timedelta(minutes=5))

    # authorisations on file for a few households
    auths = {}
    for household in rng.sample(households, 6):
        auths[household.id] = MailAuthorisation(
            site_id=site.id,
            household_id=household.id,
            person_name=name_of(rng),
            phone="13" + "".join(str(rng.randrange(10)) for _ in range(9)),
            created_by_id=desk.id,
            created_at=now - timedelta(days=30),
        )
    db.session.add_all(auths.values())
    db.session.flush()

    # mail: collected in the past, a few still waiting (some too long)
    codes = set()
    for back in range(days, -1, -1):
        for _ in range(rng.randint(3, 7)):
            household = rng.choice(households)
            received = at(back)
            code = random_code(6, "0123456789")
            while code in codes:
                code = random_code(6, "0123456789")
            codes.add(code)
            item = MailItem(
                site_id=site.id,
                room_id=household.room_id,
                household_id=household.id,
                kind=rng.choice(
                    [MailKind.PARCEL] * 6 + [MailKind.LETTER] * 2 + [MailKind.NEWSPAPER, MailKind.REGISTERED]
                ),
                count=rng.choice([1, 1, 1, 2, 3]),
                courier=rng.choice(COURIERS),
                pickup_code=code,
                received_at=received,
                received_by_id=desk.id,
                notified_at=received,
            )
            waiting = back <= 1 or rng.random() < (0.08 if back > 3 else 0.3)
            if not waiting:
                collected = min(received + timedelta(hours=rng.randint(2, 60)), now - timedelta(minutes=1))
                authorised = auths.get(household.id) if rng.random() < 0.5 else None
                item.status, item.collected_at, item.collected_by_id = MailStatus.COLLECTED, collected, desk.id
                item.collector_name = authorised.person_name if authorised else household.name
                item.authorisation_id = authorised.id if authorised else None
                item.method = CollectionMethod.CODE  # demo rows carry no drawn signature file
            db.session.add(item)

    # goods passes: used and refused ones in the past, some awaiting a decision, today's moves
    rooms = {h.room_id: h for h in households}
    room_ids = list(rooms)
    refused_one = False
    for back in range(days, -3, -1):
        for _ in range(rng.randint(1 if back == 6 else 0, 2)):
            household = rooms[rng.choice(room_ids)]
            start = datetime.combine(today - timedelta(days=back), time(rng.choice([9, 10, 13, 14, 15])), tzinfo=tz)
            start_utc = start.astimezone(ZoneInfo("UTC"))
            direction = Direction.OUT if rng.random() < 0.7 else Direction.IN
            goods_pass = GoodsPass(
                site_id=site.id,
                code="GP" + random_code(8),
                requester_kind=RequesterKind.HOUSEHOLD,
                room_id=household.room_id,
                carrier_name=name_of(rng),
                carrier_phone=None,
                direction=direction,
                valid_from=start_utc,
                valid_until=start_utc + timedelta(hours=4),
                consent=Consent.OWNER if direction == Direction.OUT else None,
                consent_by=household.name if direction == Direction.OUT else None,
                created_at=min(start_utc - timedelta(days=1), now - timedelta(hours=1)),
                created_by_id=desk.id,
                items=[GoodsItem(name=g, quantity=rng.randint(1, 4)) for g in rng.sample(GOODS, rng.randint(1, 4))],
            )
            if rng.random() < 0.08 or (back == 6 and not refused_one):
                refused_one = True
                goods_pass.items.append(GoodsItem(name="液化气罐", quantity=1, hazard=Hazard.FLAMMABLE))
                goods_pass.status, goods_pass.refusal_reason = PassStatus.REFUSED, "hazardous:flammable"
                goods_pass.decided_at, goods_pass.decided_by_id = goods_pass.created_at, desk.id
            elif back < 0 and rng.random() < 0.6:
                goods_pass.status = PassStatus.REQUESTED
            else:
                goods_pass.status, goods_pass.decided_at, goods_pass.decided_by_id = (
                    PassStatus.APPROVED,
                    goods_pass.created_at + timedelta(minutes=30),
                    boss.id,
                )
                goods_pass.lift, goods_pass.slot_start = rng.choice(["1", "2", "goods"]), start_utc
                if goods_pass.valid_until < now:
                    goods_pass.status, goods_pass.used_at = PassStatus.USED, start_utc + timedelta(hours=1)
                    goods_pass.used_by_id = desk.id
            db.session.add(goods_pass)
            db.session.flush()
            if goods_pass.lift and not db.session.scalar(
                sa.select(LiftBooking.id).where(
                    LiftBooking.site_id == site.id,
                    LiftBooking.lift == goods_pass.lift,
                    LiftBooking.slot_start == goods_pass.slot_start,
                )
            ):
                db.session.add(
                    LiftBooking(
                        site_id=site.id, lift=goods_pass.lift, slot_start=goods_pass.slot_start, pass_id=goods_pass.id
                    )
                )
            elif goods_pass.lift:
                goods_pass.lift = goods_pass.slot_start = None

    # lost and found
    for i, (what, where) in enumerate(FOUND):
        back = rng.randint(0, days + 100) if i % 3 == 0 else rng.randint(0, days)
        found_at = at(back)
        item = FoundItem(
            site_id=site.id,
            description=what,
            found_place=where,
            found_at=found_at,
            found_by=rng.choice(["保洁 王阿姨", "保安 小李", "业主", "前台 林晓"]),
            storage_place=rng.choice(STORAGE),
            recorded_at=found_at + timedelta(minutes=10),
            recorded_by_id=desk.id,
        )
        roll = rng.random()
        if "证" in what and back > 2:
            item.status, item.close_note = (
                FoundStatus.POLICE,
                "移交翠湖派出所，回执编号 2026-0" + str(rng.randint(100, 999)),
            )
        elif roll < 0.35 and back > 1:
            item.status, item.claimant_name = FoundStatus.CLAIMED, name_of(rng)
            item.claimant_id_masked = "4403**********" + str(rng.randint(1000, 9999))
        if item.status != FoundStatus.STORED:
            item.closed_at = min(found_at + timedelta(days=rng.randint(1, 3)), now - timedelta(minutes=1))
            item.closed_by_id = desk.id
        db.session.add(item)
    db.session.flush()
    seed_workers(site, rng, name_of)
    seed_notices(site, rng, name_of)


def seed_workers(site: Site, rng: random.Random, name_of) -> None:
    """Decoration-worker passes: some valid now, one expired, one revoked (V7)."""
    tz = ZoneInfo(site.timezone)
    now = utcnow()
    today = now.astimezone(tz).date()
    desk = db.session.scalar(sa.select(User).where(User.site_id == site.id, User.role == Role.RECEPTIONIST))
    rooms = db.session.scalars(sa.select(Room).where(Room.site_id == site.id).order_by(Room.id)).all()
    companies = ("美家装饰", "金螳螂家装", "业之峰装饰", None)
    for i in range(6):
        start = today - timedelta(days=rng.randint(5, 40))
        end = start + timedelta(days=rng.choice([30, 45, 60]))
        if i == 4:
            end = today - timedelta(days=2)  # expired
        worker_pass = WorkerPass(
            site_id=site.id,
            code="W" + random_code(7),
            room_id=rng.choice(rooms).id,
            worker_name=name_of(rng),
            phone="+8613" + "".join(str(rng.randrange(10)) for _ in range(9)),
            company=rng.choice(companies),
            valid_from=start,
            valid_until=end,
            created_at=now - timedelta(days=(today - start).days + 1),
            created_by_id=desk.id,
        )
        if i == 5:
            worker_pass.revoked_at, worker_pass.revoked_by_id, worker_pass.revoke_reason = (
                now - timedelta(days=1),
                desk.id,
                "装修已完工",
            )
        db.session.add(worker_pass)
    db.session.flush()


NOTICES = [
    # channel, outage, title, body, title_en, body_en, starts (days from now), lasts (days), status
    (
        Channel.KIOSK,
        False,
        "电梯维护保养通知",
        "本周三 9:00-12:00 对 2 号楼 2 号电梯进行例行保养，期间请使用 1 号电梯。给您带来不便，敬请谅解。",
        "Lift maintenance",
        "Lift 2 of building 2 is serviced on Wednesday 9:00-12:00; please use lift 1. Thank you for your patience.",
        -1,
        5,
        NoticeStatus.PUBLISHED,
    ),
    (
        Channel.POSTING,
        True,
        "停水通知",
        "因市政管网维修，本周六 8:00-14:00 小区停水，请提前储水。",
        None,
        None,
        2,
        2,
        NoticeStatus.SUBMITTED,
    ),
    (
        Channel.POSTING,
        False,
        "消防演练通知",
        "上周五下午 3 点举行消防疏散演练，感谢各位业主配合。",
        None,
        None,
        -9,
        7,
        NoticeStatus.PUBLISHED,
    ),
    (
        Channel.DELIVERY,
        False,
        "物业费缴费提醒",
        "本季度物业费请于月底前缴纳，可在服务中心或线上缴费。",
        None,
        None,
        -3,
        20,
        NoticeStatus.PUBLISHED,
    ),
    (
        Channel.PHONE,
        False,
        "绿化修剪通知",
        "下周一至周三对小区绿化进行修剪，请勿在草坪停放自行车。",
        None,
        None,
        4,
        3,
        NoticeStatus.DRAFT,
    ),
]


def seed_notices(site: Site, rng: random.Random, name_of) -> None:
    """A kiosk notice on the welcome screen, an outage notice waiting for the manager, a
    posting due to be taken down, a delivery with households' sign-offs (V9)."""
    now = utcnow()
    users = {u.role: u for u in db.session.scalars(sa.select(User).where(User.site_id == site.id))}
    desk, boss, head = users[Role.RECEPTIONIST], users[Role.SUPERVISOR], users[Role.MANAGER]
    for channel, outage, title, body, title_en, body_en, starts, lasts, status in NOTICES:
        start = now + timedelta(days=starts)
        notice = Notice(
            site_id=site.id,
            channel=channel,
            outage=outage,
            title_zh=title,
            body_zh=body,
            title_en=title_en,
            body_en=body_en,
            show_from=start,
            show_until=start + timedelta(days=lasts),
            status=status,
            created_at=min(start, now) - timedelta(days=1),
            created_by_id=desk.id,
        )
        if status == NoticeStatus.PUBLISHED:
            notice.approved_at, notice.approved_by_id = (
                notice.created_at + timedelta(hours=2),
                (head if outage else boss).id,
            )
            notice.published_at, notice.published_by_id = notice.approved_at + timedelta(hours=1), desk.id
        db.session.add(notice)
        db.session.flush()
        if channel == Channel.DELIVERY:
            households = db.session.scalars(
                sa.select(Household).where(Household.site_id == site.id).order_by(Household.id).limit(12)
            ).all()
            for household in households:
                db.session.add(
                    NoticeSignOff(
                        site_id=site.id,
                        notice_id=notice.id,
                        household_id=household.id,
                        signed_by=household.name,
                        signed_at=notice.published_at + timedelta(hours=3),
                        recorded_by_id=desk.id,
                    )
                )
    db.session.flush()
