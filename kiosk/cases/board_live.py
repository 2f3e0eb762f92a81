"""The cases dashboard's live refresh (C8): one cheap statement that says whether anything the
dashboard shows has changed since the page was drawn. Plain Python."""

import hashlib
from datetime import datetime, timedelta

import sqlalchemy as sa

from kiosk.extensions import db
from kiosk.models.case_complaints import Complaint
from kiosk.models.case_orders import WorkOrder
from kiosk.models.case_services import SpecialService, SurveyOpinion
from kiosk.models.cases import (
    CoordinationAnswer,
    CoordinationRequest,
    HouseholdVisit,
    Intake,
    IntakeStatus,
    VisitPlanEntry,
)

# Counters that move with the clock alone (an order not dispatched within 5 minutes, a
# reply owed by a time, a new day) are refreshed at least this often.
CLOCK_STEP = timedelta(minutes=5)


def fingerprint(site_id: int, now: datetime) -> str:
    """What the dashboard shows depends on, in one statement: per table of the site, the
    count, the newest id and what moves when a row changes (versions summed, closings
    counted), and the current CLOCK_STEP. The same fingerprint: nothing to redraw."""

    def one(*columns, where):
        return [sa.select(column).where(*where).scalar_subquery() for column in columns]

    count, top = sa.func.count, sa.func.max
    state = db.session.execute(
        sa.select(
            *one(
                count(Intake.id),
                top(Intake.id),
                count(Intake.id).filter(Intake.status != IntakeStatus.OPEN),
                where=[Intake.site_id == site_id],
            ),
            *one(
                count(WorkOrder.id),
                top(WorkOrder.id),
                sa.func.sum(WorkOrder.version),
                where=[WorkOrder.site_id == site_id],
            ),
            *one(
                count(Complaint.id),
                top(Complaint.id),
                sa.func.sum(Complaint.version),
                where=[Complaint.site_id == site_id],
            ),
            *one(
                count(CoordinationRequest.id),
                top(CoordinationRequest.id),
                count(CoordinationRequest.closed_at),
                where=[CoordinationRequest.site_id == site_id],
            ),
            *one(
                count(CoordinationAnswer.answered_at),
                where=[CoordinationAnswer.request_id == CoordinationRequest.id, CoordinationRequest.site_id == site_id],
            ),
            *one(
                count(SurveyOpinion.id),
                top(SurveyOpinion.id),
                sa.func.sum(SurveyOpinion.version),
                where=[SurveyOpinion.site_id == site_id],
            ),
            *one(
                count(SpecialService.id),
                top(SpecialService.id),
                sa.func.sum(SpecialService.version),
                where=[SpecialService.site_id == site_id],
            ),
            *one(count(HouseholdVisit.id), top(HouseholdVisit.id), where=[HouseholdVisit.site_id == site_id]),
            *one(count(VisitPlanEntry.id), top(VisitPlanEntry.id), where=[VisitPlanEntry.site_id == site_id]),
        )
    ).one()
    step = int(now.timestamp() // CLOCK_STEP.total_seconds())
    return hashlib.sha256(repr((tuple(state), step)).encode()).hexdigest()[:20]
