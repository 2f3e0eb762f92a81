"""Staff accounts: sign-in with lockout, account creation. No request objects here."""
from dataclasses import dataclass
from datetime import datetime, timedelta
import math

import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from kiosk import audit
from kiosk.extensions import db
from kiosk.models import LoginAttempt, Role, Site, User


@dataclass(frozen=True)
class SignIn:
    user: User | None = None
    locked_minutes: int = 0  # > 0: refused because of too many failures

    @property
    def ok(self) -> bool:
        return self.user is not None


def _recent_failures(username: str, since: datetime) -> list[datetime]:
    last_success = db.session.scalar(
        sa.select(sa.func.max(LoginAttempt.at)).where(
            LoginAttempt.username == username, LoginAttempt.succeeded.is_(True)
        )
    )
    query = sa.select(LoginAttempt.at).where(
        LoginAttempt.username == username,
        LoginAttempt.succeeded.is_(False),
        LoginAttempt.at >= since,
    )
    if last_success is not None:
        query = query.where(LoginAttempt.at > last_success)
    return list(db.session.scalars(query.order_by(LoginAttempt.at)))


def sign_in(
    username: str,
    password: str,
    *,
    now: datetime,
    remote_addr: str | None,
    max_failures: int,
    window: timedelta,
) -> SignIn:
    """Check a username and password. Unknown users and wrong passwords look the same.

    After `max_failures` failures within `window` the username is locked until the
    oldest of them leaves the window; attempts while locked are refused unchecked.
    """
    username = username.strip().lower()
    failures = _recent_failures(username, now - window)
    if len(failures) >= max_failures:
        unlock_at = failures[-max_failures] + window
        minutes = max(1, math.ceil((unlock_at - now).total_seconds() / 60))
        return SignIn(locked_minutes=minutes)

    user = db.session.scalar(sa.select(User).where(User.username == username))
    ok = user is not None and user.active and user.check_password(password)
    db.session.add(
        LoginAttempt(username=username, remote_addr=remote_addr, succeeded=ok, at=now)
    )
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
    return list(db.session.scalars(
        sa.select(User).where(User.site_id == site_id).options(selectinload(User.department))
        .order_by(User.active.desc(), User.username)
    ))


def change_password(user: User, current: str, new: str) -> bool:
    """Set a new password if `current` is right; audited either way."""
    if not user.check_password(current):
        audit.record(user, "user.password_change_refused", user)
        db.session.commit()
        return False
    user.set_password(new)
    audit.record(user, "user.password_changed", user)
    db.session.commit()
    return True


def set_active(user: User, active: bool, *, actor: User) -> None:
    if user.id == actor.id:
        raise ValueError("an account cannot deactivate itself")
    user.active = active
    audit.record(actor, "user.activated" if active else "user.deactivated", user)
    db.session.commit()
