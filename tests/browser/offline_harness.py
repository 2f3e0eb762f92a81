"""Tools for the offline browser tests: a server that can be stopped and restarted on
the same port, faults injected in front of the device writes, an enrolled kiosk driven
in a persistent Chromium profile (so that the service worker, its caches and the
IndexedDB outbox survive a closed browser), and the visitor's steps on the kiosk."""

import threading
import time
from pathlib import Path

import sqlalchemy as sa
from flask import request
from werkzeug.serving import make_server

from kiosk.access import DEVICE_COOKIE
from kiosk.extensions import db
from kiosk.models import DeviceKind, Visit
from kiosk.offline import devices
from kiosk.timeutil import utcnow
from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS, SIZES, screenshot

WRITES = ("/kiosk/visits", "/kiosk/checkout", "/kiosk/expected")


class RestartableServer:
    """A live server on a fixed port that a test can stop and start again."""

    def __init__(self, app):
        self.app = app
        self.server = make_server("127.0.0.1", 0, app, threaded=True)
        self.port = self.server.server_port
        self.url = f"http://127.0.0.1:{self.port}"

    def start(self):
        if self.server is None:
            self.server = make_server("127.0.0.1", self.port, self.app, threaded=True)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return self

    def stop(self):
        if self.server is not None:
            self.server.shutdown()
            self.server.server_close()
            self.server = None


class Faults:
    """What the kiosk's writes answer: a test sets these between steps. Installed as
    request hooks in front of the kiosk's own views, which stay untouched."""

    def __init__(self, app):
        self.fail_with: list[int] = []  # statuses to answer, one per write, before passing
        self.always: int | None = None  # a status to answer to every write until cleared
        self.delay = 0.0  # seconds each write takes
        self.on_stored = None  # called with the number of writes the kiosk answered 200
        self.answered: list[int] = []  # every status a write got
        app.before_request(self._before)
        app.after_request(self._after)

    def _before(self):
        if request.method != "POST" or request.path not in WRITES:
            return None
        time.sleep(self.delay)
        status = self.always or (self.fail_with.pop(0) if self.fail_with else None)
        return ("refused for the test", status) if status else None

    def _after(self, response):
        if request.method == "POST" and request.path in WRITES:
            self.answered.append(response.status_code)
            if self.on_stored and response.status_code == 200:
                self.on_stored(self.answered.count(200))
        return response


def visits() -> list[Visit]:
    db.session.rollback()  # see what the server's threads committed
    return db.session.scalars(sa.select(Visit).order_by(Visit.id)).all()


def wait_for(condition, timeout: float, what: str):
    """Poll until `condition()` is truthy; fail with `what` after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while True:
        value = condition()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout}s waiting for {what}")
        time.sleep(0.2)


# --- an enrolled kiosk in a persistent browser profile ----------------------------------


def enroll_device(site, kind=DeviceKind.KIOSK, name="Lobby kiosk 1"):
    dev, token = devices.create_enrollment(site, kind, name, now=utcnow())
    dev, credential = devices.enroll(token, now=utcnow())
    db.session.commit()
    return dev, credential


class DeviceBrowser:
    """A kiosk or tablet: Chromium with a persistent profile holding the device cookie."""

    def __init__(self, browser_type, profile: Path, base_url: str, credential: str, size="kiosk"):
        self.browser_type = browser_type
        self.profile = profile
        self.base_url = base_url
        self.credential = credential
        self.size = size
        self.context = None
        self.errors: list[str] = []

    def open(self, path: str = "/kiosk/", *, locale="zh-CN"):
        """Start the browser on `path` and wait until the service worker controls it."""
        width, height = SIZES[self.size]
        self.context = self.browser_type.launch_persistent_context(
            str(self.profile),
            executable_path=CHROMIUM,
            headless=True,
            args=CHROMIUM_ARGS,
            viewport={"width": width, "height": height},
            locale=locale,
            base_url=self.base_url,
            accept_downloads=True,
        )
        self.context.add_cookies(
            [
                {
                    "name": DEVICE_COOKIE,
                    "value": self.credential,
                    "url": self.base_url,
                    "httpOnly": True,
                    "sameSite": "Strict",
                }
            ]
        )
        page = self.context.pages[0] if self.context.pages else self.context.new_page()
        page.on("pageerror", lambda exc: self.errors.append(str(exc)))
        page.goto(path)
        # The first visit installs the worker; it controls the page once it has claimed it.
        page.wait_for_function("() => navigator.serviceWorker.controller !== null", timeout=15000)
        page.wait_for_function("() => window.deviceOutbox !== undefined")
        return page

    def reopen_offline(self, server: RestartableServer, path: str = "/kiosk/", **kwargs):
        """The browser started again without a network. Playwright's offline emulation
        reaches a service worker only once it runs (not a worker Chromium starts with
        the browser), so the server is away until the emulation is in place."""
        server.stop()
        page = self.open(path, **kwargs)
        self.context.set_offline(True)
        server.start()
        return page

    def close(self):
        if self.context is not None:
            self.context.close()
            self.context = None


def outbox_status(page) -> dict:
    return page.evaluate("() => window.deviceOutbox.ask({type: 'status'})")


# --- the visitor's steps ----------------------------------------------------------------


def person(i: int, rooms) -> dict:
    return {"name": f"访客{i:02d}", "phone": f"139{i:08d}", "room": rooms[i % len(rooms)]}


def register(page, who: dict, *, lang="zh_Hans_CN", key: str | None = None, expect="[data-queued=visit]"):
    """The three steps of the kiosk's registration page; waits for the answer `expect`."""
    page.goto(f"/kiosk/visit?lang={lang}")
    page.click("[data-pick-building]")
    page.click(f"[data-pick-room='{who['room'].id}']")
    page.fill("#name", who["name"])
    page.fill("#phone", who["phone"])
    page.click("label.choice:has(input[name=purpose][value=visit])")
    page.click("[data-goto=privacy][data-check]")
    if key:  # a tampered or reused submission key
        page.evaluate("key => { document.querySelector('input[name=idempotency_key]').value = key; }", key)
    page.click("button[name=privacy][value=accepted]")
    try:
        page.wait_for_selector(expect, timeout=10000)
    except Exception:
        screenshot(page, "offline-failure")
        raise


def check_out(page, who: dict):
    page.goto("/kiosk/checkout")
    page.fill("#checkout-phone", who["phone"])
    page.fill("#checkout-room", who["room"].label)
    page.click("section.card-k button.big-button.primary")
    page.wait_for_selector("[data-queued=checkout]")
