from flask import Blueprint
from flask_babel import lazy_gettext as _l

from kiosk.templating import add_console_link

bp = Blueprint("accounts", __name__)
add_console_link("accounts.index", _l("Staff accounts"))

from kiosk.blueprints.accounts import routes  # noqa: E402,F401
