"""Caller identity verification (A5) and the move-in checklist (K6, A1)."""

from flask import abort, current_app, flash, redirect, request, url_for
from flask_babel import gettext as _

from kiosk import photos, signatures
from kiosk.access import get_in_site_or_404, staff
from kiosk.blueprints.households import bp
from kiosk.blueprints.households.forms import FeesForm, IdentityForm, StepForm
from kiosk.blueprints.households.routes import CUSTOMER_SERVICE, _load, me
from kiosk.blueprints.households.routes import move_in_page as _page
from kiosk.extensions import db
from kiosk.households import identity, looks
from kiosk.households import move_in as flow
from kiosk.keys import KeyRefused
from kiosk.keys.labels import REFUSALS
from kiosk.models.households import MoveIn


def _safe_next(target: str | None, fallback: str) -> str:
    if target and target.startswith("/") and not target.startswith("//") and "\\" not in target:
        return target
    return fallback


@bp.post("/<int:file_id>/identity")
@staff(*CUSTOMER_SERVICE)
def verify(file_id: int):
    """A5: record how the caller's identity was verified, then back where the desk was."""
    file = _load(file_id)
    form = IdentityForm()
    back = _safe_next(form.next.data, url_for("households.show", file_id=file_id))
    if form.validate_on_submit():
        check = identity.verify(file.household, me(), form.method.data, form.note.data)
        under_way = flow.current(file)
        if under_way is not None:
            flow.record_identity(under_way, check)
        db.session.commit()
        flash(_("The identity verification was recorded."), "info")
        return redirect(back, 303)
    db.session.rollback()
    flash(_("Please choose how the identity was verified."), "error")
    return redirect(back, 303)


@bp.get("/<int:file_id>/move-in")
@staff(*CUSTOMER_SERVICE)
def move_in(file_id: int):
    file = _load(file_id)
    looks.look(me(), file, "file")
    db.session.commit()
    return _page(file, flow.current(file) or flow.latest(file))


@bp.post("/<int:file_id>/move-in")
@staff(*CUSTOMER_SERVICE)
def start_move_in(file_id: int):
    file = _load(file_id)
    flow.start(file, me())
    db.session.commit()
    return redirect(url_for("households.move_in", file_id=file_id), 303)


def _move_in(move_in_id: int):
    row = get_in_site_or_404(MoveIn, move_in_id)
    return row, _load(row.file_id)


@bp.post("/move-ins/<int:move_in_id>/<step>")
@staff(*CUSTOMER_SERVICE)
def move_in_step(move_in_id: int, step: str):
    row, file = _move_in(move_in_id)
    here = url_for("households.move_in", file_id=file.id)
    form = FeesForm() if step == "fees" else StepForm()
    if step not in ("keys", "fees", "decoration", "pause", "resume", "complete"):
        abort(404)
    if not form.validate_on_submit():
        if step == "fees":
            return _page(file, row, status=422, fees=form)
        abort(400)
    version, user = form.version.data, me()
    try:
        if step == "keys":
            if row.identity_check_id is None:  # K6: checked before anything is stored
                raise flow.Incomplete(["identity"])
            try:
                stored = signatures.store(
                    photos.root(current_app.config, current_app.instance_path),
                    file.site_id,
                    request.form.get("signature"),
                )
            except signatures.SignatureRejected as refused:
                return _page(file, row, status=422, signature_errors=[signatures.refusal(refused.reason)])
            try:
                flow.sign_keys(row, file, stored, user, version=version)
            except KeyRefused as refusal:  # K6 through the register: nothing handed, nothing stored
                db.session.rollback()
                row, file = _move_in(move_in_id)
                return _page(file, row, status=422, key_errors=[REFUSALS.get(refusal.reason, refusal.reason)])
        elif step == "fees":
            flow.note_fees(row, form.fees.data, form.note.data, user, version=version)
        elif step == "decoration":
            flow.hand_decoration_rules(row, user, version=version)
        elif step == "pause":
            flow.pause(row, user, version=version)
            flash(_("The move-in was paused; it can be resumed from the file at any time."), "info")
        elif step == "resume":
            flow.resume(row, user, version=version)
        elif step == "complete":
            missing = flow.complete(row, file, user, version=version)
            if missing:
                flash(
                    _(
                        "The move-in is complete. %(n)s documents are still missing and stay on the file's checklist.",
                        n=len(missing),
                    ),
                    "warning",
                )
            else:
                flash(_("The move-in is complete and the file has every document."), "info")
    except flow.Stale:
        db.session.rollback()
        flash(_("Someone else changed this move-in meanwhile; here it is as it is now."), "warning")
        return redirect(here, 303)
    except flow.Closed:
        db.session.rollback()
        flash(_("This move-in is already complete."), "info")
        return redirect(here, 303)
    except flow.Incomplete as incomplete:
        db.session.rollback()
        row, file = _move_in(move_in_id)
        flash(_("Not yet: %(steps)s.", steps=", ".join(str(flow.STEPS[s]) for s in incomplete.steps)), "error")
        return _page(file, row, status=422)
    db.session.commit()
    return redirect(here, 303)
