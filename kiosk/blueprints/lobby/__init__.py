"""The front desk's lobby board: waiting visitors, outcomes, check-out, expected
visitors and the watch list (V1-V4)."""

from flask import Blueprint
from flask_babel import lazy_gettext as _l

from kiosk.navigation import add_counter, add_link
from kiosk.visits import attention, labels

bp = Blueprint("lobby", __name__)
bp.record_once(lambda state: labels.register(state.app))
add_link("lobby.board", _l("Lobby"), group="front_desk")
add_link("lobby.expected", _l("Expected visitors"), group="front_desk")
add_link("lobby.watch", _l("Watch list"), group="front_desk")
add_counter(
    "visits.held", _l("Visitors held for a decision"), "lobby.board", attention.held, group="front_desk", urgent=True
)
add_counter(
    "visits.waiting",
    _l("Visitors waiting for their host"),
    "lobby.board",
    attention.waiting,
    group="front_desk",
    always=True,
)
add_counter(
    "visits.expected", _l("Visitors expected today"), "lobby.expected", attention.expected_today, group="front_desk"
)

from kiosk.blueprints.lobby import expected, routes, watch  # noqa: E402,F401
