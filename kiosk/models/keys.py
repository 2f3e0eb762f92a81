"""The key cabinet (rules K1-K6): key sets, loans, anomalies, copy requests, weekly audits."""

import enum
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from kiosk.extensions import db
from kiosk.models.base import SiteOwned, UTCDateTime, created_at_column
from kiosk.models.people import User
from kiosk.models.places import Building, Room


def _enum(kind, length=20):
    return sa.Enum(kind, native_enum=False, length=length)


class KeyKind(enum.StrEnum):
    HOUSEHOLD = "household"  # security door, unit door, interior door, intercom, mailbox (K1)
    PUBLIC = "public"  # public doors and windows, by floor
    EQUIPMENT = "equipment"  # equipment rooms, by equipment


class KeyState(enum.StrEnum):
    IN_CABINET = "in_cabinet"
    ON_LOAN = "on_loan"
    SEALED = "sealed"  # vacant or unoccupied unit: sealed in the cabinet (K2)
    WITH_OWNER = "with_owner"  # handed to the owner at move-in (K6)
    LOST = "lost"


# In the cabinet (sealed or not): what the handover count and the weekly audit expect to see.
IN_CABINET_STATES = (KeyState.IN_CABINET, KeyState.SEALED)


class KeySet(SiteOwned, db.Model):
    """One tagged ring on one hook: the keys of a room, a floor's public doors, an equipment room."""

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[KeyKind] = mapped_column(_enum(KeyKind))
    tag_code: Mapped[str] = mapped_column(sa.String(24), unique=True)  # printed with its QR code
    hook: Mapped[str] = mapped_column(sa.String(20))  # cabinet hook, e.g. "A-12"
    room_id: Mapped[int | None] = mapped_column(sa.ForeignKey("room.id"), index=True)
    building_id: Mapped[int | None] = mapped_column(sa.ForeignKey("building.id"))
    floor: Mapped[int | None]
    place: Mapped[str | None] = mapped_column(sa.String(100))  # equipment room or public area name
    contents: Mapped[str] = mapped_column(sa.String(200))  # which keys are on the ring
    pieces: Mapped[int] = mapped_column(default=1)  # how many keys the ring holds
    state: Mapped[KeyState] = mapped_column(_enum(KeyState), default=KeyState.IN_CABINET, index=True)
    seal_number: Mapped[str | None] = mapped_column(sa.String(30))
    sealed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    engineering_held: Mapped[bool] = mapped_column(default=False)  # K5: equipment keys at engineering
    retired: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = created_at_column()
    version: Mapped[int] = mapped_column(default=1)

    room: Mapped[Room | None] = relationship()
    building: Mapped[Building | None] = relationship()

    __mapper_args__ = {"version_id_col": version}


class BorrowerKind(enum.StrEnum):
    STAFF = "staff"
    CONTRACTOR = "contractor"


class KeyLoan(SiteOwned, db.Model):
    """A key set out of the cabinet (K4): who, why, when, signed; back the same day."""

    id: Mapped[int] = mapped_column(primary_key=True)
    key_set_id: Mapped[int] = mapped_column(sa.ForeignKey("key_set.id"), index=True)
    borrower_kind: Mapped[BorrowerKind] = mapped_column(_enum(BorrowerKind))
    borrower_user_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id"))
    borrower_name: Mapped[str] = mapped_column(sa.String(50))
    company: Mapped[str | None] = mapped_column(sa.String(100))
    purpose: Mapped[str] = mapped_column(sa.String(200))
    pieces_out: Mapped[int]
    lent_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    expected_back_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    lent_by_id: Mapped[int] = mapped_column(sa.ForeignKey("user.id"))
    signature_path: Mapped[str | None] = mapped_column(sa.String(200))
    signature_sha256: Mapped[str | None] = mapped_column(sa.String(64))
    # Emergency use (K4): the manager allowed it at once; the paperwork follows.
    emergency: Mapped[bool] = mapped_column(default=False)
    emergency_reason: Mapped[str | None] = mapped_column(sa.String(20))
    approved_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id"))
    paperwork_done_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    returned_at: Mapped[datetime | None] = mapped_column(UTCDateTime, index=True)
    received_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id"))
    pieces_back: Mapped[int | None]
    damaged: Mapped[bool] = mapped_column(default=False)
    return_note: Mapped[str | None] = mapped_column(sa.String(300))
    version: Mapped[int] = mapped_column(default=1)

    key_set: Mapped[KeySet] = relationship()
    borrower_user: Mapped[User | None] = relationship(foreign_keys=[borrower_user_id])
    lent_by: Mapped[User] = relationship(foreign_keys=[lent_by_id])
    approved_by: Mapped[User | None] = relationship(foreign_keys=[approved_by_id])
    received_by: Mapped[User | None] = relationship(foreign_keys=[received_by_id])

    __mapper_args__ = {"version_id_col": version}

    @property
    def paperwork_owed(self) -> bool:
        return self.emergency and self.paperwork_done_at is None


class AnomalyKind(enum.StrEnum):
    MISSING = "missing"  # fewer keys came back than went out
    DAMAGED = "damaged"
    NOT_FOUND = "not_found"  # weekly audit: the set is not on its hook (K3)
    MISMATCH = "mismatch"  # weekly audit: wrong hook, broken seal, wrong count


class KeyAnomaly(SiteOwned, db.Model):
    """Something wrong with a key set, for the supervisor (and the manager, K3)."""

    id: Mapped[int] = mapped_column(primary_key=True)
    key_set_id: Mapped[int] = mapped_column(sa.ForeignKey("key_set.id"), index=True)
    loan_id: Mapped[int | None] = mapped_column(sa.ForeignKey("key_loan.id"))
    audit_id: Mapped[int | None] = mapped_column(sa.ForeignKey("key_audit.id"))
    kind: Mapped[AnomalyKind] = mapped_column(_enum(AnomalyKind))
    note: Mapped[str | None] = mapped_column(sa.String(300))
    found_at: Mapped[datetime] = mapped_column(UTCDateTime)
    found_by_id: Mapped[int] = mapped_column(sa.ForeignKey("user.id"))
    resolved_at: Mapped[datetime | None] = mapped_column(UTCDateTime, index=True)
    resolved_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id"))
    resolution: Mapped[str | None] = mapped_column(sa.String(300))

    key_set: Mapped[KeySet] = relationship()
    found_by: Mapped[User] = relationship(foreign_keys=[found_by_id])
    resolved_by: Mapped[User | None] = relationship(foreign_keys=[resolved_by_id])


class KeyAudit(SiteOwned, db.Model):
    """The weekly audit of the cabinet against the register (K3)."""

    id: Mapped[int] = mapped_column(primary_key=True)
    started_at: Mapped[datetime] = mapped_column(UTCDateTime)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime, index=True)
    officer_id: Mapped[int] = mapped_column(sa.ForeignKey("user.id"))
    expected: Mapped[int] = mapped_column(default=0)
    found: Mapped[int] = mapped_column(default=0)
    anomalies: Mapped[int] = mapped_column(default=0)
    note: Mapped[str | None] = mapped_column(sa.String(300))

    officer: Mapped[User] = relationship()


class AuditResult(enum.StrEnum):
    PRESENT = "present"
    NOT_FOUND = "not_found"
    MISMATCH = "mismatch"


class KeyAuditLine(db.Model):
    """One key set ticked (or not) in a weekly audit."""

    id: Mapped[int] = mapped_column(primary_key=True)
    audit_id: Mapped[int] = mapped_column(sa.ForeignKey("key_audit.id"), index=True)
    key_set_id: Mapped[int] = mapped_column(sa.ForeignKey("key_set.id"))
    result: Mapped[AuditResult] = mapped_column(_enum(AuditResult))
    note: Mapped[str | None] = mapped_column(sa.String(300))

    key_set: Mapped[KeySet] = relationship()


class RequestKind(enum.StrEnum):
    COPY = "copy"  # another key cut for the set
    REPLACE = "replace"  # a lost or broken key (or the whole set) replaced


class RequestStatus(enum.StrEnum):
    REQUESTED = "requested"  # waiting for the supervisor's review
    REVIEWED = "reviewed"  # the supervisor supports it: waiting for the manager
    APPROVED = "approved"  # the manager approved: the key may be cut
    REFUSED = "refused"
    DONE = "done"  # the new keys are in the cabinet; the register changed


class KeyRequest(SiteOwned, db.Model):
    """Copying or replacing a key (K5): request, supervisor review, manager approval; never one's own."""

    id: Mapped[int] = mapped_column(primary_key=True)
    key_set_id: Mapped[int] = mapped_column(sa.ForeignKey("key_set.id"), index=True)
    kind: Mapped[RequestKind] = mapped_column(_enum(RequestKind))
    pieces: Mapped[int] = mapped_column(default=1)
    reason: Mapped[str] = mapped_column(sa.String(300))
    status: Mapped[RequestStatus] = mapped_column(_enum(RequestStatus), default=RequestStatus.REQUESTED, index=True)
    requested_by_id: Mapped[int] = mapped_column(sa.ForeignKey("user.id"))
    requested_at: Mapped[datetime] = mapped_column(UTCDateTime)
    reviewed_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id"))
    reviewed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    review_note: Mapped[str | None] = mapped_column(sa.String(300))
    decided_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id"))
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    decision_note: Mapped[str | None] = mapped_column(sa.String(300))
    done_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id"))
    done_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    version: Mapped[int] = mapped_column(default=1)

    key_set: Mapped[KeySet] = relationship()
    requested_by: Mapped[User] = relationship(foreign_keys=[requested_by_id])
    reviewed_by: Mapped[User | None] = relationship(foreign_keys=[reviewed_by_id])
    decided_by: Mapped[User | None] = relationship(foreign_keys=[decided_by_id])

    __mapper_args__ = {"version_id_col": version}


class OwnerHandover(SiteOwned, db.Model):
    """Keys handed to the owner at move-in (K6): identity checked, signed for."""

    id: Mapped[int] = mapped_column(primary_key=True)
    key_set_id: Mapped[int] = mapped_column(sa.ForeignKey("key_set.id"), index=True)
    household_id: Mapped[int | None] = mapped_column(sa.ForeignKey("household.id"))
    owner_name: Mapped[str] = mapped_column(sa.String(50))
    id_number_masked: Mapped[str | None] = mapped_column(sa.String(32))
    pieces: Mapped[int]
    signature_path: Mapped[str] = mapped_column(sa.String(200))
    signature_sha256: Mapped[str] = mapped_column(sa.String(64))
    handed_by_id: Mapped[int] = mapped_column(sa.ForeignKey("user.id"))
    handed_at: Mapped[datetime] = mapped_column(UTCDateTime)

    key_set: Mapped[KeySet] = relationship()
    handed_by: Mapped[User] = relationship()
