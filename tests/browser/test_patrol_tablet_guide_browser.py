"""The way to the patrol tablet in a real browser (issue 12; P1), on the demo at landscape
1280x800 and portrait 800x1280, in zh and en: the officer's home links to the console's
tablet page (the site's enrolled tablet, the tablet page's address and its QR code); a
plain browser at /patrol/ is told what to do and led to that page; the enrolled tablet
shows today's patrols. Screenshots of each screen for a person to look at."""

from datetime import UTC, datetime

import pytest
import sqlalchemy as sa
import time_machine

from kiosk import demo
from kiosk.access import DEVICE_COOKIE
from kiosk.extensions import db
from kiosk.models import DeviceKind, Site
from tests.browser.conftest import screenshot
from tests.browser.offline_harness import enroll_device

NOON_SHANGHAI = datetime(2026, 11, 23, 4, 0, tzinfo=UTC)  # a Monday, 12:00 in Shanghai
SIZES = {"landscape": (1280, 800), "portrait": (800, 1280)}
LANGS = {"zh": ("zh_Hans_CN", "zh-CN"), "en": ("en", "en-US")}
TEXT = {
    "zh": {"signin": "登录", "to_tablet": "如何在平板上打开巡查", "plain": "此浏览器不是已登记的巡检平板"},
    "en": {
        "signin": "Sign in",
        "to_tablet": "How to open patrols on the tablet",
        "plain": "This browser is not an enrolled patrol tablet",
    },
}


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("lang", LANGS)
def test_p1_from_the_officers_home_to_the_tablet_and_back(browser, live_server, app, lang, size):
    code, locale = LANGS[lang]
    t = TEXT[lang]
    width, height = SIZES[size]
    with time_machine.travel(NOON_SHANGHAI, tick=True):
        demo.seed("pw")
        site = db.session.scalar(sa.select(Site).where(Site.code == demo.DEMO_SITE_CODE))
        tablet, credential = enroll_device(site, DeviceKind.TABLET, "巡检平板 1号")
        contexts, errors = [], []

        def page_in(cookie=None):
            context = browser.new_context(
                viewport={"width": width, "height": height}, locale=locale, base_url=live_server.url
            )
            contexts.append(context)
            if cookie:
                context.add_cookies([{"name": DEVICE_COOKIE, "value": cookie, "url": live_server.url}])
            page = context.new_page()
            page.on("pageerror", lambda exc: errors.append(str(exc)))
            return page

        try:
            # The officer, in the console.
            page = page_in()
            page.goto(f"/auth/login?lang={code}")
            page.fill("input[name=username]", "officer")
            page.fill("input[name=password]", "pw")
            page.click("button[type=submit]")
            page.locator("[data-to-tablet]").wait_for()
            screenshot(page, f"patrol-guide-officer-home-{lang}-{size}")
            page.get_by_role("link", name=t["to_tablet"]).click()
            page.locator(f"[data-tablets] tr[data-device='{tablet.id}']").wait_for()
            assert page.locator("[data-tablet-qr] svg").is_visible()
            start = page.locator("[data-tablet-start]")
            assert start.get_attribute("href") == f"{live_server.url}/patrol/"
            screenshot(page, f"patrol-guide-console-{lang}-{size}")

            # A plain browser at the tablet's address: what to do, and the way to the console page.
            plain = page_in()
            response = plain.goto(f"/patrol/?lang={code}")
            assert response.status == 403
            plain.get_by_role("heading", name=t["plain"]).wait_for()
            screenshot(plain, f"patrol-guide-not-enrolled-{lang}-{size}")
            plain.locator(".not-enrolled a.button").click()
            plain.wait_for_url("**/auth/login**")

            # The enrolled tablet: the officer signs in and sees today's patrols.
            device = page_in(credential)
            device.goto(f"/patrol/?lang={code}")
            device.fill("input[name=username]", "officer")
            device.fill("input[name=password]", "pw")
            device.get_by_role("button", name=t["signin"], exact=True).click()
            device.locator(".occurrence").first.wait_for()
            screenshot(device, f"patrol-guide-tablet-today-{lang}-{size}")
        finally:
            for context in contexts:
                context.close()
    assert errors == []
