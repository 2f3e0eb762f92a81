"""Coordination requests (C9): supervisors send them, departments answer and sign."""

import sqlalchemy as sa
from flask import abort, current_app, flash, redirect, request, url_for
from flask_babel import gettext as _

from kiosk import audit, photos, signatures
from kiosk.access import SUPERVISORS, current_site_id, get_in_site_or_404, staff
from kiosk.blueprints.cases import bp
from kiosk.blueprints.cases.common import department_choices, me, refuse, site, today
from kiosk.blueprints.cases.forms import AnswerForm, CoordinationForm
from kiosk.cases import Refused, coordination
from kiosk.extensions import db
from kiosk.htmx import render
from kiosk.models import Department, Role
from kiosk.models.cases import CoordinationAnswer, CoordinationRequest
from kiosk.timeutil import utcnow

VIEWERS = (*SUPERVISORS, Role.DEPARTMENT)


@bp.get("/coordination")
@staff(*VIEWERS)
def coordination_list():
    rows = coordination.outstanding(current_site_id())
    if me().role == Role.DEPARTMENT:
        rows = [r for r in rows if any(a.department_id == me().department_id for a in r.answers)]
    return render("cases/coordination_list.html", rows=rows, today=today(), coordination=coordination)


def _form():
    form = CoordinationForm()
    form.departments.choices = department_choices(current_site_id())
    return form


@bp.get("/coordination/new")
@staff(*SUPERVISORS)
def coordination_new():
    return render("cases/coordination_new.html", form=_form())


@bp.post("/coordination/new")
@staff(*SUPERVISORS)
def coordination_create():
    form = _form()
    if not form.validate_on_submit():
        return render("cases/coordination_new.html", form=form, status=422)
    departments = list(
        db.session.scalars(
            sa.select(Department).where(
                Department.site_id == current_site_id(), Department.id.in_(form.departments.data)
            )
        )
    )
    try:
        created = coordination.create(
            site(), user=me(), matter=form.matter.data, departments=departments, due=form.due.data, now=utcnow()
        )
    except Refused as refused:
        refuse(refused.reason)
        return render("cases/coordination_new.html", form=form, status=422)
    db.session.commit()
    return redirect(url_for("cases.coordination_detail", request_id=created.id), 303)


def _request(request_id: int) -> CoordinationRequest:
    row = get_in_site_or_404(CoordinationRequest, request_id)
    if me().role == Role.DEPARTMENT and not any(a.department_id == me().department_id for a in row.answers):
        abort(404)
    return row


def _detail(row, status=200, form=None, errors=()):
    return render(
        "cases/coordination.html",
        status=status,
        row=row,
        today=today(),
        coordination=coordination,
        form=form or AnswerForm(),
        errors=errors,
    )


@bp.get("/coordination/<int:request_id>")
@staff(*VIEWERS)
def coordination_detail(request_id: int):
    row = _request(request_id)
    audit.record(me(), "coordination.viewed", row)
    db.session.commit()
    return _detail(row)


@bp.post("/coordination/<int:request_id>/answer")
@staff(*VIEWERS)
def coordination_answer(request_id: int):
    row = _request(request_id)
    form = AnswerForm()
    if not form.validate_on_submit() or not (form.department.data or "").isdigit():
        return _detail(row, 422, form)
    root = photos.root(current_app.config, current_app.instance_path)
    try:
        stored = signatures.store(root, row.site_id, request.form.get("signature"))
    except signatures.SignatureRejected as rejected:
        return _detail(row, 422, form, errors=[signatures.refusal(rejected.reason)])
    try:
        coordination.answer(row, int(form.department.data), me(), text=form.answer.data, signature=stored, now=utcnow())
    except Refused as refused:
        refuse(refused.reason)
        return _detail(_request(request_id), 422, form)
    db.session.commit()
    flash(_("The answer was signed and saved."), "info")
    return redirect(url_for("cases.coordination_detail", request_id=request_id), 303)


@bp.get("/coordination/<int:request_id>/answers/<int:answer_id>/signature")
@staff(*VIEWERS)
def coordination_signature(request_id: int, answer_id: int):
    from flask import send_file

    row = _request(request_id)
    answer = db.session.get(CoordinationAnswer, answer_id)
    if answer is None or answer.request_id != row.id or not answer.signature_path:
        abort(404)
    try:
        path = photos.open_path(photos.root(current_app.config, current_app.instance_path), answer.signature_path)
    except FileNotFoundError:
        abort(404)
    if not path.exists():
        abort(404)
    response = send_file(path, mimetype="image/png", max_age=0)
    response.headers["Cache-Control"] = "private, no-store"
    return response
