"""The staff console's landing page (what needs this person now, by area) and the top bar's badges."""

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


@bp.get("/nav-counts")
@staff(passive=True)
def nav_counts():
    """The top bar's badges, swapped in place (out of band) after a page loads and on the
    `nav-counts` event; asked for by the page, not by the person: passive (S1)."""
    badges = navigation.badges(can, current_site_id(), current_user)
    return render("console/_nav_counts.html", groups=navigation.menu_groups(can, current_user), badges=badges)
