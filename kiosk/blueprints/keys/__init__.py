"""The key cabinet console (/console/keys/): register, tags, loans and returns, the key
board, emergencies and anomalies (K1-K5)."""

from flask import Blueprint
from flask_babel import lazy_gettext as _l

from kiosk.keys import audits, loans
from kiosk.keys import requests as key_requests
from kiosk.keys.labels import register_filters
from kiosk.navigation import add_counter, add_link

bp = Blueprint("keys", __name__)
bp.record_once(register_filters)
add_link("keys.board", _l("Key board"), group="keys")
add_link("keys.register", _l("Key register"), group="keys")
add_link("keys.anomalies", _l("Key anomalies"), group="keys")
add_link("keys.requests", _l("Copy and replacement requests"), group="keys")
add_link("keys.audit_list", _l("Weekly key audit"), group="keys")
add_counter("keys.overdue", _l("Key loans overdue"), "keys.board", loans.count_overdue, group="keys", urgent=True)
add_counter(
    "keys.paperwork",
    _l("Emergency paperwork owed"),
    "keys.board",
    loans.count_paperwork_owed,
    group="keys",
    urgent=True,
)
add_counter(
    "keys.anomalies", _l("Key anomalies open"), "keys.anomalies", loans.count_open_anomalies, group="keys", urgent=True
)
add_counter("keys.requests", _l("Key requests to decide"), "keys.requests", key_requests.count_waiting, group="keys")
add_counter(
    "keys.audit", _l("Weekly key audit due"), "keys.audit_list", audits.count_overdue, group="keys", urgent=True
)

from kiosk.blueprints.keys import audit_pages, lending, request_pages, routes  # noqa: E402,F401
