"""Handing keys to the owner at move-in (K6). The household-files area's move-in checklist
calls `hand_to_owner`; it checks identity and the signature and changes the register."""

from datetime import datetime

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
) -> OwnerHandover:
    """K6: a household set goes to the owner of its room, after the identity check, signed for.
    `signature` is a kiosk.signatures.StoredSignature of the owner's drawn signature."""
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
        id_number_masked=mask_id_number(id_number) or None,
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
