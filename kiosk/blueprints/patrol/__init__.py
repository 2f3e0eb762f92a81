"""The patrol tablet face (/patrol/): an officer signed in on an enrolled tablet."""

from flask import Blueprint

from kiosk.blueprints.devices.routes import START_ENDPOINTS
from kiosk.models import DeviceKind
from kiosk.patrols.labels import register_filters

bp = Blueprint("patrol", __name__)
bp.record_once(register_filters)
START_ENDPOINTS[DeviceKind.TABLET] = "patrol.index"

from kiosk.blueprints.patrol import routes, work, work_writes, writes  # noqa: E402,F401
