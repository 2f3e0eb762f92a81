"""The companies' signatories on file (V6): the desk looks them up; supervisors and
managers add and remove them (every change audited in kiosk.registers.signatories)."""

from flask import abort, flash, redirect, request, url_for
from flask_babel import gettext as _

from kiosk import paging
from kiosk.access import staff
from kiosk.blueprints.registers import bp
from kiosk.blueprints.registers.common import APPROVE, RUN, me, put_refusal
from kiosk.blueprints.registers.forms import RevokeReasonForm, SignatoryForm
from kiosk.extensions import db
from kiosk.htmx import render
from kiosk.registers import labels, signatories
from kiosk.registers.common import Refused
from kiosk.timeutil import utcnow


def _page(form=None, *, remove_errors=None, status=200):
    try:
        page = signatories.book(me().site_id, cursor=request.args.get("cursor") or None)
    except paging.BadCursor:
        abort(400)
    return render(
        "registers/signatories.html",
        block="results",
        page=page,
        form=form or SignatoryForm(),
        remove_form=RevokeReasonForm(),
        remove_errors=remove_errors or {},
        may_manage=me().role in APPROVE,
        status=status,
    )


@bp.get("/signatories/", endpoint="signatories")
@staff(*RUN)
def signatory_book():
    return _page()


@bp.post("/signatories/")
@staff(*APPROVE)
def signatory_add():
    form = SignatoryForm()
    if form.validate_on_submit():
        try:
            signatories.add(form.company_name.data, form.person_name.data, form.phone.data, me(), utcnow())
        except Refused as refused:
            put_refusal(form, refused)
        else:
            db.session.commit()
            flash(_("The signatory is on file."), "info")
            return redirect(url_for("registers.signatories"), 303)
    db.session.rollback()
    return _page(form, status=422)


@bp.post("/signatories/<int:row_id>/remove")
@staff(*APPROVE)
def signatory_remove(row_id: int):
    row = signatories.load(me().site_id, row_id)
    if row is None:
        abort(404)
    form = RevokeReasonForm()
    if form.validate_on_submit():
        signatories.remove(row, form.reason.data, me(), utcnow())
        db.session.commit()
        flash(_("The signatory is no longer on file; goods passes cannot name them from now on."), "info")
        return redirect(url_for("registers.signatories"), 303)
    db.session.rollback()
    return _page(remove_errors={row_id: labels.refusal("reason")}, status=422)
