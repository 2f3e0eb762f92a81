"""The server side of the offline layer (OFFLINE.md): the service worker script, the
queued screens, device times, the heartbeat and what the console shows of it."""

import hashlib
import json
from datetime import timedelta
from pathlib import Path

import sqlalchemy as sa

from kiosk import assets
from kiosk.access import DEVICE_COOKIE, DEVICE_HEADER
from kiosk.extensions import db
from kiosk.models import DeadLetter, Device, DeviceKind, DeviceStatus, Visit
from kiosk.offline import devices, outbox
from kiosk.timeutil import utcnow
from tests.kiosk_helpers import post, visit_data

DEVICE_WRITE = {DEVICE_HEADER: "1", "Origin": "http://localhost"}


def enroll(client, world, kind=DeviceKind.KIOSK, name="Lobby kiosk 1") -> Device:
    """An enrolled device whose credential is in `client`'s cookie jar."""
    device, token = devices.create_enrollment(world.site, kind, name, now=utcnow())
    device, credential = devices.enroll(token, now=utcnow())
    db.session.commit()
    client.set_cookie(DEVICE_COOKIE, credential)
    return device


def worker_config(response) -> dict:
    first = response.get_data(as_text=True).split("\n", 1)[0]
    assert first.startswith("self.OFFLINE = ") and first.endswith(";")
    return json.loads(first[len("self.OFFLINE = ") : -1])


# --- the service worker script --------------------------------------------------------


def test_the_worker_is_served_at_the_root_uncached_with_the_asset_version(world, client):
    response = client.get("/sw.js")
    assert response.status_code == 200
    assert response.mimetype == "text/javascript"
    assert response.headers["Service-Worker-Allowed"] == "/"
    assert "no-cache" in response.headers["Cache-Control"]
    config = worker_config(response)
    version = assets.asset_version()
    assert config["version"] == version and config["cache"] == f"shell-{version}"
    assert f"/static/css/app.css?v={version}" in config["assets"]
    assert f"/static/js/device.js?v={version}" in config["assets"]
    assert not any("sw" in url or "workbox" in url for url in config["assets"])  # the worker loads these itself
    assert [url.split("?")[0] for url in config["scripts"]] == [
        "/static/vendor/workbox/workbox-core.prod.js",
        "/static/vendor/workbox/workbox-background-sync.prod.js",
        "/static/js/sw-store.js",
        "/static/js/sw-outbox.js",
        "/static/js/sw-keep.js",
        "/static/js/sw-workers.js",
    ]
    assert config["pages"] == []  # no device: nothing personal or device-bound to fetch
    assert "importScripts(...CONFIG.scripts)" in response.get_data(as_text=True)


def test_a_kiosk_precaches_its_shell_in_both_languages_and_never_the_console(world, client):
    enroll(client, world)
    config = worker_config(client.get("/sw.js"))
    pages = config["pages"]
    for lang in ("zh_Hans_CN", "en"):
        for path in (
            "/kiosk/",
            "/kiosk/visit",
            "/kiosk/checkout",
            "/kiosk/expected",
            "/kiosk/queued/visit",
            "/kiosk/queued/checkout",
            "/kiosk/report/",
            "/kiosk/queued/report",
        ):
            assert f"{path}?lang={lang}" in pages
    assert not any(p.startswith(("/console", "/auth", "/accounts", "/devices", "/patrol")) for p in pages)
    assert not any(p.startswith("/kiosk/visits") for p in pages)  # a visit is never cached
    assert config["faces"]["/kiosk/"]["start"] == "/kiosk/"
    # a queued check-out and a queued report say so (the report's photo included)
    assert config["screens"] == {"/kiosk/checkout": "checkout", "/kiosk/report/": "report"}


def test_every_shell_page_can_be_cached_and_the_visit_screen_cannot(world, client):
    """Pages with personal data say `no-store` (the worker never keeps such a page)."""
    enroll(client, world)
    for page in worker_config(client.get("/sw.js"))["pages"]:
        response = client.get(page)
        assert response.status_code == 200, page
        assert "no-store" not in response.headers.get("Cache-Control", ""), page
    assert post(client, "/kiosk/visits", visit_data(world.rooms[0].id)).status_code == 200
    code = db.session.scalar(sa.select(Visit.code))
    assert "no-store" in client.get(f"/kiosk/visits/{code}").headers["Cache-Control"]


def test_a_tablet_precaches_the_patrol_shell(world, client):
    enroll(client, world, DeviceKind.TABLET, "Tablet 1")
    pages = worker_config(client.get("/sw.js"))["pages"]
    assert "/patrol/queued/saved?lang=en" in pages and not any(p.startswith("/kiosk") for p in pages)


def test_a_face_adds_its_pages_to_the_shell(app, world, client, monkeypatch):
    monkeypatch.setitem(outbox.SHELL_PAGES, DeviceKind.KIOSK, ["offline.kiosk_queued_probe"])
    app.add_url_rule("/kiosk/probe", "offline.kiosk_queued_probe", lambda: "probe")
    enroll(client, world)
    pages = worker_config(client.get("/sw.js"))["pages"]
    assert "/kiosk/probe?lang=en" in pages and "/kiosk/probe?lang=zh_Hans_CN" in pages


# --- queued screens -------------------------------------------------------------------


def test_the_kiosk_queued_screen_replaces_the_page_in_the_visitors_language(world, client):
    enroll(client, world)
    zh = client.get("/kiosk/queued/visit?lang=zh_Hans_CN")
    assert zh.status_code == 200 and "请到前台告知接待人员您的姓名" in zh.text
    en = client.get("/kiosk/queued/visit?lang=en")
    assert "Please tell the receptionist your name." in en.text
    assert (en.headers["HX-Retarget"], en.headers["HX-Reswap"], en.headers["HX-Reselect"]) == (
        "#screen",
        "outerHTML",
        "#screen",
    )
    assert 'id="screen"' in en.text and "offline/_device" not in en.text and 'id="outbox"' in en.text
    assert "You are checked out" in client.get("/kiosk/queued/checkout?lang=en").text
    assert client.get("/kiosk/queued/nonsense").status_code == 404
    assert "no-store" not in en.headers.get("Cache-Control", "")


def test_queued_screens_belong_to_their_face(world, client):
    enroll(client, world, DeviceKind.TABLET, "Tablet 1")
    assert client.get("/kiosk/queued/visit").status_code == 403
    note = client.get("/patrol/queued/saved?lang=en")
    assert note.status_code == 200 and "carry on" in note.text and "<html" not in note.text


def test_a_precache_fetch_does_not_change_the_devices_language(world, client):
    enroll(client, world)
    fetched = client.get("/kiosk/queued/visit?lang=en", headers={"X-Precache": "1"})
    assert "lang=" not in " ".join(fetched.headers.getlist("Set-Cookie"))
    page = client.get("/kiosk/?lang=en", headers={"X-Precache": "1"})
    assert page.status_code == 200 and page.headers.getlist("Set-Cookie") == []  # nor the session
    chosen = client.get("/kiosk/queued/visit?lang=en")
    assert "lang=en" in " ".join(chosen.headers.getlist("Set-Cookie"))


# --- heartbeat ------------------------------------------------------------------------


def _beat(client, **data):
    body = {"pending": 0, "dead": 0, "clock": utcnow().isoformat(), **data}
    return client.post("/devices/heartbeat", json=body, headers=DEVICE_WRITE)


def test_heartbeat_keeps_counts_clock_skew_and_dead_letters(world, client):
    device = enroll(client, world)
    ahead = (utcnow() + timedelta(minutes=10)).isoformat()
    letter = {
        "id": "6b1f2c1e-0000-4000-8000-000000000001",
        "method": "POST",
        "path": "/kiosk/visits",
        "status": 422,
        "queued_at": utcnow().isoformat(),
        "failed_at": utcnow().isoformat(),
    }
    response = _beat(client, pending=3, dead=1, clock=ahead, dead_letters=[letter], version="abc", persisted=True)
    assert response.status_code == 200 and 590 <= response.json["skew_seconds"] <= 600
    status = db.session.get(DeviceStatus, device.id)
    assert (status.pending, status.dead, status.asset_version, status.storage_persisted) == (3, 1, "abc", True)
    assert 590 <= status.clock_skew_seconds <= 600
    row = db.session.scalar(sa.select(DeadLetter))
    assert (row.entry_id, row.path, row.status, row.site_id, row.cleared_at) == (
        letter["id"],
        "/kiosk/visits",
        422,
        world.site.id,
        None,
    )
    _beat(client, dead=1, dead_letters=[letter])
    assert db.session.scalar(sa.select(sa.func.count()).select_from(DeadLetter)) == 1  # the same letter, once
    _beat(client)  # staff removed it on the device
    assert db.session.scalar(sa.select(DeadLetter)).cleared_at is not None


def test_heartbeat_is_a_device_write(world, client):
    enroll(client, world)
    assert client.post("/devices/heartbeat", json={"pending": 1}).status_code == 403  # no device header
    assert client.post("/devices/heartbeat", data="x", headers=DEVICE_WRITE).status_code == 400
    client.delete_cookie(DEVICE_COOKIE)
    assert _beat(client).status_code == 403


def test_heartbeat_bounds_what_a_device_sends():
    report = outbox.parse_report(
        {
            "pending": "-5",
            "dead": "lots",
            "clock": "not a time",
            "version": "x" * 99,
            "persisted": "yes",
            "dead_letters": [{"id": "k" * 200, "path": "/p" * 300, "status": "422"}, "junk", {"no": "id"}]
            + [{"id": f"key-{i}", "path": "/kiosk/x", "status": 400} for i in range(200)],
        }
    )
    assert (report.pending, report.dead, report.clock, report.persisted) == (0, 0, None, None)
    assert len(report.asset_version) == 20
    assert len(report.dead_letters) == 1 + 97  # well-formed ones among the first 100 items
    assert len(report.dead_letters[0]["entry_id"]) == 64 and len(report.dead_letters[0]["path"]) == 200
    twice = outbox.parse_report({"dead_letters": [{"id": "same", "status": 422}] * 2})
    assert len(twice.dead_letters) == 1


# --- the console's device list --------------------------------------------------------


def test_device_list_shows_offline_pending_refused_and_clock_flags(world, client):
    quiet = enroll(client, world, name="Quiet kiosk")
    busy = enroll(client, world, name="Busy kiosk")
    letter = {"id": "6b1f2c1e-0000-4000-8000-000000000002", "path": "/kiosk/visits", "status": 422}
    _beat(client, pending=4, dead=1, clock=(utcnow() - timedelta(minutes=7)).isoformat(), dead_letters=[letter])
    long_ago = utcnow() - timedelta(minutes=30)
    quiet.last_seen_at = long_ago
    db.session.add(DeviceStatus(device_id=quiet.id, reported_at=long_ago, pending=2, dead=0, clock_skew_seconds=0))
    db.session.commit()
    client.login("supervisor")
    page = client.get("/devices/?lang=en").text
    quiet_row = page.split(f'data-device="{quiet.id}"')[1].split("</tr>")[0]
    busy_row = page.split(f'data-device="{busy.id}"')[1].split("</tr>")[0]
    assert "data-offline" in quiet_row and "data-offline" not in busy_row
    assert 'data-pending="2"' in quiet_row and 'data-pending="4"' in busy_row
    assert 'data-dead="1"' in busy_row and "/kiosk/visits" in busy_row
    assert "data-skewed" in busy_row and "data-skewed" not in quiet_row


def test_device_states_take_two_queries_whatever_the_number_of_devices(world):
    rows = []
    for i in range(12):
        device, _token = devices.create_enrollment(world.site, DeviceKind.KIOSK, f"K{i}", now=utcnow())
        db.session.add(DeviceStatus(device_id=device.id, reported_at=utcnow(), pending=i))
        rows.append(device)
    db.session.commit()
    rows = db.session.scalars(sa.select(Device).order_by(Device.id)).all()  # as the view loads them
    statements = []

    def count(*args):
        statements.append(args[2])

    sa.event.listen(db.engine, "before_cursor_execute", count)
    try:
        states = outbox.device_states(rows, now=utcnow())
    finally:
        sa.event.remove(db.engine, "before_cursor_execute", count)
    assert len(statements) == 2 and states[rows[5].id].pending == 5


# --- vendored files -------------------------------------------------------------------


def test_vendored_files_match_the_checksums_in_their_versions_file():
    """Every file of every vendored package is listed in its VERSIONS file, with its sha256."""
    vendor = Path(assets.STATIC) / "vendor"
    checked = set()
    for folder in sorted(p for p in vendor.iterdir() if p.is_dir()):
        versions = folder / "VERSIONS"
        assert versions.is_file(), folder.name
        for line in versions.read_text().splitlines():
            if not line.strip() or line.startswith("#"):
                continue
            name, digest = line.split()[0], line.split()[-1]
            assert hashlib.sha256((folder / name).read_bytes()).hexdigest() == digest, name
            checked.add(f"{folder.name}/{name}")
        unlisted = {f"{folder.name}/{p.name}" for p in folder.iterdir() if p.name != "VERSIONS"} - checked
        assert not unlisted, unlisted
    assert {
        "htmx/htmx.min.js",
        "workbox/workbox-core.prod.js",
        "barcode-detector/polyfill.js",
        "barcode-detector/zxing_reader.wasm",
        "barcode-detector/LICENSE",
        "echarts/echarts.min.js",
    } <= checked


def test_the_console_chart_library_is_not_precached_by_the_devices(world, client):
    """ECharts (1.1 MB) draws the console's quarterly complaint analysis (C5): no kiosk or
    tablet page uses it, so the devices' worker does not download it."""
    enroll(client, world, kind=DeviceKind.TABLET, name="Patrol tablet 1")
    config = worker_config(client.get("/sw.js"))
    assert config["assets"] and not any("/vendor/echarts/" in url for url in config["assets"])


def test_the_qr_reader_is_precached_and_served_as_webassembly(world, client):
    """A tablet scans offline: the polyfill and its wasm are in the worker's precache, and
    the wasm is served as application/wasm (streaming compilation needs that type)."""
    enroll(client, world, kind=DeviceKind.TABLET, name="Patrol tablet 1")
    version = assets.asset_version()
    config = worker_config(client.get("/sw.js"))
    wasm = f"/static/vendor/barcode-detector/zxing_reader.wasm?v={version}"
    assert wasm in config["assets"]
    assert f"/static/vendor/barcode-detector/polyfill.js?v={version}" in config["assets"]
    assert not any("LICENSE" in url or "VERSIONS" in url for url in config["assets"])
    response = client.get(wasm, headers={"X-Precache": "1"})
    assert response.status_code == 200 and response.mimetype == "application/wasm"
    assert "no-store" not in response.headers.get("Cache-Control", "")
    assert response.data[:4] == b"\0asm"
    response.close()


def test_a_visit_replayed_from_the_outbox_is_marked_registered_offline(world, client):
    """Even seconds late: the front desk did not see it when it happened."""
    enroll(client, world)
    post(client, "/kiosk/visits", visit_data(world.rooms[0].id, name="在线"))
    post(
        client,
        "/kiosk/visits",
        visit_data(world.rooms[1].id, name="离线", action_at=utcnow().isoformat()),
        **{"X-Outbox-Replay": "1"},
    )
    flags = dict(db.session.execute(sa.select(Visit.visitor_name, Visit.registered_offline)).all())
    assert flags == {"在线": False, "离线": True}


def test_two_heartbeats_of_one_device_at_once_both_land(app, world, client):
    """Two of a device's pages (or a page and its service worker) report at the same moment:
    neither is a server error (both made the status row, and one died on its key), and the
    dead letter both list is kept once."""
    from tests.concurrency import all_at_once

    device_id = enroll(client, world).id
    letter = {"id": "k-" + "1" * 20, "method": "POST", "path": "/kiosk/visits", "status": 422}
    report = outbox.parse_report({"pending": 2, "dead": 1, "clock": utcnow().isoformat(), "dead_letters": [letter]})

    def beat():
        outbox.record_heartbeat(db.session.get(Device, device_id), report, now=utcnow())

    assert all_at_once(app, [beat] * 8) == []
    assert db.session.scalar(sa.select(DeviceStatus.pending).where(DeviceStatus.device_id == device_id)) == 2
    assert db.session.scalar(sa.select(sa.func.count(DeadLetter.id)).where(DeadLetter.device_id == device_id)) == 1
