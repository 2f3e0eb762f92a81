"""The visitor log and the on-site roll call in Chromium at 1280 wide, Chinese and English."""

from datetime import timedelta

import pytest
from playwright.sync_api import expect

from kiosk.extensions import db
from kiosk.models import Departure, Outcome, Purpose, VisitStatus
from kiosk.timeutil import utcnow
from kiosk.visits.corrections import correct
from tests.browser.conftest import screenshot, sign_in
from tests.visit_factory import make_visit


@pytest.fixture
def lobby(world):
    now, rooms = utcnow(), world.rooms
    make_visit(
        world.site,
        room=rooms[0],
        name="张三",
        phone="+8613812345678",
        plate="粤B12345",
        party_size=2,
        at=now - timedelta(hours=1),
    )
    make_visit(
        world.site,
        room=rooms[1],
        name="李四",
        phone="+8613987654321",
        purpose=Purpose.DELIVERY,
        status=VisitStatus.WAITING,
        at=now - timedelta(minutes=4),
    )
    make_visit(
        world.site,
        room=rooms[2],
        name="Anna Müller",
        phone="+4915112345678",
        purpose=Purpose.INTERVIEW,
        party_size=1,
        at=now - timedelta(minutes=50),
        outcome=Outcome.GO_UP,
        outcome_floor=3,
        status=VisitStatus.ON_SITE,
    )
    make_visit(
        world.site,
        room=rooms[2],
        name="王小明",
        phone="+8615011112222",
        purpose=Purpose.WORKS,
        party_size=3,
        status=VisitStatus.LEFT,
        departure=Departure.AUTO,
        at=now - timedelta(days=1, hours=3),
    )
    wrong = make_visit(
        world.site, room=None, name="赵 六", phone="+8613700001111", status=VisitStatus.LEFT, at=now - timedelta(days=2)
    )
    correct(wrong, "visitor_name", "赵六", "访客核对了姓名", world.users["receptionist"])
    db.session.commit()


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_log_search_and_on_site_pages(new_page, lobby, lang):
    page = new_page("desktop", locale="zh-CN" if lang == "zh" else "en-US")
    errors = []
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    sign_in(page, "supervisor")
    page.goto(f"/console/visits/?lang={lang}")
    rows = page.locator("#visit-results tbody tr")
    assert rows.count() == 5
    assert page.get_by_text("138****5678").is_visible()
    screenshot(page, f"visitors-log-{lang}")

    page.fill("input[name=name]", "zs")  # active search: pinyin initials, debounced, no button
    expect(rows).to_have_count(1)
    assert "张三" in rows.first.inner_text()
    assert "name=zs" in page.url  # the search is in the address bar

    page.goto(f"/console/visits/on-site?lang={lang}")
    assert page.locator(".roll-call tbody tr").count() == 3
    assert page.locator(".totals strong").first.inner_text() == "4"
    screenshot(page, f"visitors-on-site-{lang}")
    page.emulate_media(media="print")
    assert not page.locator(".topbar").is_visible()
    screenshot(page, f"visitors-on-site-print-{lang}")
    page.emulate_media(media="screen")
    page.goto(f"/console/visits/settings?lang={lang}")
    screenshot(page, f"visitors-settings-{lang}")
    assert errors == []


def test_record_with_a_correction(new_page, lobby):
    page = new_page("desktop")
    sign_in(page, "reception")
    page.goto("/console/visits/?lang=zh&name=zl")
    page.locator("#visit-results tbody a").first.click()
    assert page.get_by_text("访客核对了姓名").is_visible()
    page.locator("#field-party_size summary").click()
    page.fill("#value-party_size", "2")
    page.click("#field-party_size button[type=submit]")  # no reason given
    assert page.locator("#field-party_size .error").inner_text() == "请填写更正原因。"
    assert page.input_value("#value-party_size") == "2"
    screenshot(page, "visitors-record-zh")
