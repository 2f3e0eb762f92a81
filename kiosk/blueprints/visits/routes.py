"""The visitor log, a visit's record with its history and corrections, who is on site."""

from flask import abort, flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from kiosk import paging
from kiosk.access import FRONT_DESK, staff
from kiosk.blueprints.visits import bp
from kiosk.blueprints.visits.forms import CorrectionForm, ExportForm, SearchForm
from kiosk.extensions import db
from kiosk.htmx import render
from kiosk.names import mask_phone
from kiosk.timeutil import utcnow
from kiosk.visits import corrections, labels
from kiosk.visits import log as visitor_log

PAGE_SIZE = 50


@bp.context_processor
def _helpers():
    return {
        "labels": labels,
        "mask_phone": mask_phone,
        "phone_full": labels.phone_full,
        "effective": corrections.effective,
    }


def log_page(search: SearchForm, export: ExportForm | None = None, status: int = 200):
    """The log page (or its results fragment for an htmx search)."""
    page, bad = None, not search.validate()
    if not bad:
        try:
            page = visitor_log.search(
                current_user.site, search.query(), cursor=request.args.get("cursor") or None, size=PAGE_SIZE
            )
        except paging.BadCursor:
            abort(400)
    args = {f.name: request.args[f.name] for f in search if request.args.get(f.name)} if request.method == "GET" else {}
    return render(
        "visits/log.html",
        block="results",
        search=search,
        page=page,
        args=args,
        export=export or ExportForm(),
        status=422 if bad else status,
    )


@bp.get("/")
@staff(*FRONT_DESK)
def log():
    return log_page(SearchForm(formdata=request.args))


def _record_page(visit, form=None, open_field=None, status=200):
    return render(
        "visits/record.html",
        visit=visit,
        values=corrections.effective(visit),
        history=visitor_log.history(visit),
        form=form or CorrectionForm(),
        open_field=open_field,
        full_contact=visitor_log.sees_full_contact(current_user),
        fields=corrections.FIELDS,
        status=status,
    )


def _load(visit_id: int):
    visit = visitor_log.load_record(current_user.site, visit_id)
    if visit is None:
        abort(404)
    return visit


@bp.get("/<int:visit_id>")
@staff(*FRONT_DESK)
def record(visit_id: int):
    visit = _load(visit_id)
    visitor_log.view(visit, current_user._get_current_object())  # S1: the look is traceable
    db.session.commit()
    return _record_page(visit)


@bp.post("/<int:visit_id>/corrections")
@staff(*FRONT_DESK)
def correct(visit_id: int):
    visit = _load(visit_id)
    form = CorrectionForm()
    field = form.field.data
    if field not in corrections.FIELDS:
        abort(400)
    if form.validate_on_submit():
        try:
            corrections.correct(visit, field, form.value.data, form.reason.data, current_user._get_current_object())
        except corrections.InvalidCorrection as refused:
            target = form.reason if refused.on == "reason" else form.value
            target.errors = [*target.errors, refused.message]
        else:
            db.session.commit()
            flash(_("The correction was added to the record; the original stays visible."), "info")
            return redirect(url_for("visits.record", visit_id=visit.id), 303)
    db.session.rollback()
    return _record_page(_load(visit_id), form=form, open_field=field, status=422)


@bp.get("/on-site")
@staff(*FRONT_DESK)
def on_site():
    return render("visits/on_site.html", present=visitor_log.on_site(current_user.site), now=utcnow())
