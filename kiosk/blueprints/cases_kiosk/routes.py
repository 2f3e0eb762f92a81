"""The kiosk's report form and its exactly-once acceptance (idempotency key, OFFLINE.md 4),
with its optional photo (shrunk on the kiosk, cleaned and stored again here: kiosk.photos)."""

import hashlib

from flask import abort, current_app, g, request, url_for
from flask_babel import lazy_gettext as _l

from kiosk import photos
from kiosk.access import device
from kiosk.blueprints.cases_kiosk import bp
from kiosk.blueprints.cases_kiosk.forms import PHONE_PATTERN, ReportForm
from kiosk.cases import intake
from kiosk.extensions import db
from kiosk.htmx import render
from kiosk.models import DeviceKind
from kiosk.models.cases import IntakeClass
from kiosk.offline.idempotency import BadKey, KeyReused, accept_once
from kiosk.timeutil import device_time, utcnow
from kiosk.visits import lobby
from kiosk.visits.corrections import find_room

NOT_PAYLOAD = ("action_at", "idempotency_key", "step")  # "step": where the form was, not what it says
MSG_ROOM = _l("We could not find that room. Please enter it as building-unit-room, for example 1-1-0201.")
MSG_REUSED = _l("This report was already sent with other details. Please start again.")
MSG_PHOTO = {
    "too_large": _l("This photo is too large (at most 8 MB). Please take it again or choose another."),
    "type": _l("This file is not a photo. Please choose a photo (JPEG, PNG or WebP)."),
}
MAX_UPLOAD = photos.MAX_BYTES + 64 * 1024  # the photo and the form's few fields


def _home() -> str:
    return url_for("kiosk.welcome", lang="en" if g.device.site.default_locale == "en" else "zh_Hans_CN")


# The step a re-shown form opens on: the first one with an error, else the one it was on.
STEP_OF = {"kind": "where", "room": "where", "phone": "where", "content": "what", "photo": "what"}


def _step(form) -> str:
    for name, step in STEP_OF.items():
        if getattr(form, name).errors:
            return step
    return "what" if request.form.get("step") == "what" else "where"


def _page(form, status=200, error=None):
    return render(
        "cases/kiosk_report.html",
        form=form,
        error=error,
        step=_step(form),
        phone_pattern=PHONE_PATTERN,
        status=status,
        settings=lobby.settings_for(g.device.site_id),
        kiosk_home=_home(),
    )


@bp.get("/")
@device(DeviceKind.KIOSK)
def report_form():
    return _page(ReportForm(formdata=None))


def _photo() -> bytes:
    """The attached photo's bytes (b"" for none); PhotoRejected when it is too large."""
    upload = request.files.get("photo")
    # A chunked upload has no Content-Length: MAX_CONTENT_LENGTH stops it (413, errors.py).
    data = upload.read(photos.MAX_BYTES + 1) if upload else b""
    if len(data) > photos.MAX_BYTES:
        raise photos.PhotoRejected("too_large")
    return data


@bp.post("/relang")
@device(DeviceKind.KIOSK)
def relang():
    """The same form again, in the language asked for, with what was typed (the language
    switch posts here; a chosen photo has to be chosen again). Nothing is checked or stored."""
    return _page(ReportForm())


@bp.post("/")
@device(DeviceKind.KIOSK)
def report():
    form = ReportForm()
    try:
        if (request.content_length or 0) > MAX_UPLOAD:
            raise photos.PhotoRejected("too_large")
        photo = _photo()
    except photos.PhotoRejected as rejected:
        form.validate()
        form.photo.errors = [MSG_PHOTO[rejected.reason]]
        return _page(form, 422)
    if not form.validate():
        return _page(form, 422)
    room = find_room(g.device.site_id, form.room.data)
    if room is None:
        form.room.errors = [MSG_ROOM]
        return _page(form, 422)
    now = utcnow()
    payload = {k: v for k, v in request.form.to_dict(flat=True).items() if k not in NOT_PAYLOAD}
    if photo:  # the same key with another photo is another report (422)
        payload["photo_sha256"] = hashlib.sha256(photo).hexdigest()

    def create():
        # Stored only for a new key (a replay stores nothing); kept only if the record commits.
        root = photos.root(current_app.config, current_app.instance_path)
        stored = photos.store(root, g.device.site_id, photo) if photo else None
        return intake.from_kiosk(
            g.device.site,
            g.device,
            room=room,
            phone=form.phone.data,
            content=form.content.data,
            kind=IntakeClass(form.kind.data),
            action_at=device_time(request.form.get("action_at"), now),
            received_at=now,
            photo=stored,
        )

    try:
        accept_once(
            "kiosk.repair_report",
            form.idempotency_key.data,
            payload,
            create,
            site_id=g.device.site_id,
            device_id=g.device.id,
        )
    except BadKey:
        abort(400)
    except KeyReused:
        return _page(form, 422, error=MSG_REUSED)
    except photos.PhotoRejected as rejected:
        db.session.rollback()
        form.photo.errors = [MSG_PHOTO.get(rejected.reason, MSG_PHOTO["type"])]
        return _page(form, 422)
    return render("cases/kiosk_reported.html", settings=lobby.settings_for(g.device.site_id), kiosk_home=_home())
