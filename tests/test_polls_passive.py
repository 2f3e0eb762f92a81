"""S1: a page that polls (hx-trigger "every ...") must not keep an idle staff session alive.
A board left open on a shared desk would otherwise never reach the idle timeout. Every
polled staff route is declared passive (kiosk/access.py), found in the templates themselves."""

import re
from pathlib import Path

import kiosk
from kiosk.access import access_of

TEMPLATES = Path(kiosk.__file__).parent / "templates"
TAG = re.compile(r"<[a-z]+\b[^>]*>", re.S)
POLL = re.compile(r"""hx-trigger="[^"]*\bevery\b""")
TARGET = re.compile(r"""hx-get="\{\{\s*url_for\('([\w.]+)'""")


def _polls():
    for template in sorted(TEMPLATES.rglob("*.html")):
        for tag in TAG.findall(template.read_text(encoding="utf-8")):
            if POLL.search(tag):
                target = TARGET.search(tag)
                yield template.relative_to(TEMPLATES).as_posix(), target.group(1) if target else None


def test_s1_every_polled_staff_route_is_passive(app):
    polls = list(_polls())
    assert len(polls) >= 5  # lobby board, cases board, key board, device list, kiosk waiting screen
    unreadable = [template for template, endpoint in polls if endpoint is None]
    assert unreadable == [], "a poll whose hx-get is not a url_for(...): name its route so it can be checked"
    active = [
        (template, endpoint)
        for template, endpoint in polls
        if access_of(endpoint).kind == "staff" and not access_of(endpoint).passive
    ]
    assert active == [], f"polled staff routes that count as activity: {active}"


def test_s1_the_device_lists_poll_lets_an_idle_session_end(client, world, app):
    """The device list refreshes every 30 s through its passive route."""
    client.login("supervisor")
    page = client.get("/devices/").get_data(as_text=True)
    assert 'hx-get="/devices/live"' in page
    fragment = client.htmx("get", "/devices/live")
    assert fragment.status_code == 200 and 'id="device-list"' in fragment.get_data(as_text=True)
    assert "<html" not in fragment.get_data(as_text=True)
