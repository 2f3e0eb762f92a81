"""The service centre's day (C1-C11): the intake log, repair work orders with their
per-site yearly numbering, complaints with deadlines, and the events of both."""

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


class RepairCategory(enum.StrEnum):
    PLUMBING = "plumbing"
    ELECTRICAL = "electrical"
    DOOR_WINDOW = "door_window"
    APPLIANCE = "appliance"
    PUBLIC_AREA = "public_area"
    OTHER = "other"


class OrderStatus(enum.StrEnum):
    LOGGED = "logged"  # written, not yet dispatched
    DISPATCHED = "dispatched"  # engineering notified, being worked
    DONE = "done"  # finished; callback owed within 2 days (C10)
    CLOSED = "closed"  # called back, satisfied
    VOIDED = "voided"  # keeps its number and its reason (C11)


class OrderCounter(db.Model):
    """The last work-order number given per site and year (C11). The row is updated in the
    transaction that creates the order, so numbers are consecutive with no gap."""

    site_id: Mapped[int] = mapped_column(sa.ForeignKey("site.id"), primary_key=True)
    year: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    last_number: Mapped[int] = mapped_column(default=0)


class WorkOrder(SiteOwned, db.Model):
    """服务记录表/维修单 (C10, C11)."""

    id: Mapped[int] = mapped_column(primary_key=True)
    year: Mapped[int]
    number: Mapped[int]
    intake_id: Mapped[int | None] = mapped_column(sa.ForeignKey("intake.id"), index=True)
    household_id: Mapped[int | None] = mapped_column(sa.ForeignKey("household.id"))
    room_id: Mapped[int | None] = mapped_column(sa.ForeignKey("room.id"), index=True)
    contact_name: Mapped[str] = mapped_column(sa.String(50))
    contact_phone: Mapped[str | None] = mapped_column(sa.String(32))
    content: Mapped[str] = mapped_column(sa.Text)
    category: Mapped[RepairCategory] = mapped_column(_enum(RepairCategory))
    appointment_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    price_item_id: Mapped[int | None] = mapped_column(sa.ForeignKey("price_item.id"))
    fee_cents: Mapped[int | None]  # the item's fee when the order was written; None = priced on site
    department_id: Mapped[int | None] = mapped_column(sa.ForeignKey("department.id"), index=True)
    status: Mapped[OrderStatus] = mapped_column(_enum(OrderStatus), default=OrderStatus.LOGGED)
    created_at: Mapped[datetime] = created_at_column()
    created_by_id: Mapped[int] = mapped_column(sa.ForeignKey("user.id"))
    dispatched_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    dispatch_late: Mapped[bool] = mapped_column(default=False)
    completed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    completion_note: Mapped[str | None] = mapped_column(sa.Text)
    callback_due: Mapped[date | None] = mapped_column(sa.Date)
    callback_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    callback_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id"))
    callback_satisfied: Mapped[bool | None]
    callback_fee_confirmed: Mapped[bool | None]
    callback_note: Mapped[str | None] = mapped_column(sa.Text)
    callback_missed: Mapped[bool] = mapped_column(default=False)
    fix_due: Mapped[date | None] = mapped_column(sa.Date)  # after a problem found on callback
    reopened_count: Mapped[int] = mapped_column(default=0)
    repeat_of_id: Mapped[int | None] = mapped_column(sa.ForeignKey("work_order.id"))
    voided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    voided_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id"))
    void_reason: Mapped[str | None] = mapped_column(sa.Text)
    # completed on the department's tablet (kiosk/cases/order_work.py): who, the customer's
    # drawn signature (kept with its sha256), the fee confirmed when it was priced on site
    completed_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id"))
    customer_signature_path: Mapped[str | None] = mapped_column(sa.String(200))
    customer_signature_sha256: Mapped[str | None] = mapped_column(sa.String(64))
    site_fee_cents: Mapped[int | None]  # priced on site: the fee the customer confirmed
    version: Mapped[int] = mapped_column(default=1)

    household: Mapped[Household | None] = relationship()
    room: Mapped[Room | None] = relationship()
    department: Mapped[Department | None] = relationship()
    created_by: Mapped[User] = relationship(foreign_keys=[created_by_id])
    completed_by: Mapped[User | None] = relationship(foreign_keys=[completed_by_id])
    repeat_of: Mapped["WorkOrder | None"] = relationship(remote_side=[id])
    price_item: Mapped["PriceItem | None"] = relationship("PriceItem")  # noqa: F821  (models/case_services.py)
    intake: Mapped[Intake | None] = relationship()

    __table_args__ = (
        sa.UniqueConstraint("site_id", "year", "number"),
        sa.Index("ix_work_order_site_created", "site_id", "created_at", "id"),
        # The dashboard's counts and lists of open orders, callbacks due and completions.
        sa.Index("ix_work_order_site_status_created", "site_id", "status", "created_at"),
        sa.Index("ix_work_order_site_status_callback", "site_id", "status", "callback_due"),
        sa.Index("ix_work_order_site_completed", "site_id", "completed_at"),
    )
    __mapper_args__ = {"version_id_col": version}

    @property
    def code(self) -> str:
        return f"WX-{self.year}-{self.number:06d}"


class ProgressKind(enum.StrEnum):
    """What a department worker notes on an order while working it (on the tablet)."""

    ARRIVED = "arrived"
    PARTS_NEEDED = "parts_needed"
    CUSTOMER_ABSENT = "customer_absent"
    NOTE = "note"


class OrderProgress(SiteOwned, db.Model):
    """One progress entry on a work order, written on the department's tablet (C10)."""

    id: Mapped[int] = mapped_column(primary_key=True)
    work_order_id: Mapped[int] = mapped_column(sa.ForeignKey("work_order.id"))
    kind: Mapped[ProgressKind] = mapped_column(_enum(ProgressKind))
    note: Mapped[str | None] = mapped_column(sa.Text)
    at: Mapped[datetime] = mapped_column(UTCDateTime)  # device time of the action
    received_at: Mapped[datetime] = mapped_column(UTCDateTime)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("user.id"))
    device_id: Mapped[int | None] = mapped_column(sa.ForeignKey("device.id"))

    user: Mapped[User] = relationship()

    __table_args__ = (sa.Index("ix_order_progress_order_at", "work_order_id", "at", "id"),)


class OrderPhoto(SiteOwned, db.Model):
    """A completion photo of a work order (at most 3): a JPEG stored by kiosk/photos.py."""

    id: Mapped[int] = mapped_column(primary_key=True)
    work_order_id: Mapped[int] = mapped_column(sa.ForeignKey("work_order.id"), index=True)
    path: Mapped[str] = mapped_column(sa.String(200), unique=True)
    width: Mapped[int]
    height: Mapped[int]
    size: Mapped[int]
    sha256: Mapped[str] = mapped_column(sa.String(64))
    taken_at: Mapped[datetime] = mapped_column(UTCDateTime)  # device time
    received_at: Mapped[datetime] = mapped_column(UTCDateTime)
    uploaded_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id"))
    device_id: Mapped[int | None] = mapped_column(sa.ForeignKey("device.id"))


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


class Satisfaction(enum.StrEnum):
    SATISFIED = "satisfied"
    BASICALLY = "basically"
    UNSATISFIED = "unsatisfied"


class Confirmation(enum.StrEnum):
    SIGNATURE = "signature"
    PHONE = "phone"


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
    complaint: Mapped["Complaint | None"] = relationship()
    work_order: Mapped["WorkOrder | None"] = relationship()


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
    complaint: Mapped[Complaint | None] = relationship()
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
