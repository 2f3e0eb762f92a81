"""Household files (一户一档): the file, its document checklist, encrypted attachments, who
may look and every look, caller identity checks, the move-in checklist (A1-A5, K6, S1-S3).

Household and Room live in places.py; these tables hang off them.
"""

import enum
from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from kiosk.extensions import db
from kiosk.models.base import SiteOwned, UTCDateTime, created_at_column
from kiosk.models.people import User
from kiosk.models.places import Household


class HouseholdFile(SiteOwned, db.Model):
    """One file per household (A1). `inventory_at` moves with every change (A3)."""

    id: Mapped[int] = mapped_column(primary_key=True)
    household_id: Mapped[int] = mapped_column(sa.ForeignKey("household.id"), unique=True)
    # The owner's or tenant's ID number: encrypted whole, masked beside it for lists (S3).
    id_number_sealed: Mapped[str | None] = mapped_column(sa.Text)
    id_number_masked: Mapped[str | None] = mapped_column(sa.String(24))
    created_at: Mapped[datetime] = created_at_column()
    inventory_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    missing_count: Mapped[int] = mapped_column(default=0)
    version: Mapped[int] = mapped_column(default=1)

    household: Mapped[Household] = relationship()
    documents: Mapped[list["FileDocument"]] = relationship(back_populates="file", order_by="FileDocument.position")

    __mapper_args__ = {"version_id_col": version}


class FileDocument(SiteOwned, db.Model):
    """One item of a file's checklist (A1): present or missing."""

    id: Mapped[int] = mapped_column(primary_key=True)
    file_id: Mapped[int] = mapped_column(sa.ForeignKey("household_file.id"), index=True)
    item: Mapped[str] = mapped_column(sa.String(40))
    position: Mapped[int] = mapped_column(default=0)
    present: Mapped[bool] = mapped_column(default=False)
    # Personal documents (ID copies) are never lent or copied (A2).
    personal: Mapped[bool] = mapped_column(default=False)
    updated_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    updated_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id"))

    file: Mapped[HouseholdFile] = relationship(back_populates="documents")
    attachments: Mapped[list["FileAttachment"]] = relationship(
        back_populates="document",
        order_by="FileAttachment.id",
        primaryjoin="and_(FileAttachment.document_id == FileDocument.id, FileAttachment.deleted_at.is_(None))",
        viewonly=True,
    )

    __table_args__ = (sa.UniqueConstraint("file_id", "item"),)


class FileAttachment(SiteOwned, db.Model):
    """A scanned page or PDF, checked by content and stored encrypted under a generated name."""

    id: Mapped[int] = mapped_column(primary_key=True)
    file_id: Mapped[int] = mapped_column(sa.ForeignKey("household_file.id"), index=True)
    document_id: Mapped[int] = mapped_column(sa.ForeignKey("file_document.id"), index=True)
    content_type: Mapped[str] = mapped_column(sa.String(40))
    stored_name: Mapped[str] = mapped_column(sa.String(80), unique=True)
    display_name: Mapped[str] = mapped_column(sa.String(120))
    size: Mapped[int]
    sha256: Mapped[str] = mapped_column(sa.String(64))
    uploaded_at: Mapped[datetime] = created_at_column()
    uploaded_by_id: Mapped[int] = mapped_column(sa.ForeignKey("user.id"))
    deleted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    document: Mapped[FileDocument] = relationship(back_populates="attachments")
    uploaded_by: Mapped[User] = relationship()


class GrantStatus(enum.StrEnum):
    PENDING = "pending"
    GRANTED = "granted"
    REFUSED = "refused"


class AccessGrant(SiteOwned, db.Model):
    """A request by someone outside customer service to look at one file (A2)."""

    id: Mapped[int] = mapped_column(primary_key=True)
    file_id: Mapped[int] = mapped_column(sa.ForeignKey("household_file.id"), index=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("user.id"), index=True)
    reason: Mapped[str] = mapped_column(sa.String(200))
    requested_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    status: Mapped[GrantStatus] = mapped_column(
        sa.Enum(GrantStatus, native_enum=False, length=20), default=GrantStatus.PENDING
    )
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    decided_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id"))
    expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    file: Mapped[HouseholdFile] = relationship()
    user: Mapped[User] = relationship(foreign_keys=[user_id])
    decided_by: Mapped[User | None] = relationship(foreign_keys=[decided_by_id])


class FileLook(SiteOwned, db.Model):
    """客户档案查阅登记表: every opening of a file or attachment, allowed or refused (A2, S1)."""

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    file_id: Mapped[int] = mapped_column(sa.ForeignKey("household_file.id"), index=True)
    household_id: Mapped[int] = mapped_column(sa.ForeignKey("household.id"), index=True)
    attachment_id: Mapped[int | None] = mapped_column(sa.ForeignKey("file_attachment.id"))
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("user.id"), index=True)
    what: Mapped[str] = mapped_column(sa.String(20))  # file | attachment | id_number
    why: Mapped[str] = mapped_column(sa.String(200))
    allowed: Mapped[bool]
    grant_id: Mapped[int | None] = mapped_column(sa.ForeignKey("access_grant.id"))

    user: Mapped[User] = relationship()
    household: Mapped[Household] = relationship()
    attachment: Mapped["FileAttachment | None"] = relationship()

    # The access log, newest first and keyset paged: a range of this index, not a sort.
    __table_args__ = (sa.Index("ix_file_look_site_at", "site_id", "at", "id"),)


class IdentityMethod(enum.StrEnum):
    ID_CARD = "id_card"  # ID card seen at the desk, matches the file
    CALLBACK = "callback"  # called back on the phone number on the file
    SECURITY_DETAILS = "security_details"  # named details only the household knows
    KNOWN_PERSON = "known_person"  # known to the staff member in person


class IdentityCheck(SiteOwned, db.Model):
    """How a caller's or visitor's identity was verified before their data was given (A5)."""

    id: Mapped[int] = mapped_column(primary_key=True)
    household_id: Mapped[int] = mapped_column(sa.ForeignKey("household.id"), index=True)
    method: Mapped[IdentityMethod] = mapped_column(sa.Enum(IdentityMethod, native_enum=False, length=30))
    note: Mapped[str | None] = mapped_column(sa.String(200))
    checked_by_id: Mapped[int] = mapped_column(sa.ForeignKey("user.id"))
    at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)

    checked_by: Mapped[User] = relationship()


class MoveInStatus(enum.StrEnum):
    OPEN = "open"
    PAUSED = "paused"
    COMPLETED = "completed"


class FeeState(enum.StrEnum):
    PAID = "paid"
    OWED = "owed"


class MoveIn(SiteOwned, db.Model):
    """入住办理 at the front desk (K6, A1): identity, documents, keys, fees, decoration rules."""

    id: Mapped[int] = mapped_column(primary_key=True)
    file_id: Mapped[int] = mapped_column(sa.ForeignKey("household_file.id"), index=True)
    status: Mapped[MoveInStatus] = mapped_column(
        sa.Enum(MoveInStatus, native_enum=False, length=20), default=MoveInStatus.OPEN
    )
    started_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    started_by_id: Mapped[int] = mapped_column(sa.ForeignKey("user.id"))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)
    identity_check_id: Mapped[int | None] = mapped_column(sa.ForeignKey("identity_check.id"))
    # Keys (K6): the owner's drawn signature on receipt; `key_handover_ref` is the hook for the
    # key register (kiosk.households.move_in.link_key_handover) once that area lands.
    keys_signed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    keys_signature_path: Mapped[str | None] = mapped_column(sa.String(200))
    keys_signature_sha256: Mapped[str | None] = mapped_column(sa.String(64))
    key_handover_ref: Mapped[str | None] = mapped_column(sa.String(40))
    fees: Mapped[FeeState | None] = mapped_column(sa.Enum(FeeState, native_enum=False, length=20))
    fees_note: Mapped[str | None] = mapped_column(sa.String(200))
    decoration_rules_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    completed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    version: Mapped[int] = mapped_column(default=1)

    file: Mapped[HouseholdFile] = relationship()
    identity_check: Mapped[IdentityCheck | None] = relationship()
    started_by: Mapped[User] = relationship()

    __mapper_args__ = {"version_id_col": version}


class InventoryCheck(SiteOwned, db.Model):
    """The monthly inventory of household files, brought up to date by the 5th (A1)."""

    id: Mapped[int] = mapped_column(primary_key=True)
    month: Mapped[date] = mapped_column(sa.Date)  # the first day of the month
    confirmed_at: Mapped[datetime] = mapped_column(UTCDateTime)
    confirmed_by_id: Mapped[int] = mapped_column(sa.ForeignKey("user.id"))
    files: Mapped[int]
    missing: Mapped[int]

    confirmed_by: Mapped[User] = relationship()

    __table_args__ = (sa.UniqueConstraint("site_id", "month"),)


class LoanKind(enum.StrEnum):
    LEND = "lend"
    COPY = "copy"


class LoanStatus(enum.StrEnum):
    REQUESTED = "requested"  # waiting for the supervisor
    REVIEWED = "reviewed"  # supervisor approved, waiting for the manager
    APPROVED = "approved"  # both approved; may go out
    OUT = "out"  # lent or being copied; back the same day
    RETURNED = "returned"
    REFUSED = "refused"


class FileLoan(SiteOwned, db.Model):
    """Lending or copying a file: supervisor and manager approve, back the same day (A2)."""

    id: Mapped[int] = mapped_column(primary_key=True)
    file_id: Mapped[int] = mapped_column(sa.ForeignKey("household_file.id"), index=True)
    kind: Mapped[LoanKind] = mapped_column(sa.Enum(LoanKind, native_enum=False, length=10))
    items: Mapped[list] = mapped_column(sa.JSON)
    borrower: Mapped[str] = mapped_column(sa.String(60))
    purpose: Mapped[str] = mapped_column(sa.String(200))
    status: Mapped[LoanStatus] = mapped_column(
        sa.Enum(LoanStatus, native_enum=False, length=20), default=LoanStatus.REQUESTED
    )
    requested_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    requested_by_id: Mapped[int] = mapped_column(sa.ForeignKey("user.id"))
    reviewed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    reviewed_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id"))
    approved_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    approved_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id"))
    out_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    due_at: Mapped[datetime | None] = mapped_column(UTCDateTime, index=True)
    returned_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    returned_to_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id"))

    file: Mapped[HouseholdFile] = relationship()
    requested_by: Mapped[User] = relationship(foreign_keys=[requested_by_id])


class DestructionStatus(enum.StrEnum):
    REQUESTED = "requested"
    REVIEWED = "reviewed"
    APPROVED = "approved"
    DESTROYED = "destroyed"
    REFUSED = "refused"


class FileDestruction(SiteOwned, db.Model):
    """Destroying a file's documents after the retention period (A4): request, supervisor
    review, manager approval, two different named staff confirm. The record stays."""

    id: Mapped[int] = mapped_column(primary_key=True)
    file_id: Mapped[int] = mapped_column(sa.ForeignKey("household_file.id"), index=True)
    reason: Mapped[str] = mapped_column(sa.String(200))
    status: Mapped[DestructionStatus] = mapped_column(
        sa.Enum(DestructionStatus, native_enum=False, length=20), default=DestructionStatus.REQUESTED
    )
    requested_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    requested_by_id: Mapped[int] = mapped_column(sa.ForeignKey("user.id"))
    reviewed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    reviewed_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id"))
    approved_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    approved_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id"))
    first_witness_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id"))
    first_witness_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    second_witness_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id"))
    destroyed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    attachments_removed: Mapped[int] = mapped_column(default=0)

    file: Mapped[HouseholdFile] = relationship()
