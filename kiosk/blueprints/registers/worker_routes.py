"""Decoration-worker passes in the console (V7): issue, the book, a pass with its sign-ins,
revoke, and the printed card with its QR code for the kiosk."""

from datetime import timedelta

from flask import abort, flash, redirect, request, url_for
from flask_babel import gettext as _

from kiosk import paging, photos
from kiosk.access import staff
from kiosk.blueprints.registers import bp
from kiosk.blueprints.registers.common import RUN, me, photo_root, put_refusal
from kiosk.blueprints.registers.forms import RevokeReasonForm, WorkerPassForm
from kiosk.blueprints.registers.found_routes import _file
from kiosk.blueprints.registers.goods_routes import qr_svg
from kiosk.extensions import db
from kiosk.htmx import render
from kiosk.registers import worker_passes
from kiosk.registers.common import Refused
from kiosk.timeutil import utcnow
from kiosk.visits.corrections import find_room

MAX_UPLOAD = photos.MAX_BYTES + 64 * 1024


def _today():
    return worker_passes.local_date(me().site, utcnow())


@bp.get("/workers/", endpoint="workers")
@staff(*RUN)
def worker_book():
    try:
        page = worker_passes.book(me().site_id, cursor=request.args.get("cursor") or None)
    except paging.BadCursor:
        abort(400)
    return render("registers/worker_book.html", block="results", page=page, today=_today(), state=worker_passes.state)


@bp.route("/workers/new", methods=["GET", "POST"])
@staff(*RUN)
def worker_new():
    form = WorkerPassForm()
    if request.method == "GET":
        form.valid_from.data = _today()
        form.valid_until.data = _today() + timedelta(days=30)
        return render("registers/worker_new.html", form=form)
    if request.content_length and request.content_length > MAX_UPLOAD:
        form.photo.errors = [_("The photo could not be used. Please take a JPEG or PNG photo under 8 MB.")]
    elif form.validate_on_submit():
        room = find_room(me().site_id, form.room.data)
        if room is None:
            form.room.errors = [*form.room.errors, _("No such room at this site. Enter it as 1-1-0101.")]
        else:
            upload = request.files.get("photo")
            try:
                worker_pass = worker_passes.issue(
                    room,
                    worker_name=form.worker_name.data,
                    phone=form.phone.data,
                    company=form.company.data or "",
                    valid_from=form.valid_from.data,
                    valid_until=form.valid_until.data,
                    by=me(),
                    now=utcnow(),
                    photo=upload.read() if upload and upload.filename else None,
                    photo_root=photo_root(),
                )
            except Refused as refused:
                put_refusal(form, refused)
            else:
                db.session.commit()
                flash(_("The worker pass is issued. Print the card for the worker."), "info")
                return redirect(url_for("registers.worker_pass", pass_id=worker_pass.id), 303)
    db.session.rollback()
    return render("registers/worker_new.html", form=form, status=422)


def _pass_or_404(pass_id: int):
    worker_pass = worker_passes.load(me().site_id, pass_id)
    if worker_pass is None:
        abort(404)
    return worker_pass


def _pass_page(worker_pass, form=None, status=200):
    return render(
        "registers/worker_pass.html",
        worker_pass=worker_pass,
        form=form or RevokeReasonForm(),
        verdict=worker_passes.state(worker_pass, _today()),
        sign_ins=worker_passes.sign_ins(worker_pass),
        status=status,
    )


@bp.get("/workers/<int:pass_id>")
@staff(*RUN)
def worker_pass(pass_id: int):
    return _pass_page(_pass_or_404(pass_id))


@bp.post("/workers/<int:pass_id>/revoke")
@staff(*RUN)
def worker_revoke(pass_id: int):
    worker_pass = _pass_or_404(pass_id)
    form = RevokeReasonForm()
    if form.validate_on_submit():
        worker_passes.revoke(worker_pass, form.reason.data, me(), utcnow())
        db.session.commit()
        flash(_("The worker pass is revoked; the kiosk refuses it from now on."), "info")
        return redirect(url_for("registers.worker_pass", pass_id=pass_id), 303)
    db.session.rollback()
    return _pass_page(_pass_or_404(pass_id), form, 422)


@bp.get("/workers/<int:pass_id>/print")
@staff(*RUN)
def worker_print(pass_id: int):
    worker_pass = _pass_or_404(pass_id)
    return render("registers/worker_print.html", worker_pass=worker_pass, qr=qr_svg(worker_pass.code))


@bp.get("/workers/<int:pass_id>/photo")
@staff(*RUN)
def worker_photo(pass_id: int):
    return _file(_pass_or_404(pass_id).photo_path, "image/jpeg")
