"""Paid special services (特约服务, C7): booked at the desk, done by a department, a payment
notice after the service, then a phone callback on satisfaction; each step version-checked."""

from decimal import Decimal

import sqlalchemy as sa
from flask import redirect, request, url_for
from flask_babel import gettext as _

from kiosk.access import FRONT_DESK, staff
from kiosk.blueprints.cases import bp
from kiosk.blueprints.cases.caller import looked_at
from kiosk.blueprints.cases.common import (
    department_in_site,
    history,
    local_to_utc,
    me,
    money,
    site,
    today,
    versioned_step,
)
from kiosk.blueprints.cases.forms import NoteForm, NoticeForm, PhoneCallbackForm, ServiceForm
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
from kiosk.cases import services as special
from kiosk.htmx import render
from kiosk.models.case_services import SpecialService
from kiosk.names import mask_phone
from kiosk.timeutil import utcnow


def _cents(value: Decimal) -> int:
    return int((value * 100).to_integral_value())


@bp.get("/services")
@staff(*VIEWERS)
def services():
    show = request.args.get("show", "open")
    condition = SpecialService.status.in_(special.OPEN) if show == "open" else sa.true()
    page = listed(SpecialService, SpecialService.booked_at, condition)
    if page is None:
        return redirect(url_for("cases.services"), 303)
    return render("cases/services.html", block="rows", page=page, show=show, money=money, today=today())


def _new_page(form: ServiceForm, status: int = 200):
    return render("cases/service_new.html", form=form, status=status)


@bp.get("/services/new")
@staff(*FRONT_DESK)
def service_new():
    return _new_page(with_departments(ServiceForm()))


@bp.post("/services/new")
@staff(*FRONT_DESK)
def service_book():
    form = with_departments(ServiceForm())
    return created(
        form,
        _new_page,
        lambda room, household: special.book(
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
        ),
        _("The special service was booked."),
        "cases.service_detail",
        "service_id",
    )


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
    service = opened(SpecialService, service_id)
    return _detail(service, reveal=looked_at(service, "special_service"))


def _act(service_id: int, form_name: str, form, action):
    return versioned_step(
        lambda: opened(SpecialService, service_id),
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
    return _act(service_id, "callback", PhoneCallbackForm(), phone_callback(special))
