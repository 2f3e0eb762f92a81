"""Paid special services (特约服务, C7): booked at the desk, done by a department, a payment
notice after the service, then a phone callback on satisfaction; each step version-checked."""

from decimal import Decimal

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
    local_to_utc,
    me,
    money,
    own_department_only,
    refuse,
    site,
    today,
    versioned_step,
)
from kiosk.blueprints.cases.forms import NoteForm, NoticeForm, PhoneCallbackForm, ServiceForm
from kiosk.cases import Refused
from kiosk.cases import services as special
from kiosk.extensions import db
from kiosk.htmx import render
from kiosk.models import Role, Room
from kiosk.models.case_services import SpecialService
from kiosk.models.cases import Satisfaction
from kiosk.names import mask_phone
from kiosk.paging import BadCursor
from kiosk.timeutil import utcnow

VIEWERS = (*FRONT_DESK, Role.OFFICER, Role.DEPARTMENT)
WORKERS = (*FRONT_DESK, Role.DEPARTMENT)
CALLERS = (*SUPERVISORS, Role.OFFICER, Role.RECEPTIONIST, Role.DUTY_MANAGER)


def _cents(value: Decimal) -> int:
    return int((value * 100).to_integral_value())


@bp.get("/services")
@staff(*VIEWERS)
def services():
    show = request.args.get("show", "open")
    query = (
        sa.select(SpecialService)
        .where(SpecialService.site_id == current_site_id())
        .options(
            selectinload(SpecialService.department),
            selectinload(SpecialService.room).selectinload(Room.building),
            selectinload(SpecialService.room).selectinload(Room.unit),
        )
    )
    if show == "open":
        query = query.where(SpecialService.status.in_(special.OPEN))
    if me().role == Role.DEPARTMENT:
        query = query.where(SpecialService.department_id == me().department_id)
    try:
        page = paging.keyset(
            query,
            SpecialService.booked_at,
            SpecialService.id,
            cursor=request.args.get("cursor"),
            size=current_app.config["PAGE_SIZE"],
        )
    except BadCursor:
        return redirect(url_for("cases.services"), 303)
    return render("cases/services.html", block="rows", page=page, show=show, money=money, today=today())


def _new_page(form: ServiceForm, status: int = 200):
    return render("cases/service_new.html", form=form, status=status)


def _service_form() -> ServiceForm:
    form = ServiceForm()
    form.department.choices = [(0, "—"), *department_choices(current_site_id())]
    return form


@bp.get("/services/new")
@staff(*FRONT_DESK)
def service_new():
    return _new_page(_service_form())


@bp.post("/services/new")
@staff(*FRONT_DESK)
def service_book():
    form = _service_form()
    if not form.validate_on_submit():
        return _new_page(form, 422)
    room, household = household_in_room(form.room.data)
    if room is None:
        form.room.errors.append(_("No such room on this site."))
        return _new_page(form, 422)
    try:
        service = special.book(
            site(),
            user=me(),
            now=utcnow(),
            content=form.content.data,
            fee_cents=_cents(form.fee.data),
            household=household,
            contact_name=form.contact_name.data,
            contact_phone=form.contact_phone.data,
            appointment_at=local_to_utc(form.appointment_at.data),
            department=department_in_site(form.department.data or None),
            room=room,
        )
        db.session.commit()
    except Refused as refused:
        refuse(refused.reason)
        return _new_page(form, 422)
    flash(_("The special service was booked."), "info")
    return redirect(url_for("cases.service_detail", service_id=service.id), 303)


def _service(service_id: int) -> SpecialService:
    service = get_in_site_or_404(SpecialService, service_id)
    if me().role == Role.DEPARTMENT:
        own_department_only(service.department_id)
    return service


def _detail(service: SpecialService, status: int = 200, **forms):
    return render(
        "cases/service.html",
        status=status,
        service=service,
        reveal=forms.get("reveal", False),
        history=history(service),
        today=today(),
        money=money,
        mask_phone=mask_phone,
        may_work=special.may_work(service, me()),
        done=forms.get("done") or NoteForm(version=service.version),
        notice=forms.get("notice") or NoticeForm(version=service.version, fee=Decimal(service.fee_cents) / 100),
        callback=forms.get("callback") or PhoneCallbackForm(version=service.version),
    )


@bp.get("/services/<int:service_id>")
@staff(*VIEWERS)
def service_detail(service_id: int):
    service = _service(service_id)
    reveal = request.args.get("reveal") == "1"  # the full phone, for the callback (A5)
    audit.record(me(), "special_service.contact_revealed" if reveal else "special_service.viewed", service)
    db.session.commit()
    return _detail(service, reveal=reveal)


def _act(service_id: int, form_name: str, form, action):
    return versioned_step(
        lambda: _service(service_id),
        form_name,
        form,
        action,
        _detail,
        url_for("cases.service_detail", service_id=service_id),
    )


@bp.post("/services/<int:service_id>/done")
@staff(*WORKERS)
def service_done(service_id: int):
    return _act(service_id, "done", NoteForm(), lambda s, form: special.done(s, me(), form.note.data, utcnow()))


@bp.post("/services/<int:service_id>/notice")
@staff(*FRONT_DESK)
def service_notice(service_id: int):
    return _act(
        service_id,
        "notice",
        NoticeForm(),
        lambda s, form: special.payment_notice(s, me(), fee_cents=_cents(form.fee.data), now=utcnow()),
    )


@bp.post("/services/<int:service_id>/callback")
@staff(*CALLERS)
def service_callback(service_id: int):
    return _act(
        service_id,
        "callback",
        PhoneCallbackForm(),
        lambda s, form: special.callback(
            s,
            me(),
            satisfaction=Satisfaction(form.satisfaction.data),
            confirmed_by=form.confirmed_by.data,
            note=form.note.data,
            now=utcnow(),
        ),
    )
