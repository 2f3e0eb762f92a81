"""Handing keys to the owner at move-in (K6). The household-files area's move-in checklist
calls `hand_to_owner`; it checks identity and the signature and changes the register."""

from datetime import datetime

import sqlalchemy as sa

from kiosk import audit
from kiosk.extensions import db
from kiosk.keys import KeyRefused
from kiosk.models import Household, HouseholdKind, User
from kiosk.models.keys import KeyKind, KeySet, KeyState, OwnerHandover
from kiosk.names import mask_id_number


def hand_to_owner(
    key_set: KeySet,
    actor: User,
    now: datetime,
    *,
    household: Household,
    identity_checked: bool,
    id_number: str | None,
    signature,
    id_number_masked: str | None = None,
) -> OwnerHandover:
    """K6: a household set goes to the owner of its room, after the identity check, signed for.
    `signature` is a kiosk.signatures.StoredSignature of the owner's drawn signature; a caller that
    holds only the masked ID number (the household file) passes `id_number_masked` instead."""
    if key_set.kind != KeyKind.HOUSEHOLD or key_set.room_id is None:
        raise KeyRefused("household_only")
    if household.site_id != key_set.site_id or household.room_id != key_set.room_id or not household.active:
        raise KeyRefused("not_this_room")
    if household.kind != HouseholdKind.OWNER:
        raise KeyRefused("owner_only")
    if not identity_checked:
        raise KeyRefused("identity_required")
    if signature is None:
        raise KeyRefused("signature_required")
    if key_set.state not in (KeyState.IN_CABINET, KeyState.SEALED):
        raise KeyRefused("not_in_cabinet")
    row = OwnerHandover(
        site_id=key_set.site_id,
        key_set=key_set,
        household_id=household.id,
        owner_name=household.name,
        id_number_masked=(mask_id_number(id_number) if id_number else id_number_masked) or None,
        pieces=key_set.pieces,
        signature_path=signature.path,
        signature_sha256=signature.sha256,
        handed_by_id=actor.id,
        handed_at=now,
    )
    key_set.state, key_set.seal_number = KeyState.WITH_OWNER, None
    db.session.add(row)
    db.session.flush()
    audit.record(actor, "keys.handed_to_owner", row, details={"key_set": key_set.id})
    return row


def room_sets(site_id: int, room_id: int) -> list[KeySet]:
    """The room's household key sets in use (at most a handful per room)."""
    return list(
        db.session.scalars(
            sa.select(KeySet)
            .where(
                KeySet.site_id == site_id,
                KeySet.room_id == room_id,
                KeySet.kind == KeyKind.HOUSEHOLD,
                KeySet.retired.is_(False),
            )
            .order_by(KeySet.id)
            .limit(20)
        )
    )


def hand_room_to_owner(
    household: Household,
    actor: User,
    now: datetime,
    *,
    identity_checked: bool,
    signature,
    id_number_masked: str | None = None,
) -> list[OwnerHandover]:
    """K6 at move-in: every household set of the owner's room that is in the cabinet (sealed or
    not) goes to the owner, on one signature. A set of the room that is out (on loan, lost)
    refuses the whole handover, so the owner never signs for keys the desk does not hold; sets
    already with the owner are left as they are. Returns the new handover records (none when
    the register holds no set for the room)."""
    sets = room_sets(household.site_id, household.room_id)
    if any(key_set.state in (KeyState.ON_LOAN, KeyState.LOST) for key_set in sets):
        raise KeyRefused("room_keys_out")
    return [
        hand_to_owner(
            key_set,
            actor,
            now,
            household=household,
            identity_checked=identity_checked,
            id_number=None,
            id_number_masked=id_number_masked,
            signature=signature,
        )
        for key_set in sets
        if key_set.state != KeyState.WITH_OWNER
    ]
