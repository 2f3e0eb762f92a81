"""Telling someone that a visitor has registered: the integration point for SMS,
WeChat Work (企业微信) or DingTalk (钉钉).

The usual practice is that the receptionist phones the household from the lobby board,
so the default notifier only writes a log line. To send real messages, write a class
with a `visit_registered(visit)` method (see `Notifier`) and install it when the app is
created, e.g. in instance/config.py:

    VISIT_NOTIFIER = "mycompany.notify:WeComNotifier"   # module:attribute, built with no arguments

It is called after the registration is committed; it must not raise (log instead) and
must not block for long (hand slow work to a queue). It is given the visit only: the
household's phone numbers are for staff (rule V3), so a notifier that contacts the host
looks them up itself and keeps them out of any message shown to the visitor.
"""

import importlib
import logging
from typing import Protocol

from flask import current_app

from kiosk.models import Visit

log = logging.getLogger("kiosk.notify")


class Notifier(Protocol):
    def visit_registered(self, visit: Visit) -> None:
        """A visit was registered (kiosk or desk); the desk will contact the host."""


class LogNotifier:
    """The default: one log line without personal data."""

    def visit_registered(self, visit: Visit) -> None:
        log.info(
            "visit %s registered for room %s (desk %s, status %s)",
            visit.code,
            visit.room_id or "service-centre",
            visit.desk,
            visit.status,
        )


def notifier() -> Notifier:
    configured = current_app.config.get("VISIT_NOTIFIER")
    if configured is None:
        return LogNotifier()
    if isinstance(configured, str):
        module, _sep, attribute = configured.partition(":")
        return getattr(importlib.import_module(module), attribute)()
    return configured


def visit_registered(visit: Visit) -> None:
    try:
        notifier().visit_registered(visit)
    except Exception:  # noqa: BLE001 - a failed notification never undoes a registration
        log.exception("notifier failed for visit %s", visit.id)
