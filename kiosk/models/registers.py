"""The front desk's paper books beside the visitor book (V5, V6, V8): mail and parcels,
goods passes, lost and found, and their per-site settings.

A record that a person signed (a collection, a claim, a used pass) is never edited
afterwards (S2): its progress moves on by status, each step keeps who and when.
"""

import enum
from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from kiosk.extensions import db
from kiosk.models.base import SiteOwned, UTCDateTime, created_at_column
from kiosk.models.people import User
from kiosk.models.places import Household, Room


def _enum(kind, length=20):
    return sa.Enum(kind, native_enum=False, length=length)


class RegisterSettings(db.Model):
    """Per-site settings of the registers; a site without a row uses the defaults."""

    site_id: Mapped[int] = mapped_column(sa.ForeignKey("site.id"), primary_key=True)
    mail_overdue_days: Mapped[int] = mapped_column(default=3)
    found_keep_days: Mapped[int] = mapped_column(default=90)


# --- mail and parcels (V8) --------------------------------------------------------------


class MailKind(enum.StrEnum):
    LETTER = "letter"
    NEWSPAPER = "newspaper"
    PARCEL = "parcel"
    REGISTERED = "registered"


class MailStatus(enum.StrEnum):
    WAITING = "waiting"  # at the desk
    COLLECTED = "collected"  # signed for (or pickup code given) by the household or its authorised person


class CollectionMethod(enum.StrEnum):
    SIGNATURE = "signature"
    CODE = "code"


class MailAuthorisation(SiteOwned, db.Model):
    """A household's written authorisation for someone else to collect its mail (V8)."""

    id: Mapped[int] = mapped_column(primary_key=True)
    household_id: Mapped[int] = mapped_column(sa.ForeignKey("household.id"), index=True)
    person_name: Mapped[str] = mapped_column(sa.String(50))
    phone: Mapped[str | None] = mapped_column(sa.String(32))
    valid_until: Mapped[datetime | None] = mapped_column(UTCDateTime)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_by_id: Mapped[int] = mapped_column(sa.ForeignKey("user.id"))
    created_at: Mapped[datetime] = created_at_column()

    household: Mapped[Household] = relationship()


class MailItem(SiteOwned, db.Model):
    """Items of one kind that one courier handed over for one room; the desk signed for them."""

    id: Mapped[int] = mapped_column(primary_key=True)
    room_id: Mapped[int] = mapped_column(sa.ForeignKey("room.id"), index=True)
    household_id: Mapped[int | None] = mapped_column(sa.ForeignKey("household.id"), index=True)
    kind: Mapped[MailKind] = mapped_column(_enum(MailKind))
    count: Mapped[int] = mapped_column(default=1)
    courier: Mapped[str] = mapped_column(sa.String(40))
    tracking_no: Mapped[str | None] = mapped_column(sa.String(40))
    pickup_code: Mapped[str] = mapped_column(sa.String(8))
    status: Mapped[MailStatus] = mapped_column(_enum(MailStatus), default=MailStatus.WAITING, index=True)
    received_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    received_by_id: Mapped[int] = mapped_column(sa.ForeignKey("user.id"))  # signed on the household's behalf
    notified_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    collected_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    collected_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id"))  # the desk that handed out
    collector_name: Mapped[str | None] = mapped_column(sa.String(50))
    authorisation_id: Mapped[int | None] = mapped_column(sa.ForeignKey("mail_authorisation.id"))
    method: Mapped[CollectionMethod | None] = mapped_column(_enum(CollectionMethod))
    signature_path: Mapped[str | None] = mapped_column(sa.String(200))
    signature_sha256: Mapped[str | None] = mapped_column(sa.String(64))

    room: Mapped[Room] = relationship()
    household: Mapped[Household | None] = relationship()
    received_by: Mapped[User] = relationship(foreign_keys=[received_by_id])
    collected_by: Mapped[User | None] = relationship(foreign_keys=[collected_by_id])
    authorisation: Mapped[MailAuthorisation | None] = relationship()


# --- goods passes (V6) ------------------------------------------------------------------


class Direction(enum.StrEnum):
    IN = "in"
    OUT = "out"


class RequesterKind(enum.StrEnum):
    HOUSEHOLD = "household"
    COMPANY = "company"


class Consent(enum.StrEnum):
    OWNER = "owner"  # the owner of the room agreed (households)
    SIGNATORY = "signatory"  # a company's authorised signatory signed
    SEAL = "seal"  # the company's seal is on the request


class CompanySignatory(SiteOwned, db.Model):
    """A person who may sign for a company taking goods out (V6), on file from the company's
    letter; supervisors keep the list. Removed, not deleted: who, when and why stay."""

    id: Mapped[int] = mapped_column(primary_key=True)
    company_name: Mapped[str] = mapped_column(sa.String(80))
    company_key: Mapped[str] = mapped_column(sa.String(80), index=True)  # names.normalise_name
    person_name: Mapped[str] = mapped_column(sa.String(50))
    person_key: Mapped[str] = mapped_column(sa.String(50))
    phone: Mapped[str | None] = mapped_column(sa.String(32))
    created_at: Mapped[datetime] = created_at_column()
    created_by_id: Mapped[int] = mapped_column(sa.ForeignKey("user.id"))
    removed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    removed_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id"))
    remove_reason: Mapped[str | None] = mapped_column(sa.String(200))

    created_by: Mapped[User] = relationship(foreign_keys=[created_by_id])
    removed_by: Mapped[User | None] = relationship(foreign_keys=[removed_by_id])


class Hazard(enum.StrEnum):
    NONE = "none"
    FLAMMABLE = "flammable"
    EXPLOSIVE = "explosive"
    TOXIC = "toxic"
    CORROSIVE = "corrosive"


class PassStatus(enum.StrEnum):
    REQUESTED = "requested"
    APPROVED = "approved"
    REFUSED = "refused"
    USED = "used"
    CANCELLED = "cancelled"


class GoodsPass(SiteOwned, db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(sa.String(12), unique=True)  # on the QR code
    requester_kind: Mapped[RequesterKind] = mapped_column(_enum(RequesterKind))
    room_id: Mapped[int | None] = mapped_column(sa.ForeignKey("room.id"), index=True)
    company_name: Mapped[str | None] = mapped_column(sa.String(80))
    carrier_name: Mapped[str] = mapped_column(sa.String(50))
    carrier_phone: Mapped[str | None] = mapped_column(sa.String(32))
    direction: Mapped[Direction] = mapped_column(_enum(Direction))
    valid_from: Mapped[datetime] = mapped_column(UTCDateTime)
    valid_until: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    consent: Mapped[Consent | None] = mapped_column(_enum(Consent))
    consent_by: Mapped[str | None] = mapped_column(sa.String(50))
    lift: Mapped[str | None] = mapped_column(sa.String(20))
    slot_start: Mapped[datetime | None] = mapped_column(UTCDateTime)
    status: Mapped[PassStatus] = mapped_column(_enum(PassStatus), default=PassStatus.REQUESTED, index=True)
    refusal_reason: Mapped[str | None] = mapped_column(sa.String(200))
    created_at: Mapped[datetime] = created_at_column()
    created_by_id: Mapped[int] = mapped_column(sa.ForeignKey("user.id"))
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    decided_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id"))
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    used_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id"))

    room: Mapped[Room | None] = relationship()
    items: Mapped[list["GoodsItem"]] = relationship(
        back_populates="goods_pass", order_by="GoodsItem.id", cascade="all, delete-orphan"
    )
    created_by: Mapped[User] = relationship(foreign_keys=[created_by_id])
    decided_by: Mapped[User | None] = relationship(foreign_keys=[decided_by_id])
    used_by: Mapped[User | None] = relationship(foreign_keys=[used_by_id])


class GoodsItem(db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    pass_id: Mapped[int] = mapped_column(sa.ForeignKey("goods_pass.id"), index=True)
    name: Mapped[str] = mapped_column(sa.String(60))
    quantity: Mapped[int]
    hazard: Mapped[Hazard] = mapped_column(_enum(Hazard), default=Hazard.NONE)

    goods_pass: Mapped[GoodsPass] = relationship(back_populates="items")


class LiftBooking(SiteOwned, db.Model):
    """One moving slot of one lift, held by one pass: the unique key refuses a second
    booking even when two desks approve at the same moment (V6)."""

    id: Mapped[int] = mapped_column(primary_key=True)
    lift: Mapped[str] = mapped_column(sa.String(20))
    slot_start: Mapped[datetime] = mapped_column(UTCDateTime)
    pass_id: Mapped[int] = mapped_column(sa.ForeignKey("goods_pass.id"), unique=True)

    __table_args__ = (sa.UniqueConstraint("site_id", "lift", "slot_start"),)


# --- lost and found (V5) ----------------------------------------------------------------


class FoundStatus(enum.StrEnum):
    STORED = "stored"
    CLAIMED = "claimed"
    POLICE = "police"  # handed to the police
    DISPOSED = "disposed"  # after the keeping period


class FoundItem(SiteOwned, db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    description: Mapped[str] = mapped_column(sa.String(200))
    found_place: Mapped[str] = mapped_column(sa.String(80))
    found_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    found_by: Mapped[str] = mapped_column(sa.String(50))
    storage_place: Mapped[str] = mapped_column(sa.String(80))
    photo_path: Mapped[str | None] = mapped_column(sa.String(200))
    photo_sha256: Mapped[str | None] = mapped_column(sa.String(64))
    status: Mapped[FoundStatus] = mapped_column(_enum(FoundStatus), default=FoundStatus.STORED, index=True)
    recorded_at: Mapped[datetime] = created_at_column()
    recorded_by_id: Mapped[int] = mapped_column(sa.ForeignKey("user.id"))
    # Claimed, handed to the police, or disposed of: who did it and when.
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    closed_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id"))
    claimant_name: Mapped[str | None] = mapped_column(sa.String(50))
    claimant_id_masked: Mapped[str | None] = mapped_column(sa.String(32))  # ID checked, kept masked (S3)
    signature_path: Mapped[str | None] = mapped_column(sa.String(200))
    signature_sha256: Mapped[str | None] = mapped_column(sa.String(64))
    close_note: Mapped[str | None] = mapped_column(sa.String(200))  # police station / receipt no. / how disposed

    recorded_by: Mapped[User] = relationship(foreign_keys=[recorded_by_id])
    closed_by: Mapped[User | None] = relationship(foreign_keys=[closed_by_id])


# --- decoration-worker passes (V7) ------------------------------------------------------


class WorkerPass(SiteOwned, db.Model):
    """装修工人临时出入证: a worker of a room's decoration, valid from one day to another
    (site-local dates, both included) unless revoked."""

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(sa.String(12), unique=True)
    room_id: Mapped[int] = mapped_column(sa.ForeignKey("room.id"), index=True)
    worker_name: Mapped[str] = mapped_column(sa.String(50))
    phone: Mapped[str] = mapped_column(sa.String(32))
    company: Mapped[str | None] = mapped_column(sa.String(80))
    photo_path: Mapped[str | None] = mapped_column(sa.String(200))
    photo_sha256: Mapped[str | None] = mapped_column(sa.String(64))
    valid_from: Mapped[date] = mapped_column(sa.Date)
    valid_until: Mapped[date] = mapped_column(sa.Date, index=True)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    revoked_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id"))
    revoke_reason: Mapped[str | None] = mapped_column(sa.String(200))
    created_at: Mapped[datetime] = created_at_column()
    created_by_id: Mapped[int] = mapped_column(sa.ForeignKey("user.id"))

    room: Mapped[Room] = relationship()
    created_by: Mapped[User] = relationship(foreign_keys=[created_by_id])
    revoked_by: Mapped[User | None] = relationship(foreign_keys=[revoked_by_id])


class WorkerSignIn(SiteOwned, db.Model):
    """A worker's sign-in at the kiosk: the visit it made (on site, no host loop)."""

    id: Mapped[int] = mapped_column(primary_key=True)
    pass_id: Mapped[int] = mapped_column(sa.ForeignKey("worker_pass.id"), index=True)
    visit_id: Mapped[int] = mapped_column(sa.ForeignKey("visit.id"), unique=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime)

    worker_pass: Mapped[WorkerPass] = relationship()


# --- notices (V9) ----------------------------------------------------------------------


class Channel(enum.StrEnum):
    POSTING = "posting"  # posted on notice boards
    DELIVERY = "delivery"  # delivered to each household, signed for
    PHONE = "phone"
    FAX = "fax"
    KIOSK = "kiosk"  # the lobby kiosk's welcome screen


class NoticeStatus(enum.StrEnum):
    DRAFT = "draft"
    SUBMITTED = "submitted"
    APPROVED = "approved"
    PUBLISHED = "published"
    WITHDRAWN = "withdrawn"


class Notice(SiteOwned, db.Model):
    """信息发布: drafted with a channel, approved by a supervisor (an outage notice by the
    centre's manager first), then published; a posted notice is taken down by whoever posted
    it, with a reminder when it is due."""

    id: Mapped[int] = mapped_column(primary_key=True)
    channel: Mapped[Channel] = mapped_column(_enum(Channel))
    outage: Mapped[bool] = mapped_column(default=False)  # 停水停电
    title_zh: Mapped[str] = mapped_column(sa.String(80))
    title_en: Mapped[str | None] = mapped_column(sa.String(120))
    body_zh: Mapped[str] = mapped_column(sa.String(1000))
    body_en: Mapped[str | None] = mapped_column(sa.String(1500))
    show_from: Mapped[datetime] = mapped_column(UTCDateTime)
    show_until: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    status: Mapped[NoticeStatus] = mapped_column(_enum(NoticeStatus), default=NoticeStatus.DRAFT, index=True)
    created_at: Mapped[datetime] = created_at_column()
    created_by_id: Mapped[int] = mapped_column(sa.ForeignKey("user.id"))
    approved_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    approved_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id"))
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    published_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id"))
    withdrawn_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    withdrawn_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id"))
    removed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)  # a posting taken down
    removed_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id"))

    created_by: Mapped[User] = relationship(foreign_keys=[created_by_id])
    approved_by: Mapped[User | None] = relationship(foreign_keys=[approved_by_id])
    published_by: Mapped[User | None] = relationship(foreign_keys=[published_by_id])
    withdrawn_by: Mapped[User | None] = relationship(foreign_keys=[withdrawn_by_id])
    removed_by: Mapped[User | None] = relationship(foreign_keys=[removed_by_id])


class NoticeSignOff(SiteOwned, db.Model):
    """A delivered notice signed for by a household (V9)."""

    id: Mapped[int] = mapped_column(primary_key=True)
    notice_id: Mapped[int] = mapped_column(sa.ForeignKey("notice.id"), index=True)
    household_id: Mapped[int] = mapped_column(sa.ForeignKey("household.id"))
    signed_by: Mapped[str] = mapped_column(sa.String(50))
    signed_at: Mapped[datetime] = mapped_column(UTCDateTime)
    recorded_by_id: Mapped[int] = mapped_column(sa.ForeignKey("user.id"))
    signature_path: Mapped[str | None] = mapped_column(sa.String(200))
    signature_sha256: Mapped[str | None] = mapped_column(sa.String(64))

    household: Mapped[Household] = relationship()

    __table_args__ = (sa.UniqueConstraint("notice_id", "household_id"),)
