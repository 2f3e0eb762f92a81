"""Shared builders for the cases tests."""

import base64
import io

from PIL import Image, ImageDraw

from kiosk.cases import complaints, intake, orders
from kiosk.extensions import db
from kiosk.models import DepartmentKind, Household, Role, Room
from kiosk.models.case_complaints import Complaint, Grade
from kiosk.models.case_orders import RepairCategory
from kiosk.models.cases import Channel, IntakeClass
from kiosk.signatures import StoredSignature

SIGNED = StoredSignature(path="sig/x.png", sha256="0" * 64, width=10, height=10)


def _household(world, household):
    """A household of the world by its index, or the household given (None: no household)."""
    return world.households[household] if isinstance(household, int) else household


def call(world, kind, now, *, household=0, user=Role.RECEPTIONIST, category=RepairCategory.PLUMBING, **extra):
    entry = intake.log(
        world.site,
        intake.Call(
            channel=Channel.PHONE,
            kind=kind,
            content=extra.pop("content", "水管漏水"),
            read_back=True,
            household=_household(world, household),
            category=category,
            **extra,
        ),
        user=world.user(user),
        now=now,
    )
    db.session.commit()
    return entry


def received(world, case, now):
    """The department (engineering, the world's department user) signs for the form (C5)."""
    complaints.receive_form(case, world.user(Role.DEPARTMENT), signature=SIGNED, now=now)


def signature_data_url() -> str:
    """A drawn squiggle as js/signature.js posts it."""
    image = Image.new("RGB", (300, 120), "white")
    ImageDraw.Draw(image).line([(10, 60), (290, 70), (150, 20), (200, 110)], fill="black", width=5)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode()


def rectified_complaint(world, now, household=0):
    """A major complaint through to rectified: its callback is owed within a week (C3, C4)."""
    entry = call(world, IntakeClass.COMPLAINT, now, household=household)
    case = db.session.query(Complaint).filter_by(intake_id=entry.id).one()
    complaints.check_validity(case, world.user(Role.RECEPTIONIST), valid=True, explanation=None, now=now)
    complaints.grade(
        case,
        world.user(Role.SUPERVISOR),
        grade=Grade.MAJOR,
        reason="r",
        department=world.departments[DepartmentKind.ENGINEERING],
        now=now,
    )
    received(world, case, now)
    complaints.rectified(case, world.user(Role.DEPARTMENT), "done", now)
    db.session.commit()
    return case


def done_order(world, now, household=0):
    """A repair dispatched and done: its callback is owed within 2 days (C10)."""
    order = orders.create(
        world.site,
        user=world.user(Role.RECEPTIONIST),
        now=now,
        content="灯不亮",
        category=RepairCategory.ELECTRICAL,
        contact_name="张三",
        household=_household(world, household),
    )
    orders.dispatch(order, world.user(Role.RECEPTIONIST), world.departments[DepartmentKind.ENGINEERING], now)
    orders.complete(order, world.user(Role.DEPARTMENT), "换灯管", now)
    db.session.commit()
    return order


def more_households(world, n, first_floor=10):
    """n more households, each in its own room of the world's building."""
    first = world.rooms[0]
    households = [
        Household(
            site=world.site,
            room=Room(site=world.site, building=first.building, unit=first.unit, floor=f, number=f"{f:02d}01"),
            name=f"住户{f}",
            phone=f"1380000{f:04d}",
        )
        for f in range(first_floor, first_floor + n)
    ]
    db.session.add_all(households)
    db.session.commit()
    return households


__all__ = [
    "more_households",
    "call",
    "received",
    "rectified_complaint",
    "done_order",
    "signature_data_url",
    "IntakeClass",
    "SIGNED",
]
