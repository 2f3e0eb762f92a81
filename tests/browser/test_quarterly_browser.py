"""The quarterly complaint analysis in a browser (C5): the vendored ECharts draws the trend
from the page's JSON under the app's Content-Security-Policy (no inline script, no console
error, no CSP violation), with its words in the page's language; screenshots in zh and en
(/tmp/shots-quarterly/)."""

from datetime import timedelta
from pathlib import Path

import pytest

from kiosk.cases import complaints
from kiosk.extensions import db
from kiosk.models import DepartmentKind, Role
from kiosk.models.case_complaints import ComplaintCategory, Grade
from kiosk.timeutil import utcnow
from tests.browser.conftest import sign_in

SHOTS = Path("/tmp/shots-quarterly")


def _complaints(world):
    """Complaints over the last 200 days (today's quarter and the two before), categorised."""
    now = utcnow()
    categories = list(ComplaintCategory)
    for k in range(24):
        at = now - timedelta(days=200 - k * 8, hours=2)
        case = complaints.open_case(
            world.site,
            user=world.user(Role.RECEPTIONIST),
            now=at,
            content="噪音",
            caller_name="王先生",
            caller_phone=None,
        )
        complaints.check_validity(case, world.user(Role.RECEPTIONIST), valid=True, explanation=None, now=at)
        complaints.grade(
            case,
            world.user(Role.SUPERVISOR),
            grade=Grade.MAJOR if k % 5 == 0 else Grade.GENERAL,
            category=categories[k % 5],
            reason="影响生活",
            department=world.departments[DepartmentKind.ENGINEERING],
            now=at + timedelta(hours=1),
        )
    db.session.commit()


@pytest.mark.parametrize(
    "locale,lang,heading,legend",
    [
        ("zh-CN", "zh_Hans_CN", "用户投诉分析报告", "服务态度"),
        ("en-US", "en", "Quarterly complaint analysis", "Service attitude"),
    ],
)
def test_c5_trend_chart_drawn_under_the_csp_in_the_page_language(new_page, world, locale, lang, heading, legend):
    _complaints(world)
    page = new_page("desktop", locale=locale)
    errors = []
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    sign_in(page, "manager")
    page.goto(f"/console/cases/reports/quarterly?lang={lang}")
    assert heading in page.locator("h1").inner_text()
    page.wait_for_selector("[data-chart='quarterly-trend'][data-chart-ready='1'] canvas")
    option = page.evaluate(
        """() => {
            const chart = echarts.getInstanceByDom(document.querySelector("[data-chart='quarterly-trend']"));
            const o = chart.getOption();
            return {quarters: o.xAxis[0].data, series: o.series.map(s => [s.name, s.data])};
        }"""
    )
    assert len(option["quarters"]) == 4
    assert ("季度" in option["quarters"][-1]) == (lang != "en") and ("Q" in option["quarters"][-1]) == (lang == "en")
    names = [name for name, _data in option["series"]]
    assert legend in names
    total = option["series"][-1][1]
    assert sum(total) == 24  # four quarters reach back at least 273 days: every complaint is in the chart
    box = page.locator("[data-chart='quarterly-trend'] canvas").first.bounding_box()
    assert box["width"] > 300 and box["height"] > 200
    assert not errors, errors  # CSP violations are reported as console errors
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"quarterly-{lang}.png"), full_page=True)
