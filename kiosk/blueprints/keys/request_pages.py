"""Copy and replacement requests (K5): request, supervisor review, manager approval, done."""

import sqlalchemy as sa
from flask import flash, redirect, url_for
from flask import request as http
from flask_babel import gettext as _
from sqlalchemy.orm import selectinload
from sqlalchemy.orm.exc import StaleDataError

from kiosk.access import SUPERVISORS, current_site_id, get_in_site_or_404, staff
from kiosk.blueprints.keys import bp
from kiosk.blueprints.keys.forms import DecisionForm, RequestForm
from kiosk.blueprints.keys.routes import KEY_USERS, load_set, me, refused
from kiosk.extensions import db
from kiosk.htmx import render
from kiosk.keys import KeyRefused
from kiosk.keys import requests as key_requests
from kiosk.models import Role, Room
from kiosk.models.keys import KeyRequest, KeySet, RequestKind
from kiosk.timeutil import utcnow


@bp.get("/requests")
@staff(*KEY_USERS)
def requests():
    show_all = http.args.get("show") == "all"
    query = (
        sa.select(KeyRequest)
        .where(KeyRequest.site_id == current_site_id())
        .options(
            selectinload(KeyRequest.key_set).selectinload(KeySet.room).selectinload(Room.building),
            selectinload(KeyRequest.key_set).selectinload(KeySet.room).selectinload(Room.unit),
            selectinload(KeyRequest.key_set).selectinload(KeySet.building),
            selectinload(KeyRequest.requested_by),
            selectinload(KeyRequest.reviewed_by),
            selectinload(KeyRequest.decided_by),
        )
        .order_by(KeyRequest.id.desc())
        .limit(100)
    )
    if not show_all:
        query = query.where(KeyRequest.status.in_(key_requests.OPEN_STATUSES))
    return render("keys/requests.html", rows=db.session.scalars(query).all(), show_all=show_all, form=DecisionForm())


@bp.route("/sets/<int:set_id>/request", methods=["GET", "POST"])
@staff(*KEY_USERS)
def new_request(set_id: int):
    key_set = load_set(set_id)
    form = RequestForm()
    if http.method == "GET":
        return render("keys/request_form.html", key_set=key_set, form=form)
    if not form.validate_on_submit():
        return render("keys/request_form.html", key_set=key_set, form=form, status=422)
    try:
        key_requests.request(
            key_set, me(), utcnow(), kind=RequestKind(form.kind.data), pieces=form.pieces.data, reason=form.reason.data
        )
        db.session.commit()
    except KeyRefused as refusal:
        refused(refusal.reason)
        return render("keys/request_form.html", key_set=load_set(set_id), form=form, status=422)
    flash(_("Request sent to the supervisor for review."), "info")
    return redirect(url_for("keys.requests"), 303)


def _act(request_id: int, action):
    row = get_in_site_or_404(KeyRequest, request_id)
    form = DecisionForm()
    if not form.validate_on_submit():
        flash(_("That did not work. Please try again; nothing was saved."), "error")
        return redirect(url_for("keys.requests"), 303)
    try:
        action(row, form.note.data)
        db.session.commit()
    except KeyRefused as refusal:
        refused(refusal.reason)
    except StaleDataError:
        refused("stale")
    return redirect(url_for("keys.requests"), 303)


@bp.post("/requests/<int:request_id>/review")
@staff(*SUPERVISORS)
def review_request(request_id: int):
    support = http.form.get("decision") == "yes"
    return _act(request_id, lambda row, note: key_requests.review(row, me(), utcnow(), support=support, note=note))


@bp.post("/requests/<int:request_id>/decide")
@staff(Role.MANAGER)
def decide_request(request_id: int):
    approve = http.form.get("decision") == "yes"
    return _act(request_id, lambda row, note: key_requests.decide(row, me(), utcnow(), approve=approve, note=note))


@bp.post("/requests/<int:request_id>/done")
@staff(*KEY_USERS)
def request_done(request_id: int):
    return _act(request_id, lambda row, note: key_requests.complete(row, me(), utcnow()))
