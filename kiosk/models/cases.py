"""The service centre's day (C1, C4, C9, C12): the intake log, the callback's satisfaction and
confirmation shared by every case kind, the events of complaints and work orders, coordination
requests and household visits. Work orders: models/case_orders.py; complaints:
models/case_complaints.py; survey opinions and special services: models/case_services.py."""

import enum
from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from kiosk.extensions import db
from kiosk.models.base import SiteOwned, UTCDateTime, created_at_column
from kiosk.models.people import User
from kiosk.models.places import Department, Household, Room


def _enum(kind, length=20):
    return sa.Enum(kind, native_enum=False, length=length)


class Channel(enum.StrEnum):
    PHONE = "phone"
    VISIT = "visit"
    LETTER = "letter"
    KIOSK = "kiosk"
    OTHER = "other"


class IntakeClass(enum.StrEnum):
    """C1: how a call, visit or letter is classed; the class decides where it goes."""

    INQUIRY = "inquiry"
    COMPLAINT = "complaint"
    REPAIR = "repair"
    ISSUE = "issue"  # 反映问题: to a department to verify
    SUGGESTION = "suggestion"
    PRAISE = "praise"
    OTHER = "other"


class IntakeStatus(enum.StrEnum):
    OPEN = "open"  # someone still owes something (reply, department, escalation)
    ROUTED = "routed"  # handed on: a work order or a complaint case follows it
    CLOSED = "closed"  # answered, gathered or acknowledged


class Importance(enum.StrEnum):
    NORMAL = "normal"
    HIGH = "high"
    URGENT = "urgent"


class Intake(SiteOwned, db.Model):
    """来电来访信息登记表 (C1): one call, visit or letter."""

    id: Mapped[int] = mapped_column(primary_key=True)
    received_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    channel: Mapped[Channel] = mapped_column(_enum(Channel))
    kind: Mapped[IntakeClass] = mapped_column(_enum(IntakeClass))
    status: Mapped[IntakeStatus] = mapped_column(_enum(IntakeStatus), default=IntakeStatus.OPEN)
    household_id: Mapped[int | None] = mapped_column(sa.ForeignKey("household.id"))
    room_id: Mapped[int | None] = mapped_column(sa.ForeignKey("room.id"))
    caller_name: Mapped[str] = mapped_column(sa.String(50))
    caller_phone: Mapped[str | None] = mapped_column(sa.String(32))
    content: Mapped[str] = mapped_column(sa.Text)
    received_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id"))  # None: from the kiosk
    device_id: Mapped[int | None] = mapped_column(sa.ForeignKey("device.id"))
    read_back: Mapped[bool] = mapped_column(default=False)
    # inquiry: answered on the spot, or a reply owed by a due time
    answer: Mapped[str | None] = mapped_column(sa.Text)
    reply_due_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # issue report: the department that verifies it; other: importance (escalation)
    department_id: Mapped[int | None] = mapped_column(sa.ForeignKey("department.id"), index=True)
    importance: Mapped[Importance] = mapped_column(_enum(Importance), default=Importance.NORMAL)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    closed_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id"))
    closing_note: Mapped[str | None] = mapped_column(sa.Text)
    # kiosk reports: an optional photo (kiosk.photos, under the photo root; no metadata)
    photo_path: Mapped[str | None] = mapped_column(sa.String(200))
    photo_sha256: Mapped[str | None] = mapped_column(sa.String(64))

    household: Mapped[Household | None] = relationship()
    room: Mapped[Room | None] = relationship()
    received_by: Mapped[User | None] = relationship(foreign_keys=[received_by_id])
    department: Mapped[Department | None] = relationship()

    __table_args__ = (
        sa.Index("ix_intake_site_received", "site_id", "received_at", "id"),
        sa.Index("ix_intake_site_status_received", "site_id", "status", "received_at"),
    )


class Satisfaction(enum.StrEnum):
    SATISFIED = "satisfied"
    BASICALLY = "basically"
    UNSATISFIED = "unsatisfied"


class Confirmation(enum.StrEnum):
    SIGNATURE = "signature"
    PHONE = "phone"


class CaseEvent(SiteOwned, db.Model):
    """What happened to a complaint or a work order, by whom (the audit trail has it too)."""

    id: Mapped[int] = mapped_column(primary_key=True)
    complaint_id: Mapped[int | None] = mapped_column(sa.ForeignKey("complaint.id"), index=True)
    work_order_id: Mapped[int | None] = mapped_column(sa.ForeignKey("work_order.id"), index=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime)
    user_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id"))
    action: Mapped[str] = mapped_column(sa.String(30))
    note: Mapped[str | None] = mapped_column(sa.Text)

    user: Mapped[User | None] = relationship()
    complaint: Mapped["Complaint | None"] = relationship()  # noqa: F821  (models/case_complaints.py)
    work_order: Mapped["WorkOrder | None"] = relationship()  # noqa: F821  (models/case_orders.py)


class CoordinationRequest(SiteOwned, db.Model):
    """工作会办单 (C9): a major matter sent to the departments it needs, with a due date."""

    id: Mapped[int] = mapped_column(primary_key=True)
    matter: Mapped[str] = mapped_column(sa.Text)
    complaint_id: Mapped[int | None] = mapped_column(sa.ForeignKey("complaint.id"))
    due: Mapped[date] = mapped_column(sa.Date)
    created_at: Mapped[datetime] = created_at_column()
    created_by_id: Mapped[int] = mapped_column(sa.ForeignKey("user.id"))
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    created_by: Mapped[User] = relationship()
    complaint: Mapped["Complaint | None"] = relationship()  # noqa: F821  (models/case_complaints.py)
    answers: Mapped[list["CoordinationAnswer"]] = relationship(
        back_populates="request", order_by="CoordinationAnswer.id"
    )

    __table_args__ = (sa.Index("ix_coordination_request_site_created", "site_id", "created_at", "id"),)

    @property
    def code(self) -> str:
        return f"HB-{self.id:05d}"


class CoordinationAnswer(db.Model):
    """One asked department's answer to a coordination request, signed on the console (C9, S2)."""

    id: Mapped[int] = mapped_column(primary_key=True)
    request_id: Mapped[int] = mapped_column(sa.ForeignKey("coordination_request.id"), index=True)
    department_id: Mapped[int] = mapped_column(sa.ForeignKey("department.id"))
    answer: Mapped[str | None] = mapped_column(sa.Text)
    answered_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    answered_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id"))
    signature_path: Mapped[str | None] = mapped_column(sa.String(200))
    signature_sha256: Mapped[str | None] = mapped_column(sa.String(64))
    late: Mapped[bool] = mapped_column(default=False)

    request: Mapped[CoordinationRequest] = relationship(back_populates="answers")
    department: Mapped[Department] = relationship()
    answered_by: Mapped[User | None] = relationship()

    __table_args__ = (sa.UniqueConstraint("request_id", "department_id"),)


class VisitPlanEntry(SiteOwned, db.Model):
    """One household to visit in a month, and by whom (走访计划, C12)."""

    id: Mapped[int] = mapped_column(primary_key=True)
    month: Mapped[date] = mapped_column(sa.Date)  # the first day of the month
    household_id: Mapped[int] = mapped_column(sa.ForeignKey("household.id"))
    officer_id: Mapped[int] = mapped_column(sa.ForeignKey("user.id"))

    household: Mapped[Household] = relationship()
    officer: Mapped[User] = relationship()
    record: Mapped["HouseholdVisit | None"] = relationship(back_populates="plan", uselist=False)

    __table_args__ = (sa.UniqueConstraint("site_id", "month", "household_id"),)


class HouseholdVisit(SiteOwned, db.Model):
    """客户走访记录表 (C12): the visit, who was met, what was found, the household's opinions."""

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int | None] = mapped_column(sa.ForeignKey("visit_plan_entry.id"), unique=True)
    household_id: Mapped[int] = mapped_column(sa.ForeignKey("household.id"), index=True)
    officer_id: Mapped[int] = mapped_column(sa.ForeignKey("user.id"))
    visited_at: Mapped[datetime] = mapped_column(UTCDateTime)
    met: Mapped[str] = mapped_column(sa.String(100))
    findings: Mapped[str | None] = mapped_column(sa.Text)
    opinion: Mapped[str | None] = mapped_column(sa.Text)
    intake_id: Mapped[int | None] = mapped_column(sa.ForeignKey("intake.id"))

    plan: Mapped[VisitPlanEntry | None] = relationship(back_populates="record")
    household: Mapped[Household] = relationship()
    officer: Mapped[User] = relationship()
    intake: Mapped[Intake | None] = relationship()


class CaseChangeCounter(db.Model):
    """Per site, a number that moves with every write to a record the supervisor's dashboard
    shows (kiosk.cases.board_live): its fingerprint in one primary-key read, however long the
    history."""

    site_id: Mapped[int] = mapped_column(sa.ForeignKey("site.id"), primary_key=True)
    generation: Mapped[int] = mapped_column(default=0)
