from flask import Blueprint
from flask_babel import lazy_gettext as _l

from kiosk.navigation import add_link

bp = Blueprint("devices", __name__)
add_link("devices.index", _l("Devices"), group="admin")

from kiosk.blueprints.devices import routes  # noqa: E402,F401
