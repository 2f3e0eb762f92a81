"""Accepted submissions by their browser-made key (OFFLINE.md 4)."""

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from kiosk.extensions import db
from kiosk.models.base import UTCDateTime


class IdempotencyKey(db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(sa.String(64), unique=True)
    scope: Mapped[str] = mapped_column(sa.String(40))
    payload_hash: Mapped[str] = mapped_column(sa.String(64))
    site_id: Mapped[int | None] = mapped_column(sa.ForeignKey("site.id"))
    device_id: Mapped[int | None] = mapped_column(sa.ForeignKey("device.id"))
    user_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id"))
    # The original outcome, replayed for a duplicate.
    entity_type: Mapped[str | None] = mapped_column(sa.String(40))
    entity_id: Mapped[str | None] = mapped_column(sa.String(40))
    received_at: Mapped[datetime] = mapped_column(UTCDateTime)

    # The kiosk's rate limit counts a device's submissions of the last minute (kiosk.visits.lobby):
    # a range of this index, not every key the device ever sent.
    __table_args__ = (sa.Index("ix_idempotency_key_device_received", "device_id", "received_at"),)
