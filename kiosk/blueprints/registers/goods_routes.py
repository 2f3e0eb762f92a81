"""Goods passes (V6): request, decide, print with its QR code, and the gate check."""

from datetime import timedelta

from flask import abort, flash, redirect, request, url_for
from flask_babel import gettext as _
from markupsafe import Markup

from kiosk import paging, qr
from kiosk.access import staff
from kiosk.blueprints.registers import bp
from kiosk.blueprints.registers.common import APPROVE, GATE, RUN, me, put_refusal, to_local_input, to_utc
from kiosk.blueprints.registers.forms import ApproveForm, GateForm, GoodsPassForm, RefuseForm, UseForm
from kiosk.extensions import db
from kiosk.htmx import render
from kiosk.models.registers import Consent, Direction, Hazard, PassStatus, RequesterKind
from kiosk.registers import goods_passes
from kiosk.registers.common import Refused
from kiosk.timeutil import utcnow
from kiosk.visits.corrections import find_room


@bp.get("/goods/", endpoint="goods")
@staff(*RUN)
def goods_book():
    status = request.args.get("status")
    status = PassStatus(status) if status in set(PassStatus) else None
    try:
        page = goods_passes.book(me().site_id, status=status, cursor=request.args.get("cursor") or None)
    except paging.BadCursor:
        abort(400)
    return render(
        "registers/goods_book.html",
        block="results",
        page=page,
        filter_status=status,
        in_use=goods_passes.in_use(me().site_id, utcnow(), 20),
    )


def _new_page(form, status=200):
    return render("registers/goods_new.html", form=form, status=status)


@bp.route("/goods/new", methods=["GET", "POST"])
@staff(*RUN)
def goods_new():
    form = GoodsPassForm()
    tz = me().site.timezone
    if request.method == "GET":
        now = to_local_input(utcnow(), tz)
        form.valid_from.data = now.replace(minute=0) + timedelta(hours=1)
        form.valid_until.data = form.valid_from.data + timedelta(hours=4)
        return _new_page(form)
    if form.validate_on_submit():
        room = None
        if form.requester_kind.data == RequesterKind.HOUSEHOLD.value:
            room = find_room(me().site_id, form.room.data or "")
            if room is None:
                form.room.errors = [*form.room.errors, _("No such room at this site. Enter it as 1-1-0101.")]
        lines = [
            goods_passes.Line(
                line.form.name.data.strip(),
                line.form.quantity.data or 1,
                Hazard(line.form.hazard.data) if line.form.hazard.data in set(Hazard) else Hazard.NONE,
            )
            for line in form.items
            if (line.form.name.data or "").strip()
        ]
        if not form.room.errors:
            req = goods_passes.Request(
                requester_kind=RequesterKind(form.requester_kind.data),
                carrier_name=form.carrier_name.data,
                direction=Direction(form.direction.data),
                valid_from=to_utc(form.valid_from.data, tz),
                valid_until=to_utc(form.valid_until.data, tz),
                lines=lines,
                room=room,
                company_name=form.company_name.data or "",
                carrier_phone=form.carrier_phone.data or "",
                consent=Consent(form.consent.data) if form.consent.data in set(Consent) else None,
                consent_by=form.consent_by.data or "",
            )
            try:
                goods_pass = goods_passes.request(me().site_id, req, me(), utcnow())
            except Refused as refused:
                put_refusal(form, refused)
            else:
                db.session.commit()
                if goods_pass.status == PassStatus.REFUSED:
                    flash(
                        _("Refused: hazardous goods may not be carried through the building. The reason is recorded."),
                        "error",
                    )
                else:
                    flash(_("The request is recorded and waits for approval."), "info")
                return redirect(url_for("registers.goods_pass", pass_id=goods_pass.id), 303)
    db.session.rollback()
    return _new_page(form, 422)


def _pass_or_404(pass_id: int):
    goods_pass = goods_passes.load(me().site_id, pass_id)
    if goods_pass is None:
        abort(404)
    return goods_pass


def _pass_page(goods_pass, approve=None, refuse=None, status=200):
    if approve is None:
        approve = ApproveForm()
        if goods_pass.status == PassStatus.REQUESTED:
            start = max(goods_pass.valid_from, utcnow())
            approve.slot.data = to_local_input(start, me().site.timezone).replace(minute=0) + timedelta(hours=1)
    day_start = goods_pass.valid_from - timedelta(hours=12)
    return render(
        "registers/goods_pass.html",
        goods_pass=goods_pass,
        approve=approve,
        refuse=refuse or RefuseForm(),
        bookings=goods_passes.lift_bookings(goods_pass.site_id, day_start, day_start + timedelta(days=2)),
        verdict=goods_passes.verdict(goods_pass, utcnow()),
        status=status,
    )


@bp.get("/goods/<int:pass_id>")
@staff(*RUN)
def goods_pass(pass_id: int):
    return _pass_page(_pass_or_404(pass_id))


@bp.post("/goods/<int:pass_id>/approve")
@staff(*APPROVE)
def goods_approve(pass_id: int):
    goods_pass = _pass_or_404(pass_id)
    form = ApproveForm()
    if form.validate_on_submit():
        lift = form.lift.data or None
        slot = to_utc(form.slot.data, me().site.timezone) if lift else None
        if lift and slot is None:
            form.slot.errors = [*form.slot.errors, _("Please enter the moving slot.")]
        else:
            try:
                goods_passes.approve(goods_pass, me(), utcnow(), lift=lift, slot_start=slot)
            except Refused as refused:
                if refused.reason == "not_requested":
                    db.session.rollback()
                    flash(_("This pass is no longer awaiting a decision."), "info")
                    return redirect(url_for("registers.goods_pass", pass_id=pass_id), 303)
                put_refusal(form, refused, fallback="slot")
            else:
                db.session.commit()
                flash(_("Approved. Print the pass for the carrier."), "info")
                return redirect(url_for("registers.goods_pass", pass_id=pass_id), 303)
    db.session.rollback()
    return _pass_page(_pass_or_404(pass_id), approve=form, status=422)


@bp.post("/goods/<int:pass_id>/refuse")
@staff(*APPROVE)
def goods_refuse(pass_id: int):
    goods_pass = _pass_or_404(pass_id)
    form = RefuseForm()
    if form.validate_on_submit():
        try:
            goods_passes.refuse(goods_pass, form.reason.data, me(), utcnow())
        except Refused as refused:
            if refused.reason == "not_requested":
                db.session.rollback()
                flash(_("This pass is no longer awaiting a decision."), "info")
                return redirect(url_for("registers.goods_pass", pass_id=pass_id), 303)
            put_refusal(form, refused, fallback="reason")
        else:
            db.session.commit()
            flash(_("Refused; the reason is recorded."), "info")
            return redirect(url_for("registers.goods_pass", pass_id=pass_id), 303)
    db.session.rollback()
    return _pass_page(_pass_or_404(pass_id), refuse=form, status=422)


def qr_svg(code: str) -> Markup:
    """The pass code as an inline SVG QR code (kiosk.qr)."""
    return Markup(qr.svg(code, scale=5, omitsize=False, dark="#000"))


@bp.get("/goods/<int:pass_id>/print")
@staff(*RUN)
def goods_print(pass_id: int):
    goods_pass = _pass_or_404(pass_id)
    if goods_pass.status not in (PassStatus.APPROVED, PassStatus.USED):
        flash(_("Only an approved pass can be printed."), "info")
        return redirect(url_for("registers.goods_pass", pass_id=pass_id), 303)
    return render("registers/goods_print.html", goods_pass=goods_pass, qr=qr_svg(goods_pass.code))


# --- the gate (security staff on a tablet) -----------------------------------------------


def _gate_allowed() -> bool:
    return goods_passes.works_the_gate(me())


@bp.get("/gate")
@staff(*GATE)
def gate():
    """Scan or type a pass code; the pass opens with what may pass and whether it is valid."""
    if not _gate_allowed():
        return render("registers/gate_other_department.html")
    form = GateForm(formdata=request.args)
    goods_pass = verdict = None
    if form.code.data:
        goods_pass = goods_passes.find(me().site_id, form.code.data)
        verdict = goods_passes.verdict(goods_pass, utcnow()) if goods_pass else "unknown"
    return render(
        "registers/gate.html", block="result", form=form, goods_pass=goods_pass, verdict=verdict, use=UseForm()
    )


@bp.post("/gate/<code>/use")
@staff(*GATE)
def gate_use(code: str):
    if not _gate_allowed():
        return redirect(url_for("registers.gate"), 303)
    goods_pass = goods_passes.find(me().site_id, code)
    if goods_pass is None:
        abort(404)
    if UseForm().validate_on_submit():
        try:
            goods_passes.mark_used(goods_pass, me(), utcnow())
        except Refused:
            db.session.rollback()  # the page says why (used, expired ...)
        else:
            db.session.commit()
            flash(_("Marked as used. The goods may pass."), "info")
    return redirect(url_for("registers.gate", code=goods_pass.code), 303)
