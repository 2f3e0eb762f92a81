"""The department tablet's writes: progress, completion on site (photos, the customer's
signature, the fee), signing for a complaint form (C5) and marking it rectified.

As the patrol writes (writes.py, OFFLINE.md 4-6): an htmx POST from a `data-idempotent`
form, authenticated as the device, accepted exactly once by its browser-made key (a replay
gets the stored answer), the worker vouched for by the token signed at sign-in, the action
stamped with the device's time. A refusal is 422 (never 409, which the outbox retries) with
its reason in the body's toast and in `X-Refusal` (URL-encoded), which the service worker
keeps with a refused queue entry so that the tablet's queue shows why.
"""

import hashlib
from urllib.parse import quote

from flask import current_app, g, make_response, render_template, request
from sqlalchemy.orm.exc import StaleDataError

from kiosk import ids, photos, signatures
from kiosk.access import device, get_in_site_or_404
from kiosk.blueprints.offline.http import accept_tablet_form
from kiosk.blueprints.patrol import bp
from kiosk.cases import Conflict, Refused, order_work
from kiosk.cases.labels import REFUSALS
from kiosk.extensions import db
from kiosk.models import DeviceKind
from kiosk.models.case_complaints import Complaint
from kiosk.models.case_orders import ProgressKind, WorkOrder
from kiosk.offline.idempotency import BadKey, KeyReused

# Photos, the signature, the fields; the app-wide MAX_CONTENT_LENGTH (9 MB) is lower and stops larger
# bodies first: the tablet shrinks each photo to a few hundred KB before it is sent or queued.
MAX_UPLOAD = order_work.MAX_PHOTOS * photos.MAX_BYTES + 1024 * 1024


class SignatureRefused(Refused):
    def __init__(self, reason: str):
        super().__init__("signature_required")
        self.signature = reason


def _root():
    return photos.root(current_app.config, current_app.instance_path)


def _refused(reason: str, status: int = 422, message: str | None = None):
    db.session.rollback()
    text = message or str(REFUSALS.get(reason, REFUSALS["illegal_step"]))
    response = make_response(render_template("patrol/_refused.html", message=text), status)
    response.headers["X-Refusal"] = quote(text)
    return response


def _worker():
    return order_work.worker_from_token(current_app.config["SECRET_KEY"], request.form.get("worker"), g.device)


def _version():
    return ids.parse_id(request.form.get("version", "")) or None


def _signature(site_id: int, field: str):
    try:
        return signatures.store(_root(), site_id, request.form.get(field))
    except signatures.SignatureRejected as rejected:
        raise SignatureRefused(rejected.reason) from rejected


def _accept(scope: str, create, extra: dict | None = None):
    try:
        accept_tablet_form(scope, create, extra)
    except KeyReused:
        return _refused("key")
    except BadKey:
        return _refused("key", 400)
    except SignatureRefused as refused:
        return _refused(refused.reason, message=signatures.refusal(refused.signature))
    except Refused as refused:
        return _refused(refused.reason, 403 if refused.reason == "worker" else 422)
    except (Conflict, StaleDataError):
        return _refused("tablet_conflict")
    return make_response(render_template("patrol/work/_saved.html"), 200)


def _order(order_id: int) -> WorkOrder:
    return get_in_site_or_404(WorkOrder, order_id)


@bp.post("/work/orders/<int:order_id>/progress")
@device(DeviceKind.TABLET)
def work_progress(order_id: int):
    def create(at, received):
        try:
            kind = ProgressKind(request.form.get("kind", ""))
        except ValueError:
            raise Refused("illegal_step")
        return order_work.add_progress(
            _order(order_id),
            _worker(),
            kind=kind,
            note=request.form.get("note"),
            at=at,
            received=received,
            device=g.device,
        )

    return _accept("work_order.progress", create)


def _fee_cents() -> int | None:
    raw = (request.form.get("site_fee") or "").strip().replace(",", ".").lstrip("¥")
    if not raw:
        return None
    try:
        return round(float(raw) * 100)
    except (ValueError, OverflowError):
        raise Refused("fee_out_of_range")


@bp.post("/work/orders/<int:order_id>/complete")
@device(DeviceKind.TABLET)
def work_complete(order_id: int):
    if (request.content_length or 0) > MAX_UPLOAD:
        return _refused("photo", 413)
    uploads = [f for f in request.files.getlist("photo") if f and f.filename]
    if len(uploads) > order_work.MAX_PHOTOS:
        return _refused("photos_max")
    data = [upload.read(photos.MAX_BYTES + 1) for upload in uploads]
    if any(len(d) > photos.MAX_BYTES for d in data):
        return _refused("photo", 413)

    def create(at, received):
        order = _order(order_id)
        user = _worker()
        try:
            stored = [photos.store(_root(), order.site_id, d) for d in data if d]
        except photos.PhotoRejected:
            raise Refused("photo")
        return order_work.complete_on_site(
            order,
            user,
            note=request.form.get("note"),
            photos=stored,
            signature=_signature(order.site_id, "customer_signature"),
            site_fee_cents=_fee_cents(),
            at=at,
            received=received,
            device=g.device,
        )

    return _accept("work_order.complete", create, {"photo_sha256": [hashlib.sha256(d).hexdigest() for d in data]})


def _complaint(case_id: int) -> Complaint:
    return get_in_site_or_404(Complaint, case_id)


@bp.post("/work/complaints/<int:case_id>/receipt")
@device(DeviceKind.TABLET)
def work_receipt(case_id: int):
    """C5: the department signs for the complaint form, on the tablet."""

    def create(at, received):
        case = _complaint(case_id)
        user = _worker()
        return order_work.sign_for_complaint(
            case, user, version=_version(), signature=_signature(case.site_id, "receipt_signature"), at=at
        )

    return _accept("complaint.receipt", create)


@bp.post("/work/complaints/<int:case_id>/rectify")
@device(DeviceKind.TABLET)
def work_rectify(case_id: int):
    def create(at, received):
        case = _complaint(case_id)
        return order_work.rectify_complaint(
            case, _worker(), version=_version(), note=request.form.get("note", ""), at=at
        )

    return _accept("complaint.rectify", create)
