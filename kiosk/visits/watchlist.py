"""The watch list: people the supervisors want held for a staff decision when they
register. The visitor is never told (the kiosk shows the ordinary waiting screen).

Matching: exact on the phone (E.164) and on a keyed hash of the normalised ID number
(the number itself is never stored); on names after normalise_name (full/half width,
case, spaces). A name match is a weak signal: two people can share a name (张伟 is one
of the most common names in China), so a name-only match may hold an innocent visitor.
It only holds the visit for a person to decide; it never refuses anyone by itself.
"""

import hashlib
import hmac

import sqlalchemy as sa
from flask import current_app

from kiosk import audit
from kiosk.extensions import db
from kiosk.models import User, WatchEntry
from kiosk.names import mask_id_number, normalise_name
from kiosk.visits.rules import normalise_id_number


def _key() -> bytes:
    """WATCHLIST_KEY (set it and never change it), else the app's SECRET_KEY."""
    key = current_app.config.get("WATCHLIST_KEY") or current_app.config["SECRET_KEY"]
    return key.encode() if isinstance(key, str) else key


def id_number_hash(number: str | None) -> str | None:
    number = normalise_id_number(number)
    if not number:
        return None
    return hmac.new(_key(), number.encode(), hashlib.sha256).hexdigest()


def names_of(entry: WatchEntry) -> set[str]:
    """The entry's name and aliases (comma, 、, ; or newline separated), normalised."""
    raw = [entry.name or ""]
    aliases = entry.aliases or ""
    for sep in ("\n", "、", "，", ";", "；"):
        aliases = aliases.replace(sep, ",")
    raw.extend(aliases.split(","))
    return {normalise_name(name) for name in raw if normalise_name(name)}


def match(site_id: int, *, phone: str | None, id_number: str | None, name: str | None) -> WatchEntry | None:
    """The first active entry of the site that matches the visitor, or None: by phone or
    ID number first, then by name. One query: the list is short (dozens), and names cannot
    be compared in SQL after normalisation."""
    digest = id_number_hash(id_number)
    wanted = normalise_name(name)
    if not (phone or digest or wanted):
        return None
    entries = db.session.scalars(
        sa.select(WatchEntry).where(WatchEntry.site_id == site_id, WatchEntry.active.is_(True)).order_by(WatchEntry.id)
    ).all()
    for entry in entries:
        if (phone and entry.phone == phone) or (digest and entry.id_number_hash == digest):
            return entry
    if wanted:
        for entry in entries:
            if wanted in names_of(entry):
                return entry
    return None


def add(
    site_id: int,
    *,
    actor: User,
    reason: str,
    name: str | None = None,
    aliases: str | None = None,
    phone: str | None = None,
    id_number: str | None = None,
) -> WatchEntry:
    """A new entry (phone already E.164, ID number already validated). Audited."""
    entry = WatchEntry(
        site_id=site_id,
        name=(name or "").strip() or None,
        aliases=(aliases or "").strip() or None,
        phone=phone or None,
        id_number_hash=id_number_hash(id_number),
        id_number_masked=mask_id_number(normalise_id_number(id_number)) or None,
        reason=reason.strip(),
        created_by_id=actor.id,
    )
    db.session.add(entry)
    db.session.flush()
    audit.record(actor, "watch.added", entry, reason=entry.reason)
    return entry


def update(
    entry: WatchEntry, *, actor: User, reason: str, name: str | None, aliases: str | None, phone: str | None
) -> None:
    """Change an entry's name, aliases, phone and reason (the ID number stays or goes with
    the entry: only its hash is kept). Audited with the fields changed."""
    changed = []
    for field, value in (
        ("name", (name or "").strip() or None),
        ("aliases", (aliases or "").strip() or None),
        ("phone", phone or None),
        ("reason", reason.strip()),
    ):
        if getattr(entry, field) != value:
            setattr(entry, field, value)
            changed.append(field)
    audit.record(actor, "watch.changed", entry, reason=entry.reason, details={"fields": changed})


def deactivate(entry: WatchEntry, *, actor: User, reason: str) -> None:
    entry.active = False
    audit.record(actor, "watch.removed", entry, reason=reason)
