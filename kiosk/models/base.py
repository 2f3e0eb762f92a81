"""Column types shared by every model."""

from datetime import UTC, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, declared_attr, mapped_column, relationship

from kiosk.timeutil import utcnow


class UTCDateTime(sa.types.TypeDecorator):
    """An aware UTC datetime on every backend (SQLite keeps no zone)."""

    impl = sa.DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given; use kiosk.timeutil.utcnow()")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


def created_at_column() -> Mapped[datetime]:
    return mapped_column(UTCDateTime, default=utcnow, nullable=False)


class SiteOwned:
    """Mixin for rows that belong to one site; every query of them is scoped by site_id."""

    site_id: Mapped[int] = mapped_column(sa.ForeignKey("site.id"), index=True, nullable=False)

    @declared_attr
    def site(cls) -> Mapped["Site"]:  # noqa: F821
        return relationship("Site")
