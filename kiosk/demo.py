"""Demo data: one site with buildings, rooms, households, departments and one account per role."""

import random
from datetime import timedelta

import sqlalchemy as sa

from kiosk import onboarding
from kiosk.accounts import create_user
from kiosk.extensions import db
from kiosk.models import (
    Building,
    Department,
    DepartmentKind,
    Household,
    HouseholdKind,
    Occupancy,
    Role,
    Room,
    Site,
    Unit,
    User,
)
from kiosk.patrols.demo import seed_patrol_demo
from kiosk.registers import demo as register_demo
from kiosk.timeutil import utcnow
from kiosk.visits import demo as visitor_demo
from kiosk.visits import lobby

DEMO_SITE_CODE = "demo"
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
GIVEN = "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英华玉兰萍红建华文斌宇浩然子涵欣怡梓轩雨桐思远嘉怡晨曦俊杰诗琪志强海燕丹丹晓东立新国庆春梅秋菊"
MOBILE_PREFIXES = (
    "138",
    "139",
    "136",
    "137",
    "135",
    "150",
    "151",
    "152",
    "158",
    "159",
    "186",
    "187",
    "188",
    "130",
    "131",
    "132",
    "155",
    "156",
    "185",
    "133",
    "153",
    "180",
    "181",
    "189",
    "177",
    "199",
)

DEMO_ACCOUNTS = [
    # username, display name (a name: the role and department are shown beside it), role, department kind
    ("reception", "林晓", Role.RECEPTIONIST, DepartmentKind.CUSTOMER_SERVICE),
    ("officer", "周明", Role.OFFICER, DepartmentKind.CUSTOMER_SERVICE),
    ("supervisor", "陈静", Role.SUPERVISOR, DepartmentKind.CUSTOMER_SERVICE),
    ("manager", "王强", Role.MANAGER, DepartmentKind.CUSTOMER_SERVICE),
    ("duty", "赵军", Role.DUTY_MANAGER, DepartmentKind.CUSTOMER_SERVICE),
    ("engineer", "孙涛", Role.DEPARTMENT, DepartmentKind.ENGINEERING),
    ("admin", "刘洋", Role.ADMIN, None),
]
# The security guard at the gate: a department account of the security department (保安部),
# who scans goods passes on a tablet (V6). Seeded after the areas' demo data, which pick
# "the department user" by role: that stays the engineer.
GATE_ACCOUNTS = [("guard", "马辉", Role.DEPARTMENT, DepartmentKind.SECURITY)]
DEMO_ACCOUNTS += GATE_ACCOUNTS


def _name(rng: random.Random) -> str:
    given = GIVEN[rng.randrange(len(GIVEN))]
    if rng.random() < 0.6:
        given += GIVEN[rng.randrange(len(GIVEN))]
    return SURNAMES[rng.randrange(len(SURNAMES))] + given


def _mobile(rng: random.Random) -> str:
    return rng.choice(MOBILE_PREFIXES) + "".join(str(rng.randrange(10)) for _ in range(8))


def demo_exists() -> bool:
    return db.session.scalar(sa.select(Site.id).where(Site.code == DEMO_SITE_CODE)) is not None


def seed(password: str, *, seed_value: int = 2026) -> list[tuple[str, str, Role]]:
    """Create the demo site. Refuses (returns []) when it exists: never touches live data."""
    if demo_exists():
        return []
    rng = random.Random(seed_value)
    site = Site(code=DEMO_SITE_CODE, name="翠湖花园", timezone="Asia/Shanghai")
    db.session.add(site)
    departments = {kind: Department(site=site, kind=kind) for kind in DepartmentKind}
    db.session.add_all(departments.values())

    for b in range(1, 4):
        building = Building(site=site, name=str(b), sort_order=b)
        db.session.add(building)
        for u in (1, 2):
            unit = Unit(site=site, building=building, name=str(u))
            db.session.add(unit)
            for floor in range(1, 18):
                for door in (1, 2):
                    room = Room(site=site, building=building, unit=unit, floor=floor, number=f"{floor:02d}{door:02d}")
                    roll = rng.random()
                    if roll < 0.08:
                        room.occupancy = Occupancy.VACANT
                    elif roll < 0.14:
                        room.occupancy = Occupancy.ENTRUSTED
                    else:
                        kind = HouseholdKind.TENANT if rng.random() < 0.2 else HouseholdKind.OWNER
                        db.session.add(
                            Household(
                                site=site,
                                room=room,
                                kind=kind,
                                name=_name(rng),
                                phone=_mobile(rng),
                                phone2=_mobile(rng) if rng.random() < 0.3 else None,
                            )
                        )
                    db.session.add(room)
    db.session.flush()
    lobby.seed_demo(site, rng)

    early = [row for row in DEMO_ACCOUNTS if row not in GATE_ACCOUNTS]
    accounts = _create_accounts(site, departments, early, password, rng)
    visitor_demo.seed(site, random.Random(seed_value + 4), _name, _mobile)
    seed_patrol_demo(site)
    register_demo.seed(site, random.Random(seed_value + 17), _name)
    from kiosk.households import demo as household_demo

    household_demo.seed(site, random.Random(seed_value + 16))
    from kiosk.cases import demo as cases_demo

    cases_demo.seed(site, random.Random(seed_value + 14))
    from kiosk.handover import demo as handover_demo
    from kiosk.keys import demo as keys_demo

    keys_demo.seed(site, random.Random(seed_value + 15))
    handover_demo.seed(site, random.Random(seed_value + 16))
    _seed_patrol_history(site, random.Random(seed_value + 12))
    _seed_kiosk_reports(site, random.Random(seed_value + 19))
    # After the areas' history, which each area attributes to the one user of a role it picks:
    # the officer still waiting for approval must not be that officer.
    _seed_pending_account(site, departments[DepartmentKind.CUSTOMER_SERVICE].id)
    accounts += _create_accounts(site, departments, GATE_ACCOUNTS, password, rng)
    db.session.commit()
    return accounts


def _create_accounts(site: Site, departments: dict, rows: list, password: str, rng: random.Random) -> list:
    accounts = []
    for username, display, role, dept in rows:
        if db.session.scalar(sa.select(User.id).where(User.username == username)):
            continue
        create_user(
            site,
            username,
            display,
            role,
            password,
            phone=_mobile(rng),
            department_id=departments[dept].id if dept else None,
        )
        accounts.append((username, display, role))
    return accounts


def _seed_pending_account(site: Site, department_id: int) -> None:
    """A new colleague's account that the administrator set up this morning and the
    manager has yet to approve (the manager's home page counts it)."""
    admin = db.session.scalar(sa.select(User).where(User.site_id == site.id, User.role == Role.ADMIN))
    if admin is None or db.session.scalar(sa.select(User.id).where(User.username == "new.officer")):
        return
    onboarding.open_account(
        site, "new.officer", "郑雨桐", Role.OFFICER, actor=admin, now=utcnow(), hours=72, department_id=department_id
    )


def _seed_patrol_history(site: Site, rng: random.Random) -> None:
    """Three weeks of patrols on a tablet of the demo's (issue 12: pages with something on them)."""
    from flask import current_app

    from kiosk import photos
    from kiosk.models import DeviceKind
    from kiosk.offline import devices
    from kiosk.patrols import history
    from kiosk.timeutil import utcnow

    now = utcnow()
    _device, token = devices.create_enrollment(site, DeviceKind.TABLET, "巡检平板 1", now=now - timedelta(weeks=4))
    device, _credential = devices.enroll(token, now=now - timedelta(weeks=4))
    history.seed(site, device, now, photos.root(current_app.config, current_app.instance_path), rng)


def _seed_kiosk_reports(site: Site, rng: random.Random) -> None:
    """The lobby kiosk of the demo and the repairs and problems reported on it (issue 14)."""
    from flask import current_app

    from kiosk import photos
    from kiosk.cases import demo_kiosk
    from kiosk.models import DeviceKind
    from kiosk.offline import devices
    from kiosk.timeutil import utcnow

    now = utcnow()
    _device, token = devices.create_enrollment(site, DeviceKind.KIOSK, "大堂自助机 1", now=now - timedelta(weeks=4))
    device, _credential = devices.enroll(token, now=now - timedelta(weeks=4))
    demo_kiosk.seed(site, device, photos.root(current_app.config, current_app.instance_path), rng, now)
