"""Expected visitors: staff announce a visitor for a room and a day; the printable card
carries the code and its QR, valid that day only."""

from flask import abort, flash, redirect, url_for
from flask_babel import gettext as _
from flask_login import current_user

from kiosk import qr
from kiosk.access import FRONT_DESK, get_in_site_or_404, staff
from kiosk.blueprints.lobby import bp
from kiosk.blueprints.lobby.forms import ExpectedForm
from kiosk.blueprints.lobby.routes import _room_labels
from kiosk.extensions import db
from kiosk.htmx import render
from kiosk.models import ExpectedVisit
from kiosk.timeutil import utcnow
from kiosk.visits import expected as expected_visits
from kiosk.visits import registration as visits
from kiosk.visits.registration import VisitError


def _today():
    return expected_visits.local_date(current_user.site, utcnow())


def _page(form, status=200):
    today = _today()
    return render(
        "lobby/expected.html",
        status=status,
        form=form,
        today=today,
        rows=expected_visits.upcoming(current_user.site_id, today),
        room_labels=_room_labels(current_user.site_id),
    )


@bp.get("/expected")
@staff(*FRONT_DESK)
def expected():
    form = ExpectedForm()
    if form.day.data is None:
        form.day.data = _today()
    return _page(form)


@bp.post("/expected")
@staff(*FRONT_DESK)
def expected_create():
    form = ExpectedForm()
    if not form.validate_on_submit():
        return _page(form, status=422)
    reg, errors = visits.check(current_user.site_id, form.registration_data(), ask_id_number=False)
    if not errors:
        try:
            row = expected_visits.create(
                current_user.site,
                actor=current_user._get_current_object(),
                day=form.day.data,
                today=_today(),
                room=reg.room,
                name=reg.name,
                phone=reg.phone,
                party_size=reg.party_size,
                purpose=reg.purpose,
                plate=reg.plate,
                note=form.note.data,
            )
        except VisitError as error:
            errors = {error.field or "day": error.message}
    if errors:
        for field, message in errors.items():
            target = "room_number" if field == "room" else field
            getattr(form, target, form.name).errors = [message]
        db.session.rollback()
        return _page(form, status=422)
    db.session.commit()
    flash(_("Expected visitor added. Give them the code %(code)s or the printed card.", code=row.code), "info")
    return redirect(url_for("lobby.expected_card", expected_id=row.id), 303)


@bp.get("/expected/<int:expected_id>")
@staff(*FRONT_DESK)
def expected_card(expected_id: int):
    """The printable card: code, QR, room, day."""
    row = get_in_site_or_404(ExpectedVisit, expected_id)
    return render("lobby/expected_card.html", row=row, qr=qr.svg(row.code, scale=8), today=_today())


@bp.post("/expected/<int:expected_id>/cancel")
@staff(*FRONT_DESK)
def expected_cancel(expected_id: int):
    row = get_in_site_or_404(ExpectedVisit, expected_id)
    if row.day < _today():
        abort(404)
    expected_visits.cancel(row, actor=current_user._get_current_object(), now=utcnow())
    db.session.commit()
    flash(_("Expected visitor cancelled; the code %(code)s no longer works.", code=row.code), "info")
    return redirect(url_for("lobby.expected"), 303)
