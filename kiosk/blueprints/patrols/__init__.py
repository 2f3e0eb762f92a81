"""The patrols console (/console/patrols/): supervisors review patrols and
schedules, build checklists; departments work their rectification tasks (P1-P8)."""
from flask import Blueprint
from flask_babel import lazy_gettext as _l

from kiosk.access import HOME_ENDPOINTS
from kiosk.models import Role
from kiosk.patrols.labels import register_filters
from kiosk.navigation import add_link

bp = Blueprint("patrols", __name__)
bp.record_once(register_filters)
add_link("patrols.dashboard", _l("Inspections"), group="patrols")
add_link("patrols.tasks", _l("Rectification tasks"), group="patrols")
HOME_ENDPOINTS.setdefault(Role.OFFICER, "patrols.tasks")
HOME_ENDPOINTS.setdefault(Role.DEPARTMENT, "patrols.tasks")

from kiosk.blueprints.patrols import routes, setup, tasks  # noqa: E402,F401
