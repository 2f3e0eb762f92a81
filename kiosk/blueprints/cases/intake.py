"""The intake log (C1): the receptionist's form, the caller search, the log and its records."""

import sqlalchemy as sa
from flask import abort, current_app, flash, redirect, request, send_file, url_for
from flask_babel import gettext as _

from kiosk import audit, photos
from kiosk.access import FRONT_DESK, SUPERVISORS, current_site_id, get_in_site_or_404, staff
from kiosk.blueprints.cases import bp
from kiosk.blueprints.cases.common import (
    department_choices,
    department_in_site,
    local_to_utc,
    me,
    own_department_only,
    price_choices,
    refuse,
    site,
)
from kiosk.blueprints.cases.forms import IntakeForm, NoteForm, RouteForm
from kiosk.cases import Refused, prices
from kiosk.cases import intake as log_book
from kiosk.extensions import db
from kiosk.htmx import render
from kiosk.models import Household, Role
from kiosk.models.case_complaints import Complaint
from kiosk.models.case_orders import OrderStatus, RepairCategory, WorkOrder
from kiosk.models.cases import Channel, Importance, Intake, IntakeClass, IntakeStatus
from kiosk.names import mask_phone
from kiosk.paging import BadCursor
from kiosk.timeutil import utcnow

LOGGERS = tuple(FRONT_DESK)
READERS = (*FRONT_DESK, Role.OFFICER, Role.DEPARTMENT)


@bp.get("/")
@staff(*READERS)
def intake():
    kind = request.args.get("kind")
    kind = IntakeClass(kind) if kind in IntakeClass._value2member_map_ else None
    status = IntakeStatus.OPEN if request.args.get("show") == "open" else None
    department_id = me().department_id if me().role == Role.DEPARTMENT else None
    if me().role == Role.DEPARTMENT:
        kind = IntakeClass.ISSUE
    try:
        page = log_book.page(
            current_site_id(),
            cursor=request.args.get("cursor"),
            size=current_app.config["PAGE_SIZE"],
            kind=kind,
            status=status,
            department_id=department_id,
        )
    except BadCursor:
        return redirect(url_for("cases.intake"), 303)
    return render(
        "cases/intake.html", block="rows", page=page, kind=kind, show=request.args.get("show"), mask_phone=mask_phone
    )


def _form_page(form, status=200, callers=()):
    return render("cases/log.html", form=form, callers=callers, status=status, mask_phone=mask_phone)


def _prepare(form: IntakeForm) -> IntakeForm:
    form.department.choices = [(0, "—"), *department_choices(current_site_id())]
    form.price_item.choices = price_choices(current_site_id())
    return form


@bp.get("/new")
@staff(*LOGGERS)
def log():
    return _form_page(_prepare(IntakeForm()))


@bp.get("/callers")
@staff(*LOGGERS)
def callers():
    """The caller search (C1): rooms with masked names and phones. Nothing more is shown
    until the caller's identity is verified (A5)."""
    found = log_book.find_callers(current_site_id(), request.args.get("q", ""))
    return render(
        "cases/log.html",
        block="callers",
        callers=found,
        form=_prepare(IntakeForm(formdata=None)),
        mask_phone=mask_phone,
    )


@bp.post("/new")
@staff(*LOGGERS)
def log_post():
    form = _prepare(IntakeForm())
    household = None
    if form.household.data:
        household = db.session.get(Household, form.household.data)
        if household is None or household.site_id != current_site_id():
            household = None
    if not form.validate_on_submit():
        return _form_page(form, 422, callers=[household] if household else ())
    call = log_book.Call(
        channel=Channel(form.channel.data),
        kind=IntakeClass(form.kind.data),
        content=form.content.data,
        read_back=form.read_back.data,
        household=household,
        caller_name=form.caller_name.data,
        caller_phone=form.caller_phone.data,
        answer=form.answer.data,
        reply_due_at=local_to_utc(form.reply_due_at.data),
        department=department_in_site(form.department.data or None),
        importance=Importance(form.importance.data),
        category=RepairCategory(form.category.data),
        appointment_at=local_to_utc(form.appointment_at.data),
    )
    try:
        call.price_item = prices.for_order(current_site_id(), form.price_item.data)
        entry = log_book.log(site(), call, user=me(), now=utcnow())
    except Refused as refused:
        refuse(refused.reason)
        return _form_page(form, 422, callers=[household] if household else ())
    db.session.commit()
    flash(_("The call was logged."), "info")
    return redirect(url_for("cases.intake_detail", intake_id=entry.id), 303)


def _entry(intake_id: int) -> Intake:
    entry = get_in_site_or_404(Intake, intake_id)
    if me().role == Role.DEPARTMENT:
        own_department_only(entry.department_id)
    return entry


@bp.get("/intake/<int:intake_id>")
@staff(*READERS)
def intake_detail(intake_id: int, form=None, status=200, route=None):
    entry = _entry(intake_id)
    order = db.session.scalar(sa.select(WorkOrder).where(WorkOrder.intake_id == entry.id))
    case = db.session.scalar(sa.select(Complaint).where(Complaint.intake_id == entry.id))
    audit.record(me(), "intake.viewed", entry)
    db.session.commit()
    return render(
        "cases/intake_detail.html",
        status=status,
        entry=entry,
        order=order,
        case=case,
        form=form or NoteForm(),
        route=route or RouteForm(),
        mask_phone=mask_phone,
        OrderStatus=OrderStatus,
    )


@bp.get("/intake/<int:intake_id>/photo")
@staff(*READERS)
def intake_photo(intake_id: int):
    """The photo a reporter took on the kiosk: only for those who may read the record, each
    look audited, never cached."""
    entry = _entry(intake_id)
    if not entry.photo_path:
        abort(404)
    try:
        path = photos.open_path(photos.root(current_app.config, current_app.instance_path), entry.photo_path)
    except FileNotFoundError:
        abort(404)
    if not path.exists():
        abort(404)
    audit.record(me(), "intake.photo_viewed", entry)
    db.session.commit()
    response = send_file(path, mimetype="image/jpeg", max_age=0)
    response.headers["Cache-Control"] = "private, no-store"
    return response


@bp.post("/intake/<int:intake_id>/close")
@staff(*FRONT_DESK, *SUPERVISORS, Role.OFFICER, Role.DEPARTMENT)
def intake_close(intake_id: int):
    entry = _entry(intake_id)
    form = NoteForm()
    if not form.validate_on_submit():
        return intake_detail(intake_id, form=form, status=422)
    try:
        log_book.close(entry, me(), form.note.data, utcnow())
    except Refused as refused:
        refuse(refused.reason)
        return intake_detail(intake_id, form=form, status=422)
    db.session.commit()
    flash(_("Closed."), "info")
    return redirect(url_for("cases.intake_detail", intake_id=entry.id), 303)


@bp.post("/intake/<int:intake_id>/route")
@staff(*LOGGERS)
def intake_route(intake_id: int):
    """A repair reported on the kiosk becomes a work order (C10)."""
    entry = _entry(intake_id)
    form = RouteForm()
    if not form.validate_on_submit():
        return intake_detail(intake_id, status=422, route=form)
    try:
        order = log_book.route_repair(site(), entry, me(), RepairCategory(form.category.data), utcnow())
    except Refused as refused:
        refuse(refused.reason)
        return intake_detail(intake_id, status=422, route=form)
    db.session.commit()
    return redirect(url_for("cases.order_detail", order_id=order.id), 303)
