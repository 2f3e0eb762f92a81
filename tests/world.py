"""A small, fixed world for tests: one site (plus a second one, to prove scoping)."""

from dataclasses import dataclass, field

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

USERNAMES = {
    Role.RECEPTIONIST: "reception",
    Role.OFFICER: "officer",
    Role.SUPERVISOR: "supervisor",
    Role.MANAGER: "manager",
    Role.DUTY_MANAGER: "duty",
    Role.DEPARTMENT: "engineer",
    Role.ADMIN: "admin",
}


@dataclass
class World:
    site: Site
    other_site: Site
    rooms: list[Room]
    households: list[Household]
    departments: dict[DepartmentKind, Department]
    users: dict[Role, User] = field(default_factory=dict)
    other_user: User | None = None

    def user(self, role: Role) -> User:
        return self.users[role]


def build() -> World:
    site = Site(code="t1", name="测试花园", timezone="Asia/Shanghai")
    other = Site(code="t2", name="别处大厦", timezone="Asia/Shanghai")
    db.session.add_all([site, other])
    departments = {kind: Department(site=site, kind=kind) for kind in DepartmentKind}
    db.session.add_all(departments.values())
    building = Building(site=site, name="1", sort_order=1)
    unit = Unit(site=site, building=building, name="1")
    rooms, households = [], []
    names = [("张三", "13812345678"), ("李四", "13987654321"), ("王小明", "15011112222")]
    for i, (name, phone) in enumerate(names):
        room = Room(site=site, building=building, unit=unit, floor=i + 1, number=f"{i + 1:02d}01")
        rooms.append(room)
        households.append(Household(site=site, room=room, name=name, phone=phone, kind=HouseholdKind.OWNER))
    vacant = Room(site=site, building=building, unit=unit, floor=9, number="0901", occupancy=Occupancy.ENTRUSTED)
    rooms.append(vacant)
    other_building = Building(site=other, name="A", sort_order=1)
    other_room = Room(site=other, building=other_building, floor=1, number="101")
    db.session.add_all(
        [
            building,
            unit,
            *rooms,
            *households,
            other_building,
            other_room,
            Household(site=other, room=other_room, name="赵六", phone="13700001111"),
        ]
    )
    db.session.flush()
    world = World(site=site, other_site=other, rooms=rooms, households=households, departments=departments)
    for role, username in USERNAMES.items():
        dept = departments[DepartmentKind.ENGINEERING].id if role == Role.DEPARTMENT else None
        world.users[role] = create_user(site, username, f"{username} 测试", role, "pw", department_id=dept)
    world.other_user = create_user(other, "elsewhere", "别处前台", Role.RECEPTIONIST, "pw")
    db.session.commit()
    return world
