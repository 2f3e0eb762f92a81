"""The visitor log in the staff console: search, records, corrections, who is on site,
export and the lobby settings (V1, S1, S3)."""
from flask import Blueprint
from flask_babel import lazy_gettext as _l

from kiosk.templating import add_console_link

bp = Blueprint("visitors", __name__)
add_console_link("visitors.log", _l("Visitor log"))
add_console_link("visitors.on_site", _l("Who is on site"))
add_console_link("visitors.settings", _l("Lobby settings"))

from kiosk.blueprints.visitors import routes, supervisor_routes  # noqa: E402,F401
