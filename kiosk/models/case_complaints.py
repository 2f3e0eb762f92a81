"""Complaint cases (C2-C5): validity, grade and category, the C3 deadlines and what became
of each, the callback that locks the record."""

import enum
from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from kiosk.extensions import db
from kiosk.models.base import SiteOwned, UTCDateTime
from kiosk.models.cases import Confirmation, Intake, Satisfaction, _enum
from kiosk.models.people import User
from kiosk.models.places import Department, Household, Room


class Grade(enum.StrEnum):
    MAJOR = "major"  # 重大
    GENERAL = "general"  # 一般


class ComplaintCategory(enum.StrEnum):
    """What a complaint is about (C5: counted by category each quarter); chosen on grading."""

    SERVICE_ATTITUDE = "service_attitude"  # 服务态度
    REPAIR_QUALITY = "repair_quality"  # 维修质量
    CLEANING = "cleaning"  # 环境卫生
    SECURITY = "security"  # 安全秩序
    FACILITIES = "facilities"  # 设施设备
    CHARGES = "charges"  # 收费
    NEIGHBOURS = "neighbours"  # 邻里纠纷
    OTHER = "other"  # 其他


class ComplaintStatus(enum.StrEnum):
    RECEIVED = "received"  # logged; validity not yet checked
    TO_GRADE = "to_grade"  # valid: with the supervisors at once (C2)
    OUT_OF_SCOPE = "out_of_scope"  # closed with the explanation given (C2)
    HANDLING = "handling"  # graded, with the department
    RECTIFIED = "rectified"  # department done; callback owed (C3, C4)
    CONFIRMED = "confirmed"  # called back and confirmed: locked (S2)


class Complaint(SiteOwned, db.Model):
    """A complaint case (C2-C4) with its deadlines and what became of each."""

    id: Mapped[int] = mapped_column(primary_key=True)
    intake_id: Mapped[int | None] = mapped_column(sa.ForeignKey("intake.id"), index=True)
    household_id: Mapped[int | None] = mapped_column(sa.ForeignKey("household.id"))
    room_id: Mapped[int | None] = mapped_column(sa.ForeignKey("room.id"))
    caller_name: Mapped[str] = mapped_column(sa.String(50))
    caller_phone: Mapped[str | None] = mapped_column(sa.String(32))
    content: Mapped[str] = mapped_column(sa.Text)
    received_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    owner_id: Mapped[int] = mapped_column(sa.ForeignKey("user.id"), index=True)  # 首问责任 (C2)
    status: Mapped[ComplaintStatus] = mapped_column(_enum(ComplaintStatus), default=ComplaintStatus.RECEIVED)
    explanation: Mapped[str | None] = mapped_column(sa.Text)  # out of scope: what the customer was told
    grade: Mapped[Grade | None] = mapped_column(_enum(Grade))
    category: Mapped[ComplaintCategory | None] = mapped_column(_enum(ComplaintCategory))  # None: not categorised
    grade_reason: Mapped[str | None] = mapped_column(sa.Text)
    graded_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    graded_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id"))
    department_id: Mapped[int | None] = mapped_column(sa.ForeignKey("department.id"), index=True)
    # deadlines (C3) and when each was met
    notify_due_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    notified_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    answer_due: Mapped[date] = mapped_column(sa.Date)
    answer_cap: Mapped[date] = mapped_column(sa.Date)  # never later than 7 working days
    answered_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    first_answer: Mapped[str | None] = mapped_column(sa.Text)
    rectify_due: Mapped[date | None] = mapped_column(sa.Date)
    rectified_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    handling_note: Mapped[str | None] = mapped_column(sa.Text)
    callback_due: Mapped[date | None] = mapped_column(sa.Date)
    # missed stays missed (C3): set once, never cleared
    notify_missed: Mapped[bool] = mapped_column(default=False)
    answer_missed: Mapped[bool] = mapped_column(default=False)
    rectify_missed: Mapped[bool] = mapped_column(default=False)
    callback_missed: Mapped[bool] = mapped_column(default=False)
    paused_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    pause_reason: Mapped[str | None] = mapped_column(sa.Text)
    reopened_count: Mapped[int] = mapped_column(default=0)
    # callback (C4)
    callback_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    callback_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id"))
    satisfaction: Mapped[Satisfaction | None] = mapped_column(_enum(Satisfaction))
    callback_note: Mapped[str | None] = mapped_column(sa.Text)
    confirmation: Mapped[Confirmation | None] = mapped_column(_enum(Confirmation))
    confirmed_by_name: Mapped[str | None] = mapped_column(sa.String(50))
    signature_path: Mapped[str | None] = mapped_column(sa.String(200))
    signature_sha256: Mapped[str | None] = mapped_column(sa.String(64))
    # the department signs for the complaint form on receipt (C5); that meets the 4-hour notice
    form_received_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    form_received_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id"))
    form_signature_path: Mapped[str | None] = mapped_column(sa.String(200))
    form_signature_sha256: Mapped[str | None] = mapped_column(sa.String(64))
    locked: Mapped[bool] = mapped_column(default=False)  # S2
    version: Mapped[int] = mapped_column(default=1)

    household: Mapped[Household | None] = relationship()
    room: Mapped[Room | None] = relationship()
    owner: Mapped[User] = relationship(foreign_keys=[owner_id])
    form_received_by: Mapped[User | None] = relationship(foreign_keys=[form_received_by_id])
    intake: Mapped[Intake | None] = relationship()
    department: Mapped[Department | None] = relationship()

    __table_args__ = (
        sa.Index("ix_complaint_site_received", "site_id", "received_at", "id"),
        sa.Index("ix_complaint_site_status_received", "site_id", "status", "received_at"),
    )
    __mapper_args__ = {"version_id_col": version}

    @property
    def code(self) -> str:
        return f"TS-{self.id:06d}"
