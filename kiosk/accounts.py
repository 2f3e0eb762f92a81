"""Staff accounts: sign-in with lockout, account creation. No request objects here."""

import math
from dataclasses import dataclass
from datetime import datetime, timedelta

import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from kiosk import audit
from kiosk.extensions import db
from kiosk.models import LoginAttempt, Role, Site, User


@dataclass(frozen=True)
class SignIn:
    user: User | None = None
    locked_minutes: int = 0  # > 0: refused because of too many failures
    locked_scope: str = ""  # "account" (this username from this address) or "address"

    @property
    def ok(self) -> bool:
        return self.user is not None


@dataclass(frozen=True)
class Throttle:
    """The sign-in limits (config LOGIN_MAX_FAILURES, LOGIN_MAX_FAILURES_PER_ADDRESS,
    LOGIN_FAILURE_WINDOW_MINUTES)."""

    max_failures: int = 5
    max_address_failures: int = 30
    window: timedelta = timedelta(minutes=15)

    @classmethod
    def from_config(cls, config) -> "Throttle":
        return cls(
            max_failures=config["LOGIN_MAX_FAILURES"],
            max_address_failures=config["LOGIN_MAX_FAILURES_PER_ADDRESS"],
            window=timedelta(minutes=config["LOGIN_FAILURE_WINDOW_MINUTES"]),
        )


def _minutes_until(oldest: datetime, window: timedelta, now: datetime) -> int:
    return max(1, math.ceil((oldest + window - now).total_seconds() / 60))


def _address_failures(remote_addr: str | None, since: datetime) -> list[datetime]:
    """Failures from one address, any username, within the window (a success does not
    reset them: one's own account must not open the way to spraying others)."""
    return list(
        db.session.scalars(
            sa.select(LoginAttempt.at)
            .where(
                LoginAttempt.remote_addr == remote_addr,
                LoginAttempt.succeeded.is_(False),
                LoginAttempt.at >= since,
            )
            .order_by(LoginAttempt.at)
        )
    )


def _pair_failures(username: str, remote_addr: str | None, since: datetime) -> list[datetime]:
    """Failures of one username from one address within the window, since its last success there."""
    pair = (LoginAttempt.username == username, LoginAttempt.remote_addr == remote_addr)
    last_success = db.session.scalar(
        sa.select(sa.func.max(LoginAttempt.at)).where(*pair, LoginAttempt.succeeded.is_(True))
    )
    query = sa.select(LoginAttempt.at).where(*pair, LoginAttempt.succeeded.is_(False), LoginAttempt.at >= since)
    if last_success is not None:
        query = query.where(LoginAttempt.at > last_success)
    return list(db.session.scalars(query.order_by(LoginAttempt.at)))


def sign_in(
    username: str,
    password: str,
    *,
    now: datetime,
    remote_addr: str | None,
    throttle: Throttle | None = None,
) -> SignIn:
    """Check a username and password. Unknown users and wrong passwords look the same.

    Throttling, counted in the database (login_attempt) so that it holds across worker
    processes, with two limits:

    - per (username, address): after `max_failures` failures within `window` this username
      is refused *from this address* until the oldest of them leaves the window. A lock
      keyed on the username alone would let anyone lock any colleague out for the whole
      window by failing on purpose; keyed on the pair, a stranger locks only himself,
      and the owner still signs in from his own desk or tablet.
    - per address: after `max_address_failures` failures from one address within the
      window (any usernames, successes do not reset it), that address is refused. This
      slows a password tried across many usernames, which the pair limit never sees.
      It is higher than the pair limit because a service centre's desks can share one
      address behind the office router.

    What is left: an attacker with many addresses gets `max_failures` guesses per username
    per address per window, which the audit trail of attempts shows; a hard lock by
    username would turn that into a denial of service against the staff, which a front
    desk cannot afford. Attempts while refused are refused unchecked (and not counted, so
    a lock never extends itself).
    """
    throttle = throttle or Throttle()
    username = username.strip().lower()
    since = now - throttle.window
    failures = _address_failures(remote_addr, since)
    if len(failures) >= throttle.max_address_failures:
        oldest = failures[-throttle.max_address_failures]
        return SignIn(locked_minutes=_minutes_until(oldest, throttle.window, now), locked_scope="address")
    failures = _pair_failures(username, remote_addr, since)
    if len(failures) >= throttle.max_failures:
        oldest = failures[-throttle.max_failures]
        return SignIn(locked_minutes=_minutes_until(oldest, throttle.window, now), locked_scope="account")

    user = db.session.scalar(sa.select(User).where(User.username == username))
    ok = user is not None and user.active and not user.awaiting_approval and user.check_password(password)
    db.session.add(LoginAttempt(username=username, remote_addr=remote_addr, succeeded=ok, at=now))
    if ok:
        audit.record(user, "auth.sign_in")
    db.session.commit()
    return SignIn(user=user if ok else None)


def create_user(
    site: Site,
    username: str,
    display_name: str,
    role: Role,
    password: str,
    *,
    phone: str | None = None,
    department_id: int | None = None,
    actor: User | None = None,
) -> User:
    user = User(
        site=site,
        username=username.strip().lower(),
        display_name=display_name,
        role=role,
        phone=phone,
        department_id=department_id,
    )
    user.set_password(password)
    db.session.add(user)
    db.session.flush()
    audit.record(actor, "user.create", user, site_id=site.id, details={"role": str(role)})
    return user


def site_staff(site_id: int) -> list[User]:
    """The site's accounts, active first, each with its department (one query for them all)."""
    return list(
        db.session.scalars(
            sa.select(User)
            .where(User.site_id == site_id)
            .options(selectinload(User.department))
            .order_by(User.active.desc(), User.username)
        )
    )


def end_sessions(user: User) -> None:
    """End every session of the account, console and tablet (access.session_is_current)."""
    user.session_epoch = (user.session_epoch or 0) + 1


def sign_out(user: User) -> None:
    """Signing out ends every session of the account, not only this browser's cookie."""
    end_sessions(user)
    audit.record(user, "auth.sign_out")
    db.session.commit()


def change_password(user: User, current: str, new: str) -> bool:
    """Set a new password if `current` is right; audited either way. Every other session
    of the account ends (the caller starts the changer's session afresh)."""
    if not user.check_password(current):
        audit.record(user, "user.password_change_refused", user)
        db.session.commit()
        return False
    user.set_password(new)
    end_sessions(user)
    audit.record(user, "user.password_changed", user)
    db.session.commit()
    return True


def set_active(user: User, active: bool, *, actor: User) -> None:
    if user.id == actor.id:
        raise ValueError("an account cannot deactivate itself")
    user.active = active
    end_sessions(user)
    audit.record(actor, "user.activated" if active else "user.deactivated", user)
    db.session.commit()
