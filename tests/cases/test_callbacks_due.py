"""One list of the callbacks due across complaints (C4), repairs (C10), survey opinions (C6)
and paid special services (C7): deadline order, keyset pages without overlap or loss, a
constant number of statements per page, site scoping, overdue by the site's local date; the
home-page counter, the handover's list and the dashboard's overdue counts."""

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import time_machine

from kiosk.cases import board, callbacks, services, surveys
from kiosk.extensions import db
from kiosk.handover import providers
from kiosk.models import DepartmentKind, Role
from kiosk.models.cases import Satisfaction
from kiosk.timeutil import utcnow
from tests.cases.helpers import done_order, rectified_complaint
from tests.statements import recorded_statements

SHANGHAI = ZoneInfo("Asia/Shanghai")


def _local(*args) -> datetime:
    return datetime(*args, tzinfo=SHANGHAI).astimezone(UTC)


def notified_service(world, now, household=0):
    """A special service done and its payment notice given: callback owed within 2 days (C7)."""
    service = services.book(
        world.site,
        user=world.user(Role.RECEPTIONIST),
        now=now,
        content="空调清洗",
        fee_cents=8000,
        household=world.households[household],
        contact_name=None,
        contact_phone=None,
        department=world.departments[DepartmentKind.ENGINEERING],
    )
    services.done(service, world.user(Role.DEPARTMENT), None, now)
    services.payment_notice(service, world.user(Role.RECEPTIONIST), fee_cents=8000, now=now)
    db.session.commit()
    return service


def answered_opinion(world, now, household=0, site=None, user=None):
    """A survey opinion with the department's measures: callback owed within 2 weeks (C6)."""
    site = site or world.site
    department = next(d for d in world.departments.values()) if site is world.site else None
    opinion = surveys.record(
        site,
        user=user or world.user(Role.RECEPTIONIST),
        now=now,
        survey="2026年第一季度满意度调查",
        content="车库太暗",
        household=world.households[household] if site is world.site else None,
        contact_name="业主" if site is not world.site else None,
        contact_phone="13900000000",
    )
    if department is not None:
        surveys.send(opinion, world.user(Role.RECEPTIONIST), department, now)
        surveys.write_measures(opinion, world.user(Role.RECEPTIONIST), "加装灯具", now)
    db.session.commit()
    return opinion


def _walk(site_id, size):
    """Every page of the list: the keys seen, page by page."""
    pages, cursor = [], None
    while True:
        page = callbacks.page(site_id, cursor=cursor, size=size)
        pages.append([(row.kind, row.record.id) for row in page.items])
        if page.next_cursor is None:
            return pages
        cursor = page.next_cursor


def test_c4_c6_c7_c10_one_list_of_the_four_kinds_in_deadline_order(world):
    """Deadlines: repair 3 March (2 days), service 3 March (2 days), complaint 8 March
    (major: 1 week), survey opinion 15 March (2 weeks); on a tie, by kind."""
    with time_machine.travel(_local(2026, 3, 1, 10, 0), tick=False):
        now = utcnow()
        opinion = answered_opinion(world, now)
        case = rectified_complaint(world, now)
        service = notified_service(world, now)
        order = done_order(world, now)
    rows = callbacks.page(world.site.id).items
    assert [(r.kind, r.record.id, r.due) for r in rows] == [
        ("repair", order.id, date(2026, 3, 3)),
        ("service", service.id, date(2026, 3, 3)),
        ("complaint", case.id, date(2026, 3, 8)),
        ("survey", opinion.id, date(2026, 3, 15)),
    ]
    assert board.count_callbacks_due(world.site.id, None) == 4
    with time_machine.travel(_local(2026, 3, 2, 10, 0), tick=False):  # the survey's callback made: off the list
        surveys.callback(
            opinion,
            world.user(Role.OFFICER),
            satisfaction=Satisfaction.SATISFIED,
            confirmed_by="业主",
            note=None,
            now=utcnow(),
        )
        db.session.commit()
    assert "survey" not in [r.kind for r in callbacks.page(world.site.id).items]
    assert board.count_callbacks_due(world.site.id, None) == 3


def test_c4_pages_cover_every_callback_once_across_kinds_and_ties(world):
    """Many callbacks on the same few dates: pages of 7 in (due, kind, id) order, each
    callback on exactly one page, none lost."""
    with time_machine.travel(_local(2026, 3, 1, 10, 0), tick=False):
        for i in range(6):
            answered_opinion(world, utcnow(), household=i % 3)
            notified_service(world, utcnow(), household=i % 3)
            done_order(world, utcnow(), household=i % 3)
        rectified_complaint(world, utcnow())
    pages = _walk(world.site.id, 7)
    keys = [key for page in pages for key in page]
    assert len(pages) == 3 and all(len(page) == 7 for page in pages[:2])
    assert len(keys) == len(set(keys)) == 19 == callbacks.count(world.site.id)
    every = callbacks.page(world.site.id, size=50).items
    assert keys == [(r.kind, r.record.id) for r in every]
    assert [r.due for r in every] == sorted(r.due for r in every)


def _bulk(world, n):
    """n callbacks, a quarter of each kind, their deadlines spread over ten days, every kind
    on every date (the survey's measures 12 days and the complaint 5 days before the repair
    and the service: all four owed 2 days after the repair)."""
    start = _local(2026, 3, 1, 10, 0)
    for i in range(n // 4):
        day = start + timedelta(days=i % 10)
        for back, make in ((12, answered_opinion), (5, rectified_complaint), (0, notified_service), (0, done_order)):
            with time_machine.travel(day - timedelta(days=back), tick=False):
                if make is rectified_complaint:
                    make(world, utcnow())
                else:
                    make(world, utcnow(), household=i % 3)


def test_c4_the_page_walks_120_callbacks_with_as_many_statements_as_10(client, world):
    client.login("officer")
    counts = []
    for n in (12, 108):  # 12, then 120 in all
        _bulk(world, n)
        with recorded_statements() as statements:
            response = client.get("/console/cases/callbacks")
        assert response.status_code == 200
        counts.append(len(statements))
    assert counts[0] == counts[1], counts
    seen, cursor = [], None
    while True:
        page = callbacks.page(world.site.id, cursor=cursor)
        body = client.get("/console/cases/callbacks" + (f"?cursor={cursor}" if cursor else "")).get_data(as_text=True)
        assert all(row.record.code in body for row in page.items)
        seen += [(row.kind, row.record.id) for row in page.items]
        if not page.next_cursor:
            break
        assert "更晚" in body or "Later" in body
        cursor = page.next_cursor
        fragment = client.htmx("get", f"/console/cases/callbacks?cursor={cursor}").get_data(as_text=True)
        assert "<html" not in fragment and 'id="callback-list"' in fragment
    assert len(seen) == len(set(seen)) == 120
    assert client.get("/console/cases/callbacks?cursor=garbage").status_code == 303


def test_c4_the_page_links_each_record_masks_phones_and_flags_overdue_by_the_site_date(client, world):
    """01:00 in Shanghai on 5 March is still 4 March in UTC: a callback due 4 March is
    overdue at the site (and on the handover), though not by the UTC date."""
    with time_machine.travel(_local(2026, 3, 2, 10, 0), tick=False):
        service = notified_service(world, utcnow())  # due 4 March
    with time_machine.travel(_local(2026, 3, 4, 10, 0), tick=False):
        order = done_order(world, utcnow(), household=1)  # due 6 March
    with time_machine.travel(_local(2026, 3, 5, 1, 0), tick=False):
        assert utcnow().date() == date(2026, 3, 4)
        client.login("reception")
        body = client.get("/console/cases/callbacks").get_data(as_text=True)
        assert f"/console/cases/services/{service.id}" in body and f"/console/cases/orders/{order.id}" in body
        assert service.contact_phone not in body and "138****5678" in body
        service_row = body[body.index('data-kind="service"') :].split("</tr>")[0]
        order_row = body[body.index('data-kind="repair"') :].split("</tr>")[0]
        assert "badge-danger" in service_row and "badge-danger" not in order_row
        items, total = providers.callbacks_due(world.site.id, utcnow(), 10)
        assert total == 2 and [item.late for item in items] == [True, False]


def test_c4_another_site_sees_none_of_these_callbacks(client, world):
    answered_opinion(world, utcnow())
    elsewhere = answered_opinion(world, utcnow(), site=world.other_site, user=world.other_user)
    assert callbacks.count(world.other_site.id) == 0  # not answered there yet: nothing owed
    elsewhere.status = "answered"
    elsewhere.callback_due = date.today()
    db.session.commit()
    assert callbacks.count(world.site.id) == 1 and callbacks.count(world.other_site.id) == 1
    assert [r.record.id for r in callbacks.page(world.other_site.id).items] == [elsewhere.id]
    client.login("elsewhere")
    assert elsewhere.code in client.get("/console/cases/callbacks").get_data(as_text=True)
    mine = callbacks.page(world.site.id).items[0].record
    assert mine.code not in client.get("/console/cases/callbacks").get_data(as_text=True)


def test_c6_c7_the_dashboard_counts_overdue_special_service_and_survey_steps(world):
    with time_machine.travel(_local(2026, 3, 2, 10, 0), tick=False):  # a Monday
        notified_service(world, utcnow())  # callback due 4 March
        done = services.book(
            world.site,
            user=world.user(Role.RECEPTIONIST),
            now=utcnow(),
            content="搬家具",
            fee_cents=5000,
            household=world.households[1],
            contact_name=None,
            contact_phone=None,
        )
        services.done(done, world.user(Role.RECEPTIONIST), None, utcnow())  # notice due 3 March
        answered_opinion(world, utcnow())  # callback due 16 March
        db.session.commit()
    with time_machine.travel(_local(2026, 3, 5, 9, 0), tick=False):
        counts = board.overdue(world.site, utcnow())
        assert counts["service_notice"] == 1 and counts["service_callback"] == 1
        assert counts["survey_callback"] == 0
    with time_machine.travel(_local(2026, 3, 17, 9, 0), tick=False):
        assert board.overdue(world.site, utcnow())["survey_callback"] == 1
