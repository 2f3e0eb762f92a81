"""Visits (访客登记), expected visitors, the watch list and the lobby settings (V1-V4)."""

import enum
from datetime import date, datetime, time

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from kiosk.extensions import db
from kiosk.models.base import SiteOwned, UTCDateTime, created_at_column
from kiosk.models.places import Room


def _enum(kind, length=20):
    return sa.Enum(kind, native_enum=False, length=length)


class Purpose(enum.StrEnum):
    VISIT = "visit"
    DELIVERY = "delivery"
    WORKS = "works"  # decoration or repair work
    INTERVIEW = "interview"
    OTHER = "other"


class VisitStatus(enum.StrEnum):
    WAITING = "waiting"  # registered; the desk is contacting the host (V4)
    HELD = "held"  # matched the watch list: waits for a staff decision
    ON_SITE = "on_site"  # host agreed; visitor in the building
    TURNED_AWAY = "turned_away"  # host not in, or refused by staff
    LEFT = "left"  # checked out


class Outcome(enum.StrEnum):
    """What the front desk tells the waiting visitor (V4)."""

    COMING_DOWN = "coming_down"
    GO_UP = "go_up"  # take the lift to floor N
    WAIT_LOUNGE = "wait_lounge"
    NOT_IN = "not_in"


class Desk(enum.StrEnum):
    """Who handles a registration: the receptionist by day, the duty manager at night (V2)."""

    RECEPTION = "reception"
    DUTY = "duty"


class Departure(enum.StrEnum):
    KIOSK = "kiosk"
    STAFF = "staff"
    AUTO = "auto"  # still on site at the site's closing time


class Visit(SiteOwned, db.Model):
    """One registration. The registration is never edited (V1): corrections are
    VisitCorrection rows; only the visit's progress (outcome, departure) moves on."""

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(sa.String(12))  # short code shown to the visitor (QR)
    # None: the visitor came to the property service centre itself.
    room_id: Mapped[int | None] = mapped_column(sa.ForeignKey("room.id"), index=True)
    visitor_name: Mapped[str | None] = mapped_column(sa.String(50))
    visitor_phone: Mapped[str | None] = mapped_column(sa.String(32))  # E.164
    phone_last4: Mapped[str | None] = mapped_column(sa.String(4))
    name_pinyin: Mapped[str | None] = mapped_column(sa.String(200))  # "zhang san"
    name_initials: Mapped[str | None] = mapped_column(sa.String(50))  # "zs"
    id_number_masked: Mapped[str | None] = mapped_column(sa.String(32))
    party_size: Mapped[int] = mapped_column(default=1)
    purpose: Mapped[Purpose] = mapped_column(_enum(Purpose))
    plate: Mapped[str | None] = mapped_column(sa.String(12))
    desk: Mapped[Desk] = mapped_column(_enum(Desk), default=Desk.RECEPTION)
    status: Mapped[VisitStatus] = mapped_column(_enum(VisitStatus), default=VisitStatus.WAITING)
    # Watch-list match: the visitor is not told (the kiosk shows the ordinary waiting screen).
    watch_entry_id: Mapped[int | None] = mapped_column(sa.ForeignKey("watch_entry.id"))
    expected_visit_id: Mapped[int | None] = mapped_column(sa.ForeignKey("expected_visit.id"), index=True)
    # Where it came from: a kiosk (device) or a member of staff at the desk.
    device_id: Mapped[int | None] = mapped_column(sa.ForeignKey("device.id"))
    registered_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id"))
    # Time of the action on the device, and when the server received it (OFFLINE.md 5).
    action_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    received_at: Mapped[datetime] = mapped_column(UTCDateTime)
    registered_offline: Mapped[bool] = mapped_column(default=False)
    outcome: Mapped[Outcome | None] = mapped_column(_enum(Outcome))
    outcome_floor: Mapped[int | None]
    outcome_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    outcome_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id"))
    departed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    departure: Mapped[Departure | None] = mapped_column(_enum(Departure))
    departed_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id"))
    # Personal data removed after the retention period (S3); counts stay.
    purged_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    room: Mapped[Room | None] = relationship()
    watch_entry: Mapped["WatchEntry | None"] = relationship()
    expected_visit: Mapped["ExpectedVisit | None"] = relationship(foreign_keys=[expected_visit_id])

    __table_args__ = (
        sa.UniqueConstraint("site_id", "code"),
        sa.Index("ix_visit_site_status", "site_id", "status"),
        sa.Index("ix_visit_site_action", "site_id", "action_at", "id"),
        # The lobby board: who left today, who was turned away today (index ranges, not scans).
        sa.Index("ix_visit_site_departed", "site_id", "departed_at"),
        sa.Index("ix_visit_site_status_action", "site_id", "status", "action_at"),
        # Search by a phone's last 4 digits: both columns, so that no other index on the site
        # looks as good to a planner without statistics.
        sa.Index("ix_visit_site_phone_last4", "site_id", "phone_last4"),
    )


class VisitCorrection(SiteOwned, db.Model):
    """A correction of a registration (V1): the original stays; this says what was wrong."""

    id: Mapped[int] = mapped_column(primary_key=True)
    visit_id: Mapped[int] = mapped_column(sa.ForeignKey("visit.id"), index=True)
    field: Mapped[str] = mapped_column(sa.String(30))
    value: Mapped[str | None] = mapped_column(sa.String(200))  # the corrected value
    reason: Mapped[str] = mapped_column(sa.String(200))
    by_id: Mapped[int] = mapped_column(sa.ForeignKey("user.id"))
    at: Mapped[datetime] = created_at_column()

    visit: Mapped[Visit] = relationship(backref=db.backref("corrections", order_by="VisitCorrection.id"))


class ExpectedVisit(SiteOwned, db.Model):
    """A visitor announced in advance for a room and a day; the code is valid that day only."""

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(sa.String(12))
    room_id: Mapped[int | None] = mapped_column(sa.ForeignKey("room.id"))
    day: Mapped[date] = mapped_column(sa.Date, index=True)  # in the site's time zone
    visitor_name: Mapped[str | None] = mapped_column(sa.String(50))
    visitor_phone: Mapped[str | None] = mapped_column(sa.String(32))
    party_size: Mapped[int] = mapped_column(default=1)
    purpose: Mapped[Purpose] = mapped_column(_enum(Purpose), default=Purpose.VISIT)
    plate: Mapped[str | None] = mapped_column(sa.String(12))
    note: Mapped[str | None] = mapped_column(sa.String(200))
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id"))
    created_at: Mapped[datetime] = created_at_column()
    cancelled_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    purged_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    room: Mapped[Room | None] = relationship()

    __table_args__ = (sa.UniqueConstraint("site_id", "code"),)


class WatchEntry(SiteOwned, db.Model):
    """A person the supervisors want held for a decision when they register."""

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str | None] = mapped_column(sa.String(50))
    aliases: Mapped[str | None] = mapped_column(sa.String(300))  # comma or newline separated
    phone: Mapped[str | None] = mapped_column(sa.String(32), index=True)  # E.164
    # Matching is exact on the ID number, so only a keyed hash and a masked form are kept.
    id_number_hash: Mapped[str | None] = mapped_column(sa.String(64), index=True)
    id_number_masked: Mapped[str | None] = mapped_column(sa.String(32))
    reason: Mapped[str] = mapped_column(sa.String(200))
    active: Mapped[bool] = mapped_column(default=True)
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id"))
    created_at: Mapped[datetime] = created_at_column()


class LobbySettings(SiteOwned, db.Model):
    """Per-site settings of the lobby kiosk and the visitor log."""

    id: Mapped[int] = mapped_column(primary_key=True)
    ask_id_number: Mapped[bool] = mapped_column(default=False)
    idle_seconds: Mapped[int] = mapped_column(default=60)
    retention_days: Mapped[int] = mapped_column(default=180)
    # Visitors still on site at this local time are checked out automatically.
    closing_time: Mapped[time] = mapped_column(sa.Time, default=time(23, 0))
    notice_zh: Mapped[str | None] = mapped_column(sa.String(500))
    notice_en: Mapped[str | None] = mapped_column(sa.String(500))

    __table_args__ = (sa.UniqueConstraint("site_id"),)
