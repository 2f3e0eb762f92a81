"""The patrols console (/console/patrols/): supervisors review patrols and
schedules, build checklists; departments work their rectification tasks (P1-P8)."""

from flask import Blueprint
from flask_babel import lazy_gettext as _l

from kiosk.navigation import add_counter, add_link
from kiosk.patrols import attention
from kiosk.patrols.labels import register_filters

bp = Blueprint("patrols", __name__)
bp.record_once(register_filters)
add_link("patrols.dashboard", _l("Inspections"), group="patrols")
add_link("patrols.tasks", _l("Rectification tasks"), group="patrols")
add_link("patrols.tablet", _l("Patrol tablet"), group="patrols")
add_counter(
    "patrols.overdue",
    _l("Rectification tasks past their deadline"),
    "patrols.tasks",
    attention.overdue_tasks,
    group="patrols",
    urgent=True,
)
add_counter(
    "patrols.open", _l("Open rectification tasks"), "patrols.tasks", attention.open_tasks, group="patrols", always=True
)
add_counter(
    "patrols.fixed",
    _l("Fixed tasks to verify"),
    "patrols.tasks",
    attention.fixed_to_verify,
    group="patrols",
    args={"show": "fixed"},
)

from kiosk.blueprints.patrols import routes, setup, tablet, tasks  # noqa: E402,F401
