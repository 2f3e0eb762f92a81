"""Satisfaction-survey opinions (C6): recorded at the desk, sent to a department, its measures
in writing, then a callback by phone; each step version-checked."""

import sqlalchemy as sa
from flask import redirect, request, url_for
from flask_babel import gettext as _

from kiosk.access import FRONT_DESK, current_site_id, staff
from kiosk.blueprints.cases import bp
from kiosk.blueprints.cases.caller import looked_at
from kiosk.blueprints.cases.common import (
    department_choices,
    department_in_site,
    history,
    me,
    site,
    today,
    versioned_step,
)
from kiosk.blueprints.cases.forms import DispatchForm, MeasuresForm, PhoneCallbackForm, SurveyOpinionForm
from kiosk.blueprints.cases.kinds import (
    CALLERS,
    VIEWERS,
    WORKERS,
    created,
    listed,
    opened,
    phone_callback,
    with_departments,
)
from kiosk.cases import surveys as opinions
from kiosk.htmx import render
from kiosk.models.case_services import OpinionStatus, SurveyOpinion
from kiosk.names import mask_phone
from kiosk.timeutil import utcnow

SHOW = {
    "open": SurveyOpinion.status.in_(opinions.OPEN),
    "received": SurveyOpinion.status == OpinionStatus.RECEIVED,
    "sent": SurveyOpinion.status == OpinionStatus.SENT,
    "answered": SurveyOpinion.status == OpinionStatus.ANSWERED,
    "closed": SurveyOpinion.status == OpinionStatus.CLOSED,
    "all": sa.true(),
}


@bp.get("/surveys")
@staff(*VIEWERS)
def surveys():
    show = request.args.get("show", "open")
    show = show if show in SHOW else "open"
    page = listed(SurveyOpinion, SurveyOpinion.received_at, SHOW[show])
    if page is None:
        return redirect(url_for("cases.surveys", show=show), 303)
    return render("cases/surveys.html", block="listing", page=page, show=show, today=today())


def _new_page(form: SurveyOpinionForm, status: int = 200):
    return render("cases/survey_new.html", form=form, status=status)


@bp.get("/surveys/new")
@staff(*FRONT_DESK)
def survey_new():
    return _new_page(with_departments(SurveyOpinionForm()))


@bp.post("/surveys/new")
@staff(*FRONT_DESK)
def survey_record():
    form = with_departments(SurveyOpinionForm())
    return created(
        form,
        _new_page,
        lambda room, household: opinions.record(
            site(),
            user=me(),
            now=utcnow(),
            survey=form.survey.data,
            content=form.content.data,
            household=household,
            contact_name=form.contact_name.data,
            contact_phone=form.contact_phone.data,
            room=room,
            department=department_in_site(form.department.data or None),
        ),
        _("The survey opinion was recorded."),
        "cases.survey_detail",
        "opinion_id",
    )


def _send_form(opinion: SurveyOpinion, form: DispatchForm | None = None) -> DispatchForm:
    form = form or DispatchForm(version=opinion.version, department=opinion.department_id)
    form.department.choices = department_choices(opinion.site_id)
    return form


def _detail(opinion: SurveyOpinion, status: int = 200, **forms):
    return render(
        "cases/survey.html",
        status=status,
        opinion=opinion,
        reveal=forms.get("reveal", False),
        history=history(opinion),
        today=today(),
        mask_phone=mask_phone,
        may_work=opinions.may_work(opinion, me()),
        send=_send_form(opinion, forms.get("send")),
        measures=forms.get("measures") or MeasuresForm(version=opinion.version),
        callback=forms.get("callback") or PhoneCallbackForm(version=opinion.version),
    )


@bp.get("/surveys/<int:opinion_id>")
@staff(*VIEWERS)
def survey_detail(opinion_id: int):
    opinion = opened(SurveyOpinion, opinion_id)
    return _detail(opinion, reveal=looked_at(opinion, "survey_opinion"))


def _act(opinion_id: int, form_name: str, form, action):
    if form_name == "send":
        form.department.choices = department_choices(current_site_id())
    return versioned_step(
        lambda: opened(SurveyOpinion, opinion_id),
        form_name,
        form,
        action,
        _detail,
        url_for("cases.survey_detail", opinion_id=opinion_id),
    )


@bp.post("/surveys/<int:opinion_id>/send")
@staff(*FRONT_DESK)
def survey_send(opinion_id: int):
    return _act(
        opinion_id,
        "send",
        DispatchForm(),
        lambda o, form: opinions.send(o, me(), department_in_site(form.department.data), utcnow()),
    )


@bp.post("/surveys/<int:opinion_id>/measures")
@staff(*WORKERS)
def survey_measures(opinion_id: int):
    return _act(
        opinion_id,
        "measures",
        MeasuresForm(),
        lambda o, form: opinions.write_measures(o, me(), form.measures.data, utcnow()),
    )


@bp.post("/surveys/<int:opinion_id>/callback")
@staff(*CALLERS)
def survey_callback(opinion_id: int):
    return _act(opinion_id, "callback", PhoneCallbackForm(), phone_callback(opinions))
