"""The audit trail: append-only (rules S1, S2, A2)."""

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from kiosk.extensions import db
from kiosk.models.base import UTCDateTime


class AuditEvent(db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    site_id: Mapped[int | None] = mapped_column(sa.ForeignKey("site.id"), index=True)
    user_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id"), index=True)
    device_id: Mapped[int | None] = mapped_column(sa.ForeignKey("device.id"))
    action: Mapped[str] = mapped_column(sa.String(60))
    entity_type: Mapped[str | None] = mapped_column(sa.String(40))
    entity_id: Mapped[str | None] = mapped_column(sa.String(40))
    reason: Mapped[str | None] = mapped_column(sa.Text)
    details: Mapped[dict | None] = mapped_column(sa.JSON)

    __table_args__ = (sa.Index("ix_audit_event_entity", "entity_type", "entity_id"),)


# The database itself refuses to change or remove an audit row, whatever code tries.
_SQLITE_GUARDS = [
    sa.DDL(
        "CREATE TRIGGER audit_event_no_update BEFORE UPDATE ON audit_event "
        "BEGIN SELECT RAISE(ABORT, 'audit_event is append-only'); END"
    ),
    sa.DDL(
        "CREATE TRIGGER audit_event_no_delete BEFORE DELETE ON audit_event "
        "BEGIN SELECT RAISE(ABORT, 'audit_event is append-only'); END"
    ),
]
_POSTGRES_GUARDS = [
    sa.DDL(
        "CREATE OR REPLACE FUNCTION audit_event_append_only() RETURNS trigger AS $$ "
        "BEGIN RAISE EXCEPTION 'audit_event is append-only'; END; $$ LANGUAGE plpgsql"
    ),
    sa.DDL(
        "CREATE TRIGGER audit_event_no_change BEFORE UPDATE OR DELETE ON audit_event "
        "FOR EACH ROW EXECUTE FUNCTION audit_event_append_only()"
    ),
]
APPEND_ONLY_DDL = {"sqlite": _SQLITE_GUARDS, "postgresql": _POSTGRES_GUARDS}

for _dialect, _statements in APPEND_ONLY_DDL.items():
    for _ddl in _statements:
        sa.event.listen(AuditEvent.__table__, "after_create", _ddl.execute_if(dialect=_dialect))
