"""Asking for a look, a supervisor's answer, the access log (A2, S1)."""

import sqlalchemy as sa
from flask import abort, flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from kiosk import paging
from kiosk.access import SUPERVISORS, get_in_site_or_404, staff
from kiosk.blueprints.households import bp
from kiosk.blueprints.households.forms import AnswerForm, LogFilterForm, RequestForm
from kiosk.blueprints.households.routes import MAY_ASK, _load, me, refused_page
from kiosk.extensions import db
from kiosk.households import looks
from kiosk.htmx import render
from kiosk.models import Household, User
from kiosk.models.households import AccessGrant


@bp.post("/<int:file_id>/access-requests")
@staff(*MAY_ASK)
def ask(file_id: int):
    file = _load(file_id)
    form = RequestForm()
    if form.validate_on_submit():
        looks.request_access(me(), file, form.reason.data)
        db.session.commit()
        flash(_("Your request was sent to the supervisor. You can open the file once it is granted."), "info")
        return redirect(url_for("households.show", file_id=file_id), 303)
    return refused_page(file, form=form, status=422)


@bp.get("/access-requests")
@staff(*SUPERVISORS)
def requests():
    return render("households/requests.html", pending=looks.pending_requests(current_user.site_id), form=AnswerForm())


@bp.post("/access-requests/<int:grant_id>")
@staff(*SUPERVISORS)
def answer(grant_id: int):
    grant = get_in_site_or_404(AccessGrant, grant_id)
    form = AnswerForm()
    if not form.validate_on_submit() or form.decision.data not in ("grant", "refuse"):
        abort(400)
    try:
        looks.answer(grant, me(), form.decision.data == "grant", form.hours.data)
    except looks.NotAllowed:
        flash(_("Nobody may answer their own request."), "warning")
        return redirect(url_for("households.requests"), 303)
    db.session.commit()
    flash(_("The request was answered."), "info")
    return redirect(url_for("households.requests"), 303)


@bp.get("/access-log")
@staff(*SUPERVISORS)
def access_log():
    """客户档案查阅登记表 (A2, S1): by person, household, room and days; the look at it is audited."""
    site_id = current_user.site_id
    form = LogFilterForm(formdata=request.args)
    people = db.session.execute(
        sa.select(User.id, User.display_name).where(User.site_id == site_id).order_by(User.display_name).limit(500)
    ).all()
    form.user.choices = [("", _("Everyone"))] + [(str(i), name) for i, name in people]
    valid = form.validate()
    room = None
    if valid and form.room.data:
        room = looks.find_room(site_id, form.room.data)
        if room is None:
            form.room.errors = [*form.room.errors, _("There is no room %(label)s here.", label=form.room.data[:30])]
            valid = False
    user_id = int(form.user.data) if (form.user.data or "").isdigit() else None
    household_id = int(form.household.data) if (form.household.data or "").isdigit() else None
    household = get_in_site_or_404(Household, household_id) if household_id else None
    filters = looks.LogFilter(
        user_id=user_id,
        household_id=household_id,
        room_id=room.id if room else None,
        day_from=form.day_from.data if valid else None,
        day_to=form.day_to.data if valid else None,
    )
    if not valid:  # 422, what was typed kept; nothing listed until the filter makes sense
        return render(
            "households/access_log.html",
            status=422,
            form=form,
            page=paging.Page(items=[], next_cursor=None, first=True),
            args={},
            household=household,
        )
    looks.log_viewed(me(), site_id, filters)  # committed before listing: the rows stay loaded for the page
    db.session.commit()
    try:
        page = looks.access_log(
            site_id,
            **vars(filters),
            tz_name=current_user.site.timezone,
            cursor=request.args.get("cursor") or None,
            size=50,
        )
    except paging.BadCursor:
        abort(400)
    args = {
        key: value
        for key, value in (
            ("user", user_id),
            ("household", household_id),
            ("room", form.room.data.strip() if room else None),
            ("day_from", filters.day_from.isoformat() if filters.day_from else None),
            ("day_to", filters.day_to.isoformat() if filters.day_to else None),
        )
        if value
    }
    return render("households/access_log.html", block="results", form=form, page=page, args=args, household=household)
