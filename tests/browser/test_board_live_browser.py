"""C8 in Chromium at 1366x768: the supervisor's dashboard and the top bar's badge follow a
new complaint without a reload. The page's clock is Playwright's, so the 30-second poll
runs when the test moves it on; the test then waits on the DOM itself."""

from kiosk.cases import complaints
from kiosk.extensions import db
from kiosk.models import Role
from kiosk.models.case_complaints import Complaint
from kiosk.models.cases import IntakeClass
from kiosk.timeutil import utcnow
from tests.browser.conftest import SCREENSHOTS, sign_in
from tests.cases.helpers import call

TO_GRADE = "#board-live .counters li:first-child .counter-n"  # the first overdue counter: complaints to grade


def _shot(page, name):
    """The screen as the supervisor sees it: 1366x768, not the whole page."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"))


def _complaint_to_grade(world):
    entry = call(world, IntakeClass.COMPLAINT, utcnow(), content="地下车库照明坏了三盏")
    case = db.session.query(Complaint).filter_by(intake_id=entry.id).one()
    complaints.check_validity(case, world.user(Role.RECEPTIONIST), valid=True, explanation=None, now=utcnow())
    db.session.commit()


def _dashboard(browser, live_server, lang):
    context = browser.new_context(viewport={"width": 1366, "height": 768}, base_url=live_server.url)
    page = context.new_page()
    page.clock.install()
    sign_in(page, "supervisor")
    page.goto(f"/console/cases/board?lang={lang}")
    page.wait_for_selector("#board-live")
    return context, page


def test_c8_dashboard_and_badge_follow_a_new_complaint_without_reload(browser, live_server, world):
    context, page = _dashboard(browser, live_server, "zh_Hans_CN")
    try:
        assert page.inner_text(TO_GRADE) == "0"
        badge = page.locator("#nav-badge-cases")
        assert badge.is_hidden()  # nothing waits in cases yet
        page.evaluate("() => { window.notReloaded = true; }")
        with page.expect_response(lambda r: "/console/cases/board/live" in r.url) as first:
            page.clock.fast_forward("00:31")
        assert first.value.status == 204  # unchanged: nothing redrawn

        _complaint_to_grade(world)
        with page.expect_response(lambda r: "/console/nav-counts" in r.url):
            page.clock.fast_forward("00:31")
        page.wait_for_function(f"() => document.querySelector('{TO_GRADE}').textContent.trim() === '1'")
        page.wait_for_function("() => document.querySelector('#nav-badge-cases').textContent.trim() === '1'")
        # htmx settles a swapped element's attributes a moment after its text: wait for the class
        page.wait_for_function(
            "() => document.querySelector('#nav-badge-cases').classList.contains('nav-badge-urgent')"
        )
        assert badge.is_visible()
        assert page.evaluate("() => window.notReloaded") is True  # the same page, updated in place
        _shot(page, "cases-board-live-zh")
    finally:
        context.close()
    context, page = _dashboard(browser, live_server, "en")
    try:
        page.wait_for_function("() => document.querySelector('#nav-badge-cases').textContent.trim() === '1'")
        assert "1 item needs you" == page.get_attribute("#nav-badge-cases", "aria-label")
        _shot(page, "cases-board-live-en")
    finally:
        context.close()
