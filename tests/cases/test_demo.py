"""The demo site shows what each cases page is for: weeks of intake, orders and complaints."""

import sqlalchemy as sa

from kiosk import demo
from kiosk.cases import orders
from kiosk.extensions import db
from kiosk.models import Site
from kiosk.models.cases import Complaint, Intake, WorkOrder
from kiosk.timeutil import utcnow


def test_demo_seeds_weeks_of_cases_with_no_numbering_gap(app, client):
    demo.seed("pw-demo")
    site = db.session.scalar(sa.select(Site).where(Site.code == demo.DEMO_SITE_CODE))
    assert db.session.scalar(sa.select(sa.func.count(Intake.id))) > 40
    assert db.session.scalar(sa.select(sa.func.count(WorkOrder.id))) > 10
    assert db.session.scalar(sa.select(sa.func.count(Complaint.id))) > 3
    years = db.session.scalars(sa.select(WorkOrder.year).distinct())
    assert all(orders.numbering_gaps(site.id, year) == [] for year in years)
    client.login("supervisor", "pw-demo")
    for url in (
        "/console/cases/",
        "/console/cases/orders",
        "/console/cases/complaints?show=all",
        "/console/cases/callbacks",
        "/console/cases/board",
        "/console/cases/new",
    ):
        assert client.get(url).status_code == 200, url
    kiosk_reports = db.session.scalars(sa.select(Intake).where(Intake.channel == "kiosk")).all()
    with_photo = [entry for entry in kiosk_reports if entry.photo_path]
    assert len(kiosk_reports) >= 5 and len(with_photo) >= 4  # C1: the kiosk's reports, most with a photo
    desk = client.application.test_client()
    desk.login("reception", "pw-demo")
    assert desk.get(f"/console/cases/intake/{with_photo[-1].id}/photo").mimetype == "image/jpeg"
    first = db.session.scalar(sa.select(Complaint).order_by(Complaint.id))
    assert client.get(f"/console/cases/complaints/{first.id}").status_code == 200
    assert utcnow()
