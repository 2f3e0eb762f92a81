"""The service worker, the device heartbeat, and the screens shown for a queued submission."""

import json
from pathlib import Path

from flask import abort, current_app, g, jsonify, make_response, render_template, request, url_for

from kiosk import assets
from kiosk.access import DEVICE_COOKIE, device, public
from kiosk.blueprints.devices.routes import START_ENDPOINTS
from kiosk.blueprints.offline import bp
from kiosk.blueprints.offline.http import PRECACHE_HEADER, WithoutCookies
from kiosk.models import DeviceKind
from kiosk.offline import devices, outbox
from kiosk.timeutil import utcnow

SW_SOURCE = assets.STATIC / "js" / "sw.js"
# Static files the worker loads itself (importScripts) or never needs.
NOT_PRECACHED = (
    "js/sw.js",
    "js/sw-store.js",
    "js/sw-outbox.js",
    "js/sw-keep.js",
    "js/sw-workers.js",
    "vendor/workbox/",
    "vendor/echarts/",  # the console's report charts (1.1 MB): no device page uses it
)
# .wasm: the QR reader that scan.js loads where the browser has no BarcodeDetector.
PRECACHED_SUFFIXES = (".css", ".js", ".wasm", ".svg", ".png", ".jpg", ".webp", ".ico", ".woff2")
# What a queued submission shows, per face: the first screen is the default.
QUEUED_SCREENS = {DeviceKind.KIOSK: ("visit", "checkout", "report"), DeviceKind.TABLET: ("saved", "work")}
QUEUED_ENDPOINTS = {DeviceKind.KIOSK: "offline.kiosk_queued", DeviceKind.TABLET: "offline.patrol_queued"}
RETRY_MS = {"min": 2000, "max": 30000}
# The kiosk's worker-pass list, its verdict screen and the sign-in they judge (V7).
WORKER_PASSES = {"list": "kiosk.worker_passes_list", "screen": "kiosk.worker_verdict", "write": "kiosk.worker_sign_in"}


def _static_urls(version: str) -> list[str]:
    urls = []
    for path in sorted(p for p in assets.STATIC.rglob("*") if p.is_file()):
        name = path.relative_to(assets.STATIC).as_posix()
        if name.endswith(PRECACHED_SUFFIXES) and not name.startswith(NOT_PRECACHED):
            urls.append(url_for("static", filename=name, v=version))
    return urls


def _known(endpoint: str | None) -> bool:
    return endpoint is not None and endpoint in current_app.view_functions


def _shell_pages(kind: DeviceKind) -> list[str]:
    endpoints = [e for e in [START_ENDPOINTS.get(kind), *outbox.SHELL_PAGES[kind]] if _known(e)]
    endpoints = list(dict.fromkeys(endpoints))
    urls = [url_for(e, lang=lang) for e in endpoints for lang in current_app.config["LANGUAGES"]]
    urls += [
        url_for(QUEUED_ENDPOINTS[kind], screen=s, lang=lang)
        for s in QUEUED_SCREENS[kind]
        for lang in current_app.config["LANGUAGES"]
    ]
    return urls


def worker_config(device_kind: DeviceKind | None) -> dict:
    version = assets.asset_version()
    faces = {}
    for kind, prefix in outbox.FACE_PREFIX.items():
        start = START_ENDPOINTS.get(kind)
        faces[prefix] = {
            "start": url_for(start) if _known(start) else None,
            # screen -> URL of the queued screen (precached with ?lang=); the first is the default
            "queued": {s: url_for(QUEUED_ENDPOINTS[kind], screen=s) for s in QUEUED_SCREENS[kind]},
            "default_screen": QUEUED_SCREENS[kind][0],
        }
    return {
        "version": version,
        "cache": f"shell-{version}",
        "pages": _shell_pages(device_kind) if device_kind else [],
        "assets": _static_urls(version),
        # loaded by the worker in this order (importScripts): Workbox, compressed storage, our outbox, kept pages
        "scripts": [
            url_for("static", filename=name, v=version)
            for name in (
                "vendor/workbox/workbox-core.prod.js",
                "vendor/workbox/workbox-background-sync.prod.js",
                "js/sw-store.js",
                "js/sw-outbox.js",
                "js/sw-keep.js",
                "js/sw-workers.js",
            )
        ],
        "faces": faces,
        # path of a write -> the queued screen that answers it
        "screens": {url_for(e): screen for e, screen in outbox.QUEUED_SCREEN_FOR.items() if _known(e)},
        "languages": list(current_app.config["LANGUAGES"]),
        "retry": RETRY_MS,
        # V7: the kiosk's offline verdict on worker passes (sw-workers.js); null on a tablet
        "worker_passes": {
            "list": url_for(WORKER_PASSES["list"]),
            "screen": url_for(WORKER_PASSES["screen"]),
            "write": url_for(WORKER_PASSES["write"]),
        }
        if device_kind == DeviceKind.KIOSK and all(_known(e) for e in WORKER_PASSES.values())
        else None,
    }


@bp.get("/sw.js")
@public
def service_worker():
    """The worker script: its configuration (asset version, what to precache for this
    device) baked in ahead of kiosk/static/js/sw.js. Any change makes a new worker."""
    dev = devices.authenticate(request.cookies.get(DEVICE_COOKIE))
    config = worker_config(dev.kind if dev else None)
    source = Path(SW_SOURCE).read_text(encoding="utf-8")
    body = f"self.OFFLINE = {json.dumps(config, ensure_ascii=True)};\n{source}"
    response = make_response(body)
    response.mimetype = "text/javascript"
    response.headers["Service-Worker-Allowed"] = "/"
    response.headers["Cache-Control"] = "no-cache, max-age=0"
    response.vary.add("Cookie")
    return response


MAX_HEARTBEAT_BYTES = 64 * 1024


def _json_object() -> dict | None:
    """The request's JSON object, or None: not JSON, not an object, too large, or nested
    too deeply for the parser (RecursionError, which `get_json(silent=True)` lets through)."""
    if (request.content_length or 0) > MAX_HEARTBEAT_BYTES:
        return None
    raw = request.get_data(cache=False)
    if len(raw) > MAX_HEARTBEAT_BYTES:
        return None
    try:
        data = json.loads(raw)
    except (ValueError, RecursionError):
        return None
    return data if isinstance(data, dict) else None


@bp.post("/devices/heartbeat")
@device()
def heartbeat():
    """A device's outbox and clock, every minute or so (OFFLINE.md 3, 5)."""
    data = _json_object()
    if data is None:
        abort(400)
    now = utcnow()
    status = outbox.record_heartbeat(g.device, outbox.parse_report(data), now=now)
    return jsonify(server_time=now.isoformat(), skew_seconds=status.clock_skew_seconds)


def _queued(kind: DeviceKind, screen: str, template: str):
    if screen not in QUEUED_SCREENS[kind]:
        abort(404)
    start = START_ENDPOINTS.get(kind)
    return make_response(render_template(template, screen=screen, start_endpoint=start if _known(start) else None))


@bp.get("/kiosk/queued/<screen>")
@device(DeviceKind.KIOSK)
def kiosk_queued(screen: str):
    """The kiosk's screen for a submission kept on the kiosk, which the service worker
    answers with (202) when the server cannot be reached: a whole kiosk page whose
    #screen replaces the current one, as every kiosk answer does."""
    response = _queued(DeviceKind.KIOSK, screen, "offline/kiosk_queued.html")
    response.headers["HX-Retarget"] = "#screen"
    response.headers["HX-Reswap"] = "outerHTML"
    response.headers["HX-Reselect"] = "#screen"
    response.headers["HX-Push-Url"] = "false"
    return response


@bp.get("/patrol/queued/<screen>")
@device(DeviceKind.TABLET)
def patrol_queued(screen: str):
    """The tablet's note for a queued submission: a fragment swapped where the form's
    answer would go, so the officer carries on with the patrol."""
    return _queued(DeviceKind.TABLET, screen, "offline/_patrol_queued.html")


@bp.record_once
def _precache_keeps_the_cookies(state):
    """The worker fetches shell and kept pages in both languages (`?lang=`), in the
    background, with the device's cookies. A precache fetch must change none of them:
    not the language (i18n would remember `?lang=`), and not the session, which a page
    answers with as it was when the fetch began (an officer signing in meanwhile would
    be signed out again by it). The session is written after every after_request hook,
    so its cookie is taken off at the WSGI level."""
    state.app.wsgi_app = WithoutCookies(state.app.wsgi_app, PRECACHE_HEADER)
