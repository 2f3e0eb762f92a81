"""The visitor log in the staff console: search, records, corrections, who is on site,
export and the lobby settings (V1, S1, S3)."""
from flask import Blueprint
from flask_babel import lazy_gettext as _l

from kiosk.navigation import add_link

bp = Blueprint("visitors", __name__)
add_link("visitors.log", _l("Visitor log"), group="front_desk")
add_link("visitors.on_site", _l("Who is on site"), group="front_desk")
add_link("visitors.settings", _l("Lobby settings"), group="front_desk")

from kiosk.blueprints.visitors import routes, supervisor_routes  # noqa: E402,F401
