from flask import Blueprint
from flask_babel import lazy_gettext as _l

from kiosk.calendar.schedule import count_uncovered
from kiosk.navigation import add_counter, add_link

bp = Blueprint("calendar", __name__)
add_link("calendar.index", _l("Holiday schedule"), group="admin")
add_counter(
    "calendar.uncovered",
    _l("Years without a holiday schedule: deadlines provisional"),
    "calendar.index",
    count_uncovered,
    group="admin",
    urgent=True,
)

from kiosk.blueprints.calendar import routes  # noqa: E402,F401
