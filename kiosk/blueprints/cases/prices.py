"""The paid-repair price list (有偿维修收费标准, C10): everyone at the desk reads it when a
repair is called in; managers keep it (add, change the fee, retire), each change audited."""

from decimal import Decimal

import sqlalchemy as sa
from flask import current_app, flash, redirect, request, url_for
from flask_babel import gettext as _
from sqlalchemy.orm.exc import StaleDataError

from kiosk import paging
from kiosk.access import FRONT_DESK, current_site_id, get_in_site_or_404, staff
from kiosk.blueprints.cases import bp
from kiosk.blueprints.cases.common import me, money, refuse, site
from kiosk.blueprints.cases.forms import PriceItemForm
from kiosk.cases import Refused
from kiosk.cases import prices as price_list
from kiosk.cases.labels import REFUSALS
from kiosk.extensions import db
from kiosk.htmx import render
from kiosk.models import Role
from kiosk.models.case_orders import RepairCategory
from kiosk.models.case_services import PriceItem
from kiosk.paging import BadCursor
from kiosk.timeutil import utcnow

READERS = (*FRONT_DESK, Role.OFFICER, Role.DEPARTMENT)


def _cents(value: Decimal) -> int:
    return int((value * 100).to_integral_value())


def _list(form: PriceItemForm, status: int = 200):
    query = sa.select(PriceItem).where(PriceItem.site_id == current_site_id())
    try:
        page = paging.keyset(
            query,
            PriceItem.created_at,
            PriceItem.id,
            cursor=request.args.get("cursor"),
            size=current_app.config["PAGE_SIZE"],
        )
    except BadCursor:
        return redirect(url_for("cases.prices"), 303)
    return render("cases/prices.html", block="rows", status=status, page=page, form=form, money=money)


@bp.get("/prices")
@staff(*READERS)
def prices():
    return _list(PriceItemForm())


@bp.post("/prices")
@staff(Role.MANAGER)
def price_add():
    form = PriceItemForm()
    if not form.validate_on_submit():
        return _list(form, 422)
    try:
        price_list.add(
            site(),
            me(),
            name=form.name.data,
            category=RepairCategory(form.category.data),
            fee_cents=_cents(form.fee.data),
            unit=form.unit.data,
            now=utcnow(),
        )
        db.session.commit()
    except Refused as refused:
        refuse(refused.reason)
        return _list(form, 422)
    flash(_("The item is on the price list."), "info")
    return redirect(url_for("cases.prices"), 303)


def _edit_page(item: PriceItem, form: PriceItemForm, status: int = 200):
    return render("cases/price_item.html", status=status, item=item, form=form, money=money)


def _form_of(item: PriceItem) -> PriceItemForm:
    return PriceItemForm(
        formdata=None,
        version=item.version,
        name=item.name,
        category=item.category.value,
        fee=Decimal(item.fee_cents) / 100,
        unit=item.unit,
        active=item.active,
    )


@bp.get("/prices/<int:item_id>")
@staff(Role.MANAGER)
def price_item(item_id: int):
    item = get_in_site_or_404(PriceItem, item_id)
    return _edit_page(item, _form_of(item))


@bp.post("/prices/<int:item_id>")
@staff(Role.MANAGER)
def price_change(item_id: int):
    item = get_in_site_or_404(PriceItem, item_id)
    form = PriceItemForm()
    if not form.validate_on_submit():
        return _edit_page(item, form, 422)
    try:
        if str(item.version) != (form.version.data or ""):
            raise StaleDataError()
        price_list.change(
            item,
            me(),
            name=form.name.data,
            category=RepairCategory(form.category.data),
            fee_cents=_cents(form.fee.data),
            unit=form.unit.data,
            active=form.active.data,
        )
        db.session.commit()
    except Refused as refused:
        refuse(refused.reason)
        return _edit_page(get_in_site_or_404(PriceItem, item_id), form, 422)
    except StaleDataError:
        db.session.rollback()
        flash(str(REFUSALS["conflict"]), "error")
        fresh = get_in_site_or_404(PriceItem, item_id)
        return _edit_page(fresh, _form_of(fresh), 409)
    flash(_("The price list was changed."), "info")
    return redirect(url_for("cases.prices"), 303)
