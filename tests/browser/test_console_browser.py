"""The login page and console in a real browser, both languages, three sizes."""

from urllib.parse import urlsplit

import pytest

from tests.browser.conftest import screenshot, sign_in


@pytest.mark.parametrize("size", ["desktop", "tablet", "kiosk"])
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_login_page_renders_without_console_errors(new_page, live_server, world, size, lang):
    page = new_page(size)
    errors, foreign = [], []
    page.on("request", lambda req: foreign.append(req.url) if not req.url.startswith(live_server.url) else None)
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.goto(f"/auth/login?lang={lang}")
    heading = "员工登录" if lang == "zh" else "Staff sign-in"
    assert page.get_by_text(heading).is_visible()
    button = page.locator("button[type=submit]").bounding_box()
    assert button["height"] >= 48  # finger-sized target
    screenshot(page, f"console-login-{lang}-{size}")
    assert errors == []  # no CSP violation, no script error
    assert foreign == []  # no request leaves the server's origin (no CDN, no web fonts)


def test_sign_in_with_keyboard_and_land_on_home(new_page, world):
    page = new_page("tablet", locale="en-US")
    page.goto("/auth/login")
    page.keyboard.type("supervisor")
    page.keyboard.press("Tab")
    page.keyboard.type("pw")
    page.keyboard.press("Enter")
    page.wait_for_url("**/console/")
    # Staff see the site's language (Chinese) whatever the browser asks, until they choose another.
    assert page.get_by_role("heading", name="supervisor 测试，您好").is_visible()
    page.goto("/console/?lang=en")
    screenshot(page, "console-home-en-tablet")


def test_wrong_password_message_in_the_users_language(new_page, world):
    page = new_page("desktop", locale="en-US")
    sign_in(page, "reception", "wrong")
    assert page.get_by_text("Incorrect username or password.").is_visible()
    assert page.input_value("input[name=username]") == "reception"


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_supervisor_enrolls_a_device_from_the_console(new_page, world, lang):
    console = new_page("desktop")
    sign_in(console, "supervisor")
    console.goto(f"/devices/?lang={lang}")
    console.fill("input[name=name]", "大堂终端 1")
    console.click("form.row-form button[type=submit]")
    path = console.locator("code.big-code").inner_text()
    assert console.locator(".qr svg").is_visible()
    screenshot(console, f"console-device-enrollment-{lang}")

    device = new_page("kiosk")
    device.goto(path)
    device.click("button[type=submit]")
    device.wait_for_load_state()
    assert urlsplit(device.url).path == "/kiosk/", device.url  # an enrolled kiosk opens on its welcome screen
    assert [c["httpOnly"] for c in device.context.cookies() if c["name"] == "kiosk_device"] == [True]

    console.goto("/devices/")
    row = console.locator("tr", has_text="大堂终端 1")
    assert row.locator(".badge-ok").is_visible()
    screenshot(console, f"console-devices-{lang}")


def test_accounts_page(new_page, world):
    page = new_page("desktop", locale="en-US")
    sign_in(page, "admin")
    page.goto("/accounts/?lang=en")
    assert page.get_by_role("heading", name="Staff accounts").is_visible()
    screenshot(page, "console-accounts-en")
    page.goto("/accounts/?lang=zh")
    screenshot(page, "console-accounts-zh")


def test_a_failed_htmx_request_shows_a_toast_in_the_users_language(new_page, world):
    page = new_page("desktop", locale="en-US")
    sign_in(page, "supervisor")
    page.goto("/devices/?lang=en")
    page.route(
        "**/devices/",
        lambda route: route.fulfill(
            status=500,
            content_type="text/html",
            body='<div class="toast toast-error" data-toast>Something went wrong: try again</div>',
        ),
    )
    page.evaluate("() => { htmx.ajax('GET', '/devices/', '#device-list').catch(() => null); }")
    toast = page.locator("#toasts .toast-error")
    toast.wait_for()
    assert toast.inner_text() == "Something went wrong: try again"
    page.unroute("**/devices/")
    page.route("**/devices/", lambda route: route.abort())
    page.evaluate("() => { htmx.ajax('GET', '/devices/', '#device-list').catch(() => null); }")
    page.get_by_text("The connection to the server was lost").wait_for()
