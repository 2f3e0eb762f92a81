"""A work order's completion photos and the customer's signature on the console (C10):
each photo shown is audited, as every look at a protected record is."""

from flask import abort, current_app, send_file

from kiosk import audit, photos
from kiosk.access import staff
from kiosk.blueprints.cases import bp
from kiosk.blueprints.cases.common import me
from kiosk.blueprints.cases.orders import VIEWERS, _order
from kiosk.extensions import db
from kiosk.models.case_orders import OrderPhoto


def _file(relative: str | None, mimetype: str):
    if not relative:
        abort(404)
    root = photos.root(current_app.config, current_app.instance_path)
    try:
        path = photos.open_path(root, relative)
    except FileNotFoundError:
        abort(404)
    if not path.exists():
        abort(404)
    response = send_file(path, mimetype=mimetype, max_age=0)
    response.headers["Cache-Control"] = "private, no-store"
    return response


@bp.get("/orders/<int:order_id>/photos/<int:photo_id>")
@staff(*VIEWERS)
def order_photo(order_id: int, photo_id: int):
    order = _order(order_id)
    photo = db.session.get(OrderPhoto, photo_id)
    if photo is None or photo.work_order_id != order.id:
        abort(404)
    audit.record(me(), "work_order.photo_viewed", order, details={"photo": photo.id})
    db.session.commit()
    return _file(photo.path, "image/jpeg")


@bp.get("/orders/<int:order_id>/customer-signature")
@staff(*VIEWERS)
def order_customer_signature(order_id: int):
    """The customer's drawn signature on completion, taken on the department's tablet."""
    return _file(_order(order_id).customer_signature_path, "image/png")
