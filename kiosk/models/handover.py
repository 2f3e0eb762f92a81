"""Shift handover (rule H1): a log per front-desk shift, its entries and remarks, the
pending items handed over, and the daily review by the manager or duty head (S2)."""

import enum
from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from kiosk.extensions import db
from kiosk.models.base import SiteOwned, UTCDateTime
from kiosk.models.people import User


def _enum(kind, length=20):
    return sa.Enum(kind, native_enum=False, length=length)


class ShiftStatus(enum.StrEnum):
    OPEN = "open"  # the shift is running; entries are added
    HANDED = "handed"  # the outgoing signed; waiting for the incoming
    REFUSED = "refused"  # the incoming refused with questions; the supervisor sees it
    ACCEPTED = "accepted"  # the incoming accepted: the handover is over, the log is closed


class ShiftLog(SiteOwned, db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    day: Mapped[date] = mapped_column(index=True)  # the site-local day the shift began
    status: Mapped[ShiftStatus] = mapped_column(_enum(ShiftStatus), default=ShiftStatus.OPEN, index=True)
    opened_at: Mapped[datetime] = mapped_column(UTCDateTime)
    outgoing_id: Mapped[int] = mapped_column(sa.ForeignKey("user.id"))
    signed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # What was pending when the outgoing signed (gathered from the registers), kept as handed over.
    pending: Mapped[list | None] = mapped_column(sa.JSON)
    keys_in_register: Mapped[int | None]
    incoming_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id"))
    keys_counted: Mapped[int | None]
    mismatch_note: Mapped[str | None] = mapped_column(sa.String(300))
    equipment_checked: Mapped[bool] = mapped_column(default=False)  # checked together by both (H1)
    refused_count: Mapped[int] = mapped_column(default=0)
    accepted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Drawn signatures (kiosk.signatures, under the photo root): the outgoing's on handing over
    # (the latest, after a refusal), the incoming's on accepting.
    outgoing_signature_path: Mapped[str | None] = mapped_column(sa.String(200))
    outgoing_signature_sha256: Mapped[str | None] = mapped_column(sa.String(64))
    incoming_signature_path: Mapped[str | None] = mapped_column(sa.String(200))
    incoming_signature_sha256: Mapped[str | None] = mapped_column(sa.String(64))
    version: Mapped[int] = mapped_column(default=1)

    outgoing: Mapped[User] = relationship(foreign_keys=[outgoing_id])
    incoming: Mapped[User | None] = relationship(foreign_keys=[incoming_id])
    entries: Mapped[list["ShiftEntry"]] = relationship(order_by="ShiftEntry.id", back_populates="log")

    __mapper_args__ = {"version_id_col": version}


class EntryKind(enum.StrEnum):
    EVENT = "event"  # what happened during the shift
    NOTE = "note"  # a free note for the next shift
    REFUSAL = "refusal"  # the incoming's questions when refusing
    ANSWER = "answer"  # the outgoing's answer to them
    REMARK = "remark"  # appended after signing (S2: nothing signed is changed)


class ShiftEntry(db.Model):
    """A line of a shift log. Entries are never edited or deleted."""

    id: Mapped[int] = mapped_column(primary_key=True)
    log_id: Mapped[int] = mapped_column(sa.ForeignKey("shift_log.id"), index=True)
    kind: Mapped[EntryKind] = mapped_column(_enum(EntryKind))
    at: Mapped[datetime] = mapped_column(UTCDateTime)
    by_id: Mapped[int] = mapped_column(sa.ForeignKey("user.id"))
    text: Mapped[str] = mapped_column(sa.String(1000))

    log: Mapped[ShiftLog] = relationship(back_populates="entries")
    by: Mapped[User] = relationship()


class DayReview(SiteOwned, db.Model):
    """The manager's or duty head's signature under one day's handovers (H1)."""

    id: Mapped[int] = mapped_column(primary_key=True)
    day: Mapped[date]
    signed_by_id: Mapped[int] = mapped_column(sa.ForeignKey("user.id"))
    signed_at: Mapped[datetime] = mapped_column(UTCDateTime)
    note: Mapped[str | None] = mapped_column(sa.String(500))

    signed_by: Mapped[User] = relationship()

    __table_args__ = (sa.UniqueConstraint("site_id", "day"),)
