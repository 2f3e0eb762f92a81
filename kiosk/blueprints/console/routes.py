"""The staff console's landing page."""
from kiosk.access import staff
from kiosk.blueprints.console import bp
from kiosk.htmx import render


@bp.get("/")
@staff()
def home():
    return render("console/home.html")
