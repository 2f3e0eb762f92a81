"""The tablet's writes: start, scan, answer, photo, finish (OFFLINE.md 4-6).

Each is an htmx POST from a `data-idempotent` form, authenticated as the device
(credential cookie + X-Device-Request + Origin), accepted exactly once by its browser-made
key, and stamped with the device's action time and the server's receipt time. Writes
for a patrol are accepted only from the tablet that started it. Success is 204: the
page already shows what the officer did, online or queued offline.
"""

import hashlib
import uuid as uuidlib

import sqlalchemy as sa
from flask import current_app, g, make_response, render_template, request

from kiosk import ids, photos
from kiosk.access import device, get_in_site_or_404
from kiosk.blueprints.offline.http import accept_tablet_form
from kiosk.blueprints.patrol import bp
from kiosk.extensions import db
from kiosk.models import DeviceKind
from kiosk.models.patrols import Answer, AnswerKind, ChecklistTemplate, Occurrence, PatrolReason, TemplateItem
from kiosk.offline.idempotency import BadKey, KeyReused
from kiosk.patrols import answers, walk
from kiosk.patrols.labels import REFUSALS

MAX_UPLOAD = photos.MAX_BYTES + 64 * 1024


class Blocked(Exception):
    def __init__(self, missing):
        super().__init__("blocked")
        self.missing = missing


def photo_root():
    return photos.root(current_app.config, current_app.instance_path)


def _refused(reason: str, status: int):
    db.session.rollback()
    body = render_template("patrol/_refused.html", message=REFUSALS.get(reason, REFUSALS["key"]))
    return make_response(body, status)


def _int(name: str) -> int:
    value = ids.parse_id(request.form.get(name, ""))
    if value is None:
        raise walk.PatrolRefused("item")
    return value


def _patrol():
    return walk.find(request.form.get("patrol"), g.device)


def _accept(scope: str, create, extra: dict | None = None):
    try:
        accept_tablet_form(scope, create, extra)
    except KeyReused:
        return _refused("key", 422)
    except BadKey:
        return _refused("key", 400)
    except walk.PatrolRefused as refused:
        return _refused(refused.reason, refused.status)
    except Blocked as blocked:
        db.session.rollback()
        return make_response(render_template("patrol/_blocked.html", missing=blocked.missing), 422)
    return make_response("", 204)


@bp.post("/start")
@device(DeviceKind.TABLET)
def start():
    def create(at, received):
        officer = walk.officer_from_token(current_app.config["SECRET_KEY"], request.form.get("officer"), g.device)
        try:
            key = str(uuidlib.UUID(request.form.get("patrol", "")))
            reason = PatrolReason(request.form.get("reason") or PatrolReason.SCHEDULED)
        except ValueError:
            raise walk.PatrolRefused("template")
        occurrence = template = None
        if request.form.get("occurrence"):
            occurrence = get_in_site_or_404(Occurrence, _int("occurrence"))
        elif request.form.get("template"):
            template = get_in_site_or_404(ChecklistTemplate, _int("template"))
        return walk.start(
            key,
            g.device,
            officer,
            at=at,
            received=received,
            occurrence=occurrence,
            template=template,
            reason=reason,
            note=request.form.get("note"),
        )

    return _accept("patrol.start", create)


@bp.post("/scan")
@device(DeviceKind.TABLET)
def scan():
    def create(at, received):
        return walk.scan(
            _patrol(), request.form.get("code", ""), typed=request.form.get("typed") == "1", at=at, received=received
        )

    return _accept("patrol.scan", create)


def _number():
    raw = (request.form.get("number") or "").strip().replace(",", ".")
    if not raw:
        return None
    try:
        return float(raw)
    except ValueError:
        raise walk.PatrolRefused("number")


@bp.post("/answer")
@device(DeviceKind.TABLET)
def answer():
    def create(at, received):
        department = request.form.get("department")
        return answers.answer(
            _patrol(),
            _int("checkpoint"),
            _int("item"),
            at=at,
            received=received,
            tz_name=g.device.site.timezone,
            result=request.form.get("result") or None,
            number=_number(),
            text=request.form.get("text"),
            note=request.form.get("note"),
            department_id=ids.parse_id(department) if department else None,
        )

    return _accept("patrol.answer", create)


@bp.post("/photo")
@device(DeviceKind.TABLET)
def photo():
    if (request.content_length or 0) > MAX_UPLOAD:
        return _refused("photo", 413)
    # A chunked upload has no Content-Length: MAX_CONTENT_LENGTH stops its stream at the
    # app's limit (413, errors.py), and the photo's own limit is checked on what was read.
    upload = request.files.get("photo")
    data = upload.read(photos.MAX_BYTES + 1) if upload else b""
    if len(data) > photos.MAX_BYTES:
        return _refused("photo", 413)
    if not data:
        return _refused("photo", 422)

    def create(at, received):
        patrol = _patrol()
        checkpoint_id, item_id = _int("checkpoint"), _int("item")
        row = db.session.scalar(
            sa.select(Answer).where(
                Answer.patrol_id == patrol.id, Answer.checkpoint_id == checkpoint_id, Answer.item_id == item_id
            )
        )
        if row is None:
            item = db.session.get(TemplateItem, item_id)
            if item is None or item.kind != AnswerKind.PHOTO:
                raise walk.PatrolRefused("item")
            row = answers.answer(
                patrol, checkpoint_id, item_id, at=at, received=received, tz_name=g.device.site.timezone
            )
        try:
            stored = photos.store(photo_root(), patrol.site_id, data)
        except photos.PhotoRejected:
            raise walk.PatrolRefused("photo")
        return answers.add_photo(patrol, row, stored, device=g.device, at=at, received=received)

    return _accept("patrol.photo", create, {"photo_sha256": hashlib.sha256(data).hexdigest()})


@bp.post("/finish")
@device(DeviceKind.TABLET)
def finish():
    def create(at, received):
        patrol = _patrol()
        missing = walk.finish(patrol, at=at, received=received, reason=request.form.get("incomplete_reason"))
        if missing:
            raise Blocked(missing)
        return patrol

    return _accept("patrol.finish", create)
