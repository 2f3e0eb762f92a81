"""Caller identity verification before any household data is given out (A5).

A reusable step for every face that answers a caller or a visitor about a household:

    from kiosk.households import identity
    check = identity.verify(household, user, identity.IdentityMethod.CALLBACK, note)
    identity.recent(household, user)   # the check this person made in the last minutes, or None

and the template fragment `households/_identity_check.html` (macro `identity_step`)
that asks "how was the caller's identity verified". Plain Python, no request.
"""

from datetime import datetime, timedelta

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from kiosk import audit
from kiosk.extensions import db
from kiosk.models import Household, User
from kiosk.models.households import IdentityCheck, IdentityMethod
from kiosk.timeutil import utcnow

__all__ = ["IdentityMethod", "METHODS", "VALID_MINUTES", "verify", "recent", "choices"]

VALID_MINUTES = 30

METHODS = {
    IdentityMethod.ID_CARD: _l("ID card seen, matches the file"),
    IdentityMethod.CALLBACK: _l("Called back on the phone number in the file"),
    IdentityMethod.SECURITY_DETAILS: _l("Confirmed details only the household knows"),
    IdentityMethod.KNOWN_PERSON: _l("Known to me in person"),
}


def choices() -> list[tuple[str, object]]:
    return [(method.value, label) for method, label in METHODS.items()]


def verify(
    household: Household, user: User, method: IdentityMethod | str, note: str | None = None, now: datetime | None = None
) -> IdentityCheck:
    """Record how the identity was checked (A5); the caller commits."""
    method = IdentityMethod(method)
    note = (note or "").strip()[:200] or None
    check = IdentityCheck(
        site_id=household.site_id,
        household_id=household.id,
        method=method,
        note=note,
        checked_by_id=user.id,
        at=now or utcnow(),
    )
    db.session.add(check)
    db.session.flush()
    audit.record(user, "household.identity_verified", household, details={"method": method.value})
    return check


def recent(household: Household, user: User, now: datetime | None = None) -> IdentityCheck | None:
    """This person's check of this household within VALID_MINUTES, newest first."""
    since = (now or utcnow()) - timedelta(minutes=VALID_MINUTES)
    return db.session.scalar(
        sa.select(IdentityCheck)
        .where(
            IdentityCheck.household_id == household.id, IdentityCheck.checked_by_id == user.id, IdentityCheck.at > since
        )
        .order_by(IdentityCheck.at.desc(), IdentityCheck.id.desc())
        .limit(1)
    )
