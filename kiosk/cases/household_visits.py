"""Monthly household visits (走访, C12): the month's plan (which households, which officer),
the visit record, and an opinion raised on a visit logged as an intake record with channel
"visit" in the same step (C1). Plain Python."""

from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from kiosk import audit
from kiosk.cases import Refused, intake
from kiosk.extensions import db
from kiosk.models import Household, Role, Room, User
from kiosk.models.cases import Channel, HouseholdVisit, IntakeClass, VisitPlanEntry

PLAN_LIMIT = 300


def month_of(day: date) -> date:
    return day.replace(day=1)


def plan(site, *, user: User, month: date, households: list[Household], officer: User) -> list[VisitPlanEntry]:
    """Put households on the month's plan for an officer; a household already planned is kept as it is."""
    if user.role not in (Role.SUPERVISOR, Role.MANAGER):
        raise Refused("supervisors_only")
    if officer.site_id != site.id:
        raise Refused("illegal_step")
    month = month_of(month)
    planned = set(
        db.session.scalars(
            sa.select(VisitPlanEntry.household_id).where(
                VisitPlanEntry.site_id == site.id, VisitPlanEntry.month == month
            )
        )
    )
    added = []
    for household in households:
        if household.site_id != site.id or household.id in planned:
            continue
        entry = VisitPlanEntry(site_id=site.id, month=month, household_id=household.id, officer_id=officer.id)
        db.session.add(entry)
        added.append(entry)
        planned.add(household.id)
    db.session.flush()
    audit.record(
        user, "visit_plan.extended", None, site_id=site.id, details={"month": month.isoformat(), "added": len(added)}
    )
    return added


def record(
    site,
    entry: VisitPlanEntry,
    *,
    user: User,
    met: str,
    findings: str | None,
    opinion: str | None,
    opinion_class: IntakeClass,
    now: datetime,
) -> HouseholdVisit:
    """The visit record; an opinion becomes an intake record (channel visit) at once."""
    if entry.record is not None:
        raise Refused("illegal_step")
    if not (met or "").strip():
        raise Refused("reason_required")
    visit = HouseholdVisit(
        site_id=site.id,
        plan=entry,
        household_id=entry.household_id,
        officer_id=user.id,
        visited_at=now,
        met=met.strip(),
        findings=(findings or "").strip() or None,
        opinion=(opinion or "").strip() or None,
    )
    db.session.add(visit)
    if visit.opinion:
        visit.intake = intake.log(
            site,
            intake.Call(
                channel=Channel.VISIT,
                kind=opinion_class,
                content=visit.opinion,
                read_back=True,
                household=entry.household,
                answer=None if opinion_class != IntakeClass.INQUIRY else "走访时已当面答复",
            ),
            user=user,
            now=now,
        )
    db.session.flush()
    audit.record(user, "household_visit.recorded", visit)
    return visit


def month_plan(site_id: int, month: date, officer_id: int | None = None) -> list[VisitPlanEntry]:
    query = (
        sa.select(VisitPlanEntry)
        .where(VisitPlanEntry.site_id == site_id, VisitPlanEntry.month == month_of(month))
        .options(
            selectinload(VisitPlanEntry.household).selectinload(Household.room).selectinload(Room.building),
            selectinload(VisitPlanEntry.household).selectinload(Household.room).selectinload(Room.unit),
            selectinload(VisitPlanEntry.officer),
            selectinload(VisitPlanEntry.record),
        )
        .order_by(VisitPlanEntry.id)
        .limit(PLAN_LIMIT)
    )
    if officer_id is not None:
        query = query.where(VisitPlanEntry.officer_id == officer_id)
    return list(db.session.scalars(query))


def coverage(site_id: int, month: date) -> tuple[int, int]:
    """(visited, planned) for the month: the dashboard's coverage of the plan (C12)."""
    base = sa.and_(VisitPlanEntry.site_id == site_id, VisitPlanEntry.month == month_of(month))
    planned = db.session.scalar(sa.select(sa.func.count(VisitPlanEntry.id)).where(base)) or 0
    visited = (
        db.session.scalar(
            sa.select(sa.func.count(HouseholdVisit.id))
            .join(VisitPlanEntry, HouseholdVisit.plan_id == VisitPlanEntry.id)
            .where(base)
        )
        or 0
    )
    return visited, planned


def count_my_visits_due(site_id: int, user) -> int:
    """Households on this month's plan for the officer, not yet visited (home-page counter)."""
    from kiosk.timeutil import local_now

    month = month_of(local_now(user.site.timezone).date())
    return (
        db.session.scalar(
            sa.select(sa.func.count(VisitPlanEntry.id))
            .outerjoin(HouseholdVisit, HouseholdVisit.plan_id == VisitPlanEntry.id)
            .where(
                VisitPlanEntry.site_id == site_id,
                VisitPlanEntry.month == month,
                VisitPlanEntry.officer_id == user.id,
                HouseholdVisit.id.is_(None),
            )
        )
        or 0
    )
