"""The lobby kiosk in Chromium at 1080x1920 and the front desk's board at 1280x800:
a visitor's whole journey through the desk's outcome, idle reset, screenshots of every
kiosk screen and of the board in both languages (test-artifacts/screenshots/kiosk-*.png,
lobby-*.png)."""

import re

import pytest
import sqlalchemy as sa

from kiosk import demo
from kiosk.extensions import db
from kiosk.models import Desk, DeviceKind, LobbySettings, Outcome, Purpose, Room, Site, User, Visit
from kiosk.offline import devices
from kiosk.timeutil import utcnow
from kiosk.visits import registration as visits
from kiosk.visits import watchlist
from kiosk.visits.registration import Registration
from tests.browser.conftest import screenshot, sign_in

# A 422 (corrected input) or 429 (busy) answer is a screen, not a fault; Chromium logs it anyway.
EXPECTED_STATUS = re.compile(r"status of (422|429)")
TEXT = {
    "zh": {
        "lang": "zh_Hans_CN",
        "register": "访客登记",
        "wait": "请稍候，我们正在联系您要拜访的住户。",
        "go_up": "请乘电梯到 7 层。",
        "checked_out": "签离完成",
        "done": "完成",
        "welcome": "欢迎光临",
        "next": "下一步",
        "agree": "同意并登记",
        "checkout": "签离",
        "offer": "这是签离码",
        "pre_code": "预约码",
    },
    "en": {
        "lang": "en",
        "register": "Register a visit",
        "wait": "Please wait, we are contacting your host.",
        "go_up": "Please take the lift to floor 7.",
        "checked_out": "You are checked out",
        "done": "Done",
        "welcome": "Welcome",
        "next": "Next",
        "agree": "I agree, register",
        "checkout": "Check out",
        "offer": "This is a check-out code",
        "pre_code": "Pre-registration code",
    },
}


@pytest.fixture
def demo_site(app):
    demo.seed("pw")
    return db.session.scalar(sa.select(Site).where(Site.code == demo.DEMO_SITE_CODE))


def _enrolled_kiosk(new_page, site, errors):
    device, token = devices.create_enrollment(site, DeviceKind.KIOSK, "大堂终端", now=utcnow())
    db.session.commit()
    page = new_page("kiosk")
    page.on(
        "console",
        lambda msg: errors.append(msg.text) if msg.type == "error" and not EXPECTED_STATUS.search(msg.text) else None,
    )
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.goto(f"/devices/enroll/{token}")
    page.click("button[type=submit]")
    page.wait_for_url("**/kiosk/?lang=*")
    return page


def _busy_lobby(site):
    """Some visitors for the board screenshot: one held by the watch list, one on site."""
    reception = db.session.scalar(sa.select(User).where(User.username == "reception"))
    supervisor = db.session.scalar(sa.select(User).where(User.username == "supervisor"))
    watchlist.add(site.id, actor=supervisor, reason="曾冒充快递员进入楼栋", phone="+8613900009999")
    room = db.session.scalar(sa.select(Room).where(Room.site_id == site.id).order_by(Room.id.desc()).limit(1))
    now = utcnow()
    for name, phone in (("钱多多", "+8613900009999"), ("Tom Baker", "+447911123456")):
        visits.register(
            site,
            Registration(room=room, name=name, phone=phone, party_size=2, purpose=Purpose.DELIVERY),
            received_at=now,
            action_at=now,
            user=reception,
        )
    db.session.flush()
    on_site = visits.register(
        site,
        Registration(room=None, name="孙装修", phone="+8613700001111", party_size=1, purpose=Purpose.WORKS),
        received_at=now,
        action_at=now,
        user=reception,
    )
    visits.record_outcome(on_site, Outcome.WAIT_LOUNGE, actor=reception, now=now)
    db.session.commit()


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_visitor_registers_the_desk_answers_and_the_kiosk_shows_it(new_page, demo_site, lang):
    t, errors = TEXT[lang], []
    _busy_lobby(demo_site)
    kiosk = _enrolled_kiosk(new_page, demo_site, errors)
    if lang == "en":
        kiosk.click("a.lang-button[lang=en]")
    kiosk.get_by_text(t["welcome"], exact=True).wait_for()
    screenshot(kiosk, f"kiosk-welcome-{lang}")

    kiosk.get_by_role("link", name=t["register"]).click()
    kiosk.wait_for_url("**/kiosk/visit*")
    kiosk.wait_for_load_state()  # kiosk.js (deferred) has run: its step buttons answer taps
    kiosk.locator("[data-pick-building]").nth(1).click()  # building 2
    screenshot(kiosk, f"kiosk-whom-{lang}")
    kiosk.locator("[data-building-panel]:visible [data-pick-unit]").first.click()
    # The room grid fits the kiosk's screen: 17 floors in columns across its width, no long scroll.
    grid = kiosk.locator("[data-unit-panel]:visible .floor-grid").bounding_box()
    assert grid["width"] > 900 and grid["height"] < 1000, grid
    screenshot(kiosk, f"kiosk-rooms-{lang}")
    room = kiosk.locator("[data-unit-panel]:visible [data-pick-room]").filter(has_text="0702")
    room.click()
    assert kiosk.locator("[data-room-summary]").inner_text() == "2-1-0702"
    assert kiosk.locator("[data-step=about]").is_visible()
    kiosk.get_by_role("button", name=t["next"], exact=True).click()  # nothing filled in: stays, says why
    assert kiosk.locator("[data-step=about] [data-client-error]:visible").count() >= 2
    kiosk.fill("#name", "李访客" if lang == "zh" else "Anna Smith")
    kiosk.fill("#phone", "12345")
    kiosk.click("[data-step-by='1']")
    kiosk.locator("label.choice").first.click()
    # V1: a bad phone number is caught on this step, before the privacy notice.
    kiosk.get_by_role("button", name=t["next"], exact=True).click()
    kiosk.locator("#phone").locator("xpath=ancestor::div[contains(@class,'kfield')]").locator(
        "[data-client-error]:visible"
    ).wait_for()
    assert kiosk.locator("[data-step=about]").is_visible() and not kiosk.locator("[data-step=privacy]").is_visible()
    screenshot(kiosk, f"kiosk-about-bad-phone-{lang}")
    kiosk.fill("#phone", "139 0000 1234")
    assert kiosk.locator("[data-step=about] .error:visible").count() == 0  # corrected: the messages went
    screenshot(kiosk, f"kiosk-about-{lang}")
    kiosk.get_by_role("button", name=t["next"], exact=True).click()
    kiosk.locator("[data-step=privacy]").wait_for()
    screenshot(kiosk, f"kiosk-privacy-{lang}")
    kiosk.get_by_role("button", name=t["agree"]).click()
    kiosk.get_by_text(t["wait"]).wait_for()
    code = kiosk.locator("[data-visit-code]").inner_text()
    assert re.fullmatch(r"[A-Z0-9]{6}", code)
    visit = db.session.scalar(sa.select(Visit).where(Visit.code == code))
    assert visit.party_size == 2 and visit.visitor_phone == "+8613900001234"
    assert visit.action_at < visit.received_at and not visit.registered_offline  # the device's time was sent
    stored = kiosk.evaluate(
        "() => JSON.stringify([Object.assign({}, localStorage), Object.assign({}, sessionStorage)])"
    )
    assert "1234" not in stored and "访客" not in stored and "Anna" not in stored  # nothing of the visitor kept
    assert kiosk.evaluate("() => localStorage.length") == 0
    screenshot(kiosk, f"kiosk-waiting-{lang}")

    desk = new_page("desktop")
    # V2: by day the receptionist's board has it, from 20:00 to 08:00 the duty manager's.
    sign_in(desk, "reception" if visit.desk == Desk.RECEPTION else "duty", "pw")
    desk.wait_for_url("**/console/lobby/")
    desk.goto(f"/console/lobby/?lang={t['lang']}")
    item = desk.locator(".waiting-item", has_text=code)
    item.locator("button[hx-get]").click()  # the host's phones (staff only)
    item.locator(".contacts").wait_for()
    screenshot(desk, f"lobby-board-{lang}")
    item.locator("input[name=floor]").fill("7")
    item.locator(".go-up button").click()
    desk.locator("#board .flash").wait_for()

    kiosk.get_by_text(t["go_up"]).wait_for()  # the kiosk polls and shows the outcome
    screenshot(kiosk, f"kiosk-outcome-{lang}")
    kiosk.get_by_role("link", name=t["done"]).click()
    kiosk.get_by_text(
        TEXT["zh"]["welcome"], exact=True
    ).wait_for()  # ready for the next visitor, in the site's language
    if lang == "en":
        kiosk.click("a.lang-button[lang=en]")

    if lang == "zh":
        # The check-out code typed into the welcome box for the host's code: offered check-out.
        assert kiosk.get_by_text(t["pre_code"], exact=True).count() >= 1
        kiosk.fill("#expected-code", code)
        kiosk.locator("#expected-code").press("Enter")
        kiosk.get_by_text(t["offer"], exact=True).wait_for()
        screenshot(kiosk, f"kiosk-checkout-offer-{lang}")
        kiosk.locator("#screen").get_by_role("button", name=t["checkout"], exact=True).click()
    else:
        kiosk.get_by_role("link", name=t["checkout"]).first.click()
        screenshot(kiosk, f"kiosk-checkout-{lang}")
        kiosk.fill("#code", code.lower())
        kiosk.locator("#code").press("Enter")  # a scanner types the code and Enter
    kiosk.get_by_text(t["checked_out"]).wait_for()
    screenshot(kiosk, f"kiosk-goodbye-{lang}")
    desk.goto(f"/console/lobby/?lang={t['lang']}")
    screenshot(desk, f"lobby-board-after-{lang}")
    assert errors == []


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_code_entry_and_its_messages(new_page, demo_site, lang):
    errors = []
    kiosk = _enrolled_kiosk(new_page, demo_site, errors)
    kiosk.goto(f"/kiosk/expected?lang={TEXT[lang]['lang']}")
    kiosk.fill("#expected-code", "ZZZZZZ")
    kiosk.locator("#expected-code").press("Enter")
    kiosk.locator("#expected-code-error").wait_for()
    screenshot(kiosk, f"kiosk-expected-code-{lang}")
    code = db.session.scalar(sa.text("SELECT code FROM expected_visit ORDER BY id LIMIT 1"))
    kiosk.fill("#expected-code", code)
    kiosk.locator("#expected-code").press("Enter")
    kiosk.get_by_text(TEXT[lang]["wait"]).wait_for()  # straight to the waiting screen
    assert errors == []


def test_typed_room_then_idle_returns_to_welcome_and_clears_what_was_typed(new_page, demo_site):
    db.session.execute(sa.update(LobbySettings).where(LobbySettings.site_id == demo_site.id).values(idle_seconds=3))
    db.session.commit()
    errors = []
    kiosk = _enrolled_kiosk(new_page, demo_site, errors)
    kiosk.goto("/kiosk/visit?lang=en")
    kiosk.fill("#room_number", "9999")
    kiosk.click("[data-typed-room]")
    kiosk.get_by_text("There is no room 9999 here").wait_for()  # told on the first step
    kiosk.fill("#room_number", "2-1-702")
    kiosk.click("[data-typed-room]")
    kiosk.locator("[data-step=about]").wait_for()
    assert kiosk.locator("[data-room-summary]").inner_text() == "2-1-0702"
    kiosk.fill("#name", "Left Behind")
    kiosk.wait_for_url("**/kiosk/?lang=zh_Hans_CN", timeout=15000)  # back home, in the site's language
    assert kiosk.locator("#name").count() == 0 and "Left Behind" not in kiosk.content()
    assert errors == []


@pytest.mark.parametrize("app_config", [{"KIOSK_RATE_LIMIT": 0}])
def test_the_busy_screen(new_page, demo_site, app_config):
    errors = []
    kiosk = _enrolled_kiosk(new_page, demo_site, errors)
    for lang in ("zh", "en"):
        kiosk.goto(f"/kiosk/checkout?lang={TEXT[lang]['lang']}")
        kiosk.fill("#code", "ABCDEF")
        kiosk.locator("#code").press("Enter")
        kiosk.locator("[data-screen=busy]").wait_for()
        screenshot(kiosk, f"kiosk-busy-{lang}")
    assert errors == []
