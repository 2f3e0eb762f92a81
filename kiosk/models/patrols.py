"""Patrols and inspections (rules P1-P8): checklists, checkpoints, schedules, patrols,
answers, photos and rectification tasks.

Checklist templates are versioned: an edit makes a new TemplateVersion and a patrol
points at the version it was run with, so editing never changes a patrol already done.
"""

import enum
from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from kiosk.extensions import db
from kiosk.models.base import SiteOwned, UTCDateTime, created_at_column
from kiosk.models.people import User
from kiosk.models.places import Department, DepartmentKind, Room


def _enum(kind, length=20):
    return sa.Enum(kind, native_enum=False, length=length)


class AnswerKind(enum.StrEnum):
    CHECK = "check"  # pass / fail / not applicable
    NUMBER = "number"  # a reading, with an expected range
    TEXT = "text"
    PHOTO = "photo"


class Result(enum.StrEnum):
    PASS = "pass"
    FAIL = "fail"
    NA = "na"


class CheckpointKind(enum.StrEnum):
    LOBBY = "lobby"
    STAIRWELL = "stairwell"  # one per floor of a unit
    ROOF = "roof"
    LIFT = "lift"
    GARBAGE_ROOM = "garbage_room"
    PERIMETER = "perimeter"
    VACANT_UNIT = "vacant_unit"
    OUTLET = "outlet"
    RESTAURANT = "restaurant"
    OTHER = "other"


class Cadence(enum.StrEnum):
    DAILY = "daily"  # one occurrence per window per day (P1: two windows)
    WEEKLY = "weekly"  # P3
    MONTHLY = "monthly"  # P4, P5
    QUARTERLY = "quarterly"  # P8 contractor cleaning


class PatrolReason(enum.StrEnum):
    SCHEDULED = "scheduled"
    WEATHER = "weather"  # P6
    EVENT = "event"  # P6
    OTHER = "other"


class TaskStatus(enum.StrEnum):
    OPEN = "open"
    FIXED = "fixed"
    CLOSED = "closed"
    WITHDRAWN = "withdrawn"  # the failed answer was corrected before the patrol ended


class ChecklistTemplate(SiteOwned, db.Model):
    """A checklist family; its content lives in versions."""

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(sa.String(40))
    rule: Mapped[str] = mapped_column(sa.String(10), default="")  # e.g. "P2"
    # Where it is used: the checkpoint kinds an ad hoc patrol with it walks.
    checkpoint_kinds: Mapped[list] = mapped_column(sa.JSON, default=list)
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = created_at_column()

    versions: Mapped[list["TemplateVersion"]] = relationship(
        back_populates="template", order_by="TemplateVersion.number"
    )

    __table_args__ = (sa.UniqueConstraint("site_id", "code"),)

    @property
    def current(self) -> "TemplateVersion":
        return self.versions[-1]


class TemplateVersion(db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    template_id: Mapped[int] = mapped_column(sa.ForeignKey("checklist_template.id"), index=True)
    number: Mapped[int]
    name_zh: Mapped[str] = mapped_column(sa.String(100))
    name_en: Mapped[str] = mapped_column(sa.String(100))
    created_at: Mapped[datetime] = created_at_column()
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id"))

    template: Mapped[ChecklistTemplate] = relationship(back_populates="versions")
    sections: Mapped[list["TemplateSection"]] = relationship(
        back_populates="version", order_by="TemplateSection.position"
    )

    __table_args__ = (sa.UniqueConstraint("template_id", "number"),)


class TemplateSection(db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    version_id: Mapped[int] = mapped_column(sa.ForeignKey("template_version.id"), index=True)
    position: Mapped[int]
    title_zh: Mapped[str] = mapped_column(sa.String(100))
    title_en: Mapped[str] = mapped_column(sa.String(100))
    # Only at checkpoints of this kind (e.g. a lift section); None: at every checkpoint.
    checkpoint_kind: Mapped[CheckpointKind | None] = mapped_column(_enum(CheckpointKind))

    version: Mapped[TemplateVersion] = relationship(back_populates="sections")
    items: Mapped[list["TemplateItem"]] = relationship(back_populates="section", order_by="TemplateItem.position")


class TemplateItem(db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    section_id: Mapped[int] = mapped_column(sa.ForeignKey("template_section.id"), index=True)
    position: Mapped[int]
    # The same item across versions (an edit keeps it): a repeat failure links by it (P7).
    key: Mapped[str] = mapped_column(sa.String(32), index=True)
    standard: Mapped[str] = mapped_column(sa.String(4), default="")  # P2 "A".."H", P3 "A".."E"
    text_zh: Mapped[str] = mapped_column(sa.String(200))
    text_en: Mapped[str] = mapped_column(sa.String(200))
    # The finding when it fails ("楼内卫生不合格"): a rectification task's title (P7).
    # Empty: the title is made from the standard ("不合格：楼内卫生良好").
    fail_zh: Mapped[str] = mapped_column(sa.String(200), default="", server_default="")
    fail_en: Mapped[str] = mapped_column(sa.String(200), default="", server_default="")
    kind: Mapped[AnswerKind] = mapped_column(_enum(AnswerKind), default=AnswerKind.CHECK)
    min_value: Mapped[float | None]
    max_value: Mapped[float | None]
    unit: Mapped[str] = mapped_column(sa.String(20), default="")
    fail_requires_note: Mapped[bool] = mapped_column(default=True)
    fail_requires_photo: Mapped[bool] = mapped_column(default=True)
    department_kind: Mapped[DepartmentKind] = mapped_column(
        _enum(DepartmentKind, 30), default=DepartmentKind.ENGINEERING
    )
    deadline_days: Mapped[int] = mapped_column(default=3)  # working days (P7)

    section: Mapped[TemplateSection] = relationship(back_populates="items")


class Checkpoint(SiteOwned, db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(sa.String(24), unique=True)  # in the QR code
    kind: Mapped[CheckpointKind] = mapped_column(_enum(CheckpointKind))
    name_zh: Mapped[str] = mapped_column(sa.String(100))
    name_en: Mapped[str] = mapped_column(sa.String(100))
    building_id: Mapped[int | None] = mapped_column(sa.ForeignKey("building.id"))
    floor: Mapped[int | None]
    room_id: Mapped[int | None] = mapped_column(sa.ForeignKey("room.id"), index=True)
    sort_order: Mapped[int] = mapped_column(default=0)
    active: Mapped[bool] = mapped_column(default=True)

    room: Mapped[Room | None] = relationship()


class Schedule(SiteOwned, db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    name_zh: Mapped[str] = mapped_column(sa.String(100))
    name_en: Mapped[str] = mapped_column(sa.String(100))
    template_id: Mapped[int] = mapped_column(sa.ForeignKey("checklist_template.id"))
    cadence: Mapped[Cadence] = mapped_column(_enum(Cadence))
    # DAILY: [["08:00", "11:00"], ["14:00", "17:00"]] in the site's local time.
    windows: Mapped[list] = mapped_column(sa.JSON, default=list)
    # After the window closes the occurrence is late for this long, then missed.
    grace_minutes: Mapped[int] = mapped_column(default=60)
    starts_on: Mapped[date]
    active: Mapped[bool] = mapped_column(default=True)

    template: Mapped[ChecklistTemplate] = relationship()
    stops: Mapped[list["ScheduleStop"]] = relationship(order_by="ScheduleStop.position", cascade="all, delete-orphan")


class ScheduleStop(db.Model):
    """The route of a schedule: its checkpoints in walking order."""

    id: Mapped[int] = mapped_column(primary_key=True)
    schedule_id: Mapped[int] = mapped_column(sa.ForeignKey("schedule.id"), index=True)
    checkpoint_id: Mapped[int] = mapped_column(sa.ForeignKey("checkpoint.id"))
    position: Mapped[int]

    checkpoint: Mapped[Checkpoint] = relationship()


class Occurrence(SiteOwned, db.Model):
    """One due patrol of a schedule: due while open, late after `due_at`, missed after
    `missed_at` unless a patrol finished; a missed one waits for acknowledgement."""

    id: Mapped[int] = mapped_column(primary_key=True)
    schedule_id: Mapped[int] = mapped_column(sa.ForeignKey("schedule.id"), index=True)
    opens_at: Mapped[datetime] = mapped_column(UTCDateTime)
    due_at: Mapped[datetime] = mapped_column(UTCDateTime)
    missed_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    done_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    acknowledged_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    acknowledged_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id"))
    acknowledge_note: Mapped[str | None] = mapped_column(sa.Text)

    schedule: Mapped[Schedule] = relationship()
    acknowledged_by: Mapped[User | None] = relationship()

    __table_args__ = (sa.UniqueConstraint("schedule_id", "opens_at"),)


class Patrol(SiteOwned, db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    # Made on the tablet when the officer starts, so that every later submission of an
    # offline patrol names its patrol before the server has seen the start.
    uuid: Mapped[str] = mapped_column(sa.String(36), unique=True)
    version_id: Mapped[int] = mapped_column(sa.ForeignKey("template_version.id"))
    occurrence_id: Mapped[int | None] = mapped_column(sa.ForeignKey("occurrence.id"), index=True)
    schedule_id: Mapped[int | None] = mapped_column(sa.ForeignKey("schedule.id"))
    reason: Mapped[PatrolReason] = mapped_column(_enum(PatrolReason), default=PatrolReason.SCHEDULED)
    note: Mapped[str | None] = mapped_column(sa.Text)
    officer_id: Mapped[int] = mapped_column(sa.ForeignKey("user.id"), index=True)
    device_id: Mapped[int] = mapped_column(sa.ForeignKey("device.id"))
    started_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)  # device time
    started_received_at: Mapped[datetime] = mapped_column(UTCDateTime)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    finished_received_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Proof of presence (P1): set when scans come implausibly fast or out of order.
    flag_fast: Mapped[bool] = mapped_column(default=False)
    flag_order: Mapped[bool] = mapped_column(default=False)
    # Finished with checkpoints unscanned or items unanswered (P1): the officer confirmed
    # and said why; marked on the list, the sheet, the export and the pass rates.
    incomplete: Mapped[bool] = mapped_column(default=False, server_default=sa.false())
    incomplete_reason: Mapped[str | None] = mapped_column(sa.Text)
    # The supervisor's review and signature on the check sheet (客务部工作检查表, S2).
    signed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    signed_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id"))
    review_note: Mapped[str | None] = mapped_column(sa.Text)

    version: Mapped[TemplateVersion] = relationship()
    occurrence: Mapped[Occurrence | None] = relationship()
    schedule: Mapped[Schedule | None] = relationship()
    officer: Mapped[User] = relationship(foreign_keys=[officer_id])
    signed_by: Mapped[User | None] = relationship(foreign_keys=[signed_by_id])
    stops: Mapped[list["PatrolStop"]] = relationship(order_by="PatrolStop.position", back_populates="patrol")
    answers: Mapped[list["Answer"]] = relationship(back_populates="patrol")


class PatrolStop(db.Model):
    """A checkpoint on a patrol's route (copied at start) and its scan, if any."""

    id: Mapped[int] = mapped_column(primary_key=True)
    patrol_id: Mapped[int] = mapped_column(sa.ForeignKey("patrol.id"), index=True)
    checkpoint_id: Mapped[int] = mapped_column(sa.ForeignKey("checkpoint.id"), index=True)
    position: Mapped[int]
    scanned_at: Mapped[datetime | None] = mapped_column(UTCDateTime)  # device time
    scan_received_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    scan_sequence: Mapped[int | None]  # 1 for the first checkpoint scanned, ...
    typed: Mapped[bool] = mapped_column(default=False)  # code typed, not scanned
    flag_fast: Mapped[bool] = mapped_column(default=False)
    flag_order: Mapped[bool] = mapped_column(default=False)

    patrol: Mapped[Patrol] = relationship(back_populates="stops")
    checkpoint: Mapped[Checkpoint] = relationship()

    __table_args__ = (sa.UniqueConstraint("patrol_id", "checkpoint_id"),)


class Answer(SiteOwned, db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    patrol_id: Mapped[int] = mapped_column(sa.ForeignKey("patrol.id"), index=True)
    checkpoint_id: Mapped[int] = mapped_column(sa.ForeignKey("checkpoint.id"), index=True)
    item_id: Mapped[int] = mapped_column(sa.ForeignKey("template_item.id"))
    result: Mapped[Result | None] = mapped_column(_enum(Result))
    number: Mapped[float | None]
    text: Mapped[str | None] = mapped_column(sa.Text)
    note: Mapped[str | None] = mapped_column(sa.Text)
    department_id: Mapped[int | None] = mapped_column(sa.ForeignKey("department.id"))
    answered_at: Mapped[datetime] = mapped_column(UTCDateTime)  # device time
    received_at: Mapped[datetime] = mapped_column(UTCDateTime)

    patrol: Mapped[Patrol] = relationship(back_populates="answers")
    checkpoint: Mapped[Checkpoint] = relationship()
    item: Mapped[TemplateItem] = relationship()
    department: Mapped[Department | None] = relationship()
    photos: Mapped[list["Photo"]] = relationship(
        primaryjoin="Photo.answer_id == Answer.id", order_by="Photo.id", viewonly=True
    )

    __table_args__ = (sa.UniqueConstraint("patrol_id", "checkpoint_id", "item_id"),)


class Photo(SiteOwned, db.Model):
    """A stored JPEG under instance/photos/, re-encoded without metadata (no location)."""

    id: Mapped[int] = mapped_column(primary_key=True)
    path: Mapped[str] = mapped_column(sa.String(200), unique=True)
    width: Mapped[int]
    height: Mapped[int]
    size: Mapped[int]
    sha256: Mapped[str] = mapped_column(sa.String(64))
    answer_id: Mapped[int | None] = mapped_column(sa.ForeignKey("answer.id"), index=True)
    task_id: Mapped[int | None] = mapped_column(sa.ForeignKey("task.id"), index=True)
    taken_at: Mapped[datetime] = mapped_column(UTCDateTime)  # device time
    received_at: Mapped[datetime] = mapped_column(UTCDateTime)
    uploaded_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id"))
    device_id: Mapped[int | None] = mapped_column(sa.ForeignKey("device.id"))


class Task(SiteOwned, db.Model):
    """A rectification task (P7): one per failed answer, to the responsible department."""

    id: Mapped[int] = mapped_column(primary_key=True)
    answer_id: Mapped[int] = mapped_column(sa.ForeignKey("answer.id"), unique=True)
    patrol_id: Mapped[int] = mapped_column(sa.ForeignKey("patrol.id"), index=True)
    checkpoint_id: Mapped[int] = mapped_column(sa.ForeignKey("checkpoint.id"), index=True)
    item_id: Mapped[int] = mapped_column(sa.ForeignKey("template_item.id"))
    item_key: Mapped[str] = mapped_column(sa.String(32))
    department_id: Mapped[int] = mapped_column(sa.ForeignKey("department.id"), index=True)
    status: Mapped[TaskStatus] = mapped_column(_enum(TaskStatus), default=TaskStatus.OPEN, index=True)
    found_at: Mapped[datetime] = mapped_column(UTCDateTime)
    deadline: Mapped[date]
    # The same checkpoint item failed within 30 days before: the earlier task.
    earlier_task_id: Mapped[int | None] = mapped_column(sa.ForeignKey("task.id"))
    fixed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    fixed_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id"))
    fix_note: Mapped[str | None] = mapped_column(sa.Text)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    closed_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id"))
    sent_back_count: Mapped[int] = mapped_column(default=0)

    answer: Mapped[Answer] = relationship(foreign_keys=[answer_id])
    patrol: Mapped[Patrol] = relationship()
    checkpoint: Mapped[Checkpoint] = relationship()
    item: Mapped[TemplateItem] = relationship()
    department: Mapped[Department] = relationship()
    earlier: Mapped["Task | None"] = relationship(remote_side="Task.id")
    events: Mapped[list["TaskEvent"]] = relationship(order_by="TaskEvent.id", back_populates="task")
    after_photos: Mapped[list[Photo]] = relationship(
        primaryjoin="Photo.task_id == Task.id", order_by="Photo.id", viewonly=True
    )

    __table_args__ = (sa.Index("ix_task_repeat", "checkpoint_id", "item_key", "found_at"),)


class TaskEvent(db.Model):
    """What happened to a task: opened, moved, fixed, sent back, closed (with notes)."""

    id: Mapped[int] = mapped_column(primary_key=True)
    task_id: Mapped[int] = mapped_column(sa.ForeignKey("task.id"), index=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime)
    user_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id"))
    action: Mapped[str] = mapped_column(sa.String(30))
    note: Mapped[str | None] = mapped_column(sa.Text)

    task: Mapped[Task] = relationship(back_populates="events")
    user: Mapped[User | None] = relationship()
