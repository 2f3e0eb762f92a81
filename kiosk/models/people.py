"""Staff accounts and login attempts."""

import enum
from datetime import datetime

import sqlalchemy as sa
from flask_login import UserMixin
from sqlalchemy.orm import Mapped, mapped_column, relationship
from werkzeug.security import check_password_hash, generate_password_hash

from kiosk.extensions import db
from kiosk.models.base import SiteOwned, UTCDateTime, created_at_column
from kiosk.models.places import Department

# werkzeug's scrypt with a random salt; the test suite swaps in a cheap method for speed.
PASSWORD_METHOD = "scrypt"


class Role(enum.StrEnum):
    RECEPTIONIST = "receptionist"
    OFFICER = "officer"
    SUPERVISOR = "supervisor"
    MANAGER = "manager"
    DUTY_MANAGER = "duty_manager"
    DEPARTMENT = "department"
    ADMIN = "admin"


class User(UserMixin, SiteOwned, db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(sa.String(40), unique=True)
    display_name: Mapped[str] = mapped_column(sa.String(50))
    phone: Mapped[str | None] = mapped_column(sa.String(32))
    role: Mapped[Role] = mapped_column(sa.Enum(Role, native_enum=False, length=20))
    department_id: Mapped[int | None] = mapped_column(sa.ForeignKey("department.id"))
    password_hash: Mapped[str] = mapped_column(sa.String(255))
    active: Mapped[bool] = mapped_column(default=True)
    locale: Mapped[str | None] = mapped_column(sa.String(16))
    created_at: Mapped[datetime] = created_at_column()
    # Raised by sign-out, password change and deactivation: every session (console or
    # tablet) carries the epoch it was signed in at and ends when it is no longer current.
    session_epoch: Mapped[int] = mapped_column(default=0, server_default="0")
    # Created by the administrator with a business role: no sign-in until a manager approves.
    awaiting_approval: Mapped[bool] = mapped_column(default=False, server_default=sa.false())
    # A one-time set-password link: only its SHA-256 is kept, with its expiry.
    password_link_digest: Mapped[str | None] = mapped_column(sa.String(64), unique=True, index=True)
    password_link_expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    department: Mapped[Department | None] = relationship()

    def set_password(self, password: str) -> None:
        self.password_hash = generate_password_hash(password, method=PASSWORD_METHOD)

    def check_password(self, password: str) -> bool:
        return check_password_hash(self.password_hash, password)

    @property
    def is_active(self) -> bool:  # Flask-Login refuses inactive accounts
        return self.active


class LoginAttempt(db.Model):
    """Every login attempt, kept for lockout (and for the audit of who tried what)."""

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(sa.String(40), index=True)
    remote_addr: Mapped[str | None] = mapped_column(sa.String(64), index=True)
    succeeded: Mapped[bool]
    at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
