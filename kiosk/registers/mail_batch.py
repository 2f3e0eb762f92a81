"""Handing out everything waiting for one room at once (V8): the household (or a person it
authorised) comes to the desk, the desk sees what waits for the room and hands out the
chosen items against ONE signature or pickup code. Each item is recorded as collected,
with the same collector, time and signature, through the single collection's steps
(mail.identify, mail.record_collection). All or nothing: a refusal changes no item.
Plain Python, no request.
"""

from datetime import datetime
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.orm import joinedload

from kiosk.extensions import db
from kiosk.models import Room, User
from kiosk.models.registers import CollectionMethod, MailItem, MailStatus
from kiosk.registers import mail
from kiosk.registers.common import Refused

ROOM_MAX = 100  # more than any room's parcels at one desk


def waiting(room: Room, limit: int = ROOM_MAX) -> list[MailItem]:
    """What waits at the desk for this room, oldest first."""
    return list(
        db.session.scalars(
            sa.select(MailItem)
            .where(
                MailItem.site_id == room.site_id,
                MailItem.room_id == room.id,
                MailItem.status == MailStatus.WAITING,
            )
            .options(joinedload(MailItem.household))
            .order_by(MailItem.received_at, MailItem.id)
            .limit(limit)
        )
    )


def hand_out(
    room: Room,
    item_ids: list[int],
    collector: mail.Collector,
    method: CollectionMethod,
    by: User,
    now: datetime,
    *,
    code: str | None = None,
    signature: str | None = None,
    photo_root: Path | None = None,
) -> list[MailItem]:
    """V8: hand out the chosen items of `room` to one collector, confirmed once.

    Refused as a whole (Refused, nothing changed) when no item is chosen, an item is not
    this room's, the collector may not collect one of them, or the code is no slip's of
    the chosen items. "already_collected": every chosen item was handed out before (a
    double submit); "collected_meanwhile": some were (another desk): the caller rolls back.
    """
    if room.site_id != by.site_id:
        raise Refused("room", "room")
    ids = sorted(set(item_ids))
    if not ids:
        raise Refused("no_mail_chosen", "items")
    items = list(
        db.session.scalars(
            sa.select(MailItem)
            .where(MailItem.id.in_(ids), MailItem.site_id == room.site_id, MailItem.room_id == room.id)
            .order_by(MailItem.received_at, MailItem.id)
        )
    )
    if len(items) != len(ids):
        raise Refused("no_mail_chosen", "items")
    still_waiting = [item for item in items if item.status == MailStatus.WAITING]
    if not still_waiting:
        raise Refused("already_collected")
    if len(still_waiting) != len(items):
        raise Refused("collected_meanwhile", "items")
    # The collector must be entitled to every item (one household's authorisation may not
    # cover an item kept for the room's previous household): refused as a whole.
    identified = [mail.identify(item, collector, now) for item in items]
    name, auth = identified[0]
    if method == CollectionMethod.CODE:
        if (code or "").strip() not in {item.pickup_code for item in items}:
            raise Refused("wrong_code", "code")
        confirmation = {}
    else:
        confirmation = mail.store_signature(room.site_id, signature, photo_root)
    values = {**mail.collection_values(name, auth, method, by, now), **confirmation}
    for item, (_name, item_auth) in zip(items, identified, strict=True):
        item_values = {**values, "authorisation_id": item_auth.id if item_auth else None}
        try:
            mail.record_collection(item, item_values, by, details={"batch": len(items)})
        except Refused as refused:
            raise Refused("collected_meanwhile", "items") from refused
    return items
