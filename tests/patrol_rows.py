"""Many patrol rows for the statement-count tests: routes of any length, patrols walked by
different officers on different checklist versions, failed items with notes, photos and
tasks for every department. Built with the domain functions, as the tablet builds them."""

import itertools
from datetime import date, datetime, timedelta

import sqlalchemy as sa

from kiosk.accounts import create_user
from kiosk.extensions import db
from kiosk.models import Role
from kiosk.models.patrols import (
    AnswerKind,
    Cadence,
    Checkpoint,
    CheckpointKind,
    Occurrence,
    Patrol,
    Schedule,
    ScheduleStop,
)
from kiosk.patrols import answers, templates
from kiosk.patrols import schedule as patrol_schedule
from kiosk.patrols import walk as patrols
from kiosk.patrols.demo import add_checkpoint
from kiosk.photos import StoredPhoto
from kiosk.timeutil import utcnow
from tests import patrolkit

TZ = "Asia/Shanghai"
ROUTE_KINDS = [CheckpointKind.LOBBY, CheckpointKind.STAIRWELL, CheckpointKind.LIFT, CheckpointKind.ROOF]
_numbers = itertools.count(1)


def stored_photo() -> StoredPhoto:
    return StoredPhoto(path=f"t/{patrolkit.new_uuid()}.jpg", width=1, height=1, size=1, sha256="0" * 64)


def person(pw, role=Role.OFFICER):
    return create_user(pw.site, f"{role.value}{next(_numbers)}", f"员工{next(_numbers)}", role, "pw")


def checkpoints(pw, n, kinds=ROUTE_KINDS, **where) -> list[Checkpoint]:
    made = [
        add_checkpoint(pw.site, kinds[i % len(kinds)], f"巡查点{k}", f"Checkpoint {k}", 1000 + k, **where)
        for i, k in ((i, next(_numbers)) for i in range(n))
    ]
    db.session.flush()
    return made


def schedule(pw, n_stops, template="public_area", windows=(("00:00", "00:01"), ("00:02", "23:59"))) -> Schedule:
    """A daily schedule over `n_stops` new checkpoints (its first window of each day is missed)."""
    row = Schedule(
        site=pw.site,
        template=pw.template(template),
        name_zh=f"巡查{next(_numbers)}",
        name_en="Round",
        cadence=Cadence.DAILY,
        windows=[list(w) for w in windows],
        grace_minutes=0,
        starts_on=date(2026, 1, 1),
    )
    row.stops = [ScheduleStop(checkpoint=c, position=i) for i, c in enumerate(checkpoints(pw, n_stops))]
    db.session.add(row)
    db.session.flush()
    return row


def open_occurrence(pw, n_stops) -> Occurrence:
    """Today's open occurrence of a new schedule over `n_stops` checkpoints."""
    row = schedule(pw, n_stops, windows=(("00:00", "23:59"),))
    patrol_schedule.ensure_occurrences(pw.site, utcnow())
    return db.session.scalar(
        sa.select(Occurrence).where(Occurrence.schedule_id == row.id).order_by(Occurrence.opens_at.desc()).limit(1)
    )


def new_version(pw, code="public_area"):
    """Save the checklist again unchanged: the next version (patrols keep theirs)."""
    template = pw.template(code)
    current = templates.load_version(template.current.id)
    templates.new_version(
        template,
        name_zh=current.name_zh,
        name_en=current.name_en,
        sections=templates.as_data(current),
        actor=pw.world.users[Role.SUPERVISOR],
    )


def walk(pw, patrol: Patrol, *, at: datetime | None = None, fail_every=3, stops=None, photos=True) -> Patrol:
    """Scan the patrol's stops (all, or the first `stops`) and answer every item; every
    `fail_every`-th check fails with a note and a photo, to each department in turn."""
    at = at or utcnow() - timedelta(hours=1)
    version = templates.load_version(patrol.version_id)
    departments = list(pw.world.departments.values())
    n = 0
    for stop in patrol.stops[:stops]:
        checkpoint = stop.checkpoint
        patrols.scan(patrol, checkpoint.code, typed=False, at=at, received=at)
        for section in templates.sections_at(version, checkpoint.kind):
            for item in section.items:
                if item.kind != AnswerKind.CHECK:
                    continue
                n += 1
                fail = n % fail_every == 0
                row = answers.answer(
                    patrol,
                    checkpoint.id,
                    item.id,
                    result="fail" if fail else "pass",
                    note="需要整改" if fail else None,
                    at=at,
                    received=at,
                    tz_name=TZ,
                    department_id=departments[n % len(departments)].id,
                )
                if fail and photos:
                    answers.add_photo(patrol, row, stored_photo(), device=pw.tablet, at=at, received=at)
    db.session.flush()
    return patrol


def start(pw, *, occurrence=None, template="public_area", officer=None, at=None) -> Patrol:
    at = at or utcnow() - timedelta(hours=1)
    return patrols.start(
        patrolkit.new_uuid(),
        pw.tablet,
        officer or pw.officer,
        at=at,
        received=at,
        occurrence=occurrence,
        template=None if occurrence else pw.template(template),
    )


def finished_patrols(pw, n):
    """Finished patrols by different officers on different checklist versions, every
    third one signed by a different supervisor, every other one on a schedule."""
    for i in range(n):
        if i % 2:
            new_version(pw)
            patrol = start(pw, officer=person(pw))
        else:
            patrol = start(pw, occurrence=open_occurrence(pw, 1), officer=person(pw))
        walk(pw, patrol, stops=1, fail_every=1000)
        patrols.finish(patrol, at=utcnow(), received=utcnow(), reason="只巡了第一个点")
        if i % 3 == 0:
            patrols.sign(patrol, person(pw, Role.SUPERVISOR), "已阅", utcnow())


def first_check(version, kind):
    return next(
        item
        for section in templates.sections_at(version, kind)
        for item in section.items
        if item.kind == AnswerKind.CHECK
    )


def open_tasks(pw, n):
    """n open tasks at n different checkpoints, for every department in turn."""
    patrol = start(pw, occurrence=open_occurrence(pw, n))
    walk(pw, patrol, fail_every=10_000)
    version = templates.load_version(patrol.version_id)
    departments = list(pw.world.departments.values())
    for i, stop in enumerate(patrol.stops):
        item = first_check(version, stop.checkpoint.kind)
        answers.answer(
            patrol,
            stop.checkpoint_id,
            item.id,
            result="fail",
            note="坏了",
            at=utcnow(),
            received=utcnow(),
            tz_name=TZ,
            department_id=departments[i % len(departments)].id,
        )
