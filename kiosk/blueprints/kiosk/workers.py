"""A decoration worker signs in at the kiosk with the pass code or its QR (V7): straight
up to the room's floor while the pass is valid, politely refused in the visitor's language
when it has expired or was revoked. Replay-safe like every kiosk write (OFFLINE.md 4): a
sign-in queued offline is judged by the day it was made.

Offline, the kiosk's service worker (js/sw-workers.js) judges a typed or scanned code
itself, from the list it last synced (`passes.json`: salted hashes, validity windows,
floors) and answers with the verdict screen (`worker/verdict`, precached in every
language): a valid pass is queued and sent once the connection returns; any other is
refused on the spot, as the server would."""

from flask import abort, g, jsonify, make_response, request

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
add_shell_page(DeviceKind.KIOSK, "kiosk.worker_verdict")  # the offline verdict, filled in by the worker
VERDICTS = ("valid", "expired", "revoked", "not_yet", "unknown")


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


@bp.get("/worker/passes.json")
@device(DeviceKind.KIOSK)
def worker_passes_list():
    """The offline list of this kiosk's site (V7): no plain codes, no names or phones."""
    response = jsonify(worker_passes.offline_list(g.device.site, utcnow()))
    response.headers["Cache-Control"] = "no-store"  # the service worker keeps it, not the HTTP cache
    return response


@bp.get("/worker/verdict")
@device(DeviceKind.KIOSK)
def worker_verdict():
    """The screen the service worker answers an offline sign-in with: every verdict's text,
    the one shown chosen by `data-verdict` (which the worker fills in, with the floor and
    the last day), so that one cached page per language serves them all. No personal data."""
    response = make_response(
        render(
            "kiosk/worker_verdict.html",
            block="screen",
            verdicts=VERDICTS,
            refusals={v: labels.refusal("worker_" + v) for v in VERDICTS if v != "valid"},
            settings=_settings(),
        )
    )
    response.headers["HX-Retarget"] = "#screen"
    response.headers["HX-Reswap"] = "outerHTML"
    response.headers["HX-Reselect"] = "#screen"
    response.headers["HX-Push-Url"] = "false"
    return response
