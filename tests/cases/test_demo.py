"""The demo site shows what each cases page is for: weeks of intake, orders, complaints and
survey opinions (C6)."""

import sqlalchemy as sa

from kiosk import demo
from kiosk.cases import orders
from kiosk.extensions import db
from kiosk.models import Site
from kiosk.models.case_services import OpinionStatus, SurveyOpinion
from kiosk.models.cases import Complaint, Intake, WorkOrder
from kiosk.timeutil import utcnow


def test_demo_seeds_weeks_of_cases_with_no_numbering_gap(app, client):
    demo.seed("pw-demo")
    site = db.session.scalar(sa.select(Site).where(Site.code == demo.DEMO_SITE_CODE))
    assert db.session.scalar(sa.select(sa.func.count(Intake.id))) > 40
    assert db.session.scalar(sa.select(sa.func.count(WorkOrder.id))) > 10
    assert db.session.scalar(sa.select(sa.func.count(Complaint.id))) > 3
    opinions = list(db.session.scalars(sa.select(SurveyOpinion)))  # C6: weeks of them, every state
    assert {o.status for o in opinions} == set(OpinionStatus)
    assert any(o.reopened_count for o in opinions) and any(o.send_missed or o.measures_missed for o in opinions)
    assert (max(o.received_at for o in opinions) - min(o.received_at for o in opinions)).days >= 21
    years = db.session.scalars(sa.select(WorkOrder.year).distinct())
    assert all(orders.numbering_gaps(site.id, year) == [] for year in years)
    client.login("supervisor", "pw-demo")
    for url in (
        "/console/cases/",
        "/console/cases/orders",
        "/console/cases/complaints?show=all",
        "/console/cases/callbacks",
        "/console/cases/surveys?show=all",
        "/console/cases/board",
        "/console/cases/new",
    ):
        assert client.get(url).status_code == 200, url
    first = db.session.scalar(sa.select(Complaint).order_by(Complaint.id))
    assert client.get(f"/console/cases/complaints/{first.id}").status_code == 200
    assert client.get(f"/console/cases/surveys/{opinions[0].id}").status_code == 200
    assert utcnow()
