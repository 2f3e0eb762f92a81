"""A few weeks of patrol history for the demo site (issue 12: a first run shows what the
inspection pages are for): the perimeter, restaurant, garbage-room and vacant-unit rounds
walked on time, late, incomplete (with the officer's reason) or missed, failures with
notes and photos, and their rectification tasks in every state. Deterministic (a seeded
random), computed from now."""

import io
import random
from datetime import datetime, timedelta

import sqlalchemy as sa
from PIL import Image, ImageDraw

from kiosk import photos
from kiosk.extensions import db
from kiosk.models import Device, Role, Site, User
from kiosk.models.patrols import AnswerKind, Occurrence, Schedule, Task, TaskStatus
from kiosk.patrols import answers, tasks, templates, walk
from kiosk.patrols import schedule as patrol_schedule

WEEKS = 3
ROUNDS = (
    "Perimeter and garbage room",
    "Restaurant hygiene, daily",
    "Garbage room and sorting, weekly",
    "Vacant units, weekly",
)
NOTES = ["地面有积水未清理", "灯具不亮", "垃圾桶满溢", "门锁松动", "墙面有涂鸦", "有杂物堆放"]
INCOMPLETE_REASONS = ["暴雨，外围积水无法通行", "接报紧急维修，中途离开", "餐厅装修封闭，无法进入"]


def _photo(rng: random.Random) -> bytes:
    image = Image.new("RGB", (640, 480), tuple(rng.randrange(90, 200) for _ in range(3)))
    ImageDraw.Draw(image).rectangle((180, 140, 460, 340), outline=(40, 40, 40), width=8)
    out = io.BytesIO()
    image.save(out, "JPEG", quality=70)
    return out.getvalue()


def _walk(patrol, version, rng, at, photo_root, *, all_stops=True):
    stops = walk.load_stops(patrol)
    for n, stop in enumerate(stops if all_stops else stops[:1]):
        when = at + timedelta(minutes=2 * n + 1)
        walk.scan(patrol, stop.checkpoint.code, typed=False, at=when, received=when)
        for item in (i for s in templates.sections_at(version, stop.checkpoint.kind) for i in s.items):
            kw = {}
            if item.kind == AnswerKind.CHECK:
                kw["result"] = "fail" if rng.random() < 0.07 else "pass"
            elif item.kind == AnswerKind.NUMBER:
                kw["number"] = item.min_value if item.min_value is not None else 1.0
            else:
                kw["result"] = "na"
            if kw.get("result") == "fail":
                kw["note"] = rng.choice(NOTES)
            row = answers.answer(
                patrol, stop.checkpoint_id, item.id, at=when, received=when, tz_name="Asia/Shanghai", **kw
            )
            if kw.get("result") == "fail":
                answers.add_photo(
                    patrol,
                    row,
                    photos.store(photo_root, patrol.site_id, _photo(rng)),
                    device=_device(patrol),
                    at=when,
                    received=when,
                )


def _device(patrol):
    return db.session.get(Device, patrol.device_id)


def seed(site: Site, device: Device, now: datetime, photo_root, rng: random.Random) -> int:
    """Walk the chosen rounds' occurrences of the last WEEKS weeks; returns how many patrols."""
    officer = db.session.scalar(sa.select(User).where(User.site_id == site.id, User.role == Role.OFFICER))
    supervisor = db.session.scalar(sa.select(User).where(User.site_id == site.id, User.role == Role.SUPERVISOR))
    schedules = db.session.scalars(
        sa.select(Schedule).where(Schedule.site_id == site.id, Schedule.name_en.in_(ROUNDS))
    ).all()
    start = (now - timedelta(weeks=WEEKS)).date()
    for row in schedules:
        row.starts_on = start
    db.session.flush()
    patrol_schedule.ensure_occurrences(site, now, lookback_days=WEEKS * 7)
    occurrences = db.session.scalars(
        sa.select(Occurrence)
        .where(
            Occurrence.schedule_id.in_([s.id for s in schedules]), Occurrence.due_at < now, Occurrence.done_at.is_(None)
        )
        .order_by(Occurrence.opens_at)
    ).all()
    walked = 0
    for occurrence in occurrences:
        roll = rng.random()
        version = templates.load_version(occurrence.schedule.template.current.id)
        age = now - occurrence.due_at
        if roll < 0.12:  # missed; older ones acknowledged with a reason
            if age > timedelta(days=2):
                patrol_schedule.acknowledge(occurrence, supervisor, "人员不足，已安排次日补巡", now)
            continue
        late = roll < 0.22
        begin = occurrence.due_at + timedelta(minutes=40) if late else occurrence.opens_at + timedelta(minutes=25)
        if begin > now:
            continue
        patrol = walk.start(walk_key(rng), device, officer, at=begin, received=begin, occurrence=occurrence)
        incomplete = 0.22 <= roll < 0.30 and len(patrol.stops) > 1
        _walk(patrol, version, rng, begin, photo_root, all_stops=not incomplete)
        end = begin + timedelta(minutes=4 * len(patrol.stops) + 5)
        walk.finish(patrol, at=end, received=end, reason=rng.choice(INCOMPLETE_REASONS) if incomplete else None)
        if rng.random() < 0.5 and age > timedelta(days=1):
            walk.sign(patrol, supervisor, "已阅", end + timedelta(hours=3))
        walked += 1
    _advance_tasks(site, supervisor, now, photo_root, rng)
    return walked


def walk_key(rng: random.Random) -> str:
    return "%08x-%04x-4%03x-a%03x-%012x" % (
        rng.getrandbits(32),
        rng.getrandbits(16),
        rng.getrandbits(12),
        rng.getrandbits(12),
        rng.getrandbits(48),
    )


def _advance_tasks(site, supervisor, now, photo_root, rng):
    """Older tasks fixed and closed, some sent back once, recent ones open (P7)."""
    rows = db.session.scalars(
        sa.select(Task).where(Task.site_id == site.id, Task.status == TaskStatus.OPEN).order_by(Task.found_at)
    ).all()
    for task in rows:
        age = now - task.found_at
        if age < timedelta(days=2):
            continue
        fixed_at = task.found_at + timedelta(hours=rng.randrange(4, 30))
        tasks.add_after_photo(task, supervisor, photos.store(photo_root, site.id, _photo(rng)), fixed_at)
        tasks.record_fix(task, supervisor, "已处理完毕", fixed_at)
        if age < timedelta(days=5):
            continue  # fixed, waiting to be re-inspected
        checked = fixed_at + timedelta(hours=6)
        if rng.random() < 0.25:
            tasks.send_back(task, supervisor, "复查仍未整改到位", checked)
            continue  # open again, with its history
        tasks.verify(task, supervisor, "复查合格", checked)
