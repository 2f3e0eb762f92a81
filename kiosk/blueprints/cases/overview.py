"""The callbacks due (C4, C10) and the supervisor's dashboard (C8, C11)."""

from flask import make_response, request
from flask_login import current_user

from kiosk.access import FRONT_DESK, SUPERVISORS, staff
from kiosk.blueprints.cases import bp
from kiosk.blueprints.cases.common import today
from kiosk.cases import board as boards
from kiosk.cases import coordination, household_visits
from kiosk.extensions import db
from kiosk.htmx import render
from kiosk.models import Role
from kiosk.names import mask_phone
from kiosk.timeutil import utcnow


@bp.get("/callbacks")
@staff(*FRONT_DESK, Role.OFFICER)
def callbacks():
    rows = boards.callbacks_due(current_user.site_id)
    return render("cases/callbacks.html", rows=rows, today=today(), mask_phone=mask_phone)


@bp.get("/board")
@staff(*SUPERVISORS)
def board():
    return _board()


@bp.get("/board/live")
@staff(*SUPERVISORS, passive=True)
def board_live():
    """The dashboard's polled part (every 30 s): a poll does not count as activity (S1).
    Nothing changed since the fingerprint the page carries: 204, nothing redrawn, one
    query. Otherwise the counters again, and `nav-counts` for the top bar's badges."""
    if request.args.get("fp") == boards.fingerprint(current_user.site_id, utcnow()):
        return "", 204
    response = make_response(_board())
    response.headers["HX-Trigger"] = "nav-counts"
    return response


def _board():
    site, now = current_user.site, utcnow()
    overdue = boards.overdue(site, now)
    overdue["coordination"] = coordination.count_overdue_answers(site.id, today())
    db.session.commit()  # the sweep's missed flags (C3)
    called, completed = boards.callback_rate(site, now)
    return render(
        "cases/board.html",
        block="live",
        fingerprint=boards.fingerprint(site.id, now),
        overdue=overdue,
        intake=boards.today_by_class(site, now),
        weekly=boards.open_over_a_week(site, now),
        yesterday=boards.yesterdays_orders(site, now),
        called=called,
        completed=completed,
        today=today(),
        coordination=coordination,
        requests=coordination.outstanding(site.id, limit=10),
        coverage=household_visits.coverage(site.id, today()),
    )
