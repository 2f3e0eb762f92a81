"""The holiday schedule page in a real browser: the warning from 1 November, an import
of a whole year, both languages, desktop and tablet. The server's clock (time-machine,
the live server runs in this process) and the page's clock (Playwright) are both set."""

from datetime import UTC, datetime

import pytest
import time_machine

from tests.browser.conftest import screenshot, sign_in
from tests.calendar.test_workdays_table import TEST_2027

NOV_2 = datetime(2026, 11, 2, 2, 0, tzinfo=UTC)  # 10:00 in Shanghai


@pytest.mark.parametrize("size", ["desktop", "tablet"])
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_calendar_page_warns_and_imports_a_year(new_page, world, lang, size):
    with time_machine.travel(NOV_2, tick=True):
        page = new_page(size, locale="zh-CN" if lang == "zh" else "en-US")
        page.clock.install(time=NOV_2)
        errors = []
        page.on("pageerror", lambda exc: errors.append(str(exc)))
        page.on(
            "console",
            lambda msg: errors.append(msg.text) if msg.type == "error" and "status of 422" not in msg.text else None,
        )  # the refused import
        sign_in(page, "manager")
        page.wait_for_url("**/console/**")
        page.goto(f"/console/?lang={lang}")
        warning = "节假日安排未录入的年份" if lang == "zh" else "Years without a holiday schedule"
        assert page.get_by_text(warning).is_visible()
        page.goto("/console/calendar/")
        assert page.locator('[data-uncovered="2027"]').is_visible()
        screenshot(page, f"calendar-warning-{lang}-{size}")
        page.fill("textarea[name=text]", TEST_2027 + "2027-02-30, holiday, x\n")
        page.click("#import button[type=submit]")
        page.wait_for_selector("#import .flash-error")  # the click starts the navigation; wait for its page
        assert page.locator("#import .flash-error").count() == 1
        screenshot(page, f"calendar-import-error-{lang}-{size}")
        page.fill("textarea[name=text]", TEST_2027)
        page.click("#import button[type=submit]")
        page.wait_for_url("**/console/calendar/?year=2027")
        assert page.locator('[data-day="2027-02-13"]').is_visible()
        assert page.locator("[data-uncovered]").count() == 0
        screenshot(page, f"calendar-2027-{lang}-{size}")
        assert errors == []
