"""Telling a household that mail is waiting at the desk (V8): the integration point for
SMS, WeChat Work (企业微信) or DingTalk (钉钉), in the shape of kiosk/notify.py.

The default writes one log line without personal data; the desk also prints a slip for
the household's letterbox. To send real messages, write a class with a
`mail_received(item)` method and name it in instance/config.py:

    MAIL_NOTIFIER = "mycompany.notify:WeComMailNotifier"   # module:attribute, built with no arguments

It is called after the receipt is committed; it must not raise (log instead) and must not
block for long. It is given the item only; the household's phone is looked up by the
notifier itself, and the message names the kind, count and pickup code, never the sender.
"""

import importlib
import logging
from typing import Protocol

from flask import current_app

from kiosk.models.registers import MailItem

log = logging.getLogger("kiosk.registers.notify")


class MailNotifier(Protocol):
    def mail_received(self, item: MailItem) -> None:
        """Items are waiting at the desk for item.household."""


class LogMailNotifier:
    def mail_received(self, item: MailItem) -> None:
        log.info("mail %s (%s x%s) waiting for room %s", item.id, item.kind, item.count, item.room_id)


def notifier() -> MailNotifier:
    configured = current_app.config.get("MAIL_NOTIFIER")
    if configured is None:
        return LogMailNotifier()
    if isinstance(configured, str):
        module, _sep, attribute = configured.partition(":")
        return getattr(importlib.import_module(module), attribute)()
    return configured


def mail_received(item: MailItem) -> bool:
    """True when the notifier took it; a failure is logged and never undoes the receipt."""
    try:
        notifier().mail_received(item)
    except Exception:  # noqa: BLE001
        log.exception("mail notifier failed for item %s", item.id)
        return False
    return True
