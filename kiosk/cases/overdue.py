"""What is overdue on the supervisor's dashboard (C1, C3, C6, C7, C9, C10): each kind's rule
written once, then counted by kind and by the department responsible in one statement, after
the sweeps that flag missed deadlines (missed stays missed). Plain Python."""

from dataclasses import dataclass, field
from datetime import datetime
from zoneinfo import ZoneInfo

import sqlalchemy as sa

from kiosk.cases import complaints, orders, surveys
from kiosk.cases import services as special
from kiosk.extensions import db
from kiosk.models import Department, DepartmentKind, Site
from kiosk.models.case_complaints import Complaint, ComplaintStatus
from kiosk.models.case_orders import OrderStatus, WorkOrder
from kiosk.models.case_services import OpinionStatus, ServiceStatus, SpecialService, SurveyOpinion
from kiosk.models.cases import CoordinationAnswer, CoordinationRequest, Intake, IntakeClass, IntakeStatus
from kiosk.timeutil import to_local, utcnow

# The dashboard's order; labels in kiosk/cases/labels.py (OVERDUE).
KINDS = (
    "to_grade",
    "notify",
    "answer",
    "rectify",
    "complaint_callback",
    "dispatch",
    "follow_up",
    "repair_callback",
    "reply",
    "coordination",
    "survey_send",
    "survey_measures",
    "survey_callback",
    "service_notice",
    "service_callback",
)


@dataclass
class DepartmentLate:
    """One department's overdue items (department None: not yet assigned to one)."""

    department: Department | None
    kinds: dict[str, int] = field(default_factory=dict)

    @property
    def total(self) -> int:
        return sum(self.kinds.values())


@dataclass
class Overdue:
    by_kind: dict[str, int]
    by_department: list[DepartmentLate]  # most overdue first, the unassigned last


def _late(site: Site, now: datetime) -> dict[str, sa.Select]:
    """Per kind, the overdue rows' department and count (grouped by department)."""
    today = to_local(now, site.timezone).date()
    first_of_today = datetime.combine(today, datetime.min.time(), ZoneInfo(site.timezone))

    def counted(department, *where, join=None):
        query = sa.select(department.label("department_id"), sa.func.count().label("n"))
        if join is not None:
            query = query.select_from(join)
        return query.where(*where).group_by(department)

    def step_late(model, status, due):
        """Records of the site waiting in `status` for a step due before today."""
        return counted(model.department_id, model.site_id == site.id, model.status == status, due < today)

    complaint_open = (
        Complaint.site_id == site.id,
        Complaint.status.in_(complaints.OPEN),
        Complaint.paused_at.is_(None),
    )
    return {
        "to_grade": counted(
            Complaint.department_id, Complaint.site_id == site.id, Complaint.status == ComplaintStatus.TO_GRADE
        ),
        "notify": counted(
            Complaint.department_id, *complaint_open, Complaint.notified_at.is_(None), Complaint.notify_due_at < now
        ),
        "answer": counted(
            Complaint.department_id, *complaint_open, Complaint.answered_at.is_(None), Complaint.answer_due < today
        ),
        "rectify": counted(
            Complaint.department_id, *complaint_open, Complaint.rectified_at.is_(None), Complaint.rectify_due < today
        ),
        "complaint_callback": counted(
            Complaint.department_id,
            *complaint_open,
            Complaint.status == ComplaintStatus.RECTIFIED,
            Complaint.callback_due < today,
        ),
        "dispatch": counted(
            WorkOrder.department_id,
            WorkOrder.site_id == site.id,
            WorkOrder.status == OrderStatus.LOGGED,
            WorkOrder.created_at < now - orders.deadlines.DISPATCH_WITHIN,
        ),
        "follow_up": counted(
            WorkOrder.department_id,
            WorkOrder.site_id == site.id,
            WorkOrder.status.in_(orders.OPEN_STATUSES),
            WorkOrder.created_at < first_of_today,
        ),
        "repair_callback": step_late(WorkOrder, OrderStatus.DONE, WorkOrder.callback_due),
        "reply": counted(
            Intake.department_id,
            Intake.site_id == site.id,
            Intake.status == IntakeStatus.OPEN,
            Intake.kind == IntakeClass.INQUIRY,
            Intake.reply_due_at < now,
        ),
        "coordination": counted(
            CoordinationAnswer.department_id,
            CoordinationRequest.site_id == site.id,
            CoordinationRequest.closed_at.is_(None),
            CoordinationAnswer.answered_at.is_(None),
            CoordinationRequest.due < today,
            join=sa.join(CoordinationAnswer, CoordinationRequest),
        ),
        "survey_send": step_late(SurveyOpinion, OpinionStatus.RECEIVED, SurveyOpinion.send_due),
        "survey_measures": step_late(SurveyOpinion, OpinionStatus.SENT, SurveyOpinion.measures_due),
        "survey_callback": step_late(SurveyOpinion, OpinionStatus.ANSWERED, SurveyOpinion.callback_due),
        "service_notice": step_late(SpecialService, ServiceStatus.DONE, SpecialService.notice_due),
        "service_callback": step_late(SpecialService, ServiceStatus.NOTIFIED, SpecialService.callback_due),
    }


def count(site: Site, now: datetime | None = None) -> Overdue:
    """Flag the missed deadlines (C3, C6, C7), then count what is overdue: every kind in one
    UNION ALL statement, by kind and by department; the departments read in one more."""
    now = now or utcnow()
    complaints.sweep(site, now)
    surveys.sweep(site, now)
    special.sweep(site, now)
    parts = [
        sa.select(sa.literal_column(f"'{kind}'").label("kind"), query.subquery())
        for kind, query in _late(site, now).items()
    ]
    rows = db.session.execute(sa.union_all(*parts)).all()
    by_kind = dict.fromkeys(KINDS, 0)
    departments: dict[int | None, dict[str, int]] = {}
    for kind, department_id, n in rows:
        by_kind[kind] += n
        kinds = departments.setdefault(department_id, {})
        kinds[kind] = kinds.get(kind, 0) + n
    known = {d.id: d for d in db.session.scalars(sa.select(Department).where(Department.id.in_([*departments])))}
    late = [
        DepartmentLate(known.get(i), {k: kinds[k] for k in KINDS if k in kinds}) for i, kinds in departments.items()
    ]
    order = list(DepartmentKind)
    late.sort(
        key=lambda row: (row.department is None, -row.total, order.index(row.department.kind) if row.department else 0)
    )
    return Overdue(by_kind, late)
