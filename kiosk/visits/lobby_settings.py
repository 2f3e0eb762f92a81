"""Changing the per-site settings of the lobby kiosk and the visitor log (LobbySettings).

They are read with kiosk.visits.lobby.settings_for (the defaults when a site has saved none);
saving creates the row. Changes are audited with the old and new values (none of them
personal data).
"""

from datetime import time

from kiosk import audit
from kiosk.extensions import db
from kiosk.models import User
from kiosk.visits.lobby import settings_for

# The settings a supervisor edits, in the order of the form.
FIELDS = ("ask_id_number", "idle_seconds", "retention_days", "closing_time", "notice_zh", "notice_en")


def _plain(value):
    return value.strftime("%H:%M") if isinstance(value, time) else value


def save(site_id: int, values: dict, actor: User) -> dict:
    """Apply `values` (keys of FIELDS); audit what changed. Returns {field: [old, new]}."""
    settings = settings_for(site_id)
    changed = {}
    for name in FIELDS:
        if name not in values:
            continue
        new = values[name]
        if isinstance(new, str):
            new = new.strip() or None
        old = getattr(settings, name)
        if old != new:
            changed[name] = [_plain(old), _plain(new)]
            setattr(settings, name, new)
    if changed:
        if settings.id is None:
            db.session.add(settings)
            db.session.flush()
        audit.record(actor, "lobby_settings.update", settings, details={"changed": changed})
    return changed
