"""Browser tests: Playwright's Python API driving Debian's Chromium against a live server.

Screenshots go to test-artifacts/screenshots/ (named in the README) for a person to look at.
"""

import os
import shutil
import threading
from pathlib import Path

import pytest
from werkzeug.serving import make_server

CHROMIUM = os.environ.get("KIOSK_CHROMIUM", "/usr/bin/chromium")
SCREENSHOTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "screenshots"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
SIZES = {
    "kiosk": (1080, 1920),
    "tablet": (1024, 768),
    "desktop": (1280, 800),
    "tablet_wide": (1280, 800),
    "tablet_tall": (800, 1280),
}


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/browser" in str(item.fspath):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists() and not shutil.which("chromium"):
        pytest.skip(f"browser tests need Debian's chromium at {CHROMIUM} (make browser-deps)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


class LiveServer:
    def __init__(self, app):
        self.server = make_server("127.0.0.1", 0, app, threaded=True)
        self.url = f"http://127.0.0.1:{self.server.server_port}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def start(self):
        self.thread.start()
        return self

    def stop(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def live_server(app):
    server = LiveServer(app).start()
    yield server
    server.stop()


@pytest.fixture
def new_page(browser, live_server):
    """new_page(size="desktop", locale="zh-CN") -> a page in a fresh browser context."""
    contexts = []

    def make(size="desktop", locale="zh-CN"):
        width, height = SIZES[size]
        context = browser.new_context(
            viewport={"width": width, "height": height}, locale=locale, base_url=live_server.url
        )
        contexts.append(context)
        return context.new_page()

    yield make
    for context in contexts:
        context.close()


def screenshot(page, name: str) -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def sign_in(page, username, password="pw"):
    page.goto("/auth/login")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    page.click("button[type=submit]")


def image_widths(page, selector: str) -> list[int]:
    """The natural widths of the images matching `selector`, once each has finished loading
    (or failed: a broken image is complete with width 0). A page's element can be there
    before its image has arrived, so reading the width at once can see 0 for a good image."""
    page.wait_for_function(
        "sel => { const imgs = [...document.querySelectorAll(sel)]; return imgs.length && imgs.every(i => i.complete) }",
        arg=selector,
    )
    return page.locator(selector).evaluate_all("imgs => imgs.map(i => i.naturalWidth)")


def draw_signature(page, selector: str = "[data-testid=signature-canvas]") -> None:
    """A squiggle drawn with the finger (the mouse) on a signature pad, once the pad is set up:
    signature.js marks its box data-signature-ready, and strokes drawn before that are lost
    (a page just loaded, or reloaded after an upload, may not have run its scripts yet)."""
    pad = page.locator(f"[data-signature-ready] {selector}")
    pad.wait_for()
    pad.scroll_into_view_if_needed()
    box = pad.bounding_box()
    x, y, w, h = box["x"], box["y"], box["width"], box["height"]
    page.mouse.move(x + w * 0.1, y + h * 0.5)
    page.mouse.down()
    for i in range(1, 12):
        page.mouse.move(x + w * (0.1 + 0.07 * i), y + h * (0.3 + 0.4 * (i % 2)), steps=3)
    page.mouse.up()
