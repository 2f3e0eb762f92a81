"""New accounts without a password anyone else knows, and a second person for business
data (issue 11: "The admin can give itself business data"). Plain Python, no request.

The administrator (系统管理员) sets up accounts but sees no business data. Were it to
choose the password of a supervisor account, it could sign in as that supervisor and
read the visitors' phone numbers. So:

- Every new account gets no password: its owner sets one through a one-time
  set-password link (valid PASSWORD_LINK_HOURS, only its SHA-256 kept, shown once to
  whoever is entitled to hand it over). Nobody but the owner ever knows the password.
- An account with a business role (anything but admin) created by the administrator
  waits for a manager's approval (客服经理, the person answerable for who sees residents'
  data): it cannot sign in, and no set-password link exists, until a manager of the
  site approves it; the link is then shown to the manager, never to the administrator.
  A manager creating an account is that second person already.
- Set-password links: a manager issues them for the site's business accounts, the
  administrator only for administrator accounts (a forgotten password).

Every step is audited: requested, approved, refused, link issued, password set.
"""

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from kiosk import audit
from kiosk.accounts import create_user, end_sessions
from kiosk.extensions import db
from kiosk.models import Role, Site, User


class NotAllowed(Exception):
    """The actor may not do this to this account."""


@dataclass(frozen=True)
class Opened:
    user: User
    link_token: str | None  # None: the account waits for a manager's approval


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def needs_approval(actor: User, role: Role) -> bool:
    return actor.role == Role.ADMIN and role != Role.ADMIN


def may_issue_link(actor: User, user: User) -> bool:
    """Who may hand over a set-password link for `user` (same site, active, approved)."""
    if user.site_id != actor.site_id or not user.active or user.awaiting_approval or user.id == actor.id:
        return False
    if actor.role == Role.MANAGER:
        return user.role != Role.ADMIN
    if actor.role == Role.ADMIN:
        return user.role == Role.ADMIN
    return False


def issue_link(user: User, *, actor: User, now: datetime, hours: int) -> str:
    """A new one-time link token for `user` (any earlier link stops working)."""
    if not may_issue_link(actor, user):
        raise NotAllowed("link")
    token = secrets.token_urlsafe(32)
    user.password_link_digest = _digest(token)
    user.password_link_expires_at = now + timedelta(hours=hours)
    audit.record(actor, "user.password_link_issued", user, details={"hours": hours})
    return token


def open_account(
    site: Site,
    username: str,
    display_name: str,
    role: Role,
    *,
    actor: User,
    now: datetime,
    hours: int,
    phone: str | None = None,
    department_id: int | None = None,
) -> Opened:
    """Create an account with an unusable password; a link, or a wait for approval."""
    pending = needs_approval(actor, role)
    user = create_user(
        site,
        username,
        display_name,
        role,
        secrets.token_urlsafe(32),
        phone=phone,
        department_id=department_id,
        actor=actor,
    )
    if pending:
        user.awaiting_approval = True
        audit.record(actor, "user.approval_requested", user, details={"role": str(role)})
        return Opened(user, None)
    return Opened(user, issue_link(user, actor=actor, now=now, hours=hours))


def awaiting(site_id: int, limit: int = 100) -> list[User]:
    """Accounts waiting for a manager's approval, oldest first (bounded)."""
    return list(
        db.session.scalars(
            sa.select(User)
            .where(User.site_id == site_id, User.awaiting_approval.is_(True), User.active.is_(True))
            .options(selectinload(User.department))
            .order_by(User.created_at, User.id)
            .limit(limit)
        )
    )


def count_awaiting(site_id: int, user=None) -> int:
    """Home-page counter for managers: one bounded count."""
    return (
        db.session.scalar(
            sa.select(sa.func.count())
            .select_from(User)
            .where(User.site_id == site_id, User.awaiting_approval.is_(True), User.active.is_(True))
        )
        or 0
    )


def _check_approver(user: User, actor: User) -> None:
    if actor.role != Role.MANAGER or user.site_id != actor.site_id or not user.awaiting_approval:
        raise NotAllowed("approval")


def approve(user: User, *, actor: User, now: datetime, hours: int) -> str:
    """The manager approves: the account may be used once its owner sets a password
    through the link returned here (for the manager to hand over)."""
    _check_approver(user, actor)
    user.awaiting_approval = False
    audit.record(actor, "user.approved", user, details={"role": str(user.role)})
    return issue_link(user, actor=actor, now=now, hours=hours)


def refuse(user: User, *, actor: User) -> None:
    """The manager refuses: the account stays closed (kept, inactive, for the record)."""
    _check_approver(user, actor)
    user.awaiting_approval = False
    user.active = False
    end_sessions(user)
    audit.record(actor, "user.approval_refused", user, details={"role": str(user.role)})


def holder_of(token: str, now: datetime) -> User | None:
    """The account a valid, unused, unexpired link belongs to."""
    if not token or len(token) > 100:
        return None
    user = db.session.scalar(sa.select(User).where(User.password_link_digest == _digest(token)))
    if user is None or not user.active or user.awaiting_approval:
        return None
    if user.password_link_expires_at is None or user.password_link_expires_at <= now:
        return None
    return user


def set_password_by_link(token: str, password: str, *, now: datetime) -> User | None:
    """Use the link once: set the password, end every session, forget the link."""
    user = holder_of(token, now)
    if user is None:
        return None
    user.set_password(password)
    user.password_link_digest = None
    user.password_link_expires_at = None
    end_sessions(user)
    audit.record(user, "user.password_set_by_link", user)
    return user
