"""Timed upkeep of the visitor log: automatic check-out at closing time, and the purge
of personal data after the retention period (S3). Both are safe to run any time and
any number of times; both are meant for a timer (README, "Visitor log upkeep").

    flask --app kiosk close-visits      # e.g. every 15 minutes
    flask --app kiosk purge-visitors    # e.g. daily at night

Plain Python, no request; the click commands at the end call these functions.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import click
import sqlalchemy as sa
from flask.cli import with_appcontext

from kiosk import audit
from kiosk.extensions import db
from kiosk.models import Departure, ExpectedVisit, Site, Visit, VisitCorrection, VisitStatus
from kiosk.timeutil import utcnow
from kiosk.visits.corrections import PERSONAL
from kiosk.visits.lobby import settings_for

# --- automatic check-out -----------------------------------------------------------------

OPEN = (VisitStatus.ON_SITE, VisitStatus.WAITING, VisitStatus.HELD)


def closing_after(moment: datetime, site: Site, closing) -> datetime:
    """The first closing time (site-local `closing`) at or after `moment`, in UTC."""
    tz = ZoneInfo(site.timezone)
    local = moment.astimezone(tz)
    candidate = datetime.combine(local.date(), closing, tzinfo=tz)
    if candidate < local:
        candidate = datetime.combine(local.date() + timedelta(days=1), closing, tzinfo=tz)
    return candidate.astimezone(ZoneInfo("UTC"))


def close_visits(site: Site, now: datetime | None = None) -> int:
    """Check out, with departure AUTO at that closing time, every visitor still on site
    after the first closing time following their registration; a visitor still WAITING
    or HELD is closed only once their registration day is over (the desk may still be
    deciding tonight). Returns how many visits were closed. Idempotent: a closed visit
    is LEFT and never matched again; each update re-checks the status, so a check-out
    at the kiosk meanwhile wins."""
    now = now or utcnow()
    closing = settings_for(site.id).closing_time
    today = now.astimezone(ZoneInfo(site.timezone)).date()
    candidates = db.session.execute(
        sa.select(Visit.id, Visit.status, Visit.action_at).where(
            Visit.site_id == site.id, Visit.status.in_(OPEN), Visit.action_at <= now
        )
    ).all()
    closed = 0
    for visit_id, status, action_at in candidates:
        at = closing_after(action_at, site, closing)
        if at > now:
            continue
        if status != VisitStatus.ON_SITE and action_at.astimezone(ZoneInfo(site.timezone)).date() >= today:
            continue
        result = db.session.execute(
            sa.update(Visit)
            .where(Visit.id == visit_id, Visit.status == status)
            .values(status=VisitStatus.LEFT, departed_at=at, departure=Departure.AUTO, departed_by_id=None)
        )
        closed += result.rowcount
    if closed:
        audit.record(None, "visits.auto_checkout", site_id=site.id, details={"visits": closed})
    return closed


# --- retention purge (S3) ------------------------------------------------------------------


@dataclass(frozen=True)
class Purged:
    site: Site
    before: datetime
    days: int
    visits: int
    expected: int
    corrections: int

    @property
    def total(self) -> int:
        return self.visits + self.expected + self.corrections


def purge(site: Site, now: datetime | None = None) -> Purged:
    """Remove names, phones, plates, ID numbers and pinyin from the site's visits and
    expected visits older than the retention period, the values of corrections of those
    fields and the reasons of every correction of those visits; keep purpose, party size,
    dates, room and status, so counts remain.
    One summary audit event when anything was removed. Running it again does nothing."""
    now = now or utcnow()
    days = settings_for(site.id).retention_days
    before = now - timedelta(days=days)
    visits = db.session.execute(
        sa.update(Visit)
        .where(Visit.site_id == site.id, Visit.action_at < before, Visit.purged_at.is_(None))
        .values(
            visitor_name=None,
            visitor_phone=None,
            phone_last4=None,
            name_pinyin=None,
            name_initials=None,
            id_number_masked=None,
            plate=None,
            purged_at=now,
        )
    ).rowcount
    first_kept_day = before.astimezone(ZoneInfo(site.timezone)).date()
    expected = db.session.execute(
        sa.update(ExpectedVisit)
        .where(ExpectedVisit.site_id == site.id, ExpectedVisit.day < first_kept_day, ExpectedVisit.purged_at.is_(None))
        .values(visitor_name=None, visitor_phone=None, plate=None, note=None, purged_at=now)
    ).rowcount
    # A correction's reason is staff's free text and may name or describe the visitor:
    # it goes too (the correction itself, its field and time stay, as V1 wants).
    purged_visits = sa.select(Visit.id).where(Visit.site_id == site.id, Visit.purged_at.is_not(None))
    personal = VisitCorrection.field.in_(PERSONAL)
    corrections = db.session.execute(
        sa.update(VisitCorrection)
        .where(
            VisitCorrection.visit_id.in_(purged_visits),
            sa.or_(VisitCorrection.reason != "", sa.and_(personal, VisitCorrection.value.is_not(None))),
        )
        .values(value=sa.case((personal, None), else_=VisitCorrection.value), reason="")
    ).rowcount
    result = Purged(site, before, days, visits, expected, corrections)
    if result.total:
        audit.record(
            None,
            "visits.purge",
            site_id=site.id,
            details={
                "before": before.isoformat(timespec="seconds"),
                "days": days,
                "visits": visits,
                "expected_visits": expected,
                "corrections": corrections,
            },
        )
    return result


# --- command line ---------------------------------------------------------------------------


def _sites() -> list[Site]:
    return db.session.scalars(sa.select(Site).order_by(Site.id)).all()


@click.command("close-visits")
@with_appcontext
def close_visits_command():
    """Check out visitors still on site after the closing time (for a timer; safe to repeat)."""
    for site in _sites():
        closed = close_visits(site)
        db.session.commit()
        closing = settings_for(site.id).closing_time.strftime("%H:%M")
        click.echo(f"{site.code}: {closed} visit(s) checked out automatically (closing time {closing})")


@click.command("purge-visitors")
@with_appcontext
def purge_visitors_command():
    """Remove visitors' personal data older than each site's retention period (safe to repeat)."""
    for site in _sites():
        done = purge(site)
        db.session.commit()
        click.echo(
            f"{site.code}: personal data removed from {done.visits} visit(s), {done.expected} expected "
            f"visit(s), {done.corrections} correction(s) registered before "
            f"{done.before.astimezone(ZoneInfo(site.timezone)):%Y-%m-%d %H:%M} ({done.days} days kept)"
        )


def commands() -> list:
    return [close_visits_command, purge_visitors_command]
