"""A decoration worker signs in at the kiosk with the pass code or its QR (V7): straight
up to the room's floor while the pass is valid, politely refused in the visitor's language
when it has expired or was revoked. Replay-safe like every kiosk write (OFFLINE.md 4): a
sign-in queued offline is judged by the day it was made."""

from flask import abort, g, request

from kiosk.access import device
from kiosk.blueprints.kiosk import bp
from kiosk.blueprints.kiosk.forms import ExpectedForm
from kiosk.blueprints.kiosk.routes import (
    MSG_KEY_REUSED,
    _answered_already,
    _payload,
    _settings,
    _visit_in_site,
    _waiting,
)
from kiosk.blueprints.offline.http import is_replay
from kiosk.extensions import db
from kiosk.htmx import render
from kiosk.models import DeviceKind
from kiosk.offline.idempotency import BadKey, KeyReused, accept_once
from kiosk.offline.outbox import add_shell_page
from kiosk.registers import labels, worker_passes
from kiosk.registers.common import Refused
from kiosk.timeutil import utcnow
from kiosk.visits.rules import parse_action_at

add_shell_page(DeviceKind.KIOSK, "kiosk.worker_form")  # the form opens offline too; its POST is queued


def _page(form, errors=None, status=200):
    return render(
        "kiosk/worker.html", block="screen", status=status, form=form, errors=errors or {}, settings=_settings()
    )


@bp.get("/worker")
@device(DeviceKind.KIOSK)
def worker_form():
    return _page(ExpectedForm())


@bp.post("/worker")
@device(DeviceKind.KIOSK)
def worker_sign_in():
    form = ExpectedForm(request.form)
    answered = _answered_already(
        form.idempotency_key.data,
        lambda: _page(form, {"code": MSG_KEY_REUSED}, 422),
        lambda previous: _waiting(_visit_in_site(previous.entity_id)),
    )
    if answered is not None:
        return answered
    site, now = g.device.site, utcnow()
    action_at = parse_action_at(request.form.get("action_at"), now)
    try:
        worker_passes.usable(site, form.code.data, worker_passes.local_date(site, action_at))
        accepted = accept_once(
            "kiosk.worker",
            form.idempotency_key.data,
            _payload(),
            lambda: worker_passes.sign_in(
                site, form.code.data, received_at=now, action_at=action_at, device=g.device, replayed=is_replay()
            ),
            site_id=site.id,
            device_id=g.device.id,
        )
    except Refused as refused:
        db.session.rollback()
        return _page(form, {"code": labels.refusal(refused.reason)}, 422)
    except BadKey:
        abort(400)
    except KeyReused:
        return _page(form, {"code": MSG_KEY_REUSED}, 422)
    return _waiting(_visit_in_site(accepted.entity_id))
