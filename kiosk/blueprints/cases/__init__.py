"""The cases console (/console/cases/): the intake log, work orders, complaints, special
services, survey opinions, callbacks and the supervisor's dashboard (rules C1-C12)."""

from flask import Blueprint
from flask_babel import lazy_gettext as _l

from kiosk.cases import board, household_visits
from kiosk.cases import coordination as coordination_rules
from kiosk.cases.labels import register_filters
from kiosk.navigation import add_counter, add_link

bp = Blueprint("cases", __name__)
bp.record_once(register_filters)
add_link("cases.intake", _l("Intake log"), group="cases")
add_link("cases.log", _l("Log a call or visit"), group="cases")
add_link("cases.orders", _l("Work orders"), group="cases")
add_link("cases.complaints", _l("Complaints"), group="cases")
add_link("cases.callbacks", _l("Callbacks due"), group="cases")
add_link("cases.prices", _l("Paid-repair price list"), group="cases")
add_link("cases.services", _l("Paid special services"), group="cases")
add_link("cases.surveys", _l("Survey opinions"), group="cases")
add_link("cases.coordination_list", _l("Coordination requests"), group="cases")
add_link("cases.visit_plan", _l("Household visits"), group="cases")
add_link("cases.board", _l("Cases dashboard"), group="cases")
add_link("cases.quarterly_report", _l("Quarterly complaint analysis"), group="cases")
add_counter(
    "cases.to_grade", _l("Complaints to grade"), "cases.board", board.count_to_grade, group="cases", urgent=True
)
add_counter("cases.callbacks", _l("Callbacks due"), "cases.callbacks", board.count_callbacks_due, group="cases")
add_counter(
    "cases.mine", _l("Complaints I received, still open"), "cases.complaints", board.count_my_open, group="cases"
)
add_counter(
    "cases.undispatched",
    _l("Repairs waiting for dispatch"),
    "cases.orders",
    board.count_undispatched,
    group="cases",
    urgent=True,
)
add_counter(
    "cases.department",
    _l("Work orders for my department"),
    "cases.orders",
    board.count_department_orders,
    group="cases",
)
add_counter(
    "cases.coordination",
    _l("Coordination requests to answer"),
    "cases.coordination_list",
    coordination_rules.count_for_department,
    group="cases",
)
add_counter(
    "cases.visits",
    _l("Household visits still to make this month"),
    "cases.visit_plan",
    household_visits.count_my_visits_due,
    group="cases",
)

from kiosk.blueprints.cases import (  # noqa: E402,F401
    caller,
    complaints,
    coordination,
    intake,
    order_files,
    orders,
    overview,
    prices,
    reports,
    services,
    surveys,
    visits,
)
