"""Household files in the staff console (一户一档): the list, the file with its checklist
and encrypted attachments, permission requests and the access log, caller identity checks,
the move-in checklist (A1-A5, K6, S1-S3)."""
from flask import Blueprint
from flask_babel import lazy_gettext as _l

from kiosk.households import looks
from kiosk.navigation import add_counter, add_link

bp = Blueprint("households", __name__)
add_link("households.index", _l("Household files"), group="households")
add_link("households.requests", _l("File access requests"), group="households")
add_link("households.access_log", _l("File access log"), group="households")
add_counter("households.pending", _l("File access requests waiting"), "households.requests",
            looks.count_pending, group="households", urgent=True)

from kiosk.blueprints.households import access_routes, routes, move_in_routes  # noqa: E402,F401
