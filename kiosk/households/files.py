"""Opening a household's file, ticking its checklist, attaching scans, and the list of
files (A1, A3, S3). Plain Python, no request: the caller commits."""

import hashlib
from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import joinedload, selectinload

from kiosk import audit, paging
from kiosk.extensions import db
from kiosk.households import checklist, uploads
from kiosk.households.storage import Vault
from kiosk.models import Household, Room, User
from kiosk.models.households import FileAttachment, FileDocument, HouseholdFile
from kiosk.names import mask_id_number
from kiosk.timeutil import utcnow


class StaleFile(Exception):
    """Someone changed the file since this form was shown (optimistic version check)."""


def open_file(household: Household, user: User | None, now: datetime | None = None) -> HouseholdFile:
    """The household's file, made with its checklist on first use (A1)."""
    existing = db.session.scalar(sa.select(HouseholdFile).where(HouseholdFile.household_id == household.id))
    if existing is not None:
        return existing
    now = now or utcnow()
    items = checklist.items_for(household.kind)
    file = HouseholdFile(site_id=household.site_id, household=household, inventory_at=now, missing_count=len(items))
    db.session.add(file)
    for position, item in enumerate(items):
        db.session.add(
            FileDocument(
                site_id=household.site_id,
                file=file,
                item=item,
                position=position,
                personal=item in checklist.PERSONAL_ITEMS,
            )
        )
    db.session.flush()
    audit.record(user, "household_file.opened", file, site_id=household.site_id)
    return file


def open_missing_files(site_id: int, user: User | None) -> int:
    """Files for every active household of the site that has none yet; how many were made."""
    households = db.session.scalars(
        sa.select(Household)
        .outerjoin(HouseholdFile, HouseholdFile.household_id == Household.id)
        .where(Household.site_id == site_id, Household.active.is_(True), HouseholdFile.id.is_(None))
        .limit(2000)
    ).all()
    for household in households:
        open_file(household, user)
    return len(households)


def _touch(file: HouseholdFile, now: datetime, version: int | None) -> None:
    """A3: every change moves the inventory; a stale form is refused."""
    if version is not None and version != file.version:
        raise StaleFile()
    file.inventory_at = now
    file.missing_count = sum(1 for document in file.documents if not document.present)


def set_present(
    file: HouseholdFile,
    item: str,
    present: bool,
    user: User,
    *,
    version: int | None = None,
    now: datetime | None = None,
) -> FileDocument:
    now = now or utcnow()
    document = document_of(file, item)
    if document.present != present:
        document.present = present
        document.updated_at, document.updated_by_id = now, user.id
        _touch(file, now, version)
        audit.record(
            user,
            "household_file.item_present" if present else "household_file.item_missing",
            file,
            details={"item": item},
        )
    return document


def document_of(file: HouseholdFile, item: str) -> FileDocument:
    for document in file.documents:
        if document.item == item:
            return document
    raise KeyError(item)


def attach(
    vault: Vault,
    file: HouseholdFile,
    item: str,
    filename: str | None,
    data: bytes,
    user: User,
    now: datetime | None = None,
) -> FileAttachment:
    """Check the upload (raises uploads.UploadRefused, having stored nothing), encrypt and
    store it, tick the item present (A3)."""
    clean = uploads.check(filename, data)

    now = now or utcnow()
    document = document_of(file, item)
    stored = vault.put(file.site_id, clean.data)
    attachment = FileAttachment(
        site_id=file.site_id,
        file_id=file.id,
        document_id=document.id,
        content_type=clean.content_type,
        stored_name=stored,
        display_name=clean.display_name,
        size=len(clean.data),
        sha256=hashlib.sha256(clean.data).hexdigest(),
        uploaded_at=now,
        uploaded_by_id=user.id,
    )
    db.session.add(attachment)
    document.present = True
    document.updated_at, document.updated_by_id = now, user.id
    _touch(file, now, None)
    db.session.flush()
    audit.record(user, "household_file.attached", file, details={"item": item, "attachment": attachment.id})
    return attachment


def set_id_number(vault: Vault, file: HouseholdFile, number: str, user: User, now: datetime | None = None) -> None:
    number = number.strip().upper()
    file.id_number_sealed = vault.seal_text(number) if number else None
    file.id_number_masked = mask_id_number(number) or None
    _touch(file, now or utcnow(), None)
    audit.record(user, "household_file.id_number_set", file)


def full_id_number(vault: Vault, file: HouseholdFile) -> str | None:
    return vault.unseal_text(file.id_number_sealed) if file.id_number_sealed else None


def load(site_id: int, file_id: int) -> HouseholdFile | None:
    file = db.session.scalar(
        sa.select(HouseholdFile)
        .where(HouseholdFile.id == file_id, HouseholdFile.site_id == site_id)
        .options(
            joinedload(HouseholdFile.household).joinedload(Household.room),
            selectinload(HouseholdFile.documents).selectinload(FileDocument.attachments),
        )
    )
    return file


def attachment_in(file: HouseholdFile, attachment_id: int) -> FileAttachment | None:
    attachment = db.session.get(FileAttachment, attachment_id)
    if attachment is None or attachment.file_id != file.id or attachment.deleted_at is not None:
        return None
    return attachment


@dataclass(frozen=True)
class ListQuery:
    room: str = ""
    missing_only: bool = False


def listing(site_id: int, query: ListQuery, *, cursor: str | None, size: int) -> paging.Page:
    """Files newest inventory change first, keyset-paged (S3: the page masks contacts)."""
    statement = (
        sa.select(HouseholdFile)
        .join(HouseholdFile.household)
        .join(Household.room)
        .where(HouseholdFile.site_id == site_id)
        .options(
            joinedload(HouseholdFile.household).joinedload(Household.room).joinedload(Room.building),
            joinedload(HouseholdFile.household).joinedload(Household.room).joinedload(Room.unit),
        )
    )
    if query.room:
        statement = statement.where(Room.number.contains(query.room.split("-")[-1], autoescape=True))
    if query.missing_only:
        statement = statement.where(HouseholdFile.missing_count > 0)
    return paging.keyset(statement, HouseholdFile.inventory_at, HouseholdFile.id, cursor=cursor, size=size)
