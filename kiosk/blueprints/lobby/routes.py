"""The lobby board and the desk's one-tap actions (V1-V4).

V2: a board shows by default the registrations of the viewer's desk (the duty manager's
at night, the receptionist's by day); a filter shows the other desk's or all, and night
(duty) registrations are marked. On-site and left-today lists are the whole site's.
"""

import sqlalchemy as sa
from flask import flash, make_response, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from kiosk import ids, notify
from kiosk.access import FRONT_DESK, get_in_site_or_404, staff
from kiosk.blueprints.lobby import bp
from kiosk.blueprints.lobby.forms import DeskVisitForm
from kiosk.extensions import db
from kiosk.htmx import add_vary, is_partial, render
from kiosk.models import Departure, Desk, Outcome, Role, Room, Visit
from kiosk.offline.idempotency import BadKey, KeyReused, accept_once
from kiosk.timeutil import utcnow
from kiosk.visits import expected as expected_visits
from kiosk.visits import lobby
from kiosk.visits import registration as visits
from kiosk.visits.registration import VisitError
from kiosk.visits.rules import desk_for, parse_action_at

DESK_OF_ROLE = {Role.RECEPTIONIST: Desk.RECEPTION, Role.DUTY_MANAGER: Desk.DUTY}
NOT_PAYLOAD = ("csrf_token", "action_at", "idempotency_key")


def _me():
    return current_user._get_current_object()


def desk_choice() -> str:
    """'reception', 'duty' or 'all': the ?desk= filter, else the viewer's own desk."""
    chosen = request.args.get("desk")
    if chosen in ("reception", "duty", "all"):
        return chosen
    own = DESK_OF_ROLE.get(current_user.role)
    return own.value if own else "all"


def board_context(message=None, message_error=False, version=None) -> dict:
    """Every list bounded (lobby.BOARD_LIMIT rows, counted, the rest one link away); the
    number of queries is the same for 5 or 5,000 visitors."""
    site, now = current_user.site, utcnow()
    choice = desk_choice()
    counts = lobby.waiting_counts(site.id)
    shown = lobby.waiting(site.id, desk=None if choice == "all" else Desk(choice))
    today = expected_visits.local_date(site, now)
    expected_today = expected_visits.for_day(site.id, today, limit=lobby.BOARD_LIMIT)
    arrived = set()
    if expected_today:
        arrived = set(
            db.session.scalars(
                sa.select(Visit.expected_visit_id).where(Visit.expected_visit_id.in_([e.id for e in expected_today]))
            )
        )
    total_waiting = sum(counts.values())
    return {
        "waiting": shown,
        "counts": counts,
        "total_waiting": total_waiting,
        "waiting_shown_of": total_waiting if choice == "all" else counts.get(choice, 0),
        "on_site": lobby.on_site(site.id),
        "on_site_count": lobby.on_site_count(site.id),
        "left": lobby.left_today(site, now),
        "left_count": lobby.left_today_count(site, now),
        "expected_today": expected_today,
        "expected_count": expected_visits.count_for_day(site.id, today),
        "arrived": arrived,
        "now": now,
        "today": today,
        "desk_now": desk_for(site, now),
        "desk": choice,
        "site": site,
        "message": message,
        "message_error": message_error,
        "version": version or lobby.board_version(site, now, today),
        "limit": lobby.BOARD_LIMIT,
    }


def _board(status=200, message=None):
    return render(
        "lobby/board.html", block="board", status=status, **board_context(message, message_error=status >= 400)
    )


def _after_action(message=None, error=None):
    """htmx: the refreshed board (422 with the message on a refused step); else 303."""
    if is_partial():
        return _board(status=422 if error else 200, message=error or message)
    flash(error or message, "error" if error else "info")
    return redirect(url_for("lobby.board", desk=request.args.get("desk")), 303)


@bp.get("/")
@staff(*FRONT_DESK)
def board():
    return _board()


@bp.get("/board")
@staff(*FRONT_DESK, passive=True)
def board_fragment():
    """Polled every few seconds by the open board: does not keep an idle session alive.
    The poll carries the version it shows (?since=); while nothing on the board changed
    the answer is 204 with no body, which htmx 2 does not swap (the layout's
    responseHandling; a 304 would be swapped as an empty board by its "[23].." rule)."""
    site, now = current_user.site, utcnow()
    version = lobby.board_version(site, now, expected_visits.local_date(site, now))
    if is_partial() and request.args.get("since") == version:
        response = make_response("", 204)
        response.headers["Cache-Control"] = "no-store"
        return add_vary(response)
    return render("lobby/board.html", block="board", **board_context(version=version))


@bp.get("/visits/<int:visit_id>/contacts")
@staff(*FRONT_DESK)
def contacts(visit_id: int):
    """The host household's phones for the desk to call (V4); never on the kiosk (V3).
    Each look is audited."""
    visit = get_in_site_or_404(Visit, visit_id)
    households = lobby.contacts(visit, actor=_me())
    db.session.commit()
    return render("lobby/contacts.html", block="contacts", visit=visit, households=households)


@bp.post("/visits/<int:visit_id>/outcome")
@staff(*FRONT_DESK)
def outcome(visit_id: int):
    visit = get_in_site_or_404(Visit, visit_id)
    try:
        chosen = Outcome(request.form.get("outcome", ""))
    except ValueError:
        return _after_action(error=_("Please choose an outcome."))
    floor = request.form.get("floor", "").strip()
    try:
        visits.record_outcome(visit, chosen, actor=_me(), now=utcnow(), floor=ids.bounded_int(floor, -99, 999))
    except VisitError as error:
        db.session.rollback()
        return _after_action(error=error.message)
    db.session.commit()
    return _after_action(_("Outcome recorded for visit %(code)s; the kiosk shows it now.", code=visit.code))


@bp.post("/visits/<int:visit_id>/decision")
@staff(*FRONT_DESK)
def decision(visit_id: int):
    """Allow or refuse a visit held by the watch list (the visitor was not told)."""
    visit = get_in_site_or_404(Visit, visit_id)
    allow = request.form.get("decision") == "allow"
    try:
        visits.decide(visit, allow=allow, actor=_me(), now=utcnow(), reason=request.form.get("reason"))
    except VisitError as error:
        db.session.rollback()
        return _after_action(error=error.message)
    db.session.commit()
    return _after_action(
        _("Visit %(code)s allowed: contact the host.", code=visit.code)
        if allow
        else _("Visit %(code)s refused.", code=visit.code)
    )


@bp.post("/visits/<int:visit_id>/checkout")
@staff(*FRONT_DESK)
def checkout(visit_id: int):
    visit = get_in_site_or_404(Visit, visit_id)
    done = visits.check_out(visit, how=Departure.STAFF, now=utcnow(), actor=_me())
    db.session.commit()
    return _after_action(
        _("Visit %(code)s checked out.", code=visit.code)
        if done
        else _("Visit %(code)s was checked out already.", code=visit.code)
    )


def _room_labels(site_id: int) -> list[str]:
    rooms = db.session.scalars(
        sa.select(Room)
        .where(Room.site_id == site_id)
        .options(sa.orm.selectinload(Room.building), sa.orm.selectinload(Room.unit))
    )
    return sorted(room.label for room in rooms)


def _register_page(form, errors=None, status=200):
    for field, message in (errors or {}).items():
        target = "room_number" if field == "room" else field
        if hasattr(form, target):
            getattr(form, target).errors = [message]
    return render(
        "lobby/register.html",
        status=status,
        form=form,
        room_labels=_room_labels(current_user.site_id),
        settings=lobby.settings_for(current_user.site_id),
    )


@bp.get("/register")
@staff(*FRONT_DESK)
def register_form():
    return _register_page(DeskVisitForm())


@bp.post("/register")
@staff(*FRONT_DESK)
def register():
    """A visitor registered by staff at the desk: the kiosk's rules (V1, V2, watch list),
    exactly once by the form's browser-made key."""
    form = DeskVisitForm()
    if not form.validate_on_submit():
        return _register_page(form, status=422)
    site, settings = current_user.site, lobby.settings_for(current_user.site_id)
    reg, errors = visits.check(site.id, form.registration_data(), ask_id_number=settings.ask_id_number)
    if errors:
        return _register_page(form, errors, status=422)
    now = utcnow()
    action_at = parse_action_at(request.form.get("action_at"), now)
    payload = {k: v for k, v in request.form.to_dict(flat=True).items() if k not in NOT_PAYLOAD}
    try:
        accepted = accept_once(
            "desk.visit",
            form.idempotency_key.data,
            payload,
            lambda: visits.register(site, reg, received_at=now, action_at=action_at, user=_me()),
            site_id=site.id,
            user_id=current_user.id,
        )
    except BadKey:
        return _register_page(form, {"name": _("This form is out of date. Please reload the page.")}, status=422)
    except KeyReused:
        return _register_page(
            form, {"name": _("This form was sent already with other answers. Please reload the page.")}, status=422
        )
    visit = get_in_site_or_404(Visit, int(accepted.entity_id))
    if not accepted.replay:
        notify.visit_registered(visit)
    flash(_("Registered: visit code %(code)s.", code=visit.code), "info")
    return redirect(url_for("lobby.board"), 303)
