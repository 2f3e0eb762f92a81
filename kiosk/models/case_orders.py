"""Repair work orders (C10, C11): numbered per site and year without gaps, with the
department's progress and completion photos from its tablet."""

import enum
from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from kiosk.extensions import db
from kiosk.models.base import SiteOwned, UTCDateTime, created_at_column
from kiosk.models.cases import Intake, _enum
from kiosk.models.people import User
from kiosk.models.places import Department, Household, Room


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
    engineer_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id"), index=True)  # of the department
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
    engineer: Mapped[User | None] = relationship(foreign_keys=[engineer_id])
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
        return order_code(self.year, self.number)


def order_code(year: int, number: int) -> str:
    """A work order's number as printed and spoken (C11), e.g. WX-2026-000123."""
    return f"WX-{year}-{number:06d}"


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
