"""The callbacks due (C4, C6, C7, C10) and the supervisor's dashboard (C8, C11)."""

from flask import current_app, make_response, redirect, request, url_for
from flask_login import current_user

from kiosk.access import FRONT_DESK, SUPERVISORS, staff
from kiosk.blueprints.cases import bp
from kiosk.blueprints.cases.common import today
from kiosk.cases import board as boards
from kiosk.cases import board_live as live_board
from kiosk.cases import callbacks as callback_list
from kiosk.cases import coordination, household_visits
from kiosk.cases import overdue as late
from kiosk.extensions import db
from kiosk.htmx import render
from kiosk.models import Role
from kiosk.names import mask_phone
from kiosk.paging import BadCursor
from kiosk.timeutil import utcnow


@bp.get("/callbacks")
@staff(*FRONT_DESK, Role.OFFICER)
def callbacks():
    """One list across the four kinds, earliest deadline first; overdue by the site's date."""
    try:
        page = callback_list.page(
            current_user.site_id, cursor=request.args.get("cursor"), size=current_app.config["PAGE_SIZE"]
        )
    except BadCursor:
        return redirect(url_for("cases.callbacks"), 303)
    return render(
        "cases/callbacks.html", block="listing", page=page, links=RECORD_LINKS, today=today(), mask_phone=mask_phone
    )


# the page of each kind's record: (endpoint, its id argument)
RECORD_LINKS = {
    "complaint": ("cases.complaint_detail", "case_id"),
    "repair": ("cases.order_detail", "order_id"),
    "service": ("cases.service_detail", "service_id"),
    "survey": ("cases.survey_detail", "opinion_id"),
}


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
    if request.args.get("fp") == live_board.fingerprint(current_user.site_id, utcnow()):
        return "", 204
    response = make_response(_board())
    response.headers["HX-Trigger"] = "nav-counts"
    return response


def _board():
    site, now = current_user.site, utcnow()
    overdue = late.count(site, now)
    db.session.commit()  # the sweep's missed flags (C3)
    called, completed = boards.callback_rate(site, now)
    return render(
        "cases/board.html",
        block="live",
        fingerprint=live_board.fingerprint(site.id, now),
        overdue=overdue.by_kind,
        overdue_by_department=overdue.by_department,
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
