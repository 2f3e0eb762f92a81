"""Enrolled kiosks and patrol tablets (OFFLINE.md 6)."""

import enum
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from kiosk.extensions import db
from kiosk.models.base import SiteOwned, UTCDateTime, created_at_column


class DeviceKind(enum.StrEnum):
    KIOSK = "kiosk"
    TABLET = "tablet"


class Device(SiteOwned, db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[DeviceKind] = mapped_column(sa.Enum(DeviceKind, native_enum=False, length=20))
    name: Mapped[str] = mapped_column(sa.String(60))
    created_at: Mapped[datetime] = created_at_column()
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id"))
    # One-time enrollment: only the hash of the token is kept.
    enrollment_token_hash: Mapped[str | None] = mapped_column(sa.String(64), unique=True)
    enrollment_expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    enrolled_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Long-lived device credential (cookie); only its hash is kept.
    credential_hash: Mapped[str | None] = mapped_column(sa.String(64), unique=True)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_seen_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    @property
    def is_usable(self) -> bool:
        return self.enrolled_at is not None and self.revoked_at is None
