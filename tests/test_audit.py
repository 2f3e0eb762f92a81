"""The audit trail is append-only, in the database itself (rules S1, S2)."""

import pytest
import sqlalchemy as sa
from sqlalchemy.exc import DatabaseError

from kiosk import audit
from kiosk.extensions import db
from kiosk.models import AuditEvent


def _one_event(world):
    event = audit.record(world.users["supervisor"], "household.view", world.households[0], reason="callback")
    db.session.commit()
    return event


def test_an_event_names_who_what_which_and_why(world):
    event = _one_event(world)
    stored = db.session.get(AuditEvent, event.id)
    assert (stored.action, stored.entity_type, stored.entity_id, stored.reason) == (
        "household.view",
        "Household",
        str(world.households[0].id),
        "callback",
    )
    assert stored.user_id == world.users["supervisor"].id
    assert stored.site_id == world.site.id
    assert stored.at.tzinfo is not None


def test_rule_s2_an_audit_row_cannot_be_changed(world):
    event = _one_event(world)
    with pytest.raises(DatabaseError):
        db.session.execute(sa.update(AuditEvent).where(AuditEvent.id == event.id).values(reason="edited"))
        db.session.flush()
    db.session.rollback()


def test_rule_s2_an_audit_row_cannot_be_deleted(world):
    event = _one_event(world)
    with pytest.raises(DatabaseError):
        db.session.execute(sa.delete(AuditEvent).where(AuditEvent.id == event.id))
        db.session.flush()
    db.session.rollback()
    assert db.session.get(AuditEvent, event.id) is not None
