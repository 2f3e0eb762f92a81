"""The visitor log in the staff console: search, records, corrections, who is on site,
export and the lobby settings (V1, S1, S3)."""

from flask import Blueprint
from flask_babel import lazy_gettext as _l

from kiosk.navigation import add_link

bp = Blueprint("visits", __name__)
add_link("visits.log", _l("Visitor log"), group="front_desk")
add_link("visits.on_site", _l("Who is on site"), group="front_desk")
add_link("visits.settings", _l("Lobby settings"), group="front_desk")

from kiosk.blueprints.visits import routes, supervisor_routes  # noqa: E402,F401
