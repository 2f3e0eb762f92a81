"""The way from the console to the patrol tablet (issue 12): patrols run on an enrolled
tablet, never in the console. This page says which tablets are enrolled at the site,
whether they are in contact, and gives the tablet's start page as a link and a QR code."""

from flask import url_for

from kiosk import qr
from kiosk.access import current_site_id, staff
from kiosk.blueprints.patrols import bp
from kiosk.htmx import render
from kiosk.models import DeviceKind
from kiosk.offline import devices, outbox
from kiosk.patrols.identity import PATROL_ROLES
from kiosk.timeutil import utcnow


@bp.get("/tablet")
@staff(*PATROL_ROLES)
def tablet():
    tablets = devices.enrolled(current_site_id(), DeviceKind.TABLET)
    start_url = url_for("patrol.index", _external=True)
    qr_svg = qr.svg(start_url, scale=4, omitsize=False)
    return render(
        "patrols/tablet.html",
        tablets=tablets,
        states=outbox.device_states(tablets, now=utcnow()),
        start_url=start_url,
        qr_svg=qr_svg,
        listed_max=devices.MAX_LISTED,
    )
