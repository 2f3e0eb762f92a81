"""Sites, buildings, units, rooms, households and departments."""

import enum
from datetime import time

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from kiosk.extensions import db
from kiosk.models.base import SiteOwned


class Site(db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(sa.String(32), unique=True)
    name: Mapped[str] = mapped_column(sa.String(100))
    timezone: Mapped[str] = mapped_column(sa.String(64), default="Asia/Shanghai")
    default_locale: Mapped[str] = mapped_column(sa.String(16), default="zh_Hans_CN")
    # Front-desk day hours; outside them the duty manager has the desk (rule V2).
    desk_opens: Mapped[time] = mapped_column(sa.Time, default=time(8, 0))
    desk_closes: Mapped[time] = mapped_column(sa.Time, default=time(20, 0))

    buildings: Mapped[list["Building"]] = relationship(back_populates="site", order_by="Building.sort_order")


class Building(SiteOwned, db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(50))
    sort_order: Mapped[int] = mapped_column(default=0)

    site: Mapped[Site] = relationship(back_populates="buildings")
    units: Mapped[list["Unit"]] = relationship(back_populates="building", order_by="Unit.name")

    __table_args__ = (sa.UniqueConstraint("site_id", "name"),)


class Unit(SiteOwned, db.Model):
    """单元: an entrance of a building."""

    id: Mapped[int] = mapped_column(primary_key=True)
    building_id: Mapped[int] = mapped_column(sa.ForeignKey("building.id"), index=True)
    name: Mapped[str] = mapped_column(sa.String(20))

    building: Mapped[Building] = relationship(back_populates="units")

    __table_args__ = (sa.UniqueConstraint("building_id", "name"),)


class Occupancy(enum.StrEnum):
    OCCUPIED = "occupied"
    VACANT = "vacant"
    ENTRUSTED = "entrusted"  # vacant, keys entrusted to the service centre (rule P3)


class Room(SiteOwned, db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    building_id: Mapped[int] = mapped_column(sa.ForeignKey("building.id"), index=True)
    unit_id: Mapped[int | None] = mapped_column(sa.ForeignKey("unit.id"), index=True)
    floor: Mapped[int]
    number: Mapped[str] = mapped_column(sa.String(20))
    occupancy: Mapped[Occupancy] = mapped_column(
        sa.Enum(Occupancy, native_enum=False, length=20), default=Occupancy.OCCUPIED
    )

    building: Mapped[Building] = relationship()
    unit: Mapped[Unit | None] = relationship()
    households: Mapped[list["Household"]] = relationship(back_populates="room")

    __table_args__ = (sa.UniqueConstraint("building_id", "unit_id", "number"),)

    @property
    def label(self) -> str:
        """Building-unit-room, e.g. "2-1-1203"; the only way a room is named to outsiders (V3)."""
        parts = [self.building.name]
        if self.unit is not None:
            parts.append(self.unit.name)
        parts.append(self.number)
        return "-".join(parts)


class HouseholdKind(enum.StrEnum):
    OWNER = "owner"
    TENANT = "tenant"


class Household(SiteOwned, db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    room_id: Mapped[int] = mapped_column(sa.ForeignKey("room.id"), index=True)
    kind: Mapped[HouseholdKind] = mapped_column(
        sa.Enum(HouseholdKind, native_enum=False, length=20), default=HouseholdKind.OWNER
    )
    name: Mapped[str] = mapped_column(sa.String(50))
    phone: Mapped[str] = mapped_column(sa.String(32))
    phone2: Mapped[str | None] = mapped_column(sa.String(32))
    active: Mapped[bool] = mapped_column(default=True)

    room: Mapped[Room] = relationship(back_populates="households")


class DepartmentKind(enum.StrEnum):
    CUSTOMER_SERVICE = "customer_service"
    ENGINEERING = "engineering"
    CLEANING = "cleaning"
    SECURITY = "security"
    LANDSCAPING = "landscaping"


class Department(SiteOwned, db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[DepartmentKind] = mapped_column(sa.Enum(DepartmentKind, native_enum=False, length=30))

    __table_args__ = (sa.UniqueConstraint("site_id", "kind"),)
