"""What the pages of the case kinds beside complaints and repairs share (survey opinions C6,
special services C7): who may see, work and call back; the site's list paged by keyset; a
new record from a form with a room; a record opened (site, department, audited look); and
the phone callback, the same step for every kind."""

import sqlalchemy as sa
from flask import current_app, flash, redirect, request, url_for
from flask_babel import gettext as _
from sqlalchemy.orm import selectinload

from kiosk import paging
from kiosk.access import FRONT_DESK, SUPERVISORS, current_site_id, get_in_site_or_404
from kiosk.blueprints.cases.common import (
    department_choices,
    household_in_room,
    me,
    own_department_only,
    refuse,
)
from kiosk.cases import Refused
from kiosk.extensions import db
from kiosk.models import Role, Room
from kiosk.models.cases import Satisfaction
from kiosk.paging import BadCursor, Page
from kiosk.timeutil import utcnow

VIEWERS = (*FRONT_DESK, Role.OFFICER, Role.DEPARTMENT)
WORKERS = (*FRONT_DESK, Role.DEPARTMENT)
CALLERS = (*SUPERVISORS, Role.OFFICER, Role.RECEPTIONIST, Role.DUTY_MANAGER)


def listed(model, at_column, condition) -> Page | None:
    """One page of the site's records of `model` meeting `condition`, newest first by
    `at_column`, with their department and room; a department sees its own. None when the
    cursor is not one of ours (the caller sends the user back to the first page)."""
    query = (
        sa.select(model)
        .where(model.site_id == current_site_id(), condition)
        .options(
            selectinload(model.department),
            selectinload(model.room).selectinload(Room.building),
            selectinload(model.room).selectinload(Room.unit),
        )
    )
    if me().role == Role.DEPARTMENT:
        query = query.where(model.department_id == me().department_id)
    try:
        return paging.keyset(
            query, at_column, model.id, cursor=request.args.get("cursor"), size=current_app.config["PAGE_SIZE"]
        )
    except BadCursor:
        return None


def with_departments(form):
    """A new record's form: its department select holds the site's departments, or none."""
    form.department.choices = [(0, "—"), *department_choices(current_site_id())]
    return form


def created(form, new_page, create, done: str, endpoint: str, id_arg: str):
    """A new record from `form` (its room typed as 1-1-0201): `create(room, household)`
    makes it; committed, the user is sent to it with `done` said; a bad form, an unknown
    room or the domain's refusal is the form again, as entered (422)."""
    if not form.validate_on_submit():
        return new_page(form, 422)
    room, household = household_in_room(form.room.data)
    if room is None:
        form.room.errors.append(_("No such room on this site."))
        return new_page(form, 422)
    try:
        record = create(room, household)
        db.session.commit()
    except Refused as refused:
        refuse(refused.reason)
        return new_page(form, 422)
    flash(done, "info")
    return redirect(url_for(endpoint, **{id_arg: record.id}), 303)


def opened(model, record_id: int):
    """A record of the site; a department's staff open their department's only (404)."""
    record = get_in_site_or_404(model, record_id)
    if me().role == Role.DEPARTMENT:
        own_department_only(record.department_id)
    return record


def phone_callback(rules):
    """The callback step of a kind whose rules module has `callback(...)` (C6, C7)."""
    return lambda record, form: rules.callback(
        record,
        me(),
        satisfaction=Satisfaction(form.satisfaction.data),
        confirmed_by=form.confirmed_by.data,
        note=form.note.data,
        now=utcnow(),
    )
