"""The list of files and one file: checklist, attachments, the ID number (A1-A3, S3)."""

from flask import abort, current_app, flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from kiosk import paging
from kiosk.access import SUPERVISORS, staff
from kiosk.blueprints.households import bp
from kiosk.blueprints.households.forms import (
    FeesForm,
    FilterForm,
    IdentityForm,
    IdNumberForm,
    ItemForm,
    RequestForm,
    StepForm,
    UploadForm,
)
from kiosk.extensions import db
from kiosk.households import checklist, files, identity, looks, storage, uploads
from kiosk.households import move_in as flow
from kiosk.htmx import render
from kiosk.keys import owners
from kiosk.names import mask_id_number, mask_phone

PAGE_SIZE = 50
CUSTOMER_SERVICE = tuple(looks.CUSTOMER_SERVICE)
MAY_ASK = tuple(looks.CUSTOMER_SERVICE | looks.MUST_ASK)


@bp.context_processor
def _helpers():
    return {
        "item_label": checklist.label,
        "mask_phone": mask_phone,
        "mask_id_number": mask_id_number,
        "identity_methods": identity.METHODS,
    }


def vault() -> storage.Vault:
    return storage.vault_from(current_app.config, current_app.instance_path)


def me():
    return current_user._get_current_object()


@bp.get("/")
@staff(*MAY_ASK)
def index():
    form = FilterForm(formdata=request.args)
    page = None
    if form.validate():
        query = files.ListQuery(room=(form.room.data or "").strip(), missing_only=bool(form.missing.data))
        try:
            page = files.listing(current_user.site_id, query, cursor=request.args.get("cursor") or None, size=PAGE_SIZE)
        except paging.BadCursor:
            abort(400)
    args = {k: v for k, v in request.args.items() if k in ("room", "missing") and v}
    return render(
        "households/index.html",
        block="results",
        form=form,
        page=page,
        args=args,
        status=200 if page is not None else 422,
    )


@bp.post("/open-missing")
@staff(*SUPERVISORS)
def open_missing():
    n = files.open_missing_files(current_user.site_id, me())
    db.session.commit()
    flash(_("%(n)s files were opened.", n=n), "info")
    return redirect(url_for("households.index"), 303)


def _load(file_id: int):
    file = files.load(current_user.site_id, file_id)
    if file is None:
        abort(404)
    return file


def file_page(file, *, status=200, upload=None, upload_item=None, id_form=None, full_id=None):
    return render(
        "households/file.html",
        file=file,
        household=file.household,
        item_form=ItemForm(),
        upload=upload or UploadForm(),
        upload_item=upload_item,
        id_form=id_form or IdNumberForm(),
        full_id=full_id,
        writer=current_user.role in looks.CUSTOMER_SERVICE,
        checked=identity.recent(file.household, me()),
        identity_form=IdentityForm(),
        status=status,
    )


def refused_page(file, form=None, status=403):
    return render(
        "households/ask.html",
        file=file,
        household=file.household,
        form=form or RequestForm(),
        grants=[g for g in looks.my_grants(me()) if g.file_id == file.id],
        status=status,
    )


@bp.get("/<int:file_id>")
@staff(*MAY_ASK)
def show(file_id: int):
    file = _load(file_id)
    decision = looks.look(me(), file, "file")  # A2: every look logged, refused ones too
    db.session.commit()
    if not decision.allowed:
        return refused_page(file)
    return file_page(file)


@bp.post("/<int:file_id>/items/<item>")
@staff(*CUSTOMER_SERVICE)
def set_item(file_id: int, item: str):
    file = _load(file_id)
    if item not in checklist.items_for(file.household.kind):
        abort(404)
    form = ItemForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        files.set_present(file, item, form.present.data == "1", me(), version=form.version.data)
        db.session.commit()
    except files.StaleFile:
        db.session.rollback()
        flash(
            _("Someone else changed this file meanwhile; here it is as it is now. Please check and tick again."),
            "warning",
        )
    return redirect(url_for("households.show", file_id=file_id, _anchor=f"item-{item}"), 303)


@bp.post("/<int:file_id>/attachments")
@staff(*CUSTOMER_SERVICE)
def attach(file_id: int):
    file = _load(file_id)
    form = UploadForm()
    item = form.item.data
    if item not in checklist.items_for(file.household.kind):
        abort(400)
    if form.validate_on_submit():
        upload = request.files.get(form.upload.name)
        data = upload.stream.read(uploads.MAX_BYTES + 1) if upload else b""
        try:
            files.attach(vault(), file, item, upload.filename if upload else None, data, me())
        except uploads.UploadRefused as refused:
            db.session.rollback()
            form.upload.errors = [refused.message]
        else:
            db.session.commit()
            flash(_("The document was attached and the checklist updated."), "info")
            target = "households.move_in" if request.form.get("back") == "move_in" else "households.show"
            return redirect(url_for(target, file_id=file_id, _anchor=f"item-{item}"), 303)
    db.session.rollback()
    file = _load(file_id)
    if request.form.get("back") == "move_in":
        return move_in_page(file, flow.current(file), status=422, upload=form, upload_item=item)
    looks.look(me(), file, "file")
    db.session.commit()
    return file_page(file, status=422, upload=form, upload_item=item)


@bp.get("/<int:file_id>/attachments/<int:attachment_id>")
@staff(*MAY_ASK)
def attachment(file_id: int, attachment_id: int):
    file = _load(file_id)
    found = files.attachment_in(file, attachment_id)
    if found is None:
        abort(404)
    decision = looks.look(me(), file, "attachment", found)
    db.session.commit()
    if not decision.allowed:
        return refused_page(file)
    try:
        data = vault().get(found.stored_name)
    except FileNotFoundError:
        abort(404)
    response = current_app.response_class(data, mimetype=found.content_type)
    extension = "pdf" if found.content_type == "application/pdf" else "jpg"
    response.headers["Content-Disposition"] = f'inline; filename="document-{found.id}.{extension}"'
    response.headers["Cache-Control"] = "no-store"
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response


@bp.post("/<int:file_id>/id-number")
@staff(*CUSTOMER_SERVICE)
def set_id_number(file_id: int):
    file = _load(file_id)
    form = IdNumberForm()
    if form.validate_on_submit():
        files.set_id_number(vault(), file, form.id_number.data, me())
        db.session.commit()
        flash(_("The ID number was saved; lists show it masked."), "info")
        return redirect(url_for("households.show", file_id=file_id), 303)
    looks.look(me(), file, "file")  # the file is shown again: logged like any look (A2)
    db.session.commit()
    return file_page(file, status=422, id_form=form)


@bp.post("/<int:file_id>/id-number/show")
@staff(*CUSTOMER_SERVICE)
def reveal_id_number(file_id: int):
    """The whole ID number, on the file only, and the look logged (A2, S3)."""
    file = _load(file_id)  # CSRF: checked for every POST by CSRFProtect
    decision = looks.look(me(), file, "id_number")
    db.session.commit()
    if not decision.allowed:
        return refused_page(file)
    return file_page(file, full_id=files.full_id_number(vault(), file))


def move_in_page(
    file, move_in, *, status=200, fees=None, signature_errors=(), key_errors=(), upload=None, upload_item=None
):
    steps = flow.done_steps(move_in, file) if move_in else {}
    return render(
        "households/move_in.html",
        file=file,
        household=file.household,
        move_in=move_in,
        steps=steps,
        step_labels=flow.STEPS,
        step_form=StepForm(),
        fees=fees or FeesForm(),
        identity_form=IdentityForm(),
        signature_errors=signature_errors,
        upload=upload or UploadForm(),
        upload_item=upload_item,
        key_errors=key_errors,
        # K6: the room's sets in the key register, and what this move-in handed over
        key_sets=owners.room_sets(file.site_id, file.household.room_id) if move_in else [],
        key_handovers=flow.handovers(move_in) if move_in else [],
        status=status,
    )
