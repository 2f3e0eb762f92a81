from flask import Blueprint
from flask_babel import lazy_gettext as _l

from kiosk.navigation import add_link

bp = Blueprint("accounts", __name__)
add_link("accounts.index", _l("Staff accounts"), group="admin")

from kiosk.blueprints.accounts import routes  # noqa: E402,F401
