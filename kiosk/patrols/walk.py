"""Doing a patrol on a tablet (P1-P8): start, scan checkpoints, answer items, attach
photos, finish; and the supervisor's signature. Plain Python, no request.

A patrol is named by a UUID made on the tablet, so that everything an officer does
offline can be replayed in order and attaches to the right patrol. Every write for a
patrol is accepted only from the device that started it (OFFLINE.md 6).
"""

from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import joinedload
from sqlalchemy.orm.attributes import set_committed_value

from kiosk import audit
from kiosk.extensions import db
from kiosk.models import Device, User
from kiosk.models.patrols import (
    Answer,
    ChecklistTemplate,
    Checkpoint,
    Occurrence,
    Patrol,
    PatrolReason,
    PatrolStop,
    Photo,
    Result,
    Schedule,
    ScheduleStop,
    TemplateVersion,
)
from kiosk.patrols import templates
from kiosk.patrols.identity import (  # noqa: F401  (part of this module's interface)
    PATROL_ROLES,
    PatrolRefused,
    device_time,
    officer_from_token,
    officer_token,
)

# Two checkpoints cannot honestly be walked between faster than this (P1 proof of presence).
MIN_SECONDS_BETWEEN_SCANS = 20


def route(site_id: int, *, schedule: Schedule | None = None, template: ChecklistTemplate | None = None):
    """The checkpoints to walk: the schedule's stops, or (ad hoc) every active checkpoint
    of the template's kinds in site order."""
    if schedule is not None:
        return list(
            db.session.scalars(
                sa.select(Checkpoint)
                .join(ScheduleStop, ScheduleStop.checkpoint_id == Checkpoint.id)
                .where(ScheduleStop.schedule_id == schedule.id, Checkpoint.active.is_(True))
                .order_by(ScheduleStop.position)
            )
        )
    return list(
        db.session.scalars(
            sa.select(Checkpoint)
            .where(
                Checkpoint.site_id == site_id,
                Checkpoint.active.is_(True),
                Checkpoint.kind.in_(template.checkpoint_kinds),
            )
            .order_by(Checkpoint.sort_order, Checkpoint.id)
        )
    )


def load_stops(patrol: Patrol) -> list[PatrolStop]:
    """The patrol's stops in route order, each with its checkpoint, in one query (every
    page that names a stop's checkpoint would otherwise ask for each); `patrol.stops`
    holds them afterwards."""
    if patrol.id is None:
        db.session.flush()  # started in this session: written now, so that its stops are found
    stops = list(
        db.session.scalars(
            sa.select(PatrolStop)
            .where(PatrolStop.patrol_id == patrol.id)
            .options(joinedload(PatrolStop.checkpoint))
            .order_by(PatrolStop.position)
        )
    )
    set_committed_value(patrol, "stops", stops)
    return stops


def find(uuid: str | None, device: Device) -> Patrol:
    patrol = db.session.scalar(sa.select(Patrol).where(Patrol.uuid == (uuid or "")))
    if patrol is None:
        # Not (yet) known: its start may still be on its way; the outbox retries later.
        raise PatrolRefused("unknown", 409)
    if patrol.device_id != device.id:
        raise PatrolRefused("device", 403)
    return patrol


def writable(patrol: Patrol) -> None:
    if patrol.finished_at is not None:
        raise PatrolRefused("finished")


def start(
    uuid: str,
    device: Device,
    officer: User,
    *,
    at: datetime,
    received: datetime,
    occurrence: Occurrence | None = None,
    template: ChecklistTemplate | None = None,
    reason: PatrolReason = PatrolReason.SCHEDULED,
    note: str | None = None,
) -> Patrol:
    """Start a scheduled (occurrence) or ad hoc (template, P6) patrol."""
    existing = db.session.scalar(sa.select(Patrol).where(Patrol.uuid == uuid))
    if existing is not None:
        if existing.device_id != device.id:
            raise PatrolRefused("device", 403)
        return existing
    schedule = occurrence.schedule if occurrence is not None else None
    if schedule is not None:
        template = schedule.template
        reason = PatrolReason.SCHEDULED
    elif template is None:
        raise PatrolRefused("template")
    elif reason == PatrolReason.SCHEDULED:
        reason = PatrolReason.OTHER
    checkpoints = route(device.site_id, schedule=schedule, template=template)
    patrol = Patrol(
        site_id=device.site_id,
        uuid=uuid,
        version_id=template.current.id,
        occurrence=occurrence,
        schedule=schedule,
        reason=reason,
        note=(note or "").strip() or None,
        officer_id=officer.id,
        device_id=device.id,
        started_at=at,
        started_received_at=received,
    )
    db.session.add(patrol)
    db.session.flush()
    if checkpoints:
        # One statement for the whole route (a building's public areas are a hundred stops).
        db.session.execute(
            sa.insert(PatrolStop),
            [
                dict(patrol_id=patrol.id, checkpoint_id=checkpoint.id, position=position)
                for position, checkpoint in enumerate(checkpoints)
            ],
        )
    load_stops(patrol)
    audit.record(officer, "patrol.started", site_id=device.site_id, details={"uuid": uuid, "device": device.id})
    return patrol


def scan(patrol: Patrol, code: str, *, typed: bool, at: datetime, received: datetime) -> PatrolStop:
    """Record presence at a checkpoint (first scan counts) and judge plausibility (P1):
    too soon after the previous scan, or earlier on the route than one already scanned."""
    writable(patrol)
    stops = load_stops(patrol)
    stop = next((s for s in stops if s.checkpoint.code == code.strip().upper()), None)
    if stop is None:
        raise PatrolRefused("checkpoint")
    if stop.scanned_at is not None:
        return stop
    scanned = [s for s in stops if s.scanned_at is not None]
    stop.scanned_at, stop.scan_received_at, stop.typed = at, received, typed
    stop.scan_sequence = len(scanned) + 1
    if scanned:
        last = max(scanned, key=lambda s: s.scanned_at)
        stop.flag_fast = (at - last.scanned_at).total_seconds() < MIN_SECONDS_BETWEEN_SCANS
        stop.flag_order = any(s.position > stop.position for s in scanned)
    patrol.flag_fast = patrol.flag_fast or stop.flag_fast
    patrol.flag_order = patrol.flag_order or stop.flag_order
    return stop


@dataclass(frozen=True)
class Missing:
    answer: Answer
    note: bool
    photo: bool


def missing_requirements(patrol: Patrol) -> list[Missing]:
    """Failed items that still lack the note or photo their template requires."""
    failed = list(
        db.session.scalars(sa.select(Answer).where(Answer.patrol_id == patrol.id, Answer.result == Result.FAIL))
    )
    if not failed:
        return []
    with_photo = set(db.session.scalars(sa.select(Photo.answer_id).where(Photo.answer_id.in_([a.id for a in failed]))))
    missing = []
    for row in failed:
        need_note = row.item.fail_requires_note and not row.note
        need_photo = row.item.fail_requires_photo and row.id not in with_photo
        if need_note or need_photo:
            missing.append(Missing(row, need_note, need_photo))
    return missing


def finish(patrol: Patrol, *, at: datetime, received: datetime, reason: str | None = None) -> list[Missing]:
    """Finish, unless a failed item lacks what its template requires (returned then).

    A patrol with checkpoints unscanned or items unanswered finishes only with the
    officer's reason, and is marked incomplete (P1); without one it is refused."""
    if patrol.finished_at is not None:
        return []
    missing = missing_requirements(patrol)
    if missing:
        return missing
    counts = summary(patrol)
    reason = (reason or "").strip() or None
    if counts.incomplete:
        if reason is None:
            raise PatrolRefused("incomplete")
        patrol.incomplete, patrol.incomplete_reason = True, reason
    patrol.finished_at, patrol.finished_received_at = at, received
    if patrol.occurrence is not None and patrol.occurrence.done_at is None:
        patrol.occurrence.done_at = at
    audit.record(
        patrol.officer,
        "patrol.finished",
        patrol,
        site_id=patrol.site_id,
        reason=reason if counts.incomplete else None,
        details={
            "incomplete": True,
            "scanned": counts.scanned,
            "checkpoints": counts.checkpoints,
            "answered": counts.answered,
            "expected": counts.expected,
        }
        if counts.incomplete
        else None,
    )
    return []


@dataclass(frozen=True)
class Summary:
    checkpoints: int
    scanned: int
    answered: int
    expected: int
    passed: int
    failed: int
    not_applicable: int

    @property
    def incomplete(self) -> bool:
        """Checkpoints left unscanned or items unanswered (P1)."""
        return self.scanned < self.checkpoints or self.answered < self.expected

    @property
    def pass_rate(self) -> float | None:
        judged = self.passed + self.failed
        return None if judged == 0 else self.passed / judged


def summary(patrol: Patrol, version: TemplateVersion | None = None) -> Summary:
    """The patrol's counts; afterwards `patrol.stops` holds its stops with their checkpoints."""
    version = version or templates.load_version(patrol.version_id)
    expected = sum(
        len(section.items)
        for stop in load_stops(patrol)
        for section in templates.sections_at(version, stop.checkpoint.kind)
    )
    counts = dict(
        db.session.execute(
            sa.select(Answer.result, sa.func.count()).where(Answer.patrol_id == patrol.id).group_by(Answer.result)
        ).all()
    )
    return Summary(
        checkpoints=len(patrol.stops),
        scanned=sum(1 for s in patrol.stops if s.scanned_at),
        answered=sum(counts.values()),
        expected=expected,
        passed=counts.get(Result.PASS, 0),
        failed=counts.get(Result.FAIL, 0),
        not_applicable=counts.get(Result.NA, 0),
    )


def sign(patrol: Patrol, supervisor: User, note: str | None, now: datetime) -> None:
    """The supervisor signs the check sheet (客务部工作检查表); nothing changes after (S2)."""
    if patrol.finished_at is None:
        raise PatrolRefused("not_finished")
    if patrol.signed_at is not None:
        raise PatrolRefused("signed")
    patrol.signed_at, patrol.signed_by_id = now, supervisor.id
    patrol.review_note = (note or "").strip() or None
    audit.record(supervisor, "patrol.signed", patrol)
