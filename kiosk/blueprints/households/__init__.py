"""Household files in the staff console (一户一档): the list, the file with its checklist
and encrypted attachments, permission requests and the access log, caller identity checks,
the move-in checklist (A1-A5, K6, S1-S3)."""

from flask import Blueprint
from flask_babel import lazy_gettext as _l

from kiosk.households import inventory, loans, looks, move_in
from kiosk.navigation import add_counter, add_link

bp = Blueprint("households", __name__)
add_link("households.index", _l("Household files"), group="households")
add_link("households.requests", _l("File access requests"), group="households")
add_link("households.access_log", _l("File access log"), group="households")
add_link("households.inventory_page", _l("Monthly file inventory"), group="households")
add_link("households.loan_list", _l("File loans and destruction"), group="households")
add_counter(
    "households.inventory_due",
    _l("Monthly file inventory to confirm"),
    "households.inventory_page",
    inventory.count_due,
    group="households",
)
add_counter(
    "households.inventory_late",
    _l("Monthly file inventory overdue"),
    "households.inventory_page",
    inventory.count_late,
    group="households",
    urgent=True,
)
add_counter(
    "households.loans_overdue",
    _l("File loans overdue"),
    "households.loan_list",
    loans.count_overdue,
    group="households",
    urgent=True,
)
add_counter(
    "households.loans_waiting",
    _l("File loans waiting for your approval"),
    "households.loan_list",
    loans.count_waiting,
    group="households",
)
add_counter(
    "households.move_ins_paused", _l("Move-ins paused"), "households.index", move_in.count_paused, group="households"
)
add_counter(
    "households.pending",
    _l("File access requests waiting"),
    "households.requests",
    looks.count_pending,
    group="households",
    urgent=True,
)

from kiosk.blueprints.households import access_routes, move_in_routes, records_routes, routes  # noqa: E402,F401
