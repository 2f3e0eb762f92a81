from flask import Blueprint

bp = Blueprint("devices", __name__)

from kiosk.blueprints.devices import routes  # noqa: E402,F401
