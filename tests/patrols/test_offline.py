"""The tablet's pages kept for use without a connection (issue 6 on OFFLINE.md 1): today's
list names the run page of every patrol the officer may start today, in every language;
the copy the service worker keeps is the blank route; signing out keeps the list alone.
(The worker's side is driven in tests/browser/test_patrol_offline_browser.py.)"""

import json
import re
import uuid

import pytest
import sqlalchemy as sa
import time_machine

from kiosk.access import DEVICE_COOKIE
from kiosk.extensions import db
from kiosk.models.patrols import Occurrence
from kiosk.patrols.schedule import for_today
from kiosk.patrols.templates import active_templates
from tests import patrolkit

HEADERS = {"X-Device-Request": "1", "HX-Request": "true"}
LANGS = ("zh_Hans_CN", "en")


@pytest.fixture(autouse=True)
def _frozen():
    with time_machine.travel(patrolkit.T0, tick=False):
        yield


def _sign_in(client, pw):
    client.set_cookie(DEVICE_COOKIE, pw.credential)
    token = client.csrf("/patrol/")
    response = client.post("/patrol/signin", data={"username": "officer", "password": "pw", "csrf_token": token})
    assert response.status_code == 303
    return client


def _kept(text: str) -> dict:
    return json.loads(re.search(r"data-offline-keep='([^']*)'", text).group(1))


def test_p1_todays_list_keeps_every_patrol_that_can_still_be_started(client, pw):
    _sign_in(client, pw)
    client.get("/patrol/")  # makes today's occurrences
    today = for_today(pw.site, patrolkit.T0)
    done = today[0]
    done.done_at = patrolkit.T0
    db.session.commit()

    kept = _kept(client.get("/patrol/").text)

    assert kept["owner"] == f"{pw.tablet.id}:{pw.officer.id}"
    pages = kept["pages"]
    assert pages[:2] == [f"/patrol/?lang={lang}" for lang in LANGS]
    runs = {f"/patrol/run/{o.id}?lang={lang}" for o in today[1:] for lang in LANGS}
    adhoc = {f"/patrol/adhoc/{t.id}?lang={lang}" for t in active_templates(pw.site.id) for lang in LANGS}
    assert set(pages[2:]) == runs | adhoc and len(pages) == len(set(pages))
    assert not any(f"/patrol/run/{done.id}?" in page for page in pages)  # finished: nothing to start


def test_signed_out_the_tablet_keeps_its_list_alone(client, pw):
    """Keeping the list alone drops the run pages, which carry the officer's token."""
    client.set_cookie(DEVICE_COOKIE, pw.credential)
    page = client.get("/patrol/")
    assert 'name="password"' in page.text
    assert _kept(page.text) == {"owner": "", "pages": [f"/patrol/?lang={lang}" for lang in LANGS]}


def test_the_kept_copy_of_a_run_page_is_the_blank_route(client, pw):
    """What was done comes from the tablet's own record, never from a stale server copy."""
    _sign_in(client, pw)
    client.get("/patrol/")
    occurrence = db.session.scalar(sa.select(Occurrence).order_by(Occurrence.id))
    page = client.get(f"/patrol/run/{occurrence.id}")
    officer = re.search(r'name="officer" value="([^"]+)"', page.text).group(1)
    patrol_key = str(uuid.uuid4())
    started = client.post(
        "/patrol/start",
        headers=HEADERS,
        data={
            "idempotency_key": str(uuid.uuid4()),
            "patrol": patrol_key,
            "officer": officer,
            "occurrence": occurrence.id,
        },
    )
    assert started.status_code == 204

    online = client.get(f"/patrol/run/{occurrence.id}")
    kept = client.get(f"/patrol/run/{occurrence.id}?lang=en", headers={"X-Precache": "1"})

    assert f'data-patrol="{patrol_key}"' in online.text
    assert kept.status_code == 200 and 'data-patrol=""' in kept.text and "Start patrol" in kept.text
    assert 'name="officer" value="' in kept.text  # the officer can start offline
    # Keeping a page changes no cookie: not the language, and not the session (a fetch
    # in the background while the officer signs in must not sign them out again).
    assert kept.headers.getlist("Set-Cookie") == []
