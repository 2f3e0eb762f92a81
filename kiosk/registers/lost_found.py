"""Lost and found (V5): an item found in the lobby or the grounds is logged with where,
when, by whom, a photo and where it is kept; it leaves the desk claimed (identity checked,
signed for), handed to the police, or disposed of after the site's keeping period, with
who and when. Plain Python, no request.
"""

from datetime import datetime, timedelta
from pathlib import Path

import sqlalchemy as sa

from kiosk import audit, paging, photos, signatures
from kiosk.extensions import db
from kiosk.models import User
from kiosk.models.registers import FoundItem, FoundStatus
from kiosk.names import mask_id_number
from kiosk.registers.common import Refused, move, settings

UNCLAIMED_MAX = 200


def record(
    site_id: int,
    *,
    description: str,
    found_place: str,
    found_at: datetime,
    found_by: str,
    storage_place: str,
    by: User,
    now: datetime,
    photo: bytes | None = None,
    photo_root: Path | None = None,
) -> FoundItem:
    if found_at > now + timedelta(minutes=5):
        raise Refused("found_future", "found_at")
    item = FoundItem(
        site_id=site_id,
        description=description.strip(),
        found_place=found_place.strip(),
        found_at=found_at,
        found_by=found_by.strip(),
        storage_place=storage_place.strip(),
        recorded_at=now,
        recorded_by_id=by.id,
    )
    if photo:
        try:
            stored = photos.store(photo_root, site_id, photo)
        except photos.PhotoRejected as rejected:
            raise Refused("photo:" + rejected.reason, "photo") from rejected
        item.photo_path, item.photo_sha256 = stored.path, stored.sha256
    db.session.add(item)
    db.session.flush()
    audit.record(by, "found.recorded", item)
    return item


def claim(
    item: FoundItem,
    *,
    claimant_name: str,
    id_number: str,
    id_checked: bool,
    signature: str | None,
    by: User,
    now: datetime,
    photo_root: Path,
) -> FoundItem:
    """V5: the owner takes it back: identity document checked (kept masked, S3) and signed."""
    if item.status != FoundStatus.STORED:
        raise Refused("closed")
    if not id_checked:
        raise Refused("id_unchecked", "id_checked")
    if not claimant_name.strip():
        raise Refused("claimant_name", "claimant_name")
    if len((id_number or "").strip()) < 6:
        raise Refused("id_number", "id_number")
    try:
        stored = signatures.store(photo_root, item.site_id, signature)
    except signatures.SignatureRejected as rejected:
        raise Refused("signature:" + rejected.reason, "signature") from rejected
    if not move(
        FoundItem,
        item.id,
        FoundStatus.STORED,
        {
            "status": FoundStatus.CLAIMED,
            "closed_at": now,
            "closed_by_id": by.id,
            "claimant_name": claimant_name.strip(),
            "claimant_id_masked": mask_id_number(id_number),
            "signature_path": stored.path,
            "signature_sha256": stored.sha256,
        },
    ):
        raise Refused("closed")
    audit.record(by, "found.claimed", item)
    return item


def keep_until(item: FoundItem) -> datetime:
    return item.found_at + timedelta(days=settings(item.site_id).found_keep_days)


def close(item: FoundItem, status: FoundStatus, note: str, by: User, now: datetime) -> FoundItem:
    """Handed to the police (any time) or disposed of (only after the keeping period), V5."""
    if status not in (FoundStatus.POLICE, FoundStatus.DISPOSED):
        raise ValueError(status)
    if item.status != FoundStatus.STORED:
        raise Refused("closed")
    if not note.strip():
        raise Refused("note", "note")
    if status == FoundStatus.DISPOSED and now < keep_until(item):
        raise Refused("too_early", "status")
    if not move(
        FoundItem,
        item.id,
        FoundStatus.STORED,
        {"status": status, "closed_at": now, "closed_by_id": by.id, "close_note": note.strip()},
    ):
        raise Refused("closed")
    audit.record(by, f"found.{status.value}", item, reason=note.strip())
    return item


def load(site_id: int, item_id: int) -> FoundItem | None:
    item = db.session.get(FoundItem, item_id)
    return item if item is not None and item.site_id == site_id else None


def unclaimed(site_id: int, limit: int = UNCLAIMED_MAX) -> list[FoundItem]:
    """Items still at the desk, oldest first (by age), V5."""
    return list(
        db.session.scalars(
            sa.select(FoundItem)
            .where(FoundItem.site_id == site_id, FoundItem.status == FoundStatus.STORED)
            .order_by(FoundItem.found_at, FoundItem.id)
            .limit(limit)
        )
    )


def book(site_id: int, *, cursor: str | None = None, size: int = 50) -> paging.Page:
    return paging.keyset(
        sa.select(FoundItem).where(FoundItem.site_id == site_id),
        FoundItem.found_at,
        FoundItem.id,
        cursor=cursor,
        size=size,
    )


def count_unclaimed(site_id: int, user=None) -> int:
    return (
        db.session.scalar(
            sa.select(sa.func.count(FoundItem.id)).where(
                FoundItem.site_id == site_id, FoundItem.status == FoundStatus.STORED
            )
        )
        or 0
    )
