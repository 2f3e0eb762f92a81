"""Satisfaction-survey opinions (满意度调查意见, C6). Plain Python.

received -> (sent to the department) sent -> (the department's measures in writing)
answered -> (callback by phone on satisfaction) closed; a customer not satisfied on the
callback sends the opinion back to the department (sent), which owes new measures.
Deadlines (kiosk.cases.deadlines), in calendar days as the rule says them: to the
department within 2 days of receipt, measures within 3 days of reaching it, the callback
within 2 weeks of the measures. A deadline missed is flagged when the late step is taken
or by the dashboard's sweep, whichever comes first, and stays flagged. Every step is
audited; the history shown is the audit trail's.
"""

from datetime import datetime

import sqlalchemy as sa

from kiosk import audit
from kiosk.cases import Refused, deadlines
from kiosk.extensions import db
from kiosk.models import Department, Household, Role, User
from kiosk.models.case_services import OpinionStatus, SurveyOpinion
from kiosk.models.cases import Satisfaction
from kiosk.timeutil import to_local

OPEN = (OpinionStatus.RECEIVED, OpinionStatus.SENT, OpinionStatus.ANSWERED)
DESK = (Role.SUPERVISOR, Role.MANAGER, Role.RECEPTIONIST, Role.DUTY_MANAGER)


def local_date(site, at: datetime):
    return to_local(at, site.timezone).date()


def _audit(user: User, action: str, opinion: SurveyOpinion, now: datetime, **extra) -> None:
    """The step in the audit trail (the opinion's history), at the step's own time."""
    audit.record(user, action, opinion, **extra).at = now


def record(
    site,
    *,
    user: User,
    now: datetime,
    survey: str,
    content: str,
    household: Household | None,
    contact_name: str | None,
    contact_phone: str | None,
    room=None,
    department: Department | None = None,
) -> SurveyOpinion:
    """An opinion from a named survey, for a household or room; the department may be chosen
    now (it is sent with the "sent" step). The 2-day clock to send it starts."""
    if household is not None and household.site_id != site.id:
        raise Refused("illegal_step")
    if department is not None and department.site_id != site.id:
        raise Refused("illegal_step")
    if not (survey or "").strip():
        raise Refused("survey_required")
    name = (contact_name or "").strip() or (household.name if household else "")
    if not name:
        raise Refused("caller_required")
    if not (content or "").strip():
        raise Refused("reason_required")
    opinion = SurveyOpinion(
        site_id=site.id,
        survey=survey.strip(),
        household_id=household.id if household else None,
        room_id=room.id if room is not None else (household.room_id if household else None),
        contact_name=name,
        contact_phone=(contact_phone or "").strip() or (household.phone if household else None),
        content=content.strip(),
        department_id=department.id if department else None,
        received_at=now,
        received_by_id=user.id,
        send_due=deadlines.survey_send_due(local_date(site, now)),
    )
    db.session.add(opinion)
    db.session.flush()
    _audit(user, "survey_opinion.received", opinion, now)
    return opinion


def may_work(opinion: SurveyOpinion, user: User) -> bool:
    """The department the opinion went to writes its measures (the desk may enter them for it)."""
    if user.role == Role.DEPARTMENT:
        return opinion.department_id is not None and opinion.department_id == user.department_id
    return user.role in DESK


def send(opinion: SurveyOpinion, user: User, department: Department | None, now: datetime) -> None:
    """To the department (C6: within 2 days): its 3-day clock for the measures starts."""
    if opinion.status != OpinionStatus.RECEIVED:
        raise Refused("illegal_step")
    if department is None or department.site_id != opinion.site_id:
        raise Refused("department_required")
    today = local_date(opinion.site, now)
    if today > opinion.send_due:
        opinion.send_missed = True
    opinion.department_id = department.id
    opinion.status = OpinionStatus.SENT
    opinion.sent_at = now
    opinion.measures_due = deadlines.survey_measures_due(today)
    _audit(
        user, "survey_opinion.sent", opinion, now, details={"department": department.id, "late": opinion.send_missed}
    )


def write_measures(opinion: SurveyOpinion, user: User, measures: str, now: datetime) -> None:
    """The department's measures in writing (C6: within 3 days): the 2-week callback clock starts."""
    if opinion.status != OpinionStatus.SENT:
        raise Refused("illegal_step")
    if not may_work(opinion, user):
        raise Refused("not_yours")
    if not (measures or "").strip():
        raise Refused("measures_required")
    today = local_date(opinion.site, now)
    if opinion.measures_due is not None and today > opinion.measures_due:
        opinion.measures_missed = True
    opinion.status = OpinionStatus.ANSWERED
    opinion.measures, opinion.measures_at, opinion.measures_by_id = measures.strip(), now, user.id
    opinion.callback_due = deadlines.survey_callback_due(today)
    _audit(user, "survey_opinion.measures", opinion, now, details={"late": opinion.measures_missed})


def callback(
    opinion: SurveyOpinion,
    user: User,
    *,
    satisfaction: Satisfaction,
    confirmed_by: str | None,
    note: str | None,
    now: datetime,
) -> None:
    """The callback by phone (C6 within 2 weeks of the measures, recorded as C4 asks: who
    confirmed on the phone and when). Not satisfied sends the opinion back to the department,
    which owes new measures within 3 days of today."""
    if opinion.status != OpinionStatus.ANSWERED:
        raise Refused("illegal_step")
    if not (confirmed_by or "").strip():
        raise Refused("confirmed_by_required")
    today = local_date(opinion.site, now)
    if opinion.callback_due is not None and today > opinion.callback_due:
        opinion.callback_missed = True
    opinion.callback_at, opinion.callback_by_id = now, user.id
    opinion.satisfaction, opinion.confirmed_by_name = satisfaction, confirmed_by.strip()
    opinion.callback_note = (note or "").strip() or None
    if satisfaction == Satisfaction.UNSATISFIED:
        opinion.status = OpinionStatus.SENT
        opinion.reopened_count += 1
        opinion.measures_at = opinion.measures_by_id = opinion.callback_due = None
        opinion.measures_due = deadlines.survey_measures_due(today)
        _audit(
            user,
            "survey_opinion.reopened",
            opinion,
            now,
            reason=opinion.callback_note,
            details={"late": opinion.callback_missed},
        )
        return
    opinion.status = OpinionStatus.CLOSED
    _audit(
        user,
        "survey_opinion.called_back",
        opinion,
        now,
        details={"satisfaction": str(satisfaction), "late": opinion.callback_missed},
    )


def mark_missed(opinion: SurveyOpinion, now: datetime) -> None:
    """Flag every deadline of the opinion passed and not met. Never clears one."""
    today = local_date(opinion.site, now)
    if opinion.status == OpinionStatus.RECEIVED and today > opinion.send_due:
        opinion.send_missed = True
    if opinion.status == OpinionStatus.SENT and opinion.measures_due is not None and today > opinion.measures_due:
        opinion.measures_missed = True
    if opinion.status == OpinionStatus.ANSWERED and opinion.callback_due is not None and today > opinion.callback_due:
        opinion.callback_missed = True


def sweep(site, now: datetime) -> None:
    """mark_missed for a whole site in three bounded UPDATEs (the dashboard runs it before counting)."""
    today = local_date(site, now)
    mine = SurveyOpinion.site_id == site.id
    for status, due, missed in (
        (OpinionStatus.RECEIVED, SurveyOpinion.send_due, "send_missed"),
        (OpinionStatus.SENT, SurveyOpinion.measures_due, "measures_missed"),
        (OpinionStatus.ANSWERED, SurveyOpinion.callback_due, "callback_missed"),
    ):
        db.session.execute(
            sa.update(SurveyOpinion)
            .where(mine, SurveyOpinion.status == status, getattr(SurveyOpinion, missed).is_(False), due < today)
            .values({missed: True}),
            execution_options={"synchronize_session": False},
        )
