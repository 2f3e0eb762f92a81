"""Demo key cabinet: key sets for the demo site and three weeks of loans (called by demo.seed)."""

import base64
import io
import math
import random
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

import sqlalchemy as sa

from kiosk.extensions import db
from kiosk.keys import loans, register
from kiosk.models import Building, Occupancy, Role, Room, Site, User
from kiosk.models.keys import BorrowerKind, KeyAnomaly, KeyKind, KeyLoan, KeySet, KeyState
from kiosk.timeutil import utcnow

EQUIPMENT = [
    ("水泵房", True),
    ("高压配电房", True),
    ("电梯机房", True),
    ("消防控制室", False),
    ("屋面出口", False),
    ("垃圾房", False),
    ("地下车库设备间", True),
]
CONTRACTORS = [("李师傅", "顺达水电"), ("黄师傅", "安居装饰"), ("吴工", "奥的斯电梯"), ("钱师傅", "家政保洁")]
PURPOSES = ["检修漏水", "更换灯具", "空置房巡查", "电梯维保", "开荒保洁", "消防检查", "抄表", "疏通下水道"]


def _signature_png(rng: random.Random) -> str:
    from PIL import Image, ImageDraw

    image = Image.new("RGBA", (360, 140), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    phase, amp = rng.random() * 6, rng.randint(15, 35)
    points = [(20 + x * 3, 70 + int(amp * math.sin(x / (6 + rng.random() * 4) + phase))) for x in range(105)]
    draw.line(points, fill=(17, 17, 17, 255), width=4)
    out = io.BytesIO()
    image.save(out, "PNG")
    return "data:image/png;base64," + base64.b64encode(out.getvalue()).decode()


def _signer(site_id: int, rng: random.Random):
    """Stores drawn demo signatures in the photo root when an app is at hand."""
    from flask import current_app, has_app_context

    from kiosk import photos, signatures

    if not has_app_context():
        return lambda: None
    root = photos.root(current_app.config, current_app.instance_path)
    return lambda: signatures.store(root, site_id, _signature_png(rng))


def drawn_signer(site_id: int, rng: random.Random):
    """For other areas' demos (the handover): a callable storing a new drawn demo signature."""
    return _signer(site_id, rng)


def seed(site: Site, rng: random.Random, days: int = 21) -> int:
    """Key sets of building 1 and the vacant rooms, public and equipment keys, and loans."""
    tz = ZoneInfo(site.timezone)
    now = utcnow()
    users = {u.role: u for u in db.session.scalars(sa.select(User).where(User.site_id == site.id).order_by(User.id))}
    boss, desk = users[Role.SUPERVISOR], users[Role.RECEPTIONIST]
    rooms = db.session.scalars(sa.select(Room).where(Room.site_id == site.id).order_by(Room.id)).all()
    buildings = db.session.scalars(
        sa.select(Building).where(Building.site_id == site.id).order_by(Building.sort_order)
    ).all()
    made_at = now - timedelta(days=days + 7)
    sets: list[KeySet] = []
    hook = 0
    for room in rooms:
        vacant = room.occupancy in (Occupancy.VACANT, Occupancy.ENTRUSTED)
        if room.building.name != "1" and not vacant:
            continue
        hook += 1
        sets.append(
            register.create_set(
                site.id,
                boss,
                made_at,
                kind=KeyKind.HOUSEHOLD,
                hook=f"{'AB'[hook // 100]}-{hook % 100:02d}",
                contents="防盗门、单元门、室内门、对讲、信箱" if vacant else "防盗门、信箱",
                pieces=5 if vacant else 2,
                room=room,
                seal_number=f"FC{2026000 + hook}" if vacant else None,
            )
        )
    for building in buildings:
        for floor in (1, 5, 10, 17):
            hook += 1
            sets.append(
                register.create_set(
                    site.id,
                    boss,
                    made_at,
                    kind=KeyKind.PUBLIC,
                    hook=f"C-{hook % 100:02d}",
                    contents="楼层通道门、消防门、窗",
                    pieces=3,
                    building=building,
                    floor=floor,
                )
            )
    for name, held in EQUIPMENT:
        hook += 1
        sets.append(
            register.create_set(
                site.id,
                boss,
                made_at,
                kind=KeyKind.EQUIPMENT,
                hook=f"E-{hook % 100:02d}",
                contents=name,
                pieces=2,
                place=name,
                engineering_held=held,
            )
        )
    lendable = [s for s in sets if not s.engineering_held]
    sign = _signer(site.id, rng)
    engineer = users.get(Role.DEPARTMENT)
    today = now.astimezone(tz).date()
    made = 0
    for back in range(days, -1, -1):
        day = today - timedelta(days=back)
        for _ in range(rng.randint(1, 4)):
            out = datetime.combine(day, time(rng.randint(8, 16), rng.randrange(60)), tzinfo=tz)
            if out >= now:
                continue
            key_set = rng.choice(lendable)
            if key_set.state not in (KeyState.IN_CABINET, KeyState.SEALED):
                continue
            contractor = rng.random() < 0.4
            name, company = (
                rng.choice(CONTRACTORS) if contractor else ((engineer.display_name if engineer else "工程部"), None)
            )
            loan = KeyLoan(
                site_id=site.id,
                key_set=key_set,
                borrower_name=name,
                company=company,
                borrower_kind=BorrowerKind.CONTRACTOR if contractor else BorrowerKind.STAFF,
                borrower_user_id=None if contractor or not engineer else engineer.id,
                purpose=rng.choice(PURPOSES),
                pieces_out=key_set.pieces,
                lent_at=out,
                expected_back_at=datetime.combine(day, time(20, 0), tzinfo=tz),
                lent_by_id=desk.id,
            )
            stored = sign()
            if stored is not None:
                loan.signature_path, loan.signature_sha256 = stored.path, stored.sha256
            db.session.add(loan)
            db.session.flush()
            key_set.state = KeyState.ON_LOAN
            returned = out + timedelta(hours=rng.randint(1, 4), minutes=rng.randrange(60))
            if back == 0 or (back == 1 and made % 3 == 0):
                made += 1
                continue  # still out: on loan today, or overdue since yesterday
            short, damaged = made % 17 == 5, made % 23 == 11
            note = "少还一把信箱钥匙，借用人称遗落在现场" if short else ("防盗门钥匙齿变形" if damaged else None)
            loans.receive(
                loan,
                desk,
                returned,
                pieces_back=loan.pieces_out - (1 if short else 0),
                damaged=damaged,
                note=note,
                seal_number=f"FC{3026000 + made}" if register.needs_seal(key_set) else None,
            )
            made += 1
    # Emergencies: one done and resolved, one in the night with the paperwork still owed.
    manager = users[Role.MANAGER]
    duty = users.get(Role.DUTY_MANAGER, desk)
    candidates = [
        s for s in lendable if s.state in (KeyState.IN_CABINET, KeyState.SEALED) and s.kind == KeyKind.HOUSEHOLD
    ]
    if len(candidates) >= 2 and engineer:
        night = datetime.combine(today - timedelta(days=6), time(2, 40), tzinfo=tz)
        loan = loans.lend_emergency(
            candidates[0],
            duty,
            night,
            site.timezone,
            reason="burst_pipe",
            approved_by=manager,
            borrower_kind=BorrowerKind.STAFF,
            borrower_user=engineer,
            purpose="楼上爆管，进户关阀",
        )
        loans.complete_paperwork(loan, duty, night + timedelta(hours=6), purpose="楼上爆管，进户关阀", signature=sign())
        loans.receive(
            loan,
            duty,
            night + timedelta(hours=3),
            pieces_back=loan.pieces_out,
            damaged=False,
            seal_number="FC3026999" if register.needs_seal(candidates[0]) else None,
        )
        recent = min(now - timedelta(hours=1), datetime.combine(today, time(1, 15), tzinfo=tz))
        loans.lend_emergency(
            candidates[1],
            duty,
            recent,
            site.timezone,
            reason="alarm",
            approved_by=manager,
            borrower_kind=BorrowerKind.STAFF,
            borrower_user=engineer,
            purpose="烟感报警",
        )
    _requests_and_audits(site, rng, users, lendable, now, days)
    # One anomaly already resolved by the supervisor.
    first = db.session.scalar(
        sa.select(KeyAnomaly).where(KeyAnomaly.site_id == site.id).order_by(KeyAnomaly.id).limit(1)
    )
    if first is not None:
        loans.resolve(first, boss, first.found_at + timedelta(days=1), "借用人已送回，核对无误")
    return made


def _requests_and_audits(site: Site, rng: random.Random, users: dict, sets: list[KeySet], now, days: int) -> None:
    """Weekly audits (the last a few days ago, one with a mismatch) and copy requests at every step."""
    from kiosk.keys import audits, requests
    from kiosk.models.keys import AuditResult, RequestKind

    officer = users.get(Role.OFFICER, users[Role.SUPERVISOR])
    tz = ZoneInfo(site.timezone)
    today = now.astimezone(tz).date()
    for weeks_back, problem in ((3, False), (2, True), (1, False)):
        at = datetime.combine(today - timedelta(days=7 * weeks_back - 2), time(14, 20), tzinfo=tz)
        expected = audits.expected_sets(site.id)
        results = {s.id: (AuditResult.PRESENT, None) for s in expected}
        if problem and expected:
            results[expected[5].id] = (AuditResult.MISMATCH, "挂错挂钩，已挂回原位")
        audits.record(site.id, officer, at - timedelta(minutes=25), at, results, "盘点完毕")
    desk, boss, manager = users[Role.RECEPTIONIST], users[Role.SUPERVISOR], users[Role.MANAGER]
    household = [s for s in sets if s.kind == KeyKind.HOUSEHOLD]
    steps = [
        ("done", "业主委托多配一把防盗门钥匙"),
        ("refused", "施工队要求自行配钥匙"),
        ("reviewed", "信箱钥匙磨损严重"),
        ("requested", "单元门钥匙断裂，需更换"),
    ]
    for i, (step, reason) in enumerate(steps):
        at = datetime.combine(today - timedelta(days=10 - i * 3), time(10, 30), tzinfo=tz)
        row = requests.request(
            household[i * 7],
            desk,
            at,
            kind=RequestKind.REPLACE if "更换" in reason else RequestKind.COPY,
            pieces=1,
            reason=reason,
        )
        if step == "requested":
            continue
        requests.review(
            row, boss, at + timedelta(hours=2), support=True, note="情况属实" if step != "refused" else None
        )
        if step == "reviewed":
            continue
        approve = step == "done"
        requests.decide(
            row,
            manager,
            at + timedelta(hours=5),
            approve=approve,
            note=None if approve else "钥匙不得交由施工队自行配制，由前台统一办理",
        )
        if approve:
            requests.complete(row, desk, at + timedelta(days=1))
