"""Lost and found (V5), the signatures on the registers' records, and the register settings."""

from flask import abort, current_app, flash, redirect, request, send_file, url_for
from flask_babel import gettext as _

from kiosk import audit, paging, photos
from kiosk.access import SUPERVISORS, staff
from kiosk.blueprints.registers import bp
from kiosk.blueprints.registers.common import RUN, me, photo_root, put_refusal, to_local_input, to_utc
from kiosk.blueprints.registers.forms import ClaimForm, CloseForm, FoundForm, SettingsForm
from kiosk.extensions import db
from kiosk.htmx import render
from kiosk.models.registers import FoundStatus, RegisterSettings
from kiosk.registers import lost_found, mail
from kiosk.registers.common import Refused
from kiosk.registers.common import settings as register_settings
from kiosk.timeutil import utcnow

MAX_UPLOAD = photos.MAX_BYTES + 64 * 1024


@bp.get("/found/", endpoint="found")
@staff(*RUN)
def found_book():
    try:
        page = lost_found.book(me().site_id, cursor=request.args.get("cursor") or None)
    except paging.BadCursor:
        abort(400)
    return render(
        "registers/found_book.html",
        block="results",
        page=page,
        now=utcnow(),
        unclaimed=lost_found.unclaimed(me().site_id, 50),
    )


@bp.route("/found/new", methods=["GET", "POST"])
@staff(*RUN)
def found_new():
    form = FoundForm()
    if request.method == "GET":
        form.found_at.data = to_local_input(utcnow(), me().site.timezone)
        return render("registers/found_new.html", form=form)
    if request.content_length and request.content_length > MAX_UPLOAD:
        form.photo.errors = [_("The photo could not be used. Please take a JPEG or PNG photo under 8 MB.")]
    elif form.validate_on_submit():
        upload = request.files.get("photo")
        data = upload.read() if upload and upload.filename else None
        try:
            item = lost_found.record(
                me().site_id,
                description=form.description.data,
                found_place=form.found_place.data,
                found_at=to_utc(form.found_at.data, me().site.timezone),
                found_by=form.found_by.data,
                storage_place=form.storage_place.data,
                by=me(),
                now=utcnow(),
                photo=data,
                photo_root=photo_root(),
            )
        except Refused as refused:
            put_refusal(form, refused)
        else:
            db.session.commit()
            flash(_("The found item is logged."), "info")
            return redirect(url_for("registers.found_item", item_id=item.id), 303)
    db.session.rollback()
    return render("registers/found_new.html", form=form, status=422)


def _found_or_404(item_id: int):
    item = lost_found.load(me().site_id, item_id)
    if item is None:
        abort(404)
    return item


def _found_page(item, claim=None, close=None, status=200):
    now = utcnow()
    return render(
        "registers/found_item.html",
        item=item,
        claim=claim or ClaimForm(),
        close=close or CloseForm(),
        keep_until=lost_found.keep_until(item),
        now=now,
        status=status,
    )


@bp.get("/found/<int:item_id>")
@staff(*RUN)
def found_item(item_id: int):
    return _found_page(_found_or_404(item_id))


@bp.post("/found/<int:item_id>/claim")
@staff(*RUN)
def found_claim(item_id: int):
    item = _found_or_404(item_id)
    form = ClaimForm()
    if form.validate_on_submit():
        try:
            lost_found.claim(
                item,
                claimant_name=form.claimant_name.data,
                id_number=form.id_number.data,
                id_checked=form.id_checked.data,
                signature=request.form.get("signature"),
                by=me(),
                now=utcnow(),
                photo_root=photo_root(),
            )
        except Refused as refused:
            if refused.reason == "closed":
                db.session.rollback()
                flash(_("This item has already left the desk."), "info")
                return redirect(url_for("registers.found_item", item_id=item_id), 303)
            put_refusal(form, refused)
        else:
            db.session.commit()
            flash(_("Returned to its owner; the claim is signed."), "info")
            return redirect(url_for("registers.found_item", item_id=item_id), 303)
    db.session.rollback()
    return _found_page(_found_or_404(item_id), claim=form, status=422)


@bp.post("/found/<int:item_id>/close")
@staff(*RUN)
def found_close(item_id: int):
    item = _found_or_404(item_id)
    form = CloseForm()
    if form.validate_on_submit():
        try:
            lost_found.close(item, FoundStatus(form.status.data), form.note.data, me(), utcnow())
        except Refused as refused:
            if refused.reason == "closed":
                db.session.rollback()
                flash(_("This item has already left the desk."), "info")
                return redirect(url_for("registers.found_item", item_id=item_id), 303)
            put_refusal(form, refused)
        else:
            db.session.commit()
            flash(_("Recorded."), "info")
            return redirect(url_for("registers.found_item", item_id=item_id), 303)
    db.session.rollback()
    return _found_page(_found_or_404(item_id), close=form, status=422)


def _file(relative: str | None, mimetype: str):
    if not relative:
        abort(404)
    try:
        path = photos.open_path(photos.root(current_app.config, current_app.instance_path), relative)
    except FileNotFoundError:
        abort(404)
    if not path.exists():
        abort(404)
    response = send_file(path, mimetype=mimetype, max_age=0)
    response.headers["Cache-Control"] = "private, no-store"
    return response


@bp.get("/found/<int:item_id>/photo")
@staff(*RUN)
def found_photo(item_id: int):
    return _file(_found_or_404(item_id).photo_path, "image/jpeg")


@bp.get("/found/<int:item_id>/signature")
@staff(*RUN)
def found_signature(item_id: int):
    return _file(_found_or_404(item_id).signature_path, "image/png")


@bp.get("/mail/<int:item_id>/signature")
@staff(*RUN)
def mail_signature(item_id: int):
    item = mail.load(me().site_id, item_id)
    if item is None:
        abort(404)
    return _file(item.signature_path, "image/png")


@bp.route("/settings", methods=["GET", "POST"])
@staff(*SUPERVISORS)
def settings():
    current = register_settings(me().site_id)
    form = SettingsForm(obj=current)
    if request.method == "POST":
        if form.validate_on_submit():
            row = db.session.get(RegisterSettings, me().site_id) or RegisterSettings(site_id=me().site_id)
            row.mail_overdue_days, row.found_keep_days = form.mail_overdue_days.data, form.found_keep_days.data
            db.session.add(row)
            audit.record(
                me(),
                "registers.settings",
                details={"mail_overdue_days": row.mail_overdue_days, "found_keep_days": row.found_keep_days},
            )
            db.session.commit()
            flash(_("Saved."), "info")
            return redirect(url_for("registers.settings"), 303)
        return render("registers/settings.html", form=form, status=422)
    return render("registers/settings.html", form=form)
