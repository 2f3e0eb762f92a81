"""Destroying a household file's documents after the retention period (A4): a request,
a supervisor's review, the manager's approval, and two different named staff present to
confirm. Nobody reviews, approves or confirms their own request. On the second confirmation
the attachments are deleted and their encrypted blobs removed; the record of the
destruction stays. Plain Python: the caller commits."""

from datetime import datetime, timedelta

import sqlalchemy as sa
from sqlalchemy.orm import joinedload

from kiosk import audit
from kiosk.extensions import db
from kiosk.households.storage import Vault
from kiosk.models import Household, Role, Room, User
from kiosk.models.households import DestructionStatus, FileAttachment, FileDestruction, HouseholdFile
from kiosk.timeutil import utcnow

RETENTION_DAYS = 3 * 365  # default; HOUSEHOLD_FILE_RETENTION_DAYS in the configuration
OPEN = (DestructionStatus.REQUESTED, DestructionStatus.REVIEWED, DestructionStatus.APPROVED)


class Refused(ValueError):
    """`reason`: retention, own, role, state, same_witness, reason."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


def retention_ends(file: HouseholdFile, retention_days: int) -> datetime:
    return file.inventory_at + timedelta(days=retention_days)


def eligible(file: HouseholdFile, retention_days: int, now: datetime | None = None) -> bool:
    """The household has left and the file has not changed for the retention period."""
    return not file.household.active and retention_ends(file, retention_days) <= (now or utcnow())


def request(
    file: HouseholdFile, user: User, reason: str, retention_days: int, now: datetime | None = None
) -> FileDestruction:
    now = now or utcnow()
    if not (reason or "").strip():
        raise Refused("reason")
    if not eligible(file, retention_days, now):
        raise Refused("retention")
    pending = db.session.scalar(
        sa.select(FileDestruction).where(FileDestruction.file_id == file.id, FileDestruction.status.in_(OPEN))
    )
    if pending is not None:
        return pending
    record = FileDestruction(
        site_id=file.site_id, file_id=file.id, reason=reason.strip()[:200], requested_at=now, requested_by_id=user.id
    )
    db.session.add(record)
    db.session.flush()
    audit.record(user, "file_destruction.requested", record, details={"file": file.id})
    return record


def _check(record: FileDestruction, user: User, roles, expected: DestructionStatus) -> None:
    if user.id == record.requested_by_id:
        raise Refused("own")
    if user.role not in roles or user.site_id != record.site_id:
        raise Refused("role")
    if record.status != expected:
        raise Refused("state")


def review(record: FileDestruction, supervisor: User, approve: bool, now: datetime | None = None) -> None:
    _check(record, supervisor, {Role.SUPERVISOR}, DestructionStatus.REQUESTED)
    record.reviewed_at, record.reviewed_by_id = now or utcnow(), supervisor.id
    record.status = DestructionStatus.REVIEWED if approve else DestructionStatus.REFUSED
    audit.record(supervisor, "file_destruction.reviewed" if approve else "file_destruction.refused", record)


def approve(record: FileDestruction, manager: User, approve: bool, now: datetime | None = None) -> None:
    _check(record, manager, {Role.MANAGER}, DestructionStatus.REVIEWED)
    record.approved_at, record.approved_by_id = now or utcnow(), manager.id
    record.status = DestructionStatus.APPROVED if approve else DestructionStatus.REFUSED
    audit.record(manager, "file_destruction.approved" if approve else "file_destruction.refused", record)


WITNESS_ROLES = frozenset({Role.RECEPTIONIST, Role.OFFICER, Role.SUPERVISOR, Role.MANAGER})


def witness(record: FileDestruction, user: User, now: datetime | None = None) -> list[str] | None:
    """A named person present confirms; the second, different one completes the destruction.
    Returns None after the first confirmation; after the second, the stored names of the
    blobs to remove with `remove_blobs` once the change is committed."""
    _check(record, user, WITNESS_ROLES, DestructionStatus.APPROVED)
    now = now or utcnow()
    if record.first_witness_id is None:
        record.first_witness_id, record.first_witness_at = user.id, now
        audit.record(user, "file_destruction.witnessed", record)
        return None
    if record.first_witness_id == user.id:
        raise Refused("same_witness")
    record.second_witness_id = user.id
    file = db.session.get(HouseholdFile, record.file_id)
    attachments = db.session.scalars(
        sa.select(FileAttachment).where(FileAttachment.file_id == file.id, FileAttachment.deleted_at.is_(None))
    ).all()
    for attachment in attachments:
        attachment.deleted_at = now
    file.id_number_sealed = None
    file.inventory_at = now
    record.attachments_removed = len(attachments)
    record.status, record.destroyed_at = DestructionStatus.DESTROYED, now
    audit.record(user, "file_destruction.destroyed", record, details={"attachments": len(attachments)})
    return [attachment.stored_name for attachment in attachments]


def remove_blobs(vault: Vault, names: list[str]) -> None:
    """After the commit: the encrypted blobs of destroyed attachments leave the disk."""
    for name in names:
        vault.remove(name)


def open_records(site_id: int, limit: int = 100) -> list[FileDestruction]:
    return list(
        db.session.scalars(
            sa.select(FileDestruction)
            .where(FileDestruction.site_id == site_id)
            .options(
                joinedload(FileDestruction.file)
                .joinedload(HouseholdFile.household)
                .joinedload(Household.room)
                .joinedload(Room.building),
                joinedload(FileDestruction.file)
                .joinedload(HouseholdFile.household)
                .joinedload(Household.room)
                .joinedload(Room.unit),
            )
            .order_by(FileDestruction.requested_at.desc(), FileDestruction.id.desc())
            .limit(limit)
        )
    )
