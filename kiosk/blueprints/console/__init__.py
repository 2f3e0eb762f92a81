from flask import Blueprint

bp = Blueprint("console", __name__)

from kiosk.blueprints.console import routes  # noqa: E402,F401
