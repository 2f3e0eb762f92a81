"""The supervisor's dashboard (C8, C11), home-page counters, and constant statement counts on
the cases lists. The callbacks due (C4, C6, C7, C10): tests/cases/test_callbacks_due.py."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import sqlalchemy as sa
import time_machine

from kiosk.cases import board, complaints, orders
from kiosk.cases import overdue as late
from kiosk.extensions import db
from kiosk.models import DepartmentKind, Role
from kiosk.models.case_complaints import Complaint
from kiosk.models.case_orders import RepairCategory, WorkOrder
from kiosk.models.cases import CaseEvent, Confirmation, IntakeClass, Satisfaction
from kiosk.timeutil import utcnow
from tests.cases.helpers import call, done_order, more_households, rectified_complaint
from tests.statements import recorded_statements


def test_c8_open_for_more_than_a_week_listed(world):
    now = utcnow()
    old = call(world, IntakeClass.OTHER, now - timedelta(days=8), content="旧事")
    fresh = call(world, IntakeClass.OTHER, now - timedelta(days=2), content="新事")
    old_case = rectified_complaint(world, now - timedelta(days=9))
    weekly = board.open_over_a_week(world.site, now)
    assert [e.id for e in weekly["intake"]] == [old.id] and fresh.id not in [e.id for e in weekly["intake"]]
    assert [c.id for c in weekly["complaints"]] == [old_case.id]


def test_c3_dashboard_counts_overdue_and_sweeps_missed_flags(world):
    now = utcnow()
    case = rectified_complaint(world, now - timedelta(days=20))  # callback due 7 days after: overdue
    counts = board.overdue(world.site, now)
    db.session.commit()
    db.session.expire_all()
    assert counts["complaint_callback"] == 1 and counts["answer"] == 1
    assert db.session.get(Complaint, case.id).callback_missed


def test_c1_todays_intake_by_class(world):
    now = utcnow()
    call(world, IntakeClass.PRAISE, now)
    call(world, IntakeClass.PRAISE, now)
    call(world, IntakeClass.SUGGESTION, now)
    call(world, IntakeClass.SUGGESTION, now - timedelta(days=2))
    counts = board.today_by_class(world.site, now)
    assert counts[IntakeClass.PRAISE] == 2 and counts[IntakeClass.SUGGESTION] == 1


def test_c11_yesterdays_orders_show_voids_and_no_gap(world):
    now = utcnow()
    order = done_order(world, now - timedelta(days=1))
    first = orders.create(
        world.site,
        user=world.user(Role.RECEPTIONIST),
        now=now - timedelta(days=1),
        content="x",
        category=RepairCategory.OTHER,
        contact_name="x",
    )
    orders.void(first, world.user(Role.SUPERVISOR), "重复", now)
    db.session.commit()
    report = board.yesterdays_orders(world.site, now)
    assert report["gaps"] == [] and [o.id for o in report["voided"]] == [first.id]
    assert order.id


def test_c4_callback_rate(world):
    now = utcnow()
    a, b = done_order(world, now - timedelta(days=1)), done_order(world, now - timedelta(days=1), household=1)
    orders.callback(a, world.user(Role.OFFICER), satisfied=True, fee_confirmed=True, note=None, now=now)
    db.session.commit()
    assert board.callback_rate(world.site, now) == (1, 2)
    assert b.id


@pytest.mark.parametrize(
    "url, username",
    [
        ("/console/cases/orders?show=done", "supervisor"),
        ("/console/cases/complaints?show=all", "supervisor"),
        ("/console/cases/callbacks", "officer"),
        ("/console/cases/board", "supervisor"),
    ],
)
def test_cases_lists_send_as_many_statements_for_30_rows_as_for_3(client, world, url, username):
    client.login(username)
    counts = []
    for households in (world.households, more_households(world, 30)):  # each row in its own room
        now = utcnow()
        for i, household in enumerate(households):
            rectified_complaint(world, now - timedelta(days=(i * 4) % 12), household=household)
            done_order(world, now - timedelta(days=(i * 4) % 12), household=household)
        with recorded_statements() as statements:
            assert client.get(url).status_code == 200
        counts.append(len(statements))
    assert counts[0] == counts[1]


def test_home_page_counts_what_needs_the_supervisor(client, world):
    now = utcnow()
    entry = call(world, IntakeClass.COMPLAINT, now)
    case = db.session.query(Complaint).filter_by(intake_id=entry.id).one()
    complaints.check_validity(case, world.user(Role.RECEPTIONIST), valid=True, explanation=None, now=now)
    db.session.commit()
    client.login("supervisor")
    body = client.get("/console/").get_data(as_text=True)
    assert "/console/cases/board" in body


def test_board_fragment_is_polled(client, world):
    client.login("supervisor")
    response = client.htmx("get", "/console/cases/board/live")
    assert response.status_code == 200 and "<html" not in response.get_data(as_text=True)
    assert "HX-Request" in response.headers.get("Vary", "")
    assert Satisfaction and Confirmation


def test_c3_c10_overdue_counted_by_the_department_responsible(client, world):
    """The dashboard's overdue items by department: a late complaint and a late repair
    callback on engineering's row; what no department holds yet (a complaint to grade, an
    order not dispatched in 5 minutes, a reply owed) on a row of its own, listed last."""
    shanghai = ZoneInfo("Asia/Shanghai")
    with time_machine.travel(datetime.now(shanghai).replace(hour=10, minute=0, second=0, microsecond=0), tick=False):
        now = utcnow()
        rectified_complaint(world, now - timedelta(days=20))  # answer and callback overdue (C3)
        done_order(world, now - timedelta(days=5))  # callback owed within 2 days (C10)
        fresh = call(world, IntakeClass.COMPLAINT, now, content="刚收到的投诉")
        to_grade = db.session.query(Complaint).filter_by(intake_id=fresh.id).one()
        complaints.check_validity(to_grade, world.user(Role.RECEPTIONIST), valid=True, explanation=None, now=now)
        call(world, IntakeClass.INQUIRY, now - timedelta(hours=2), reply_due_at=now - timedelta(hours=1))
        orders.create(
            world.site,
            user=world.user(Role.RECEPTIONIST),
            now=now - timedelta(minutes=10),
            content="门禁坏了",
            category=RepairCategory.OTHER,
            contact_name="李四",
        )
        db.session.commit()
        counted = late.count(world.site, now)
        engineering, unassigned = counted.by_department
        assert engineering.department.kind == DepartmentKind.ENGINEERING
        assert engineering.kinds == {"answer": 1, "complaint_callback": 1, "repair_callback": 1}
        assert unassigned.department is None and unassigned.kinds == {"to_grade": 1, "dispatch": 1, "reply": 1}
        assert sum(counted.by_kind.values()) == engineering.total + unassigned.total == 6

        client.login("supervisor")
        page = client.get("/console/cases/board").get_data(as_text=True)
        table = page[page.index('id="overdue-by-department"') :]
        table = table[: table.index("</section>")]
        rows = table.split("<tr>")[2:]
        assert "工程" in rows[0] and '<td class="num">3</td>' in rows[0]
        assert "尚未指定部门" in rows[1] and '<td class="num">3</td>' in rows[1]


@pytest.mark.parametrize("morning", ["an ordinary day", "new year's day"])
def test_c11_a_gap_in_the_numbering_is_shown_on_the_morning_dashboard(client, world, morning):
    """A number lost from yesterday's orders (a row deleted behind the application's back)
    is named on the supervisor's dashboard, by its code; on 1 January the check covers the
    year that just ended, where yesterday's orders are (C11)."""
    shanghai = ZoneInfo("Asia/Shanghai")
    local_now = datetime.now(shanghai)
    if morning == "new year's day":
        local_now = local_now.replace(year=local_now.year + 1, month=1, day=1)
    with time_machine.travel(local_now.replace(hour=9, minute=0, second=0, microsecond=0), tick=False):
        now = utcnow()
        made = [
            orders.create(
                world.site,
                user=world.user(Role.RECEPTIONIST),
                now=now - timedelta(hours=14),
                content=f"第{i}单",
                category=RepairCategory.OTHER,
                contact_name="王五",
            )
            for i in range(3)
        ]
        db.session.commit()
        lost = made[1]
        db.session.execute(sa.delete(CaseEvent).where(CaseEvent.work_order_id == lost.id))
        db.session.execute(sa.delete(WorkOrder).where(WorkOrder.id == lost.id))
        db.session.commit()
        assert board.yesterdays_orders(world.site, now)["gaps"] == [lost.code]
        client.login("supervisor")
        page = client.get("/console/cases/board").get_data(as_text=True)
        warning = page[page.index('<p class="error">') :]
        assert lost.code in warning[: warning.index("</p>")]


def test_c8_c12_the_dashboard_page_lists_the_week_old_and_shows_the_months_visit_coverage(client, world):
    """What the supervisor reads on the page, not only what the domain counts: the item open
    for more than a week in the weekly list (C8), the month's visit coverage as done / planned
    (C12), both inside the live part that is polled."""
    from kiosk.cases import household_visits as visits

    shanghai = ZoneInfo("Asia/Shanghai")
    with time_machine.travel(
        datetime.now(shanghai).replace(day=15, hour=10, minute=0, second=0, microsecond=0), tick=False
    ):
        now = utcnow()
        old = rectified_complaint(world, now - timedelta(days=9))
        fresh = rectified_complaint(world, now - timedelta(days=2), household=1)
        month = visits.month_of(now.astimezone(shanghai).date())
        entries = visits.plan(
            world.site,
            user=world.user(Role.SUPERVISOR),
            month=month,
            households=world.households[:2],
            officer=world.user(Role.OFFICER),
        )
        visits.record(
            world.site,
            entries[0],
            user=world.user(Role.OFFICER),
            met="业主本人",
            findings="家中无异常",
            opinion=None,
            opinion_class=IntakeClass.SUGGESTION,
            now=now,
        )
        db.session.commit()
        client.login("supervisor")
        live = client.htmx("get", "/console/cases/board/live").get_data(as_text=True)
        weekly = live[live.index("超过一周未办结事项") :]
        assert old.code in weekly and fresh.code not in weekly
        assert 'href="/console/cases/visits">1 / 2</a>' in live


@pytest.mark.parametrize(
    "kind, url, link",
    [
        (IntakeClass.REPAIR, "/console/cases/orders?show=open", r'/console/cases/orders/(\d+)"'),
        (IntakeClass.COMPLAINT, "/console/cases/complaints?show=all", r'/console/cases/complaints/(\d+)"'),
        (IntakeClass.SUGGESTION, "/console/cases/", r'/console/cases/intake/(\d+)"'),
    ],
)
def test_the_cases_lists_page_by_keyset_through_ties_each_row_once(app, client, world, kind, url, link):
    """12 calls logged in the same second, pages of 5: following each page's "older" link
    (as htmx does) shows every row exactly once, newest first, ties broken by id."""
    import re

    app.config["PAGE_SIZE"] = 5
    now = utcnow()
    for i in range(12):
        call(world, kind, now, household=i % 3, content=f"同一秒的第{i}个")
    client.login("supervisor")
    seen, page, pages = [], client.get(url).get_data(as_text=True), 1
    while True:
        seen += [int(n) for n in re.findall(link, page)]
        older = re.search(r'hx-get="([^"]*cursor=[^"]+)"', page)
        if older is None:
            break
        page, pages = client.htmx("get", older.group(1).replace("&amp;", "&")).get_data(as_text=True), pages + 1
        assert "<html" not in page
    assert pages == 3 and len(seen) == len(set(seen)) == 12
    assert seen == sorted(seen, reverse=True)
