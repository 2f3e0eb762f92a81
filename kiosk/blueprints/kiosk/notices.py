"""Approved kiosk notices on the welcome screen (V9): `kiosk_notices()` in the kiosk's
templates, a bounded query only when a template asks for it."""

from flask import g

from kiosk.blueprints.kiosk import bp
from kiosk.registers import notices
from kiosk.timeutil import utcnow


@bp.context_processor
def _kiosk_notices():
    def kiosk_notices():
        dev = g.get("device")
        return notices.for_kiosk(dev.site_id, utcnow()) if dev is not None else []

    return {"kiosk_notices": kiosk_notices}
