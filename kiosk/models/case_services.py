"""The case kinds beside complaints and repairs (C6, C7) and the paid-repair price list (C10):
survey opinions and paid special services follow the same case-and-callback mechanism."""

import enum
from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from kiosk.extensions import db
from kiosk.models.base import SiteOwned, UTCDateTime, created_at_column
from kiosk.models.case_orders import RepairCategory
from kiosk.models.cases import Satisfaction, _enum
from kiosk.models.people import User
from kiosk.models.places import Department, Household, Room


class PriceItem(SiteOwned, db.Model):
    """One line of the site's paid-repair price list (有偿维修收费标准, C10), kept by managers.
    An item is retired, never deleted: orders keep pointing at it with the fee they were given."""

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(100))
    category: Mapped[RepairCategory] = mapped_column(_enum(RepairCategory))
    fee_cents: Mapped[int]
    unit: Mapped[str | None] = mapped_column(sa.String(20))  # 每次, 每米, 每个 ...
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = created_at_column()
    version: Mapped[int] = mapped_column(default=1)

    __table_args__ = (sa.UniqueConstraint("site_id", "name"),)
    __mapper_args__ = {"version_id_col": version}


class ServiceStatus(enum.StrEnum):
    BOOKED = "booked"  # agreed, not yet done
    DONE = "done"  # service done; payment notice owed (C7)
    NOTIFIED = "notified"  # payment notice given; phone callback owed (C7)
    CLOSED = "closed"  # called back, satisfied


class SpecialService(SiteOwned, db.Model):
    """特约服务 (C7): a paid special service; after it, a payment notice and a phone callback."""

    id: Mapped[int] = mapped_column(primary_key=True)
    household_id: Mapped[int | None] = mapped_column(sa.ForeignKey("household.id"))
    room_id: Mapped[int | None] = mapped_column(sa.ForeignKey("room.id"))
    contact_name: Mapped[str] = mapped_column(sa.String(50))
    contact_phone: Mapped[str | None] = mapped_column(sa.String(32))
    content: Mapped[str] = mapped_column(sa.Text)
    fee_cents: Mapped[int]
    appointment_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    department_id: Mapped[int | None] = mapped_column(sa.ForeignKey("department.id"), index=True)
    status: Mapped[ServiceStatus] = mapped_column(_enum(ServiceStatus), default=ServiceStatus.BOOKED)
    booked_at: Mapped[datetime] = mapped_column(UTCDateTime)
    booked_by_id: Mapped[int] = mapped_column(sa.ForeignKey("user.id"))
    done_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    done_note: Mapped[str | None] = mapped_column(sa.Text)
    notice_due: Mapped[date | None] = mapped_column(sa.Date)
    notice_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    notice_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id"))
    notice_missed: Mapped[bool] = mapped_column(default=False)
    callback_due: Mapped[date | None] = mapped_column(sa.Date)
    callback_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    callback_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id"))
    satisfaction: Mapped[Satisfaction | None] = mapped_column(_enum(Satisfaction))
    confirmed_by_name: Mapped[str | None] = mapped_column(sa.String(50))
    callback_note: Mapped[str | None] = mapped_column(sa.Text)
    callback_missed: Mapped[bool] = mapped_column(default=False)
    reopened_count: Mapped[int] = mapped_column(default=0)
    version: Mapped[int] = mapped_column(default=1)

    household: Mapped[Household | None] = relationship()
    room: Mapped[Room | None] = relationship()
    department: Mapped[Department | None] = relationship()
    booked_by: Mapped[User] = relationship(foreign_keys=[booked_by_id])

    __table_args__ = (
        sa.Index("ix_special_service_site_booked", "site_id", "booked_at", "id"),
        sa.Index("ix_special_service_callback", "site_id", "status", "callback_due"),
    )
    __mapper_args__ = {"version_id_col": version}

    @property
    def code(self) -> str:
        return f"TY-{self.id:06d}"


class OpinionStatus(enum.StrEnum):
    RECEIVED = "received"  # from the survey; to go to the department within 2 days (C6)
    SENT = "sent"  # with the department; written measures owed within 3 days
    ANSWERED = "answered"  # measures in writing; callback owed within 2 weeks
    CLOSED = "closed"  # called back, satisfied


class SurveyOpinion(SiteOwned, db.Model):
    """An opinion from a satisfaction survey (满意度调查意见, C6) and what became of it."""

    id: Mapped[int] = mapped_column(primary_key=True)
    survey: Mapped[str] = mapped_column(sa.String(100))  # which survey, e.g. 2026年第四季度满意度调查
    household_id: Mapped[int | None] = mapped_column(sa.ForeignKey("household.id"))
    room_id: Mapped[int | None] = mapped_column(sa.ForeignKey("room.id"))
    contact_name: Mapped[str] = mapped_column(sa.String(50))
    contact_phone: Mapped[str | None] = mapped_column(sa.String(32))
    content: Mapped[str] = mapped_column(sa.Text)
    status: Mapped[OpinionStatus] = mapped_column(_enum(OpinionStatus), default=OpinionStatus.RECEIVED)
    received_at: Mapped[datetime] = mapped_column(UTCDateTime)
    received_by_id: Mapped[int] = mapped_column(sa.ForeignKey("user.id"))
    department_id: Mapped[int | None] = mapped_column(sa.ForeignKey("department.id"), index=True)
    send_due: Mapped[date] = mapped_column(sa.Date)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    send_missed: Mapped[bool] = mapped_column(default=False)
    measures_due: Mapped[date | None] = mapped_column(sa.Date)
    measures: Mapped[str | None] = mapped_column(sa.Text)
    measures_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    measures_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id"))
    measures_missed: Mapped[bool] = mapped_column(default=False)
    callback_due: Mapped[date | None] = mapped_column(sa.Date)
    callback_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    callback_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id"))
    satisfaction: Mapped[Satisfaction | None] = mapped_column(_enum(Satisfaction))
    confirmed_by_name: Mapped[str | None] = mapped_column(sa.String(50))
    callback_note: Mapped[str | None] = mapped_column(sa.Text)
    callback_missed: Mapped[bool] = mapped_column(default=False)
    reopened_count: Mapped[int] = mapped_column(default=0)
    version: Mapped[int] = mapped_column(default=1)

    household: Mapped[Household | None] = relationship()
    room: Mapped[Room | None] = relationship()
    department: Mapped[Department | None] = relationship()
    received_by: Mapped[User] = relationship(foreign_keys=[received_by_id])

    __table_args__ = (
        sa.Index("ix_survey_opinion_site_received", "site_id", "received_at", "id"),
        sa.Index("ix_survey_opinion_callback", "site_id", "status", "callback_due"),
    )
    __mapper_args__ = {"version_id_col": version}

    @property
    def code(self) -> str:
        return f"DC-{self.id:06d}"
