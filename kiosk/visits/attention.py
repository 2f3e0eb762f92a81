"""What the front desk must act on now, counted for the console's home page (navigation
counters): each function is `(site_id, user) -> int` and runs one bounded COUNT."""

import sqlalchemy as sa

from kiosk.extensions import db
from kiosk.models import ExpectedVisit, Site, Visit, VisitStatus
from kiosk.timeutil import local_now


def _count(query) -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(query.subquery())) or 0


def waiting(site_id: int, user) -> int:
    """Visitors registered and waiting for their host (V4)."""
    return _count(sa.select(Visit.id).where(Visit.site_id == site_id, Visit.status == VisitStatus.WAITING))


def held(site_id: int, user) -> int:
    """Visitors held for a staff decision (the watch list)."""
    return _count(sa.select(Visit.id).where(Visit.site_id == site_id, Visit.status == VisitStatus.HELD))


def expected_today(site_id: int, user) -> int:
    """Visitors announced for today who have not been cancelled."""
    site = db.session.get(Site, site_id)
    today = local_now(site.timezone).date()
    return _count(
        sa.select(ExpectedVisit.id).where(
            ExpectedVisit.site_id == site_id, ExpectedVisit.day == today, ExpectedVisit.cancelled_at.is_(None)
        )
    )
