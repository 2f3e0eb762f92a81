"""The lobby kiosk: welcome, register a visit (whom, about you, privacy), the waiting
screen (V4), check-out, an expected visitor's code.

The registration is one page whose steps kiosk.js shows one at a time, so nothing is
stored before the final POST and the page works from the offline cache; the final POST
registers exactly once by its browser-made key (OFFLINE.md 4). Every write answers with
the next screen: the whole page, or its `screen` block for an htmx request.
"""

import sqlalchemy as sa
from flask import abort, current_app, g, jsonify, redirect, request, url_for
from flask_babel import lazy_gettext as _l

from kiosk import ids, notify, qr
from kiosk.access import device
from kiosk.blueprints.kiosk import bp
from kiosk.blueprints.kiosk.forms import ExpectedForm, VisitForm
from kiosk.blueprints.offline.http import is_replay, no_store
from kiosk.extensions import db
from kiosk.htmx import render
from kiosk.i18n import LANG_COOKIE
from kiosk.models import DeviceKind, IdempotencyKey, Room, Visit
from kiosk.offline.idempotency import BadKey, KeyReused, accept_once, payload_hash
from kiosk.timeutil import utcnow
from kiosk.visits import expected, lobby
from kiosk.visits import registration as visits
from kiosk.visits.registration import VisitError
from kiosk.visits.rules import PHONE_COUNTRIES, parse_action_at

RATE_LIMIT = 30  # submissions per device per minute (KIOSK_RATE_LIMIT overrides)
# An outbox replay sends what visitors entered one by one while the kiosk was offline:
# a backlog drains at up to this many a minute (KIOSK_REPLAY_RATE_LIMIT overrides).
REPLAY_RATE_LIMIT = 300
ABOUT_FIELDS = ("name", "phone", "party_size", "purpose", "plate", "id_number")
NOT_PAYLOAD = ("csrf_token", "action_at", "idempotency_key", "step")
MSG_PRIVACY = _l('Please read the privacy notice and tap "I agree".')
MSG_KEY_REUSED = _l("This form was already sent with other answers. Please start again.")


@bp.before_request
def site_language_first():
    """A kiosk speaks the site's language until a visitor picks one (not the kiosk
    browser's own setting): a first visit without a choice is sent to ?lang=."""
    pages = ("kiosk.welcome", "kiosk.visit_form", "kiosk.checkout_form", "kiosk.expected_form")
    if request.endpoint in pages and not request.args.get("lang") and not request.cookies.get(LANG_COOKIE):
        dev = g.get("device")
        if dev is not None:
            code = "en" if dev.site.default_locale == "en" else "zh_Hans_CN"
            return redirect(url_for(request.endpoint, **(request.view_args or {}), lang=code))
    return None


@bp.context_processor
def kiosk_home():
    """The welcome screen in the site's language: where a finished visit and the idle
    timer lead, ready for the next visitor."""
    dev = g.get("device")
    if dev is None:
        return {}
    return {"kiosk_home": url_for("kiosk.welcome", lang="en" if dev.site.default_locale == "en" else "zh_Hans_CN")}


def _settings():
    """The site's lobby settings, read once per request."""
    if "lobby_settings" not in g:
        g.lobby_settings = lobby.settings_for(g.device.site_id)
    return g.lobby_settings


def _payload() -> dict:
    return {key: value for key, value in request.form.to_dict(flat=True).items() if key not in NOT_PAYLOAD}


def _replayed(key: str | None) -> IdempotencyKey | None:
    """The accepted submission this request repeats (a double tap, an outbox replay)."""
    if not key:
        return None
    row = db.session.scalar(sa.select(IdempotencyKey).where(IdempotencyKey.key == key))
    if row is None:
        return None
    if row.payload_hash != payload_hash(_payload()) or row.device_id != g.device.id:
        raise KeyReused(key)
    return row


def _answered_already(key: str | None, reused, repeated):
    """What every kiosk write asks first. A key already accepted with the same answers
    (a double tap, an outbox replay) gets `repeated(row)`, the first answer again; with
    other answers, `reused()`; past the rate limit, the busy screen. None: go on."""
    try:
        previous = _replayed(key)
    except KeyReused:
        return reused()
    if previous is not None:
        return repeated(previous)
    return _rate_limited()


def _rate_limited():
    if is_replay():
        limit = current_app.config.get("KIOSK_REPLAY_RATE_LIMIT", REPLAY_RATE_LIMIT)
    else:
        limit = current_app.config.get("KIOSK_RATE_LIMIT", RATE_LIMIT)
    if lobby.recent_submissions(g.device, utcnow()) < limit:
        return None
    return render("kiosk/busy.html", block="screen", status=429)


def _visit_in_site(ident) -> Visit:
    visit = db.session.get(Visit, int(ident))
    if visit is None or visit.site_id != g.device.site_id:
        abort(404)
    return visit


def _qr(code: str) -> str:
    return qr.svg(code, scale=10)


def _waiting(visit: Visit, *, status: int = 200):
    return render(
        "kiosk/waiting.html", block="screen", status=status, visit=visit, qr=_qr(visit.code), settings=_settings()
    )


def _visit_page(form: VisitForm, errors: dict | None = None, *, status: int = 200):
    errors = errors or {}
    step = form.step.data or "whom"
    if errors:
        step = "whom" if "room" in errors else "about" if set(errors) & set(ABOUT_FIELDS) else "privacy"
    room_label = None
    if form.room.data == visits.CENTRE:
        room_label = _l("The property service centre")
    elif ids.parse_id(form.room.data):
        room = db.session.get(Room, ids.parse_id(form.room.data))
        room_label = room.label if room is not None and room.site_id == g.device.site_id else None
    return render(
        "kiosk/visit.html",
        block="screen",
        status=status,
        form=form,
        errors=errors,
        step=step,
        directory=lobby.room_directory(g.device.site_id),
        settings=_settings(),
        countries=PHONE_COUNTRIES,
        room_label=room_label or form.room_number.data,
    )


@bp.get("/")
@device(DeviceKind.KIOSK)
def welcome():
    return render("kiosk/welcome.html", block="screen", settings=_settings(), form=ExpectedForm())


@bp.get("/visit")
@device(DeviceKind.KIOSK)
def visit_form():
    return _visit_page(VisitForm())


@bp.post("/visit")
@device(DeviceKind.KIOSK)
def visit_relang():
    """The same page again with what was entered (the language switch posts here);
    nothing is checked or stored."""
    return _visit_page(VisitForm(request.form))


@bp.get("/rooms")
@device(DeviceKind.KIOSK)
def room_lookup():
    """A typed room number checked while the visitor is still on the first step:
    {"id", "label"} or 422 {"message"}. Room numbers only (V3)."""
    room, error = visits.resolve_room(g.device.site_id, "", request.args.get("number"), request.args.get("building"))
    if error is not None:
        return jsonify(message=str(error)), 422
    return jsonify(id=room.id, label=room.label)


# The fields of the "about you" step, checked on that step (V1): a bad phone number is
# caught before the privacy notice, not after it.
ABOUT_FIELDS = ("name", "phone", "party_size", "purpose", "plate", "id_number")


@bp.post("/visit/check")
@device(DeviceKind.KIOSK)
def check_step():
    """The "about you" step's fields checked by the same rules as the registration:
    204, or 422 {"errors": {field: message}}. Nothing is stored."""
    _reg, errors = visits.check(g.device.site_id, request.form, ask_id_number=_settings().ask_id_number)
    errors = {field: str(message) for field, message in errors.items() if field in ABOUT_FIELDS}
    if errors:
        return jsonify(errors=errors), 422
    return "", 204


@bp.post("/visits")
@device(DeviceKind.KIOSK)
def register():
    form = VisitForm(request.form)
    answered = _answered_already(
        form.idempotency_key.data,
        lambda: _visit_page(form, {"privacy": MSG_KEY_REUSED}, status=422),
        lambda previous: _waiting(_visit_in_site(previous.entity_id)),
    )
    if answered is not None:
        return answered
    site, settings = g.device.site, _settings()
    reg, errors = visits.check(site.id, request.form, ask_id_number=settings.ask_id_number)
    if form.privacy.data != "accepted":
        errors.setdefault("privacy", MSG_PRIVACY)
    if errors:
        return _visit_page(form, errors, status=422)
    now = utcnow()
    action_at = parse_action_at(request.form.get("action_at"), now)
    try:
        accepted = accept_once(
            "kiosk.visit",
            form.idempotency_key.data,
            _payload(),
            lambda: visits.register(
                site, reg, received_at=now, action_at=action_at, device=g.device, replayed=is_replay()
            ),
            site_id=site.id,
            device_id=g.device.id,
            looked_up=True,
        )
    except BadKey:
        abort(400)
    except KeyReused:
        return _visit_page(form, {"privacy": MSG_KEY_REUSED}, status=422)
    visit = accepted.entity or _visit_in_site(accepted.entity_id)
    if not accepted.replay:
        notify.visit_registered(visit)
    return _waiting(visit)


@bp.get("/visits/<code>")
@device(DeviceKind.KIOSK)
@no_store  # a visit code: never kept by the offline cache or the browser
def visit_status(code: str):
    """The waiting screen, or (polled every 2 s) its status block: waiting, or the
    outcome the desk recorded (V4). Only the code, the outcome and a floor: never the
    host's name or phone (V3)."""
    visit = visits.by_code(g.device.site_id, code)
    if visit is None or visit.purged_at is not None:
        abort(404)
    return render("kiosk/waiting.html", block="status", visit=visit, qr=_qr(visit.code), settings=_settings())


@bp.get("/expected")
@device(DeviceKind.KIOSK)
def expected_form():
    return render("kiosk/expected.html", block="screen", form=ExpectedForm(), errors={}, settings=_settings())


@bp.post("/expected")
@device(DeviceKind.KIOSK)
def expected_redeem():
    """An expected visitor's code: registered at once, straight to the waiting screen."""
    form = ExpectedForm(request.form)

    def page(errors):
        return render("kiosk/expected.html", block="screen", status=422, form=form, errors=errors, settings=_settings())

    answered = _answered_already(
        form.idempotency_key.data,
        lambda: page({"code": MSG_KEY_REUSED}),
        lambda previous: _waiting(_visit_in_site(previous.entity_id)),
    )
    if answered is not None:
        return answered
    site, now = g.device.site, utcnow()
    action_at = parse_action_at(request.form.get("action_at"), now)
    try:
        expected.redeemable(site, form.code.data, on=expected.local_date(site, action_at))
        accepted = accept_once(
            "kiosk.visits.expected",
            form.idempotency_key.data,
            _payload(),
            lambda: expected.redeem(
                site, form.code.data, received_at=now, action_at=action_at, device=g.device, replayed=is_replay()
            ),
            site_id=site.id,
            device_id=g.device.id,
        )
    except VisitError as error:
        db.session.rollback()
        leaving = visits.by_code(site.id, form.code.data)
        if leaving is not None and leaving.departed_at is None:
            # A check-out code (签离码) typed where the host's code (预约码) goes: offer to check out.
            return render("kiosk/checkout_offer.html", block="screen", code=leaving.code)
        return page({"code": error.message})
    except BadKey:
        abort(400)
    except KeyReused:
        return page({"code": MSG_KEY_REUSED})
    visit = _visit_in_site(accepted.entity_id)
    if not accepted.replay:
        notify.visit_registered(visit)
    return _waiting(visit)
