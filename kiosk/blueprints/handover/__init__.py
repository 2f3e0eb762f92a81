"""The shift handover console (/console/handover/): the running shift log, handing over and
accepting or refusing, past logs, the daily review (H1, S2)."""

from flask import Blueprint
from flask_babel import lazy_gettext as _l

from kiosk.handover import shifts
from kiosk.handover.labels import register_filters
from kiosk.navigation import add_counter, add_link

bp = Blueprint("handover", __name__)
bp.record_once(register_filters)
add_link("handover.current", _l("Shift handover"), group="keys")
add_link("handover.logs", _l("Shift logs"), group="keys")
add_link("handover.days", _l("Daily handover review"), group="keys")
add_counter(
    "handover.waiting", _l("Handover waiting to be accepted"), "handover.current", shifts.count_waiting, group="keys"
)
add_counter(
    "handover.refused", _l("Handovers refused"), "handover.logs", shifts.count_refused, group="keys", urgent=True
)
add_counter(
    "handover.unsigned",
    _l("Days of handovers to sign"),
    "handover.days",
    shifts.count_unsigned_days,
    group="keys",
    urgent=True,
)

from kiosk.blueprints.handover import routes  # noqa: E402,F401
