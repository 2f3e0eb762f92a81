"""The login page and console in a real browser, both languages, three sizes."""
import pytest

from tests.browser.conftest import screenshot, sign_in


@pytest.mark.parametrize("size", ["desktop", "tablet", "kiosk"])
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_login_page_renders_without_console_errors(new_page, world, size, lang):
    page = new_page(size)
    errors = []
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.goto(f"/auth/login?lang={lang}")
    heading = "员工登录" if lang == "zh" else "Staff sign-in"
    assert page.get_by_text(heading).is_visible()
    button = page.locator("button[type=submit]").bounding_box()
    assert button["height"] >= 48  # finger-sized target
    screenshot(page, f"console-login-{lang}-{size}")
    assert errors == []  # no CSP violation, no script error


def test_sign_in_with_keyboard_and_land_on_home(new_page, world):
    page = new_page("tablet", locale="en-US")
    page.goto("/auth/login")
    page.keyboard.type("supervisor")
    page.keyboard.press("Tab")
    page.keyboard.type("pw")
    page.keyboard.press("Enter")
    page.wait_for_url("**/console/")
    assert page.get_by_role("heading", name="Good day, supervisor 测试").is_visible()
    screenshot(page, "console-home-en-tablet")


def test_wrong_password_message_in_the_users_language(new_page, world):
    page = new_page("desktop", locale="en-US")
    sign_in(page, "reception", "wrong")
    assert page.get_by_text("Incorrect username or password.").is_visible()
    assert page.input_value("input[name=username]") == "reception"
