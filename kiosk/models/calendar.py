"""The published holiday schedule (放假调休安排) as the service centre keeps it.

One table for the whole installation, not per site or company: the schedule is the State
Council's and is the same for every site in mainland China. A row is a statutory holiday
or a make-up workday (调休上班) on one date; it overrides the `chinese-calendar` library.
A year counts as *covered* by the table only once its whole schedule was imported
(CalendarYear): a few hand-entered dates never silence the "next year unknown" warning.
"""

import enum
from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from kiosk.extensions import db
from kiosk.models.base import UTCDateTime, created_at_column


class DayKind(enum.StrEnum):
    HOLIDAY = "holiday"  # a statutory holiday (or a weekend day inside one): no work
    WORKDAY = "workday"  # a make-up workday (调休上班), usually a Saturday or Sunday


class CalendarDay(db.Model):
    __tablename__ = "calendar_day"

    id: Mapped[int] = mapped_column(primary_key=True)
    day: Mapped[date] = mapped_column(sa.Date, unique=True)
    kind: Mapped[DayKind] = mapped_column(sa.Enum(DayKind, native_enum=False, length=10))
    name: Mapped[str] = mapped_column(sa.String(60))
    created_at: Mapped[datetime] = created_at_column()
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id"))


class CalendarYear(db.Model):
    """A year whose whole schedule is in the table (set by an import of that year)."""

    __tablename__ = "calendar_year"

    year: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    imported_at: Mapped[datetime] = mapped_column(UTCDateTime)
    imported_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id"))
    days: Mapped[int] = mapped_column(default=0)
