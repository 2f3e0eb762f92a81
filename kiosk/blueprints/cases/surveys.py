"""Satisfaction-survey opinions (C6): recorded at the desk, sent to a department, its measures
in writing, then a callback by phone; each step version-checked."""

import sqlalchemy as sa
from flask import current_app, flash, redirect, request, url_for
from flask_babel import gettext as _
from sqlalchemy.orm import selectinload

from kiosk import audit, paging
from kiosk.access import FRONT_DESK, SUPERVISORS, current_site_id, get_in_site_or_404, staff
from kiosk.blueprints.cases import bp
from kiosk.blueprints.cases.common import (
    department_choices,
    department_in_site,
    history,
    household_in_room,
    me,
    own_department_only,
    refuse,
    site,
    today,
    versioned_step,
)
from kiosk.blueprints.cases.forms import DispatchForm, MeasuresForm, PhoneCallbackForm, SurveyOpinionForm
from kiosk.cases import Refused
from kiosk.cases import surveys as opinions
from kiosk.extensions import db
from kiosk.htmx import render
from kiosk.models import Role, Room
from kiosk.models.case_services import OpinionStatus, SurveyOpinion
from kiosk.models.cases import Satisfaction
from kiosk.names import mask_phone
from kiosk.paging import BadCursor
from kiosk.timeutil import utcnow

VIEWERS = (*FRONT_DESK, Role.OFFICER, Role.DEPARTMENT)
WORKERS = (*FRONT_DESK, Role.DEPARTMENT)
CALLERS = (*SUPERVISORS, Role.OFFICER, Role.RECEPTIONIST, Role.DUTY_MANAGER)
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
    query = (
        sa.select(SurveyOpinion)
        .where(SurveyOpinion.site_id == current_site_id(), SHOW[show])
        .options(
            selectinload(SurveyOpinion.department),
            selectinload(SurveyOpinion.room).selectinload(Room.building),
            selectinload(SurveyOpinion.room).selectinload(Room.unit),
        )
    )
    if me().role == Role.DEPARTMENT:
        query = query.where(SurveyOpinion.department_id == me().department_id)
    try:
        page = paging.keyset(
            query,
            SurveyOpinion.received_at,
            SurveyOpinion.id,
            cursor=request.args.get("cursor"),
            size=current_app.config["PAGE_SIZE"],
        )
    except BadCursor:
        return redirect(url_for("cases.surveys", show=show), 303)
    return render("cases/surveys.html", block="listing", page=page, show=show, today=today())


def _form() -> SurveyOpinionForm:
    form = SurveyOpinionForm()
    form.department.choices = [(0, "—"), *department_choices(current_site_id())]
    return form


def _new_page(form: SurveyOpinionForm, status: int = 200):
    return render("cases/survey_new.html", form=form, status=status)


@bp.get("/surveys/new")
@staff(*FRONT_DESK)
def survey_new():
    return _new_page(_form())


@bp.post("/surveys/new")
@staff(*FRONT_DESK)
def survey_record():
    form = _form()
    if not form.validate_on_submit():
        return _new_page(form, 422)
    room, household = household_in_room(form.room.data)
    if room is None:
        form.room.errors.append(_("No such room on this site."))
        return _new_page(form, 422)
    try:
        opinion = opinions.record(
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
        )
        db.session.commit()
    except Refused as refused:
        refuse(refused.reason)
        return _new_page(form, 422)
    flash(_("The survey opinion was recorded."), "info")
    return redirect(url_for("cases.survey_detail", opinion_id=opinion.id), 303)


def _opinion(opinion_id: int) -> SurveyOpinion:
    opinion = get_in_site_or_404(SurveyOpinion, opinion_id)
    if me().role == Role.DEPARTMENT:
        own_department_only(opinion.department_id)
    return opinion


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
    opinion = _opinion(opinion_id)
    reveal = request.args.get("reveal") == "1"  # the full phone, for the callback (A5)
    audit.record(me(), "survey_opinion.contact_revealed" if reveal else "survey_opinion.viewed", opinion)
    db.session.commit()
    return _detail(opinion, reveal=reveal)


def _act(opinion_id: int, form_name: str, form, action):
    if form_name == "send":
        form.department.choices = department_choices(current_site_id())
    return versioned_step(
        lambda: _opinion(opinion_id),
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
    return _act(
        opinion_id,
        "callback",
        PhoneCallbackForm(),
        lambda o, form: opinions.callback(
            o,
            me(),
            satisfaction=Satisfaction(form.satisfaction.data),
            confirmed_by=form.confirmed_by.data,
            note=form.note.data,
            now=utcnow(),
        ),
    )
