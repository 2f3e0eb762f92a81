"""Tablet page weight on the demo (issue 12): patrol tablets work on mobile data and in
basements. The largest run page of the demo's day is at most 150 KB of HTML and at most
25 KB on the wire (compressed by the app when the client accepts it); starting a patrol
writes its stops in one statement. Byte and statement counts, never time."""

import gzip
import json
import re

import sqlalchemy as sa

from kiosk import demo
from kiosk.access import DEVICE_COOKIE
from kiosk.extensions import db
from kiosk.models import Site
from tests import patrolkit

MAX_HTML = 150 * 1024
MAX_WIRE = 25 * 1024


def _demo_tablet(client):
    demo.seed("demo-pw")
    site = db.session.scalar(sa.select(Site).where(Site.code == demo.DEMO_SITE_CODE))
    _device, credential = patrolkit.enroll_tablet(site)
    client.set_cookie(DEVICE_COOKIE, credential)
    token = client.csrf("/patrol/")
    assert (
        client.post(
            "/patrol/signin", data={"username": "officer", "password": "demo-pw", "csrf_token": token}
        ).status_code
        == 303
    )
    return client


def _kept_pages(client):
    page = client.get("/patrol/")
    keep = json.loads(re.search(r"data-offline-keep='([^']+)'", page.text).group(1).replace("&#34;", '"'))
    return [url for url in keep["pages"] if "/run/" in url or "/adhoc/" in url]


def test_the_largest_demo_run_page_is_small_plain_and_on_the_wire(client):
    client = _demo_tablet(client)
    pages = _kept_pages(client)
    assert len(pages) > 10
    sizes = {}
    for url in pages:
        plain = client.get(url)
        assert plain.status_code == 200 and "Content-Encoding" not in plain.headers
        wire = client.get(url, headers={"Accept-Encoding": "gzip, deflate, br"})
        assert wire.headers.get("Content-Encoding") in ("gzip", "br", "deflate")
        assert "Accept-Encoding" in wire.headers.get("Vary", "")
        sizes[url] = (len(plain.data), len(wire.data))
        if wire.headers["Content-Encoding"] == "gzip":
            assert gzip.decompress(wire.data) == plain.data
    largest_url, (largest, _wire) = max(sizes.items(), key=lambda kv: kv[1][0])
    print("largest run page:", largest_url, largest, "bytes;", max(w for _p, w in sizes.values()), "on the wire")
    assert largest <= MAX_HTML, (largest_url, largest)
    assert max(w for _p, w in sizes.values()) <= MAX_WIRE


def test_static_files_are_compressed_too_and_downloads_still_stream(app, pw, client):
    js = client.get("/static/js/patrol.js", headers={"Accept-Encoding": "gzip"})
    assert js.headers.get("Content-Encoding") == "gzip" and len(js.data) < len(client.get("/static/js/patrol.js").data)
    css = client.get("/static/css/patrol.css", headers={"Accept-Encoding": "gzip"})
    assert css.headers.get("Content-Encoding") == "gzip"
    # The QR reader's wasm, precached by every device (issue 18: the kiosk's first load).
    wasm = client.get("/static/vendor/barcode-detector/zxing_reader.wasm", headers={"Accept-Encoding": "br"})
    plain = client.get("/static/vendor/barcode-detector/zxing_reader.wasm")
    assert wasm.headers.get("Content-Encoding") == "br" and len(wasm.data) < len(plain.data) / 2


def test_starting_a_patrol_inserts_its_stops_in_one_statement(pw):
    from kiosk.models.patrols import PatrolStop
    from kiosk.patrols import walk
    from kiosk.timeutil import utcnow
    from tests.statements import recorded_statements

    template = pw.template("public_area")
    expected = len(walk.route(pw.site.id, template=template))
    assert expected > 5
    now = utcnow()
    with recorded_statements() as statements:
        patrol = walk.start(patrolkit.new_uuid(), pw.tablet, pw.officer, at=now, received=now, template=template)
    inserts = [s for s in statements if s.lstrip().upper().startswith("INSERT INTO PATROL_STOP")]
    assert len(inserts) == 1
    db.session.commit()
    assert db.session.scalar(sa.select(sa.func.count()).select_from(PatrolStop)) == expected
    assert [s.position for s in patrol.stops] == list(range(expected))
