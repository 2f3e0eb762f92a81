"""Helpers for the patrol tests: the world's site seeded with the rule checklists,
checkpoints and schedules, an enrolled tablet, and small photos."""

import io
import uuid
from dataclasses import dataclass
from datetime import UTC, date, datetime

import sqlalchemy as sa
from PIL import Image

from kiosk.extensions import db
from kiosk.models import Device, DeviceKind, Role
from kiosk.models.patrols import Cadence, ChecklistTemplate, Checkpoint, Schedule, ScheduleStop
from kiosk.offline import devices
from kiosk.patrols.demo import seed_patrol_demo

T0 = datetime(2026, 11, 23, 1, 0, tzinfo=UTC)  # Monday 09:00 in Shanghai


@dataclass
class PatrolWorld:
    world: object
    tablet: Device
    credential: str

    @property
    def site(self):
        return self.world.site

    def template(self, code) -> ChecklistTemplate:
        return db.session.scalar(
            sa.select(ChecklistTemplate).where(
                ChecklistTemplate.site_id == self.site.id, ChecklistTemplate.code == code
            )
        )

    def schedule(self, name_en) -> Schedule:
        return db.session.scalar(sa.select(Schedule).where(Schedule.name_en == name_en))

    def checkpoint(self, name_en) -> Checkpoint:
        return db.session.scalar(sa.select(Checkpoint).where(Checkpoint.name_en == name_en))

    @property
    def officer(self):
        return self.world.users[Role.OFFICER]


def enroll_tablet(site, name="巡检平板 1", now=T0):
    device, token = devices.create_enrollment(site, DeviceKind.TABLET, name, now=now)
    device, credential = devices.enroll(token, now=now)
    db.session.commit()
    return device, credential


def build(world) -> PatrolWorld:
    seed_patrol_demo(world.site, starts_on=date(2026, 11, 1))
    db.session.commit()
    tablet, credential = enroll_tablet(world.site)
    return PatrolWorld(world, tablet, credential)


def new_uuid() -> str:
    return str(uuid.uuid4())


def jpeg_bytes(size=(64, 48), color=(200, 30, 30), exif_gps=False) -> bytes:
    image = Image.new("RGB", size, color)
    out = io.BytesIO()
    if exif_gps:
        exif = Image.Exif()
        exif[0x010F] = "PhoneMaker"  # Make
        gps = {1: "N", 2: (31.0, 14.0, 0.0), 3: "E", 4: (121.0, 28.0, 0.0)}
        exif[0x8825] = gps
        image.save(out, "JPEG", exif=exif.tobytes())
    else:
        image.save(out, "JPEG")
    return out.getvalue()


def public_round(pw: PatrolWorld):
    """A small public-area schedule open all day: the lobby and the first stairwell (P1)."""
    lobby, stairwell = pw.checkpoint("Building 1 lobby"), pw.checkpoint("Building 1 entrance 1, floor 1 stairwell")
    schedule = Schedule(
        site=pw.site,
        template=pw.template("public_area"),
        name_zh="测试巡查",
        name_en="Test round",
        cadence=Cadence.DAILY,
        windows=[["00:00", "23:59"]],
        grace_minutes=1,
        starts_on=date(2026, 1, 1),
    )
    schedule.stops = [ScheduleStop(checkpoint=lobby, position=0), ScheduleStop(checkpoint=stairwell, position=1)]
    db.session.add(schedule)
    db.session.commit()
    return lobby, stairwell
