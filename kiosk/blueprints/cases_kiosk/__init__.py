"""The lobby kiosk's "report a repair or a problem" (/kiosk/report/, C1): it lands in the
intake log with channel kiosk, and works offline through the kiosk's outbox (OFFLINE.md)."""

from flask import Blueprint

from kiosk.models import DeviceKind
from kiosk.offline import outbox

bp = Blueprint("cases_kiosk", __name__)
outbox.add_shell_page(DeviceKind.KIOSK, "cases_kiosk.report_form")

from kiosk.blueprints.cases_kiosk import routes  # noqa: E402,F401
