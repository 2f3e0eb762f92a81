"""Seeding a site's patrols: the rule checklists, checkpoints from its buildings and
vacant rooms, and schedules (P1 twice daily, P3 weekly, P4/P5 monthly, P8 daily, weekly
and quarterly)."""

import secrets
from datetime import date, datetime
from zoneinfo import ZoneInfo

import sqlalchemy as sa

from kiosk.extensions import db
from kiosk.models import Occupancy, Room, Site
from kiosk.models.patrols import Cadence, ChecklistTemplate, Checkpoint, Schedule, ScheduleStop
from kiosk.models.patrols import CheckpointKind as K
from kiosk.patrols import schedule as patrol_schedule
from kiosk.patrols import templates as patrol_templates
from kiosk.patrols.checklists import TEMPLATES
from kiosk.timeutil import utcnow

CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: typed by hand when the camera fails
PUBLIC_WINDOWS = [["08:00", "11:00"], ["14:00", "17:00"]]


def new_code() -> str:
    while True:
        code = "CP" + "".join(secrets.choice(CODE_ALPHABET) for _ in range(6))
        if db.session.scalar(sa.select(Checkpoint.id).where(Checkpoint.code == code)) is None:
            return code


def add_checkpoint(site: Site, kind: K, name_zh: str, name_en: str, order: int, **where) -> Checkpoint:
    checkpoint = Checkpoint(
        site=site, code=new_code(), kind=kind, name_zh=name_zh, name_en=name_en, sort_order=order, **where
    )
    db.session.add(checkpoint)
    return checkpoint


def seed_templates(site: Site) -> dict[str, ChecklistTemplate]:
    return {
        data["code"]: patrol_templates.create(
            site,
            data["code"],
            name_zh=data["name_zh"],
            name_en=data["name_en"],
            rule=data["rule"],
            sections=data["sections"],
            checkpoint_kinds=data["checkpoint_kinds"],
        )
        for data in TEMPLATES
    }


def _schedule(site, template, name_zh, name_en, cadence, checkpoints, starts_on, windows=None, grace=60):
    schedule = Schedule(
        site=site,
        template=template,
        name_zh=name_zh,
        name_en=name_en,
        cadence=cadence,
        windows=windows or [],
        grace_minutes=grace,
        starts_on=starts_on,
    )
    schedule.stops = [ScheduleStop(checkpoint=c, position=i) for i, c in enumerate(checkpoints)]
    db.session.add(schedule)
    return schedule


# Why a fresh install does not greet the supervisor with missed patrols (stored text).
BEFORE_SEED_NOTE = (
    "安装演示数据前已结束的班次，由系统自动确认 / Ended before the demo data was set up; acknowledged automatically"
)


def seed_patrol_demo(site: Site, *, starts_on: date | None = None, now: datetime | None = None) -> None:
    """Templates, checkpoints and schedules for a site from its buildings and rooms.

    Without `starts_on` the schedules start at `now` (default: the current time): today's
    occurrences are made, and those whose window had already closed are acknowledged by
    the seed with BEFORE_SEED_NOTE, so that a new install shows nothing missed."""
    from_now = starts_on is None
    now = now or utcnow()
    if from_now:
        starts_on = now.astimezone(ZoneInfo(site.timezone)).date()
    templates = seed_templates(site)
    order = 0
    rooms = list(
        db.session.scalars(
            sa.select(Room)
            .where(Room.site_id == site.id)
            .order_by(Room.building_id, Room.unit_id, Room.floor, Room.number)
        )
    )
    per_building: dict[int, list[Checkpoint]] = {}
    for building in site.buildings:
        b = building.name
        stops = per_building.setdefault(building.id, [])
        order += 1
        stops.append(add_checkpoint(site, K.LOBBY, f"{b}栋大堂", f"Building {b} lobby", order, building_id=building.id))
        for unit in building.units:
            floors = sorted({r.floor for r in rooms if r.unit_id == unit.id})
            for floor in floors:
                order += 1
                stops.append(
                    add_checkpoint(
                        site,
                        K.STAIRWELL,
                        f"{b}栋{unit.name}单元 {floor}层楼道",
                        f"Building {b} entrance {unit.name}, floor {floor} stairwell",
                        order,
                        building_id=building.id,
                        floor=floor,
                    )
                )
            order += 1
            stops.append(
                add_checkpoint(
                    site,
                    K.LIFT,
                    f"{b}栋{unit.name}单元电梯",
                    f"Building {b} entrance {unit.name} lift",
                    order,
                    building_id=building.id,
                )
            )
        order += 1
        stops.append(add_checkpoint(site, K.ROOF, f"{b}栋天台", f"Building {b} roof", order, building_id=building.id))
    order += 1
    garbage = add_checkpoint(site, K.GARBAGE_ROOM, "垃圾房", "Garbage room", order)
    order += 1
    perimeter = add_checkpoint(site, K.PERIMETER, "小区外围", "Perimeter", order)
    vacant = []
    for room in rooms:
        if room.occupancy in (Occupancy.VACANT, Occupancy.ENTRUSTED):
            order += 1
            vacant.append(
                add_checkpoint(
                    site,
                    K.VACANT_UNIT,
                    f"空置房 {room.label}",
                    f"Vacant unit {room.label}",
                    order,
                    building_id=room.building_id,
                    floor=room.floor,
                    room_id=room.id,
                )
            )
    outlets = []
    for n in range(1, 4):
        order += 1
        outlets.append(add_checkpoint(site, K.OUTLET, f"临街商铺 S{n}", f"Street-front shop S{n}", order))
    order += 1
    restaurant = add_checkpoint(site, K.RESTAURANT, "员工餐厅", "Staff restaurant", order)
    order += 1
    septic = add_checkpoint(site, K.OTHER, "化粪池", "Septic tank", order)
    order += 1
    grease_trap = add_checkpoint(site, K.OTHER, "餐厅隔油池", "Restaurant grease trap", order)

    for building in site.buildings:
        b = building.name
        _schedule(
            site,
            templates["public_area"],
            f"{b}栋公共区域巡查",
            f"Building {b} public areas",
            Cadence.DAILY,
            per_building[building.id],
            starts_on,
            PUBLIC_WINDOWS,
        )
    _schedule(
        site,
        templates["public_area"],
        "外围及垃圾房巡查",
        "Perimeter and garbage room",
        Cadence.DAILY,
        [perimeter, garbage],
        starts_on,
        PUBLIC_WINDOWS,
    )
    if vacant:
        _schedule(
            site,
            templates["vacant_unit"],
            "空置房每周巡视",
            "Vacant units, weekly",
            Cadence.WEEKLY,
            vacant,
            starts_on,
            grace=24 * 60,
        )
        _schedule(
            site,
            templates["vacant_cleaning"],
            "空置单元每月清洁检查",
            "Vacant-unit cleaning, monthly",
            Cadence.MONTHLY,
            vacant,
            starts_on,
            grace=3 * 24 * 60,
        )
    _schedule(
        site,
        templates["outlet"],
        "商业网点每月检查",
        "Commercial outlets, monthly",
        Cadence.MONTHLY,
        outlets,
        starts_on,
        grace=3 * 24 * 60,
    )
    _schedule(
        site,
        templates["restaurant"],
        "餐厅每日卫生检查",
        "Restaurant hygiene, daily",
        Cadence.DAILY,
        [restaurant],
        starts_on,
        [["10:00", "14:00"]],
    )
    _schedule(
        site,
        templates["garbage_room"],
        "垃圾房及垃圾分类每周检查",
        "Garbage room and sorting, weekly",
        Cadence.WEEKLY,
        [garbage],
        starts_on,
        grace=24 * 60,
    )
    _schedule(
        site,
        templates["contractor_cleaning"],
        "化粪池及隔油池季度清掏",
        "Septic tank and grease trap, quarterly",
        Cadence.QUARTERLY,
        [septic, grease_trap],
        starts_on,
        grace=7 * 24 * 60,
    )
    db.session.flush()
    if from_now:
        patrol_schedule.ensure_occurrences(site, now)
        patrol_schedule.acknowledge_closed(site, now, BEFORE_SEED_NOTE)
