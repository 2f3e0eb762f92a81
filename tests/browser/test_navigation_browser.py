"""The console's menu grouped by area, at tablet width and with the keyboard only; the home
page's counters in both languages (screenshots: console-home-*, console-menu-*)."""

import pytest

from tests.browser.conftest import screenshot, sign_in


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_menu_opens_and_closes_by_keyboard_at_tablet_width(new_page, world, lang):
    page = new_page("tablet", locale="zh-CN" if lang == "zh" else "en-US")
    sign_in(page, "supervisor")
    page.goto(f"/console/?lang={lang}")
    front_desk = page.locator("details[data-navgroup]").first
    summary = front_desk.locator("summary")
    # The whole top bar fits one row at tablet width: every group heading is on the same line.
    tops = {
        round(box["y"]) for box in (s.bounding_box() for s in page.locator("details[data-navgroup] > summary").all())
    }
    screenshot(page, f"console-topbar-{lang}-tablet")
    assert len(tops) == 1
    assert summary.bounding_box()["height"] >= 44  # finger-sized
    summary.focus()
    page.keyboard.press("Enter")
    assert front_desk.evaluate("d => d.open")
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.getAttribute('href')")
    assert focused == "/console/lobby/"
    screenshot(page, f"console-menu-{lang}-tablet")
    page.keyboard.press("Escape")
    assert not front_desk.evaluate("d => d.open")
    assert page.evaluate("document.activeElement.tagName") == "SUMMARY"
    # Opening another group closes the first.
    summary.click()
    page.locator("details[data-navgroup] > summary").nth(1).click()
    assert not front_desk.evaluate("d => d.open")
    # Enter on a link goes there, and the group shows where we are.
    page.keyboard.press("Escape")
    summary.focus()
    page.keyboard.press("Enter")
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    page.wait_for_url("**/console/lobby/**")
    assert page.locator("details[data-navgroup] > summary.current").count() == 1


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_home_page_counts_link_to_their_lists(new_page, world, lang):
    page = new_page("desktop", locale="zh-CN" if lang == "zh" else "en-US")
    sign_in(page, "supervisor")
    page.goto(f"/console/?lang={lang}")
    waiting = page.locator(
        "a.counter", has_text="等候业主确认的访客" if lang == "zh" else "Visitors waiting for their host"
    )
    assert waiting.locator(".counter-n").inner_text() == "0"
    screenshot(page, f"console-home-{lang}-desktop")
    waiting.click()
    page.wait_for_url("**/console/lobby/**")


def test_the_menu_keeps_one_row_on_desktop_screens(new_page, world):
    """The manager has the most groups and English the longest labels: at 1280, 1366 and 1920
    px wide every group heading is on one line (at 1280-1800 the menu takes a row of its own)."""
    page = new_page("desktop", locale="en-US")
    sign_in(page, "manager")
    page.goto("/console/?lang=en")
    headings = page.locator(".mainnav > a, details[data-navgroup] > summary")
    for width in (1280, 1366, 1920):
        page.set_viewport_size({"width": width, "height": 800})
        tops = {round(box["y"]) for box in (h.bounding_box() for h in headings.all())}
        assert len(tops) == 1, f"the menu wraps at {width} px"
    screenshot(page, "console-topbar-en-1920")
