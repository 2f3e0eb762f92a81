"""The key register (K1, K2, K5): every key set with its tag, hook, state and seal."""

import secrets
from datetime import datetime

import sqlalchemy as sa

from kiosk import audit
from kiosk.extensions import db
from kiosk.keys import KeyRefused
from kiosk.models import Building, Occupancy, Room
from kiosk.models.keys import IN_CABINET_STATES, KeyKind, KeySet, KeyState

TAG_ALPHABET = "ACDEFHJKMNPQRTUVWXY3479"  # no 0/O, 1/I, 2/Z, 5/S: typed by hand when the camera fails
TAG_PREFIX = "KEY-"
VACANT = (Occupancy.VACANT, Occupancy.ENTRUSTED)


def new_tag_code() -> str:
    while True:
        code = TAG_PREFIX + "".join(secrets.choice(TAG_ALPHABET) for _ in range(6))
        if db.session.scalar(sa.select(KeySet.id).where(KeySet.tag_code == code)) is None:
            return code


def create_set(
    site_id: int,
    actor,
    now: datetime,
    *,
    kind: KeyKind,
    hook: str,
    contents: str,
    pieces: int,
    room: Room | None = None,
    building: Building | None = None,
    floor: int | None = None,
    place: str | None = None,
    engineering_held: bool = False,
    seal_number: str | None = None,
    tag_code: str | None = None,
) -> KeySet:
    """K1: a household set names its room, a public set its building and floor, an equipment
    set its room. K2: a vacant or entrusted room's keys are sealed. K5: only equipment keys
    may be held by engineering."""
    if pieces < 1:
        raise KeyRefused("pieces")
    if kind == KeyKind.HOUSEHOLD and room is None:
        raise KeyRefused("room_required")
    if kind == KeyKind.PUBLIC and (building is None or floor is None):
        raise KeyRefused("floor_required")
    if kind == KeyKind.EQUIPMENT and not place:
        raise KeyRefused("place_required")
    if engineering_held and kind != KeyKind.EQUIPMENT:
        raise KeyRefused("engineering_equipment_only")
    for thing in (room, building):
        if thing is not None and thing.site_id != site_id:
            raise KeyRefused("other_site")
    key_set = KeySet(
        site_id=site_id,
        kind=kind,
        hook=hook.strip(),
        contents=contents.strip(),
        pieces=pieces,
        room=room if kind == KeyKind.HOUSEHOLD else None,
        building=building if kind == KeyKind.PUBLIC else None,
        floor=floor if kind == KeyKind.PUBLIC else None,
        place=place.strip() if place and kind != KeyKind.HOUSEHOLD else None,
        engineering_held=engineering_held,
        tag_code=tag_code or new_tag_code(),
        created_at=now,
    )
    if kind == KeyKind.HOUSEHOLD and room.occupancy in VACANT:
        if not seal_number:
            raise KeyRefused("seal_required")
        _seal(key_set, seal_number, now)
    db.session.add(key_set)
    db.session.flush()
    audit.record(actor, "keys.set_created", key_set, details={"tag": key_set.tag_code})
    return key_set


def _seal(key_set: KeySet, seal_number: str, now: datetime) -> None:
    key_set.state = KeyState.SEALED
    key_set.seal_number = seal_number.strip()
    key_set.sealed_at = now


def seal(key_set: KeySet, seal_number: str, actor, now: datetime) -> None:
    """K2: keys of a vacant or unoccupied unit are sealed in the cabinet."""
    if key_set.state != KeyState.IN_CABINET:
        raise KeyRefused("not_in_cabinet")
    if not seal_number or not seal_number.strip():
        raise KeyRefused("seal_required")
    _seal(key_set, seal_number, now)
    audit.record(actor, "keys.sealed", key_set, details={"seal": key_set.seal_number})


def needs_seal(key_set: KeySet) -> bool:
    return key_set.kind == KeyKind.HOUSEHOLD and key_set.room is not None and key_set.room.occupancy in VACANT


def label(key_set: KeySet) -> str:
    """What the tag names (K1): building-unit-room, building and floor, or the equipment room."""
    if key_set.room is not None:
        return key_set.room.label
    if key_set.building is not None:
        return f"{key_set.building.name}#{key_set.floor}F"
    return key_set.place or key_set.tag_code


def find_by_tag(site_id: int, code: str) -> KeySet | None:
    code = (code or "").strip().upper()
    return db.session.scalar(sa.select(KeySet).where(KeySet.site_id == site_id, KeySet.tag_code == code))


def state_counts(site_id: int) -> dict[str, int]:
    """{state: count} of the site's key sets, in one query (engineering-held under its own key)."""
    rows = db.session.execute(
        sa.select(KeySet.state, KeySet.engineering_held, sa.func.count())
        .where(KeySet.site_id == site_id, KeySet.retired.is_(False))
        .group_by(KeySet.state, KeySet.engineering_held)
    ).all()
    counts: dict[str, int] = {}
    for state, held, n in rows:
        key = "engineering" if held else str(state)
        counts[key] = counts.get(key, 0) + n
    return counts


def cabinet_count(site_id: int) -> int:
    """How many key sets the register says hang in the cabinet now (H1 handover, K3 audit)."""
    return (
        db.session.scalar(
            sa.select(sa.func.count())
            .select_from(KeySet)
            .where(
                KeySet.site_id == site_id,
                KeySet.retired.is_(False),
                KeySet.engineering_held.is_(False),
                KeySet.state.in_(IN_CABINET_STATES),
            )
        )
        or 0
    )
