"""Check-out at the kiosk: by visit code (typed, or a QR scanner that types it), or by
mobile number and the room visited. Exactly once by the form's key."""

from flask import abort, g, request

from kiosk.access import device
from kiosk.blueprints.kiosk import bp
from kiosk.blueprints.kiosk.forms import CheckOutForm
from kiosk.blueprints.kiosk.routes import MSG_KEY_REUSED, _answered_already, _payload
from kiosk.htmx import render
from kiosk.models import Departure, DeviceKind
from kiosk.offline.idempotency import BadKey, KeyReused, accept_once
from kiosk.timeutil import utcnow
from kiosk.visits import registration
from kiosk.visits.rules import PHONE_COUNTRIES


@bp.get("/checkout")
@device(DeviceKind.KIOSK)
def checkout_form():
    return render("kiosk/checkout.html", block="screen", form=CheckOutForm(), errors={}, countries=PHONE_COUNTRIES)


@bp.post("/checkout")
@device(DeviceKind.KIOSK)
def checkout():
    form = CheckOutForm(request.form)
    answered = _answered_already(
        form.idempotency_key.data,
        lambda: _checkout_page(form, {"code": MSG_KEY_REUSED}),
        lambda previous: render("kiosk/goodbye.html", block="screen"),
    )
    if answered is not None:
        return answered
    found, errors = registration.find_for_check_out(g.device.site_id, form.data)
    if errors:
        return _checkout_page(form, errors)
    now = utcnow()

    def create():
        for visit in found:
            registration.check_out(visit, how=Departure.KIOSK, now=now, actor=g.device)
        return found[0]

    try:
        accept_once(
            "kiosk.checkout",
            form.idempotency_key.data,
            _payload(),
            create,
            site_id=g.device.site_id,
            device_id=g.device.id,
        )
    except BadKey:
        abort(400)
    except KeyReused:
        return _checkout_page(form, {"code": MSG_KEY_REUSED})
    return render("kiosk/goodbye.html", block="screen")


def _checkout_page(form: CheckOutForm, errors: dict):
    return render(
        "kiosk/checkout.html", block="screen", status=422, form=form, errors=errors, countries=PHONE_COUNTRIES
    )
