"""Mail and parcels (V8): the desk signs for what a courier hands over, keeps it, and
hands it out against the household's signature or pickup code. Plain Python, no request.

Nobody but the recipient household or its authorised person sees what arrived for it:
staff lists show the room and a masked name, the kiosk shows nothing, and someone who is
not the household needs the household's authorisation on file to collect.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.orm import joinedload

from kiosk import audit, paging, signatures
from kiosk.extensions import db
from kiosk.models import Household, Room, User
from kiosk.models.registers import CollectionMethod, MailAuthorisation, MailItem, MailKind, MailStatus
from kiosk.registers.common import Refused, move, settings

PICKUP_DIGITS = "0123456789"
OVERDUE_LIST_MAX = 200


def household_of(room: Room) -> Household | None:
    """The room's current household (the first active one)."""
    return db.session.scalar(
        sa.select(Household).where(Household.room_id == room.id, Household.active).order_by(Household.id).limit(1)
    )


def _pickup_code(site_id: int) -> str:
    from kiosk.registers.common import random_code

    for _ in range(20):
        code = random_code(6, PICKUP_DIGITS)
        taken = db.session.scalar(
            sa.select(MailItem.id)
            .where(MailItem.site_id == site_id, MailItem.status == MailStatus.WAITING, MailItem.pickup_code == code)
            .limit(1)
        )
        if taken is None:
            return code
    raise RuntimeError("no free pickup code")  # pragma: no cover - a million codes


def receive(
    room: Room, kind: MailKind, count: int, courier: str, by: User, now: datetime, tracking_no: str | None = None
) -> MailItem:
    """V8: the courier hands over, the desk signs on the household's behalf and keeps it."""
    if room.site_id != by.site_id:
        raise Refused("room", "room")
    if count < 1 or count > 99:
        raise Refused("count", "count")
    household = household_of(room)
    item = MailItem(
        site_id=room.site_id,
        room_id=room.id,
        household_id=household.id if household else None,
        kind=kind,
        count=count,
        courier=courier.strip(),
        tracking_no=(tracking_no or "").strip() or None,
        pickup_code=_pickup_code(room.site_id),
        received_at=now,
        received_by_id=by.id,
    )
    db.session.add(item)
    db.session.flush()
    audit.record(by, "mail.received", item, details={"kind": kind.value, "count": count})
    return item


def mark_notified(item: MailItem, now: datetime) -> None:
    item.notified_at = now


@dataclass(frozen=True)
class Collector:
    """Who stands at the desk: the household itself ("household", with the name they give)
    or a person on the household's authorisations ("authorised"); anyone else ("other")."""

    kind: str
    name: str = ""
    authorisation_id: int | None = None


def valid_authorisation(item: MailItem, authorisation_id: int | None, now: datetime) -> MailAuthorisation | None:
    if authorisation_id is None or item.household_id is None:
        return None
    auth = db.session.get(MailAuthorisation, authorisation_id)
    if (
        auth is None
        or auth.site_id != item.site_id
        or auth.household_id != item.household_id
        or auth.revoked_at is not None
        or (auth.valid_until is not None and auth.valid_until < now)
    ):
        return None
    return auth


def identify(item: MailItem, collector: Collector, now: datetime) -> tuple[str, MailAuthorisation | None]:
    """V8: who collects `item`: the household (with the name given) or a person on the
    household's valid authorisations; anyone else is refused."""
    if collector.kind == "authorised":
        auth = valid_authorisation(item, collector.authorisation_id, now)
        if auth is None:
            raise Refused("not_authorised", "authorisation")
        return auth.person_name, auth
    if collector.kind == "household":
        name = collector.name.strip()
        if not name:
            raise Refused("collector_name", "collector_name")
        return name, None
    raise Refused("not_authorised", "collector")


def store_signature(site_id: int, signature: str | None, photo_root: Path | None) -> dict:
    """The drawn signature kept once: the values a collection records about it."""
    try:
        stored = signatures.store(photo_root, site_id, signature)
    except signatures.SignatureRejected as rejected:
        raise Refused("signature:" + rejected.reason, "signature") from rejected
    return {"signature_path": stored.path, "signature_sha256": stored.sha256}


def collection_values(
    name: str, auth: MailAuthorisation | None, method: CollectionMethod, by: User, now: datetime
) -> dict:
    return {
        "status": MailStatus.COLLECTED,
        "collected_at": now,
        "collected_by_id": by.id,
        "collector_name": name,
        "authorisation_id": auth.id if auth else None,
        "method": method,
    }


def record_collection(item: MailItem, values: dict, by: User, details: dict | None = None) -> None:
    """Move one waiting item to collected in one conditional UPDATE (never twice) and audit it."""
    if not move(MailItem, item.id, MailStatus.WAITING, values):
        raise Refused("already_collected")
    audit.record(
        by,
        "mail.collected",
        item,
        details={
            "method": values["method"].value,
            "authorised": values["authorisation_id"] is not None,
            **(details or {}),
        },
    )


def collect(
    item: MailItem,
    collector: Collector,
    method: CollectionMethod,
    by: User,
    now: datetime,
    *,
    code: str | None = None,
    signature: str | None = None,
    photo_root: Path | None = None,
) -> MailItem:
    """V8: hand the item out. The household signs (or gives its pickup code); someone else
    must be on the household's authorisations. Signed once, never changed (S2)."""
    if item.status != MailStatus.WAITING:
        raise Refused("already_collected")
    name, auth = identify(item, collector, now)
    values = collection_values(name, auth, method, by, now)
    if method == CollectionMethod.CODE:
        if (code or "").strip() != item.pickup_code:
            raise Refused("wrong_code", "code")
    else:
        values.update(store_signature(item.site_id, signature, photo_root))
    record_collection(item, values, by)
    return item


def authorise(
    household: Household, person_name: str, phone: str | None, valid_until: datetime | None, by: User
) -> MailAuthorisation:
    """The household's written authorisation for someone else to collect (V8)."""
    if household.site_id != by.site_id:
        raise Refused("room", "room")
    auth = MailAuthorisation(
        site_id=household.site_id,
        household_id=household.id,
        person_name=person_name.strip(),
        phone=(phone or "").strip() or None,
        valid_until=valid_until,
        created_by_id=by.id,
    )
    db.session.add(auth)
    db.session.flush()
    audit.record(by, "mail.authorised", auth)
    return auth


def revoke(auth: MailAuthorisation, by: User, now: datetime) -> None:
    if auth.revoked_at is None:
        auth.revoked_at = now
        audit.record(by, "mail.authorisation_revoked", auth)


def authorisations(item: MailItem, now: datetime) -> list[MailAuthorisation]:
    """The people this item's household has authorised, still valid."""
    if item.household_id is None:
        return []
    return household_authorisations(item.site_id, item.household_id, now)


def household_authorisations(site_id: int, household_id: int, now: datetime) -> list[MailAuthorisation]:
    """The people a household has authorised to collect, still valid."""
    return list(
        db.session.scalars(
            sa.select(MailAuthorisation)
            .where(
                MailAuthorisation.household_id == household_id,
                MailAuthorisation.site_id == site_id,
                MailAuthorisation.revoked_at.is_(None),
                sa.or_(MailAuthorisation.valid_until.is_(None), MailAuthorisation.valid_until >= now),
            )
            .order_by(MailAuthorisation.id)
            .limit(50)
        )
    )


def _listing(site_id: int):
    return (
        sa.select(MailItem)
        .where(MailItem.site_id == site_id)
        .options(
            joinedload(MailItem.room).joinedload(Room.building),
            joinedload(MailItem.room).joinedload(Room.unit),
            joinedload(MailItem.household),
        )
    )


def book(site_id: int, *, status: MailStatus | None = None, cursor: str | None = None, size: int = 50) -> paging.Page:
    """The mail book, newest first; waiting only or everything."""
    query = _listing(site_id)
    if status is not None:
        query = query.where(MailItem.status == status)
    return paging.keyset(query, MailItem.received_at, MailItem.id, cursor=cursor, size=size)


def overdue_before(site_id: int, now: datetime) -> datetime:
    return now - timedelta(days=settings(site_id).mail_overdue_days)


def overdue(site_id: int, now: datetime, limit: int = OVERDUE_LIST_MAX) -> list[MailItem]:
    """Items waiting longer than the site's N days, oldest first (V8)."""
    return list(
        db.session.scalars(
            _listing(site_id)
            .where(MailItem.status == MailStatus.WAITING, MailItem.received_at < overdue_before(site_id, now))
            .order_by(MailItem.received_at, MailItem.id)
            .limit(limit)
        ).unique()
    )


def count_waiting(site_id: int, user=None) -> int:
    return (
        db.session.scalar(
            sa.select(sa.func.count(MailItem.id)).where(
                MailItem.site_id == site_id, MailItem.status == MailStatus.WAITING
            )
        )
        or 0
    )


def count_overdue(site_id: int, user=None) -> int:
    from kiosk.timeutil import utcnow

    return (
        db.session.scalar(
            sa.select(sa.func.count(MailItem.id)).where(
                MailItem.site_id == site_id,
                MailItem.status == MailStatus.WAITING,
                MailItem.received_at < overdue_before(site_id, utcnow()),
            )
        )
        or 0
    )


def for_household(site_id: int, household_id: int, limit: int = 100) -> list[MailItem]:
    """What arrived for one household: the only view of a household's mail by household (V8)."""
    return list(
        db.session.scalars(
            _listing(site_id)
            .where(MailItem.household_id == household_id)
            .order_by(MailItem.received_at.desc(), MailItem.id.desc())
            .limit(limit)
        ).unique()
    )


def load(site_id: int, item_id: int) -> MailItem | None:
    item = db.session.scalars(_listing(site_id).where(MailItem.id == item_id)).unique().one_or_none()
    return item


def view(item: MailItem, by: User) -> None:
    """S1/V8: a look at the record (it names the household) is traceable."""
    audit.record(by, "mail.viewed", item)


def waiting_for_handover(site_id: int, now: datetime, limit: int = 100):
    """(waiting count, overdue items) for the shift handover (H1, V8)."""
    return count_waiting(site_id), overdue(site_id, now, limit)
