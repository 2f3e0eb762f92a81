"""The visitor-facing lobby kiosk (an enrolled device; V1-V4)."""

from flask import Blueprint

from kiosk.blueprints.devices.routes import START_ENDPOINTS
from kiosk.models import DeviceKind
from kiosk.visits import labels

bp = Blueprint("kiosk", __name__)
bp.record_once(lambda state: labels.register(state.app))
START_ENDPOINTS[DeviceKind.KIOSK] = "kiosk.welcome"

from kiosk.blueprints.kiosk import checkout, notices, routes, workers  # noqa: E402,F401
