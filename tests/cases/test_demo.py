"""The demo site shows what each cases page is for: weeks of intake, orders, complaints and
survey opinions (C6)."""

import sqlalchemy as sa

from kiosk import demo
from kiosk.cases import orders
from kiosk.extensions import db
from kiosk.models import Site
from kiosk.models.case_complaints import Complaint
from kiosk.models.case_orders import OrderProgress, WorkOrder
from kiosk.models.case_services import OpinionStatus, SurveyOpinion
from kiosk.models.cases import Intake
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
    # Orders worked on the department's tablet (C10): progress, the customer's signature on completion.
    assert db.session.scalar(sa.select(sa.func.count(OrderProgress.id))) > 5
    signed = db.session.scalar(sa.select(WorkOrder).where(WorkOrder.customer_signature_path.is_not(None)).limit(1))
    assert signed is not None and client.get(f"/console/cases/orders/{signed.id}").status_code == 200
    kiosk_reports = db.session.scalars(sa.select(Intake).where(Intake.channel == "kiosk")).all()
    with_photo = [entry for entry in kiosk_reports if entry.photo_path]
    assert len(kiosk_reports) >= 5 and len(with_photo) >= 4  # C1: the kiosk's reports, most with a photo
    desk = client.application.test_client()
    desk.login("reception", "pw-demo")
    assert desk.get(f"/console/cases/intake/{with_photo[-1].id}/photo").mimetype == "image/jpeg"
    first = db.session.scalar(sa.select(Complaint).order_by(Complaint.id))
    assert client.get(f"/console/cases/complaints/{first.id}").status_code == 200
    assert client.get(f"/console/cases/surveys/{opinions[0].id}").status_code == 200
    assert utcnow()


def test_c5_demo_complaints_spread_over_three_quarters_with_categories(app, client):
    """The quarterly complaint analysis shows something after `make run`: the current quarter
    and the two before have complaints, most of them categorised; the page and workbook open."""
    from kiosk.cases import quarterly
    from kiosk.timeutil import local_now

    demo.seed("pw-demo")
    site = db.session.scalar(sa.select(Site).where(Site.code == demo.DEMO_SITE_CODE))
    current = quarterly.Quarter.of(local_now(site.timezone).date())
    report = quarterly.build(site, current, utcnow())
    assert [sum(counts.values()) > 0 for _q, counts in report.trend[-3:]] == [True, True, True]
    previous = quarterly.build(site, current.previous(), utcnow())
    categorised = sum(n for category, n in previous.by_category.items() if category is not None)
    assert categorised >= previous.total * 0.8 and len([c for c in previous.by_category if c]) >= 4
    assert previous.compliance["notify"].met and previous.compliance["notify"].missed  # some late, most not
    client.login("manager", "pw-demo")
    assert client.get("/console/cases/reports/quarterly").status_code == 200
    assert client.get("/console/cases/reports/quarterly.xlsx").status_code == 200
    on_paper = db.session.scalar(
        sa.select(Complaint).where(Complaint.form_received_at.is_not(None), Complaint.form_received_by_id.is_(None))
    )
    page = client.get(f"/console/cases/complaints/{on_paper.id}?lang=en")
    assert page.status_code == 200 and "on the paper form" in page.get_data(as_text=True)
