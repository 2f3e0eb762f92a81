"""A public-area patrol on a tablet (1024x768) in a real browser, online: one failed item
with a note and a photo, the rest passed, finished; the server holds it exactly once (P1, P7)."""

import io

import pytest
import sqlalchemy as sa
from PIL import Image

from kiosk.access import DEVICE_COOKIE
from kiosk.extensions import db
from kiosk.models.patrols import Answer, Patrol, Photo, Task
from tests import patrolkit
from tests.browser.conftest import SIZES, screenshot

TEXT = {
    "zh": {
        "signin": "登录",
        "start": "开始",
        "start_patrol": "开始巡查",
        "fail": "不合格",
        "saved": "已保存",
        "all_pass": "未答项目全部合格",
        "finish": "完成巡查",
        "done": "巡查已完成",
    },
    "en": {
        "signin": "Sign in",
        "start": "Start",
        "start_patrol": "Start patrol",
        "fail": "Fail",
        "saved": "Saved",
        "all_pass": "All unanswered items pass",
        "finish": "Finish patrol",
        "done": "Patrol finished",
    },
}


def _photo() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (2400, 1800), (90, 140, 200)).save(out, "JPEG")
    return out.getvalue()


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_public_area_patrol_online_with_a_failed_item_and_a_photo(browser, live_server, world, lang):
    pw = patrolkit.build(world)
    lobby, stairwell = patrolkit.public_round(pw)
    width, height = SIZES["tablet"]
    context = browser.new_context(
        viewport={"width": width, "height": height},
        base_url=live_server.url,
        locale="zh-CN" if lang == "zh" else "en-US",
    )
    context.add_cookies([{"name": DEVICE_COOKIE, "value": pw.credential, "url": live_server.url}])
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    t = TEXT[lang]
    try:
        page.goto(f"/patrol/?lang={lang}")
        screenshot(page, f"patrol-signin-{lang}")
        page.fill("input[name=username]", "officer")
        page.fill("input[name=password]", "pw")
        page.get_by_role("button", name=t["signin"], exact=True).click()
        row = page.locator(".occurrence", has_text="测试巡查" if lang == "zh" else "Test round")
        screenshot(page, f"patrol-today-{lang}")
        row.get_by_role("link", name=t["start"]).click()

        page.wait_for_load_state()  # the run page\'s scripts are in place before the start is tapped

        page.get_by_role("button", name=t["start_patrol"]).click()
        page.fill("#typed-code", lobby.code.lower())
        page.keyboard.press("Enter")
        item = page.locator(f"#stop-{lobby.id} .item").first
        item.get_by_role("button", name=t["fail"], exact=True).click()
        item.locator("textarea[name=note]").fill("大堂地面有积水" if lang == "zh" else "Water on the lobby floor")
        # The remark is saved as it is typed (no separate tap), and says so.
        item.locator("[data-note-state]").get_by_text(t["saved"], exact=True).wait_for()
        assert page.locator("[data-finish]").is_disabled()  # a fail still lacks its photo
        item.locator("[data-photo-input]").set_input_files(
            files=[{"name": "floor.jpg", "mimeType": "image/jpeg", "buffer": _photo()}]
        )
        item.locator("[data-photo-count]").get_by_text("✓ 1").wait_for()
        page.locator(f"#stop-{lobby.id}").get_by_role("button", name=t["all_pass"]).click()
        screenshot(page, f"patrol-run-fail-{lang}")

        page.fill("#typed-code", stairwell.code)
        page.keyboard.press("Enter")
        reading = page.locator(f"#stop-{stairwell.id} input[name=number]")
        reading.fill("1.2")
        reading.press("Enter")
        page.locator(f"#stop-{stairwell.id}").get_by_role("button", name=t["all_pass"]).click()
        assert page.locator("[data-finish]").is_enabled()
        page.get_by_role("button", name=t["finish"]).click()
        page.get_by_role("heading", name=t["done"]).wait_for()
        screenshot(page, f"patrol-summary-{lang}")
    finally:
        context.close()

    db.session.expire_all()
    patrol = db.session.scalar(sa.select(Patrol))
    assert patrol.finished_at is not None and patrol.officer_id == pw.officer.id
    assert [s.scan_sequence for s in patrol.stops] == [1, 2] and all(s.typed for s in patrol.stops)
    answers = db.session.scalars(sa.select(Answer)).all()
    assert len(answers) == 6 + 9  # lobby A B D E G H; stairwell A-D F-H, the reading and the fire exit
    assert sum(1 for a in answers if a.result == "fail") == 1
    tasks = db.session.scalars(sa.select(Task)).all()
    assert len(tasks) == 1 and tasks[0].department.kind == "cleaning" and tasks[0].answer.note
    photos = db.session.scalars(sa.select(Photo)).all()
    assert len(photos) == 1 and max(photos[0].width, photos[0].height) == 1600
    assert errors == []


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_supervisor_reviews_the_check_sheet_and_the_dashboard(new_page, world, app, lang):
    from kiosk.patrols import answers, templates, walk
    from kiosk.timeutil import utcnow
    from tests.browser.conftest import sign_in

    pw = patrolkit.build(world)
    now = utcnow()
    patrol = walk.start(
        patrolkit.new_uuid(), pw.tablet, pw.officer, at=now, received=now, template=pw.template("vacant_unit")
    )
    unit = patrol.stops[0].checkpoint
    version = templates.load_version(patrol.version_id)
    for item in version.sections[0].items:
        answers.answer(
            patrol,
            unit.id,
            item.id,
            result="fail" if item.standard == "C" else "pass",
            note="阳台窗未关" if item.standard == "C" else None,
            at=now,
            received=now,
            tz_name="Asia/Shanghai",
        )
    db.session.commit()
    page = new_page("desktop", locale="zh-CN" if lang == "zh" else "en-US")
    sign_in(page, "supervisor")
    page.goto(f"/console/patrols/?lang={lang}")
    screenshot(page, f"patrols-console-dashboard-{lang}")
    page.goto(f"/console/patrols/records/{patrol.id}")
    assert page.get_by_text("阳台窗未关").count() >= 1
    screenshot(page, f"patrols-console-sheet-{lang}")
    page.goto(f"/console/patrols/c/{unit.code}")
    screenshot(page, f"patrols-console-vacant-unit-record-{lang}")

    page.goto(f"/console/patrols/?lang={lang}")
    page.locator(".ack-all-form input[name=note]").fill("系统上线前" if lang == "zh" else "Before go-live")
    page.locator(".ack-all-form button").click()
    page.locator(".flash-info").wait_for()
    assert page.locator(".ack-all-form").count() == 0 and page.locator(".ack-form").count() == 0
    screenshot(page, f"patrols-console-dashboard-acknowledged-{lang}")


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_p1_finishing_with_items_unanswered_asks_for_a_reason_and_records_incomplete(browser, live_server, world, lang):
    """Finish right after a start and one answer: the tablet asks, needs a reason, and the
    patrol is recorded incomplete; the progress and the way to finish stay in view (P1)."""
    pw = patrolkit.build(world)
    lobby, stairwell = patrolkit.public_round(pw)
    width, height = SIZES["tablet"]
    context = browser.new_context(
        viewport={"width": width, "height": height},
        base_url=live_server.url,
        locale="zh-CN" if lang == "zh" else "en-US",
    )
    context.add_cookies([{"name": DEVICE_COOKIE, "value": pw.credential, "url": live_server.url}])
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    t = {**TEXT[lang], **INCOMPLETE[lang]}
    try:
        page.goto(f"/patrol/?lang={lang}")
        page.fill("input[name=username]", "officer")
        page.fill("input[name=password]", "pw")
        page.get_by_role("button", name=t["signin"], exact=True).click()
        page.locator(".occurrence", has_text="测试巡查" if lang == "zh" else "Test round").get_by_role(
            "link", name=t["start"]
        ).click()
        page.wait_for_load_state()  # the run page\'s scripts are in place before the start is tapped
        page.get_by_role("button", name=t["start_patrol"]).click()
        page.fill("#typed-code", lobby.code)
        page.keyboard.press("Enter")
        item = page.locator(f"#stop-{lobby.id} .item").first
        item.get_by_role("button", name=t["pass"], exact=True).click()
        # Far down the route, the progress and the way to finish are still on screen.
        page.locator(f"#stop-{lobby.id} .all-pass").scroll_into_view_if_needed()
        page.mouse.wheel(0, 5000)
        progress = page.locator("[data-progress]")
        assert progress.is_visible() and progress.evaluate(
            "el => { const r = el.getBoundingClientRect(); return r.top >= 0 && r.bottom <= innerHeight; }"
        )
        page.locator("[data-go-finish]").click()

        page.get_by_role("button", name=t["finish"]).click()
        confirm = page.locator("[data-incomplete]")
        confirm.wait_for()
        assert t["not_scanned"] in page.locator("[data-incomplete-text]").inner_text()
        page.get_by_role("button", name=t["finish_anyway"]).click()  # no reason: the browser holds it
        assert page.locator("#incomplete-reason").evaluate("el => !el.validity.valid")
        screenshot(page, f"patrol-finish-incomplete-{lang}")
        page.fill("#incomplete-reason", "暴雨，楼道停电" if lang == "zh" else "Storm, stairwell power cut")
        page.get_by_role("button", name=t["finish_anyway"]).click()
        page.get_by_role("heading", name=t["done"]).wait_for()
        page.locator("[data-finished-incomplete]").wait_for()
        screenshot(page, f"patrol-summary-incomplete-{lang}")
    finally:
        context.close()

    db.session.expire_all()
    patrol = db.session.scalar(sa.select(Patrol))
    assert patrol.finished_at is not None and patrol.incomplete
    assert patrol.incomplete_reason in ("暴雨，楼道停电", "Storm, stairwell power cut")
    assert errors == []


INCOMPLETE = {
    "zh": {"pass": "合格", "not_scanned": "未扫描巡查点 1 个", "finish_anyway": "按未完成结束巡查"},
    "en": {"pass": "Pass", "not_scanned": "checkpoints not scanned: 1", "finish_anyway": "Finish as incomplete"},
}
