"""Recording who did what to which record (rules S1, S2, A2). Plain Python, no request."""

from kiosk.extensions import db
from kiosk.models import AuditEvent, Device, User
from kiosk.timeutil import utcnow


def record(
    actor: User | Device | None,
    action: str,
    entity=None,
    *,
    reason: str | None = None,
    details: dict | None = None,
    site_id: int | None = None,
) -> AuditEvent:
    """Add an audit event to the session; it commits with the change it describes.

    `entity` is a model instance (its class name and id are kept) or None. Details must
    not hold personal data that a purge would have to remove: they outlive the record.
    """
    event = AuditEvent(
        at=utcnow(),
        action=action,
        reason=reason,
        details=details,
        site_id=site_id if site_id is not None else getattr(actor, "site_id", None),
        user_id=actor.id if isinstance(actor, User) else None,
        device_id=actor.id if isinstance(actor, Device) else None,
    )
    if entity is not None:
        event.entity_type = type(entity).__name__
        event.entity_id = str(entity.id)
        if event.site_id is None:
            event.site_id = getattr(entity, "site_id", None)
    db.session.add(event)
    return event
