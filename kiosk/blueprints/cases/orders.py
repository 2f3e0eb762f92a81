"""Repair work orders (C10, C11): the list (department staff see their department's), the
order with dispatch, completion, callback and void."""

import sqlalchemy as sa
from flask import current_app, flash, redirect, request, url_for
from flask_babel import gettext as _
from sqlalchemy.orm import selectinload
from sqlalchemy.orm.exc import StaleDataError

from kiosk import audit, paging
from kiosk.access import FRONT_DESK, SUPERVISORS, current_site_id, get_in_site_or_404, staff
from kiosk.blueprints.cases import bp
from kiosk.blueprints.cases.caller import looked_at
from kiosk.blueprints.cases.common import (
    department_choices,
    department_in_site,
    local_to_utc,
    me,
    own_department_only,
    price_choices,
    refuse,
    today,
)
from kiosk.blueprints.cases.forms import NoteForm, OrderCallbackForm, OrderDispatchForm, TermsForm
from kiosk.blueprints.cases.kinds import CALLERS, VIEWERS, WORKERS
from kiosk.cases import Conflict, Refused, order_work, prices
from kiosk.cases import board as boards
from kiosk.cases import orders as work
from kiosk.cases.labels import REFUSALS
from kiosk.extensions import db
from kiosk.htmx import render
from kiosk.models import Role, Room, User
from kiosk.models.case_orders import OrderStatus, WorkOrder
from kiosk.models.cases import CaseEvent
from kiosk.names import mask_phone
from kiosk.paging import BadCursor
from kiosk.templating import DEPARTMENT_LABELS
from kiosk.timeutil import to_local, utcnow

SHOWS = {
    "open": list(work.OPEN_STATUSES),
    "follow_up": list(work.OPEN_STATUSES),  # and logged before today (C10)
    "done": [OrderStatus.DONE],
    "closed": [OrderStatus.CLOSED],
    "voided": [OrderStatus.VOIDED],
}


@bp.get("/orders")
@staff(*VIEWERS)
def orders():
    show = request.args.get("show", "open")
    query = (
        sa.select(WorkOrder)
        .where(WorkOrder.site_id == current_site_id(), WorkOrder.status.in_(SHOWS.get(show, SHOWS["open"])))
        .options(
            selectinload(WorkOrder.department),
            selectinload(WorkOrder.room).selectinload(Room.building),
            selectinload(WorkOrder.room).selectinload(Room.unit),
        )
    )
    if show == "follow_up":  # the daily follow-up list: not finished on the day logged (C10)
        query = query.where(WorkOrder.created_at < boards.day_bounds(me().site, utcnow())[0])
    if me().role == Role.DEPARTMENT:
        query = query.where(WorkOrder.department_id == me().department_id)
    try:
        page = paging.keyset(
            query,
            WorkOrder.created_at,
            WorkOrder.id,
            cursor=request.args.get("cursor"),
            size=current_app.config["PAGE_SIZE"],
        )
    except BadCursor:
        return redirect(url_for("cases.orders"), 303)
    return render("cases/orders.html", block="rows", page=page, show=show, now=utcnow(), work=work)


def _dispatch_choices(form: OrderDispatchForm, site_id: int) -> OrderDispatchForm:
    """The site's departments, and its department staff by name with their department."""
    form.department.choices = department_choices(site_id)
    form.engineer.choices = [(0, "—")] + [
        (u.id, f"{u.display_name} · {DEPARTMENT_LABELS.get(u.department.kind, '') if u.department else ''}")
        for u in work.engineers(site_id)
    ]
    return form


def _order(order_id: int) -> WorkOrder:
    order = get_in_site_or_404(WorkOrder, order_id)
    if me().role == Role.DEPARTMENT:
        own_department_only(order.department_id)
    return order


def _detail(order: WorkOrder, status: int = 200, **forms):
    events = db.session.scalars(
        sa.select(CaseEvent)
        .where(CaseEvent.work_order_id == order.id)
        .options(selectinload(CaseEvent.user))
        .order_by(CaseEvent.id)
    ).all()
    dispatch = _dispatch_choices(
        forms.get("dispatch") or OrderDispatchForm(version=order.version, department=order.department_id), order.site_id
    )
    terms = forms.get("terms") or TermsForm(
        version=order.version,
        price_item=order.price_item_id or 0,
        appointment_at=to_local(order.appointment_at, order.site.timezone).replace(tzinfo=None)
        if order.appointment_at
        else None,
    )
    terms.price_item.choices = price_choices(order.site_id)
    if order.price_item is not None and not order.price_item.active:  # retired since: keep it shown
        terms.price_item.choices.append((order.price_item.id, order.price_item.name))
    return render(
        "cases/order.html",
        status=status,
        order=order,
        reveal=forms.get("reveal", False),
        events=events,
        now=utcnow(),
        today=today(),
        work=work,
        mask_phone=mask_phone,
        dispatch=dispatch,
        complete=forms.get("complete") or NoteForm(version=order.version),
        callback=forms.get("callback") or OrderCallbackForm(version=order.version),
        void=forms.get("void") or NoteForm(version=order.version),
        terms=terms,
        progress=order_work.progress_of([order.id])[order.id],
        photos=order_work.photos_of(order),
    )


@bp.get("/orders/<int:order_id>")
@staff(*VIEWERS)
def order_detail(order_id: int):
    order = _order(order_id)
    return _detail(order, reveal=looked_at(order, "work_order"))


def _act(order_id: int, form_name: str, form, action):
    """Validate, check the version, run the domain step, commit; refusals re-render with 422,
    a concurrent change with 409 and the new state."""
    order = _order(order_id)
    if not form.validate_on_submit():
        return _detail(order, 422, **{form_name: form})
    try:
        if str(order.version) != (form.version.data or ""):
            raise Conflict()
        action(order, form)
        db.session.commit()
    except Refused as refused:
        refuse(refused.reason)
        return _detail(order, 422, **{form_name: form})
    except (Conflict, StaleDataError):
        db.session.rollback()
        flash(str(REFUSALS["conflict"]), "error")
        return _detail(db.session.get(WorkOrder, order_id), 409)
    return redirect(url_for("cases.order_detail", order_id=order_id), 303)


@bp.post("/orders/<int:order_id>/dispatch")
@staff(*FRONT_DESK)
def order_dispatch(order_id: int):
    form = _dispatch_choices(OrderDispatchForm(), current_site_id())

    def step(order, form):
        department = department_in_site(form.department.data)
        if department is None:
            raise Refused("illegal_step")
        engineer = db.session.get(User, form.engineer.data) if form.engineer.data else None
        if form.engineer.data and engineer is None:
            raise Refused("engineer_department")
        work.dispatch(order, me(), department, utcnow(), engineer=engineer)

    return _act(order_id, "dispatch", form, step)


@bp.post("/orders/<int:order_id>/terms")
@staff(*FRONT_DESK)
def order_terms(order_id: int):
    """The appointment agreed and the item of the price list, or priced on site (C10)."""
    form = TermsForm()
    form.price_item.choices = price_choices(current_site_id())

    def step(order, form):
        item = None
        if form.price_item.data and form.price_item.data == order.price_item_id:
            item = order.price_item  # unchanged (possibly retired since): keeps its agreed fee
        else:
            item = prices.for_order(current_site_id(), form.price_item.data)
        work.set_terms(
            order, me(), appointment_at=local_to_utc(form.appointment_at.data), price_item=item, now=utcnow()
        )

    return _act(order_id, "terms", form, step)


@bp.post("/orders/<int:order_id>/complete")
@staff(*WORKERS)
def order_complete(order_id: int):
    return _act(
        order_id, "complete", NoteForm(), lambda order, form: work.complete(order, me(), form.note.data, utcnow())
    )


@bp.post("/orders/<int:order_id>/callback")
@staff(*CALLERS)
def order_callback(order_id: int):
    return _act(
        order_id,
        "callback",
        OrderCallbackForm(),
        lambda order, form: work.callback(
            order,
            me(),
            satisfied=form.satisfied.data,
            fee_confirmed=form.fee_confirmed.data,
            note=form.note.data,
            now=utcnow(),
        ),
    )


@bp.post("/orders/<int:order_id>/void")
@staff(*SUPERVISORS, Role.RECEPTIONIST, Role.DUTY_MANAGER)
def order_void(order_id: int):
    response = _act(order_id, "void", NoteForm(), lambda order, form: work.void(order, me(), form.note.data, utcnow()))
    if response.status_code == 303:
        flash(_("The order was voided; it keeps its number."), "info")
    return response


@bp.get("/orders/<int:order_id>/print")
@staff(*VIEWERS)
def order_print(order_id: int):
    """The printable work order: customer, engineering and customer-service copies (C10)."""
    order = _order(order_id)
    audit.record(me(), "work_order.printed", order)
    db.session.commit()
    return render("cases/order_print.html", order=order, copies=COPIES)


COPIES = ("customer", "engineering", "service")
