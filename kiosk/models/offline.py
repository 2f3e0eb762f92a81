"""What kiosks and tablets report about their outbox (OFFLINE.md 3, 5, 7).

A device sends a heartbeat every minute or so; the server keeps the latest report per
device (DeviceStatus) and every dead-lettered submission the device has listed
(DeadLetter), so staff see which devices are offline and what they still hold.
"""

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from kiosk.extensions import db
from kiosk.models.base import SiteOwned, UTCDateTime


class DeviceStatus(db.Model):
    """The latest heartbeat of one device."""

    device_id: Mapped[int] = mapped_column(sa.ForeignKey("device.id"), primary_key=True)
    reported_at: Mapped[datetime] = mapped_column(UTCDateTime)  # server time of the report
    device_clock_at: Mapped[datetime | None] = mapped_column(UTCDateTime)  # the device's clock then
    clock_skew_seconds: Mapped[int] = mapped_column(default=0)  # device minus server
    pending: Mapped[int] = mapped_column(default=0)  # submissions waiting in the outbox
    dead: Mapped[int] = mapped_column(default=0)  # refused submissions kept on the device
    oldest_pending_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    asset_version: Mapped[str | None] = mapped_column(sa.String(20))
    storage_persisted: Mapped[bool | None]


class DeadLetter(SiteOwned, db.Model):
    """A submission the server refused on replay (a 4xx other than 409/429), as the
    device reported it. Only where it went and why: never the submitted data."""

    id: Mapped[int] = mapped_column(primary_key=True)
    device_id: Mapped[int] = mapped_column(sa.ForeignKey("device.id"), index=True)
    entry_id: Mapped[str] = mapped_column(sa.String(64))  # the submission key, or the device's entry id
    method: Mapped[str] = mapped_column(sa.String(8))
    path: Mapped[str] = mapped_column(sa.String(200))
    status: Mapped[int]
    queued_at: Mapped[datetime | None] = mapped_column(UTCDateTime)  # device clock
    failed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)  # device clock
    first_reported_at: Mapped[datetime] = mapped_column(UTCDateTime)
    last_reported_at: Mapped[datetime] = mapped_column(UTCDateTime)
    # Set when the device no longer lists it (staff exported and removed it there).
    cleared_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    __table_args__ = (sa.UniqueConstraint("device_id", "entry_id"),)
