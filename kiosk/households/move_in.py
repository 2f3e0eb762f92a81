"""The move-in checklist at the front desk (入住办理, K6, A1).

Steps: the owner's identity checked (A5), documents collected into the file (each
checklist item ticked as it is scanned), keys handed over and signed for (K6), fees noted
as paid or owed, the decoration rules handed over. It can be paused and resumed; it
completes without every document, and what is missing stays on the file's checklist.

Keys go through the key register (kiosk.keys.owners): the owner's one drawn signature
hands every household set of the room in the cabinet to the owner ("with the owner"), each
with its own handover record, and the move-in keeps the references (`link_key_handover`).
Plain Python, no request: the caller commits.
"""

from datetime import datetime

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from kiosk import audit
from kiosk.extensions import db
from kiosk.keys import owners
from kiosk.models import User
from kiosk.models.households import FeeState, HouseholdFile, IdentityCheck, MoveIn, MoveInStatus
from kiosk.models.keys import OwnerHandover
from kiosk.timeutil import utcnow

STEPS = {
    "identity": _l("Identity checked"),
    "documents": _l("Documents collected"),
    "keys": _l("Keys handed over and signed for"),
    "fees": _l("Fees noted"),
    "decoration": _l("Decoration rules handed over"),
}


class Stale(Exception):
    """The move-in changed since the form was shown."""


class Incomplete(Exception):
    def __init__(self, steps: list[str]):
        super().__init__(", ".join(steps))
        self.steps = steps


class Closed(Exception):
    """The move-in is completed; nothing changes it any more."""


def current(file: HouseholdFile) -> MoveIn | None:
    """The move-in under way or paused for this file, if any."""
    return db.session.scalar(
        sa.select(MoveIn)
        .where(MoveIn.file_id == file.id, MoveIn.status != MoveInStatus.COMPLETED)
        .order_by(MoveIn.started_at.desc())
        .limit(1)
    )


def latest(file: HouseholdFile) -> MoveIn | None:
    return db.session.scalar(
        sa.select(MoveIn).where(MoveIn.file_id == file.id).order_by(MoveIn.started_at.desc(), MoveIn.id.desc()).limit(1)
    )


def start(file: HouseholdFile, user: User, now: datetime | None = None) -> MoveIn:
    existing = current(file)
    if existing is not None:  # a double click resumes, never starts twice
        return existing
    now = now or utcnow()
    move_in = MoveIn(site_id=file.site_id, file_id=file.id, started_at=now, started_by_id=user.id, updated_at=now)
    db.session.add(move_in)
    db.session.flush()
    audit.record(user, "move_in.started", move_in)
    return move_in


def _change(move_in: MoveIn, version: int | None, now: datetime | None) -> datetime:
    if move_in.status == MoveInStatus.COMPLETED:
        raise Closed()
    if version is not None and version != move_in.version:
        raise Stale()
    now = now or utcnow()
    move_in.updated_at = now
    return now


def record_identity(move_in: MoveIn, check: IdentityCheck, now: datetime | None = None) -> None:
    _change(move_in, None, now)
    move_in.identity_check_id = check.id


def sign_keys(
    move_in: MoveIn,
    file: HouseholdFile,
    signature,
    user: User,
    *,
    version: int | None = None,
    now: datetime | None = None,
) -> list[OwnerHandover]:
    """K6: keys only after the identity check, signed for by the owner, through the key register:
    the room's sets in the cabinet go to the owner. `signature` is a stored drawn signature
    (kiosk.signatures.StoredSignature). Raises Incomplete, or KeyRefused with the register's
    reason (a tenant's file, keys of the room out on loan)."""
    if move_in.identity_check_id is None:
        raise Incomplete(["identity"])
    now = _change(move_in, version, now)
    handed = owners.hand_room_to_owner(
        file.household,
        user,
        now,
        identity_checked=True,
        signature=signature,
        id_number_masked=file.id_number_masked,
    )
    move_in.keys_signed_at = now
    move_in.keys_signature_path, move_in.keys_signature_sha256 = signature.path, signature.sha256
    audit.record(user, "move_in.keys_signed", move_in, details={"sha256": signature.sha256, "key_sets": len(handed)})
    if handed:
        link_key_handover(move_in, ",".join(f"KH-{row.id}" for row in handed), user)
    return handed


def link_key_handover(move_in: MoveIn, ref: str, user: User) -> None:
    """The key register's handover records (their references) on this move-in."""
    move_in.key_handover_ref = str(ref)[:40]
    audit.record(user, "move_in.key_handover_linked", move_in, details={"ref": move_in.key_handover_ref})


def handovers(move_in: MoveIn) -> list[OwnerHandover]:
    """The key register's records of this move-in's keys (one bounded query)."""
    ids = [int(part[3:]) for part in (move_in.key_handover_ref or "").split(",") if part.startswith("KH-")]
    if not ids:
        return []
    return list(
        db.session.scalars(
            sa.select(OwnerHandover)
            .where(OwnerHandover.id.in_(ids), OwnerHandover.site_id == move_in.site_id)
            .order_by(OwnerHandover.id)
        )
    )


def note_fees(
    move_in: MoveIn,
    state: FeeState | str,
    note: str | None,
    user: User,
    *,
    version: int | None = None,
    now: datetime | None = None,
) -> None:
    _change(move_in, version, now)
    move_in.fees = FeeState(state)
    move_in.fees_note = (note or "").strip()[:200] or None
    audit.record(user, "move_in.fees_noted", move_in, details={"fees": move_in.fees.value})


def hand_decoration_rules(
    move_in: MoveIn, user: User, *, version: int | None = None, now: datetime | None = None
) -> None:
    now = _change(move_in, version, now)
    move_in.decoration_rules_at = now
    audit.record(user, "move_in.decoration_rules", move_in)


def pause(move_in: MoveIn, user: User, *, version: int | None = None, now: datetime | None = None) -> None:
    _change(move_in, version, now)
    move_in.status = MoveInStatus.PAUSED
    audit.record(user, "move_in.paused", move_in)


def resume(move_in: MoveIn, user: User, *, version: int | None = None, now: datetime | None = None) -> None:
    _change(move_in, version, now)
    move_in.status = MoveInStatus.OPEN
    audit.record(user, "move_in.resumed", move_in)


def done_steps(move_in: MoveIn, file: HouseholdFile) -> dict[str, bool]:
    return {
        "identity": move_in.identity_check_id is not None,
        "documents": file.missing_count == 0,
        "keys": move_in.keys_signed_at is not None,
        "fees": move_in.fees is not None,
        "decoration": move_in.decoration_rules_at is not None,
    }


def complete(
    move_in: MoveIn, file: HouseholdFile, user: User, *, version: int | None = None, now: datetime | None = None
) -> list[str]:
    """Completes when identity, keys, fees and decoration rules are done; documents still
    missing stay on the file's checklist (A1). Returns the missing document items."""
    steps = done_steps(move_in, file)
    required = [step for step in ("identity", "keys", "fees", "decoration") if not steps[step]]
    if required:
        raise Incomplete(required)
    now = _change(move_in, version, now)
    move_in.status = MoveInStatus.COMPLETED
    move_in.completed_at = now
    missing = [document.item for document in file.documents if not document.present]
    audit.record(user, "move_in.completed", move_in, details={"missing": missing})
    return missing


def count_paused(site_id: int, _user=None) -> int:
    return (
        db.session.scalar(
            sa.select(sa.func.count(MoveIn.id)).where(MoveIn.site_id == site_id, MoveIn.status == MoveInStatus.PAUSED)
        )
        or 0
    )
