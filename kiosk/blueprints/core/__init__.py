from flask import Blueprint

bp = Blueprint("core", __name__)

from kiosk.blueprints.core import routes  # noqa: E402,F401
