"""Monthly household visits (C12): the plan of the month with its coverage, and the visit record."""

import re
from datetime import date

import sqlalchemy as sa
from flask import flash, redirect, request, url_for
from flask_babel import gettext as _

from kiosk.access import SUPERVISORS, current_site_id, get_in_site_or_404, staff
from kiosk.blueprints.cases import bp
from kiosk.blueprints.cases.common import me, refuse, site, today
from kiosk.blueprints.cases.forms import VisitPlanForm, VisitRecordForm
from kiosk.cases import Refused
from kiosk.cases import household_visits as visits
from kiosk.extensions import db
from kiosk.htmx import render
from kiosk.models import Household, Role, User
from kiosk.models.cases import IntakeClass, VisitPlanEntry
from kiosk.timeutil import utcnow
from kiosk.visits.corrections import find_room

VIEWERS = (*SUPERVISORS, Role.OFFICER)


def _month() -> date:
    raw = request.args.get("month", "")
    match = re.fullmatch(r"(\d{4})-(\d{2})", raw)
    if match and 1 <= int(match.group(2)) <= 12:
        return date(int(match.group(1)), int(match.group(2)), 1)
    return visits.month_of(today())


def _plan_form(form=None):
    form = form or VisitPlanForm()
    officers = db.session.scalars(
        sa.select(User)
        .where(User.site_id == current_site_id(), User.active.is_(True), User.role == Role.OFFICER)
        .order_by(User.id)
    )
    form.officer.choices = [(u.id, u.display_name) for u in officers]
    return form


def _page(month, form=None, status=200):
    officer_id = me().id if me().role == Role.OFFICER else None
    return render(
        "cases/visits.html",
        status=status,
        month=month,
        rows=visits.month_plan(current_site_id(), month, officer_id),
        coverage=visits.coverage(current_site_id(), month),
        form=_plan_form(form),
    )


@bp.get("/visits")
@staff(*VIEWERS)
def visit_plan():
    return _page(_month())


@bp.post("/visits")
@staff(*SUPERVISORS)
def visit_plan_add():
    month = _month()
    form = _plan_form()
    if not form.validate_on_submit():
        return _page(month, form, 422)
    officer = db.session.get(User, form.officer.data)
    households, unknown = [], []
    for label in [part for part in re.split(r"[,，;；\s]+", form.rooms.data) if part]:
        room = find_room(current_site_id(), label)
        if room is None:
            unknown.append(label)
            continue
        households += db.session.scalars(
            sa.select(Household).where(Household.room_id == room.id, Household.active.is_(True))
        )
    if unknown:
        form.rooms.errors.append(_("Unknown rooms: %(rooms)s", rooms=", ".join(unknown[:10])))
        return _page(month, form, 422)
    try:
        visits.plan(site(), user=me(), month=month, households=households, officer=officer)
    except Refused as refused:
        refuse(refused.reason)
        return _page(month, form, 422)
    db.session.commit()
    return redirect(url_for("cases.visit_plan", month=month.strftime("%Y-%m")), 303)


def _entry(entry_id: int) -> VisitPlanEntry:
    entry = get_in_site_or_404(VisitPlanEntry, entry_id)
    if me().role == Role.OFFICER and entry.officer_id != me().id:
        from flask import abort

        abort(404)
    return entry


@bp.get("/visits/<int:entry_id>")
@staff(*VIEWERS)
def visit_record(entry_id: int):
    return render("cases/visit.html", entry=_entry(entry_id), form=VisitRecordForm())


@bp.post("/visits/<int:entry_id>")
@staff(*VIEWERS)
def visit_record_post(entry_id: int):
    entry = _entry(entry_id)
    form = VisitRecordForm()
    if not form.validate_on_submit():
        return render("cases/visit.html", entry=entry, form=form, status=422)
    try:
        visit = visits.record(
            site(),
            entry,
            user=me(),
            met=form.met.data,
            findings=form.findings.data,
            opinion=form.opinion.data,
            opinion_class=IntakeClass(form.opinion_class.data),
            now=utcnow(),
        )
    except Refused as refused:
        refuse(refused.reason)
        return render("cases/visit.html", entry=entry, form=form, status=422)
    db.session.commit()
    if visit.intake_id:
        flash(_("The visit was recorded; the household's opinion is in the intake log."), "info")
        return redirect(url_for("cases.intake_detail", intake_id=visit.intake_id), 303)
    flash(_("The visit was recorded."), "info")
    return redirect(url_for("cases.visit_plan", month=entry.month.strftime("%Y-%m")), 303)
