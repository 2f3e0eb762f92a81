from flask import Blueprint
from flask_babel import lazy_gettext as _l

from kiosk import onboarding
from kiosk.navigation import add_counter, add_link

bp = Blueprint("accounts", __name__)
add_link("accounts.index", _l("Staff accounts"), group="admin")
add_link("accounts.approvals", _l("Accounts to approve"), group="admin")
add_counter(
    "accounts.awaiting",
    _l("Accounts awaiting your approval"),
    "accounts.approvals",
    onboarding.count_awaiting,
    group="admin",
    urgent=True,
)

from kiosk.blueprints.accounts import onboarding_routes, routes  # noqa: E402,F401
