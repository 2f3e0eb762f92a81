"""The quarterly complaint analysis (用户投诉分析报告, C5): complaints counted by category,
department, grade and status, the deadlines' outcomes (C3: missed stays missed), the trend of
the last four quarters, the page and the workbook; a frozen clock, hand-computed figures."""

import io
import zipfile
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import sqlalchemy as sa
import time_machine
from openpyxl import load_workbook

from kiosk.cases import complaints, quarterly
from kiosk.cases.quarterly import Quarter
from kiosk.extensions import db
from kiosk.models import AuditEvent, DepartmentKind, Role
from kiosk.models.case_complaints import Complaint, ComplaintCategory, Grade
from kiosk.models.cases import Confirmation, Satisfaction
from tests.cases.helpers import received
from tests.statements import recorded_statements

SHANGHAI = ZoneInfo("Asia/Shanghai")
NOW = datetime(2026, 7, 15, 10, 0, tzinfo=SHANGHAI)  # Q3 2026, a Wednesday
Q2 = Quarter(2026, 2)


def local(*args) -> datetime:
    return datetime(*args, tzinfo=SHANGHAI).astimezone(UTC)


def _open(world, at, site=None):
    return complaints.open_case(
        site or world.site,
        user=world.user(Role.RECEPTIONIST),
        now=at,
        content="楼上噪音",
        caller_name="王先生",
        caller_phone="13800000000",
    )


def _graded(world, at, grade, category, department=DepartmentKind.ENGINEERING):
    case = _open(world, at)
    complaints.check_validity(case, world.user(Role.RECEPTIONIST), valid=True, explanation=None, now=at)
    complaints.grade(
        case,
        world.user(Role.SUPERVISOR),
        grade=grade,
        category=category,
        reason="影响生活",
        department=world.departments[department],
        now=at + timedelta(hours=1),
    )
    return case


def _call_back(world, case, at):
    complaints.record_callback(
        case,
        world.user(Role.OFFICER),
        satisfaction=Satisfaction.SATISFIED,
        note=None,
        confirmation=Confirmation.PHONE,
        confirmed_by="业主本人",
        now=at,
    )


@pytest.fixture
def quarter_data(world):
    """Q2 2026 (1 April to 30 June, Shanghai), hand-counted:

    A 30 Jun 23:30 local (15:30 UTC: in Q2): major, security, engineering; every deadline met.
    B 1 Apr 00:10 local (31 Mar UTC): general, cleaning; never signed for, answered or
      rectified: notify, answer, rectify missed; open.
    G 10 May: general, service attitude, engineering; signed for after 5 hours, answered and
      rectified late (missed, though done), called back in time; closed.
    I 29 Jun: general, repair quality, engineering; met so far, callback still running; open.
    E 5 May: out of scope. H 15 Jun: valid, not yet graded (no category): notify, answer missed.
    Outside Q2: C 31 Mar 23:50 local (Q1), D 1 Jul 00:05 local (Q3), J Nov 2025 (Q4 2025),
    and one on another site.
    """
    a = _graded(world, local(2026, 6, 30, 23, 30), Grade.MAJOR, ComplaintCategory.SECURITY)
    received(world, a, local(2026, 7, 1, 1, 30))
    complaints.first_answer(a, world.user(Role.RECEPTIONIST), "已答复", local(2026, 7, 1, 2, 30))
    complaints.rectified(a, world.user(Role.DEPARTMENT), "已整改", local(2026, 7, 1, 10, 0))
    _call_back(world, a, local(2026, 7, 3, 10, 0))

    _graded(world, local(2026, 4, 1, 0, 10), Grade.GENERAL, ComplaintCategory.CLEANING, DepartmentKind.CLEANING)

    g = _graded(world, local(2026, 5, 10, 10, 0), Grade.GENERAL, ComplaintCategory.SERVICE_ATTITUDE)
    received(world, g, local(2026, 5, 10, 16, 0))  # 6 hours after receipt: the 4-hour notice missed
    complaints.first_answer(g, world.user(Role.RECEPTIONIST), "已答复", local(2026, 5, 20, 9, 0))
    complaints.rectified(g, world.user(Role.DEPARTMENT), "已整改", local(2026, 5, 20, 10, 0))
    _call_back(world, g, local(2026, 6, 1, 10, 0))

    i = _graded(world, local(2026, 6, 29, 10, 0), Grade.GENERAL, ComplaintCategory.REPAIR_QUALITY)
    received(world, i, local(2026, 6, 29, 12, 0))
    complaints.first_answer(i, world.user(Role.RECEPTIONIST), "已答复", local(2026, 6, 29, 15, 0))
    complaints.rectified(i, world.user(Role.DEPARTMENT), "已整改", local(2026, 7, 2, 10, 0))  # callback due 16 Jul

    e = _open(world, local(2026, 5, 5, 10, 0))
    complaints.check_validity(
        e, world.user(Role.RECEPTIONIST), valid=False, explanation="属市政管辖", now=local(2026, 5, 5, 10, 10)
    )
    h = _open(world, local(2026, 6, 15, 10, 0))
    complaints.check_validity(h, world.user(Role.RECEPTIONIST), valid=True, explanation=None, now=h.received_at)

    _open(world, local(2026, 3, 31, 23, 50))  # C: Q1
    _open(world, local(2026, 7, 1, 0, 5))  # D: Q3
    _open(world, local(2025, 11, 3, 9, 0))  # J: Q4 2025
    _open(world, local(2026, 5, 6, 9, 0), site=world.other_site)
    db.session.commit()
    return {"missed_g": g.id}


def test_c5_quarter_counted_by_category_department_grade_and_status_in_the_site_zone(world, quarter_data):
    """C5: each complaint in the quarter of its local receipt day, both ends; another site's left out."""
    with time_machine.travel(NOW, tick=False):
        report = quarterly.build(world.site, Q2, datetime.now(UTC))
    assert report.total == 6
    assert dict(report.by_category) == {
        ComplaintCategory.SECURITY: 1,
        ComplaintCategory.CLEANING: 1,
        ComplaintCategory.SERVICE_ATTITUDE: 1,
        ComplaintCategory.REPAIR_QUALITY: 1,
        None: 2,  # out of scope and not yet graded: not yet categorised
    }
    assert dict(report.by_department) == {DepartmentKind.ENGINEERING: 3, DepartmentKind.CLEANING: 1, None: 2}
    assert dict(report.by_grade) == {Grade.MAJOR: 1, Grade.GENERAL: 3, None: 2}
    assert dict(report.by_status) == {"open": 3, "closed": 2, "out_of_scope": 1}
    assert [(q.label, sum(c.values())) for q, c in report.trend] == [
        ("2025 Q3", 0),
        ("2025 Q4", 1),
        ("2026 Q1", 1),
        ("2026 Q2", 6),
    ]
    with time_machine.travel(NOW, tick=False):
        q3 = quarterly.build(world.site, Quarter(2026, 3), datetime.now(UTC))
        q1 = quarterly.build(world.site, Quarter(2026, 1), datetime.now(UTC))
    assert q3.total == 1  # D: 00:05 on 1 July local, though 30 June in UTC
    assert q1.total == 1  # C: 23:50 on 31 March local; B (00:10 on 1 April) is Q2's


def test_c3_c5_deadline_compliance_missed_stays_missed(world, quarter_data):
    """C3: a deadline missed and met later counts as missed, never as met; one still running is open."""
    with time_machine.travel(NOW, tick=False):
        report = quarterly.build(world.site, Q2, datetime.now(UTC))
    outcome = {name: (t.met, t.missed, t.open) for name, t in report.compliance.items()}
    assert outcome == {
        "notify": (2, 3, 0),  # A, I met; B (never), G (6 hours), H (never graded) missed
        "answer": (2, 3, 0),  # A, I; B, G (answered late), H
        "rectify": (2, 2, 0),  # A, I; B, G (rectified late)
        "callback": (2, 0, 1),  # A, G; I due 16 July
    }
    g = db.session.get(Complaint, quarter_data["missed_g"])
    assert g.answered_at is not None and g.answer_missed  # done, still missed
    assert report.compliance["notify"].rate == pytest.approx(2 / 5)


def test_c5_statements_constant_5_or_100_complaints(world, client):
    """The analysis, its page and its workbook take the same number of statements whatever
    the number of complaints."""

    def seed(n):
        for k in range(n):
            case = _open(world, local(2026, 4, 1 + k % 28, 9, 0) + timedelta(minutes=k))
            case.category = list(ComplaintCategory)[k % 8]
            case.department_id = world.departments[list(DepartmentKind)[k % 5]].id
            case.grade = list(Grade)[k % 2]
        db.session.commit()

    def counted():
        with time_machine.travel(NOW, tick=False), recorded_statements() as statements:
            report = quarterly.build(world.site, Q2, datetime.now(UTC))
        return len(statements), report.total

    def served():
        with time_machine.travel(NOW, tick=True):
            client.login("manager")  # signed in at the frozen time: the session is fresh then
            with recorded_statements() as statements:
                page = client.get("/console/cases/reports/quarterly?year=2026&quarter=2")
                workbook = client.get("/console/cases/reports/quarterly.xlsx?year=2026&quarter=2")
        assert page.status_code == workbook.status_code == 200
        return len(statements)

    seed(5)
    few, total = counted()
    few_served = served()
    assert total == 5
    seed(95)
    many, total = counted()
    assert total == 100 and many == few <= 8
    assert served() == few_served


def test_c5_page_for_supervisors_and_managers_only_with_chart_data(world, quarter_data, client):
    with time_machine.travel(NOW, tick=True):
        client.login("reception")
        assert client.get("/console/cases/reports/quarterly").status_code == 403
        assert client.get("/console/cases/reports/quarterly.xlsx").status_code == 403
        client.login("engineer")
        assert client.get("/console/cases/reports/quarterly").status_code == 403
        client.login("manager")
        current = client.get("/console/cases/reports/quarterly?lang=en")
        assert current.status_code == 200
        assert "2026 Q3" in current.get_data(as_text=True)  # the current quarter by default
        page = client.get("/console/cases/reports/quarterly?year=2026&quarter=2&lang=en").get_data(as_text=True)
        assert "Security and order" in page and "Not yet categorised" in page
        assert 'type="application/json" id="quarterly-trend"' in page
        assert "vendor/echarts/echarts.min.js" in page and "js/charts.js" in page
        assert "<script>" not in page  # no inline script: the CSP allows none
        zh = client.get("/console/cases/reports/quarterly?year=2026&quarter=2&lang=zh_Hans_CN").get_data(as_text=True)
        assert "用户投诉分析报告" in zh or "投诉分析" in zh
        client.login("supervisor")
        assert client.get("/console/cases/reports/quarterly?year=2026&quarter=2").status_code == 200


@pytest.mark.parametrize("query", ["year=abc&quarter=2", "year=2026&quarter=5", "year=2027&quarter=1"])
def test_c5_bad_or_future_quarter_goes_back_to_the_current_one_with_a_message(world, client, query):
    with time_machine.travel(NOW, tick=True):
        client.login("manager")
        reply = client.get(f"/console/cases/reports/quarterly?{query}&lang=en")
        assert reply.status_code == 303 and reply.headers["Location"].endswith("/console/cases/reports/quarterly")
        shown = client.get("/console/cases/reports/quarterly?lang=en").get_data(as_text=True)
        assert "here is the current one" in shown


def _workbook(data: bytes):
    assert "xl/charts/chart1.xml" in zipfile.ZipFile(io.BytesIO(data)).namelist()  # a native chart
    return load_workbook(io.BytesIO(data))


def _rows(sheet):
    return [tuple(c for c in row) for row in sheet.iter_rows(values_only=True)]


def test_c5_workbook_has_the_figures_and_a_chart_and_the_export_is_audited(world, quarter_data, client):
    with time_machine.travel(NOW, tick=True):
        client.login("manager")
        reply = client.get("/console/cases/reports/quarterly.xlsx?year=2026&quarter=2&lang=en")
        assert reply.status_code == 200
        assert 'filename="complaints-2026-Q2.xlsx"' in reply.headers["Content-Disposition"]
        workbook = _workbook(reply.data)
        sheet = workbook["Complaint analysis"]
        rows = _rows(sheet)
        assert ("Security and order", 1, pytest.approx(1 / 6)) in [r[:3] for r in rows]
        assert ("Engineering", 3, 0.5) in [r[:3] for r in rows]
        assert ("Department signed for the form (4 hours)", 2, 3, 0, pytest.approx(0.4)) in [r[:5] for r in rows]
        assert ("All complaints", 0, 1, 1, 6) in [r[:5] for r in rows]  # the trend's totals, oldest first
        assert len(sheet._charts) == 1
        zh = _workbook(client.get("/console/cases/reports/quarterly.xlsx?year=2026&quarter=2&lang=zh_Hans_CN").data)
        assert any(r[0] == "安全秩序" and r[1] == 1 for r in _rows(zh.active))
    exported = db.session.scalars(sa.select(AuditEvent).where(AuditEvent.action == "complaint_report.exported")).all()
    assert len(exported) == 2 and exported[0].details == {"year": 2026, "quarter": 2, "complaints": 6}


def test_c5_workbook_downloaded_from_a_live_server_is_a_valid_workbook(app, world, quarter_data):
    from tests.live import LiveClient, serving

    with time_machine.travel(NOW, tick=True), serving(app) as server:
        client = LiveClient(server.url)
        client.login("supervisor")
        reply = client.get("/console/cases/reports/quarterly.xlsx?year=2026&quarter=2&lang=en")
        assert reply.status == 200
        assert reply.headers["Content-Type"].startswith(
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        )
        assert "no-store" in reply.headers["Cache-Control"]
        workbook = _workbook(reply.body)
        assert workbook.active._charts
        assert any(r[0] == "Received in the quarter" and r[1] == 6 for r in _rows(workbook.active))
