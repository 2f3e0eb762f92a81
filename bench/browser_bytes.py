"""The kiosk welcome screen's bytes on the wire (bench/browser.py, issue 18): what a first
load costs the network (the screen, then the service worker's scripts and its precache of
the kiosk shell) and what a reload still fetches once the worker controls the page.

Bytes are response bodies as sent (compressed): Playwright's `request.sizes()` (CDP's
encoded lengths), or the Content-Length the server sent where Chromium reports the
worker's own scripts short. Headers are counted apart. A response the worker answered
from its cache costs nothing; a request the worker sent to the network (a navigation is
network first, OFFLINE.md 1) is counted as the worker's.
"""

from urllib.parse import urlsplit

WELCOME = "/kiosk/"
FIRST_LOAD_TARGET_BYTES = 150 * 1024


class Transfers:
    """Every finished request of a browser context (the pages' and the service worker's),
    with what it cost the network."""

    def __init__(self, context):
        self.rows: list[dict] = []
        self.failed: list[str] = []
        context.on("requestfinished", self._finished)
        context.on("requestfailed", lambda request: self.failed.append(request.url))

    def _finished(self, request):
        try:
            response = request.response()
            sizes = request.sizes()
        except Exception:  # noqa: BLE001 - the browser closed while the event was on its way
            return
        if response is None:
            return
        by_worker = request.service_worker is not None
        from_worker_cache = response.from_service_worker
        body = sizes["responseBodySize"]
        # Chromium reports the worker's own scripts (sw.js and what it imports) with a
        # negative or partial body size; the Content-Length the server sent is the wire's.
        length = response.headers.get("content-length")
        if length is not None and length.isdigit() and body != int(length):
            body = int(length)
        self.rows.append(
            {
                "url": request.url,
                "method": request.method,
                "status": response.status,
                "by": "service worker" if by_worker else "page",
                "from_service_worker": from_worker_cache,
                "body_bytes": 0 if from_worker_cache else max(body, 0),
                "header_bytes": 0 if from_worker_cache else max(sizes["responseHeadersSize"], 0),
                "ms": request.timing["responseEnd"],  # from the request's start to its last byte
            }
        )

    def take(self) -> list[dict]:
        rows, self.rows = self.rows, []
        return rows


def _part(row: dict) -> str:
    """Whose bytes: the screen's (the page and its assets, as the page asked for them), the
    worker's (its scripts, its precache, a page it fetched network first), or the device's
    housekeeping (the heartbeat to /devices/), which is not the welcome screen's."""
    if row["by"] == "service worker":
        return "worker"
    return "screen" if urlsplit(row["url"]).path.startswith(("/kiosk/", "/static/")) else "device"


def _summary(rows: list[dict]) -> dict:
    network = [r for r in rows if not r["from_service_worker"]]
    parts = {name: [r for r in network if _part(r) == name] for name in ("screen", "worker", "device")}
    summary = {
        "bytes": sum(r["body_bytes"] for r in network),
        "header_bytes": sum(r["header_bytes"] for r in network),
        "requests": len(network),
        "served_by_worker_cache": sum(1 for r in rows if r["from_service_worker"]),
    }
    for name, chosen in parts.items():
        summary[f"{name}_bytes"] = sum(r["body_bytes"] for r in chosen)
        summary[f"{name}_requests"] = len(chosen)
    summary["detail"] = [
        {
            "part": _part(r),
            "method": r["method"],
            "path": urlsplit(r["url"]).path + (f"?{urlsplit(r['url']).query}" if urlsplit(r["url"]).query else ""),
            "status": r["status"],
            "bytes": r["body_bytes"],
        }
        for r in sorted(network, key=lambda r: -r["body_bytes"])
    ]
    return summary


def settle(page, seconds: float = 1.0):
    """Wait until the network has been idle, then a moment more (the worker's precache)."""
    page.wait_for_load_state("networkidle")
    page.wait_for_timeout(seconds * 1000)


def welcome_bytes(context, transfers: Transfers) -> tuple[dict, object]:
    page = context.pages[0] if context.pages else context.new_page()
    page.goto(WELCOME)
    # The worker installs (precaching the shell) and claims the page; then all is quiet.
    page.wait_for_function("() => navigator.serviceWorker.controller !== null", timeout=30000)
    page.wait_for_function("() => window.deviceOutbox !== undefined")
    settle(page)
    first = _summary(transfers.take())

    page.reload()
    page.wait_for_function("() => navigator.serviceWorker.controller !== null && window.deviceOutbox !== undefined")
    settle(page)
    reload = _summary(transfers.take())
    return {
        # The welcome screen itself: the page and what it loads, before any worker exists.
        "first_load_screen_bytes": first["screen_bytes"],
        # Everything on the wire: the screen, the worker's scripts and its precache of the
        # whole kiosk shell (every kiosk screen in both languages, their assets), heartbeat.
        "first_load_bytes": first["bytes"],
        "first_load_target_bytes": FIRST_LOAD_TARGET_BYTES,
        # Once the worker controls the page: what still comes from the network.
        "reload_bytes": reload["bytes"],
        "reload_screen_bytes": reload["screen_bytes"] + reload["worker_bytes"],
        "reload_target_bytes": 0,
        "first_load": first,
        "reload": reload,
    }, page
