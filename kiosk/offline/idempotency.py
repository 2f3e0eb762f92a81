"""Exactly-once acceptance of submissions by a key made in the browser (OFFLINE.md 4)."""

import hashlib
import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError

from kiosk.extensions import commit_keeping_loaded, db
from kiosk.models import IdempotencyKey
from kiosk.timeutil import utcnow

KEY_PATTERN = re.compile(r"^[A-Za-z0-9-]{16,64}$")


class KeyReused(Exception):
    """The same key arrived with a different payload."""


class BadKey(Exception):
    """The key is missing or not of the form a browser makes."""


@dataclass(frozen=True)
class Accepted:
    entity_type: str
    entity_id: str
    replay: bool  # True: this key was accepted before; nothing new was stored
    entity: object | None = field(default=None, compare=False)  # the record just created (not on a replay)


def payload_hash(payload: dict) -> str:
    canonical = json.dumps(payload, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()


def _existing(key: str, digest: str) -> Accepted | None:
    row = db.session.scalar(sa.select(IdempotencyKey).where(IdempotencyKey.key == key))
    if row is None:
        return None
    if row.payload_hash != digest:
        raise KeyReused(key)
    return Accepted(row.entity_type, row.entity_id, replay=True)


def accept_once(
    scope: str,
    key: str | None,
    payload: dict,
    create: Callable[[], object],
    *,
    site_id: int | None = None,
    device_id: int | None = None,
    user_id: int | None = None,
    looked_up: bool = False,
) -> Accepted:
    """Run `create` once per key; a repeat with the same payload returns the first result.

    `create` adds its rows to the session and returns the created entity (with an id
    after flush). Everything commits together, so a key is never stored without its
    record. A concurrent duplicate loses on the unique index and gets the winner's result.
    `looked_up`: the caller has just looked the key up and found nothing, so it is not
    looked up again (the unique index still settles a race). The created entity stays
    loaded after the commit (`Accepted.entity`), ready to be shown.
    """
    if not key or not KEY_PATTERN.match(key):
        raise BadKey(key)
    digest = payload_hash(payload)
    if not looked_up:
        found = _existing(key, digest)
        if found:
            return found
    entity = create()
    db.session.flush()
    db.session.add(
        IdempotencyKey(
            key=key,
            scope=scope,
            payload_hash=digest,
            site_id=site_id,
            device_id=device_id,
            user_id=user_id,
            entity_type=type(entity).__name__,
            entity_id=str(entity.id),
            received_at=utcnow(),
        )
    )
    try:
        commit_keeping_loaded()
    except IntegrityError:
        db.session.rollback()
        found = _existing(key, digest)
        if found is None:
            raise
        return found
    return Accepted(type(entity).__name__, str(entity.id), replay=False, entity=entity)
