"""The visitor log in the console: search page and fragment, records (S1, S3), corrections (V1),
who is on site."""

from datetime import timedelta

import pytest
import sqlalchemy as sa

from kiosk.extensions import db
from kiosk.models import AuditEvent, Departure, Purpose, VisitCorrection, VisitStatus
from kiosk.timeutil import utcnow
from tests.statements import recorded_statements
from tests.visit_factory import make_visit

SCRIPT = '<script>alert("x")</script>'


@pytest.fixture
def visits(world):
    now = utcnow()
    made = {
        "zhang": make_visit(
            world.site,
            room=world.rooms[0],
            name="张三",
            phone="+8613812345678",
            id_number="11010519491231002X",
            party_size=2,
            at=now - timedelta(hours=2),
        ),
        "script": make_visit(
            world.site,
            room=world.rooms[1],
            name=SCRIPT,
            phone="+8613900001111",
            status=VisitStatus.WAITING,
            party_size=3,
            at=now - timedelta(minutes=5),
        ),
        "left": make_visit(
            world.site,
            room=world.rooms[2],
            name="王小明",
            phone="+8615011112222",
            status=VisitStatus.LEFT,
            departure=Departure.AUTO,
            at=now - timedelta(hours=5),
        ),
        "elsewhere": make_visit(world.other_site, name="赵外人", phone="+8613700001111", at=now),
    }
    db.session.commit()
    return made


def _audits(action):
    return db.session.scalars(sa.select(AuditEvent).where(AuditEvent.action == action)).all()


def test_log_page_lists_the_sites_visits_with_masked_phones(client, visits):
    client.login("reception")
    page = client.get("/console/visits/")
    assert page.status_code == 200 and "<html" in page.text
    assert "张三" in page.text and "138****5678" in page.text and "110105********002X" in page.text
    assert "13812345678" not in page.text
    assert "赵外人" not in page.text  # another site's visit
    assert "HX-Request" in page.headers["Vary"]
    assert 'hx-trigger="input delay:400ms, change, submit"' in page.text
    assert page.text.count("badge-auto") == 1  # the automatic check-out is marked


def test_search_fragment_for_htmx_with_vary(client, visits):
    client.login("reception")
    fragment = client.htmx("get", "/console/visits/?name=zs")
    assert fragment.status_code == 200
    assert "<html" not in fragment.text and 'id="visit-results"' in fragment.text
    assert "张三" in fragment.text and "王小明" not in fragment.text
    assert "HX-Request" in fragment.headers["Vary"]


def test_bad_search_answers_422_with_the_message_and_keeps_the_input(client, visits):
    client.login("reception")
    fragment = client.htmx("get", "/console/visits/?phone=12&lang=en")
    assert fragment.status_code == 422 and "Enter the full number or its last 4 digits." in fragment.text
    page = client.get("/console/visits/?date_from=2026-03-05&date_to=2026-03-01&name=zs&lang=en")
    assert page.status_code == 422 and "The end date is before the start date." in page.text
    assert 'value="zs"' in page.text


def test_a_mangled_cursor_is_a_bad_request(client, visits):
    client.login("reception")
    assert client.get("/console/visits/?cursor=nonsense").status_code == 400


def test_paging_links_carry_the_search(client, world, visits, monkeypatch):
    from kiosk.blueprints.visits import routes

    monkeypatch.setattr(routes, "PAGE_SIZE", 1)
    client.login("reception")
    first = client.get("/console/visits/?purpose=visit")
    assert "cursor=" in first.text and "purpose=visit" in first.text
    href = first.text.split('href="/console/visits/?cursor=')[1].split('"')[0].replace("&amp;", "&")
    second = client.get("/console/visits/?cursor=" + href)
    assert second.status_code == 200 and ("王小明" in second.text or "张三" in second.text)


def test_s1_every_record_view_is_audited(client, world, visits):
    client.login("reception")
    for _ in range(2):
        assert client.get(f"/console/visits/{visits['zhang'].id}").status_code == 200
    views = _audits("visit.view")
    assert len(views) == 2
    assert {(e.entity_type, e.entity_id, e.user_id) for e in views} == {
        ("Visit", str(visits["zhang"].id), world.users["receptionist"].id)
    }


def test_an_automatic_check_out_is_marked_on_the_record(client, visits):
    client.login("reception")
    page = client.get(f"/console/visits/{visits['left'].id}?lang=en").text
    assert "badge-auto" in page and "Automatically at closing time" in page


def test_a_record_of_another_site_is_not_found(client, visits):
    client.login("reception")
    assert client.get(f"/console/visits/{visits['elsewhere'].id}").status_code == 404
    assert _audits("visit.view") == []


@pytest.mark.parametrize(
    "username, full", [("reception", True), ("duty", True), ("supervisor", True), ("manager", False)]
)
def test_s3_the_full_phone_only_for_roles_that_contact_visitors(client, visits, username, full):
    client.login(username)
    page = client.get(f"/console/visits/{visits['zhang'].id}")
    assert ("+86 138 1234 5678" in page.text) is full
    assert "138****5678" in page.text or full
    assert "110105********002X" in page.text and "11010519491231002X" not in page.text


def test_script_in_a_name_is_text_everywhere(client, visits):
    client.login("supervisor")
    for url in ("/console/visits/", f"/console/visits/{visits['script'].id}", "/console/visits/on-site"):
        text = client.get(url).text
        assert SCRIPT not in text and "&lt;script&gt;alert(" in text


def test_v1_a_correction_is_added_and_shown_with_the_original(client, world, visits):
    client.login("reception")
    url = f"/console/visits/{visits['zhang'].id}"
    response = client.post_form(
        url + "/corrections",
        {"field": "visitor_name", "value": "张叁", "reason": "visitor spelled it at the desk"},
        page=url,
    )
    assert response.status_code == 303 and response.headers["Location"].endswith(url)
    correction = db.session.scalar(sa.select(VisitCorrection))
    assert (correction.field, correction.value, correction.by_id) == (
        "visitor_name",
        "张叁",
        world.users["receptionist"].id,
    )
    page = client.get(url).text
    assert "张叁" in page and "<del>张三</del>" in page and "visitor spelled it at the desk" in page
    assert len(_audits("visit.correct")) == 1
    assert db.session.get(type(visits["zhang"]), visits["zhang"].id).visitor_name == "张三"


def test_v1_a_correction_without_a_reason_is_refused_and_the_input_kept(client, visits):
    client.login("reception")
    url = f"/console/visits/{visits['zhang'].id}"
    response = client.post_form(
        url + "/corrections?lang=en", {"field": "party_size", "value": "4", "reason": ""}, page=url
    )
    assert response.status_code == 422
    assert "Please give the reason for the correction." in response.text
    assert 'value="4"' in response.text and "<details open>" in response.text
    bad = client.post_form(
        url + "/corrections?lang=en", {"field": "room", "value": "8-8-8888", "reason": "wrong"}, page=url
    )
    assert bad.status_code == 422 and "There is no room 8-8-8888 here" in bad.text
    assert db.session.scalar(sa.select(sa.func.count(VisitCorrection.id))) == 0
    assert (
        client.post_form(url + "/corrections", {"field": "code", "value": "x", "reason": "r"}, page=url).status_code
        == 400
    )


def test_on_site_lists_everyone_present_with_counts_and_party_sizes(client, visits):
    client.login("duty")
    page = client.get("/console/visits/on-site?lang=en")
    text = page.text
    assert page.status_code == 200 and "css/visits.css" in text and "data-print" in text
    assert "张三" in text and "&lt;script&gt;" in text and "王小明" not in text and "赵外人" not in text
    assert "People on site: <strong>5</strong>" in text
    assert "Upstairs: <strong>2</strong>" in text and "In the lobby: <strong>3</strong>" in text
    assert "Registrations: <strong>2</strong>" in text


def test_purpose_label_is_translated(client, world):
    make_visit(world.site, purpose=Purpose.WORKS, commit=True)
    client.login("reception")
    assert "装修或维修" in client.get("/console/visits/?lang=zh").text


def _statements_for(client, world, url, n):
    for i in range(n):
        visit = make_visit(
            world.site,
            room=world.rooms[i % 3],
            name=f"访客{i}",
            status=VisitStatus.ON_SITE,
            at=utcnow() - timedelta(minutes=i + 1),
        )
        if i % 3 == 0:
            db.session.add(
                VisitCorrection(
                    site_id=world.site.id,
                    visit=visit,
                    field="party_size",
                    value="2",
                    reason="r",
                    by_id=world.users["receptionist"].id,
                )
            )
    db.session.commit()
    with recorded_statements() as statements:
        assert client.get(url).status_code == 200
    return len(statements)


@pytest.mark.parametrize("url", ["/console/visits/", "/console/visits/on-site"])
def test_pages_send_as_many_statements_for_60_visits_as_for_5(client, world, url):
    client.login("reception")
    few = _statements_for(client, world, url, 5)
    many = _statements_for(client, world, url, 55)
    assert few == many
