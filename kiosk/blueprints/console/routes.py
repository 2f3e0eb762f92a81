"""The staff console's landing page: what needs this person now, by area."""

from flask_login import current_user

from kiosk import navigation
from kiosk.access import current_site_id, staff
from kiosk.blueprints.console import bp
from kiosk.htmx import render
from kiosk.templating import can


@bp.get("/")
@staff()
def home():
    attention = navigation.attention(can, current_site_id(), current_user)
    return render("console/home.html", attention=attention)
