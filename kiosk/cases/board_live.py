"""The cases dashboard's live refresh (C8): one cheap statement that says whether anything the
dashboard shows has changed since the page was drawn. Plain Python.

Every flush that writes a record the dashboard shows moves its site's change counter
(CaseChangeCounter) in the same transaction, so the fingerprint is one primary-key read,
however many years of cases lie behind it."""

import hashlib
from datetime import datetime, timedelta

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from kiosk.extensions import db
from kiosk.models.case_complaints import Complaint
from kiosk.models.case_orders import WorkOrder
from kiosk.models.case_services import SpecialService, SurveyOpinion
from kiosk.models.cases import (
    CaseChangeCounter,
    CoordinationAnswer,
    CoordinationRequest,
    HouseholdVisit,
    Intake,
    VisitPlanEntry,
)

# Counters that move with the clock alone (an order not dispatched within 5 minutes, a
# reply owed by a time, a missed deadline marked by the dashboard's sweep, a new day) are
# refreshed at least this often.
CLOCK_STEP = timedelta(minutes=5)

# What the dashboard shows is drawn from these.
WATCHED = (
    Intake,
    WorkOrder,
    Complaint,
    CoordinationRequest,
    CoordinationAnswer,
    SurveyOpinion,
    SpecialService,
    HouseholdVisit,
    VisitPlanEntry,
)


def fingerprint(site_id: int, now: datetime) -> str:
    """The site's change counter and the current CLOCK_STEP, in one statement. The same
    fingerprint: nothing to redraw."""
    generation = db.session.scalar(sa.select(CaseChangeCounter.generation).where(CaseChangeCounter.site_id == site_id))
    step = int(now.timestamp() // CLOCK_STEP.total_seconds())
    return hashlib.sha256(repr((generation or 0, step)).encode()).hexdigest()[:20]


def _site_of(session: Session, row) -> int | None:
    if isinstance(row, CoordinationAnswer):
        request = row.request if "request" in row.__dict__ else session.get(CoordinationRequest, row.request_id)
        return request.site_id if request is not None else None
    return row.site_id


@sa.event.listens_for(Session, "after_flush")
def _count_changes(session: Session, _context) -> None:
    """Move the counter of every site whose watched records this flush wrote."""
    changed = [row for row in session.new | session.deleted if isinstance(row, WATCHED)]
    changed += [
        row for row in session.dirty if isinstance(row, WATCHED) and session.is_modified(row, include_collections=False)
    ]
    sites = {site for site in (_site_of(session, row) for row in changed) if site is not None}
    for site_id in sorted(sites):  # one order, so that two writers never wait on each other crosswise
        moved(site_id, session.connection())


def moved(site_id: int, connection=None) -> None:
    """Move the site's counter in the current transaction (which holds its row until it ends).
    A writer that takes another counter too (a work order's number) moves this one first, as
    a flush of its intake record would: every writer then takes the two in the same order."""
    connection = connection if connection is not None else db.session.connection()
    insert = pg_insert if connection.dialect.name == "postgresql" else sqlite_insert
    connection.execute(
        insert(CaseChangeCounter)
        .values(site_id=site_id, generation=1)
        .on_conflict_do_update(index_elements=["site_id"], set_={"generation": CaseChangeCounter.generation + 1})
    )
