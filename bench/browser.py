"""The browser-measured benchmark targets (issue 18): Debian's Chromium, driven by Playwright.

    python -m bench.browser --base-url http://127.0.0.1:18431 --credential CRED [--registrations 500]

1. The kiosk's welcome screen: bytes transferred on a first load (a fresh browser profile:
   the page and its assets as the page fetched them, then the service worker's precache
   of the kiosk shell), and bytes from the network on a reload once the worker controls
   the page (how bytes are counted: bench/browser_bytes.py).
   Targets: at most 150 KB on a first load, 0 bytes on a reload.
2. Offline replay: the kiosk goes offline, `registrations` visitor registrations go into
   the kiosk's own outbox (the same POST that htmx sends from the registration form, with
   the device headers and a submission key made in the browser; the service worker fails
   to reach the network, queues it in IndexedDB and answers 202), the kiosk comes back
   online, and the clock runs until the server holds every registration exactly once
   (counted in the database by a name unique to this run). Target: 500 within 20 s.

`measure(base_url, kiosk_credential)` returns the figures as a dict; the command prints them
as JSON. The count needs the app's database: `database_url` (default: DATABASE_URL, which
bench/run.py sets), or a `count(prefix) -> (rows, distinct names)` callable.
"""

import argparse
import json
import os
import platform
import secrets
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from urllib.parse import urlsplit

from bench.browser_bytes import WELCOME, Transfers, settle, welcome_bytes

CHROMIUM = os.environ.get("KIOSK_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
DEVICE_COOKIE = "kiosk_device"  # kiosk/access.py
REPLAY_TARGET_SECONDS = 20.0

# The registration as the kiosk's form posts it (kiosk/templates/kiosk/visit.html, with
# formkey.js's key and time and device.js's headers), queued through the service worker.
QUEUE_JS = """
async ({prefix, start, count, room}) => {
  const statuses = {};
  for (let i = start; i < start + count; i++) {
    const key = crypto.randomUUID();
    const body = new URLSearchParams({
      idempotency_key: key, action_at: new Date().toISOString(), step: "privacy",
      room: String(room), building: "", room_number: "", name: `${prefix}${String(i).padStart(4, "0")}`,
      phone_country: "+86", phone: `139${String(i).padStart(8, "0")}`, party_size: "1",
      purpose: "visit", plate: "", privacy: "accepted",
    });
    const response = await fetch("/kiosk/visits", {
      method: "POST", body, credentials: "same-origin",
      headers: {
        "Content-Type": "application/x-www-form-urlencoded", "HX-Request": "true",
        "X-Device-Request": "1", "X-Submission-Key": key, "X-Device-Lang": "zh",
      },
    });
    statuses[response.status] = (statuses[response.status] || 0) + 1;
  }
  return statuses;
}
"""


def _room_id(page) -> int:
    page.goto("/kiosk/visit?lang=zh_Hans_CN")
    room = page.get_attribute("[data-pick-room]:not([data-pick-room=centre])", "data-pick-room")
    if not room:
        raise RuntimeError("the kiosk's registration page lists no room")
    return int(room)


def _database_counter(database_url: str) -> tuple[Callable[[str], tuple[int, int]], Callable[[], None]]:
    import sqlalchemy as sa

    from kiosk.models import Visit

    engine = sa.create_engine(database_url)

    def count(prefix: str) -> tuple[int, int]:
        with engine.connect() as conn:
            row = conn.execute(
                sa.select(sa.func.count(), sa.func.count(sa.distinct(Visit.visitor_name))).where(
                    Visit.visitor_name.like(f"{prefix}%")
                )
            ).one()
        return int(row[0]), int(row[1])

    return count, engine.dispose


def _replay(context, page, transfers: Transfers, registrations: int, count, *, timeout: float) -> dict:
    prefix = f"基准{secrets.token_hex(3)}-"
    room = _room_id(page)
    page.goto(WELCOME)
    page.wait_for_function("() => window.deviceOutbox !== undefined")
    settle(page, 0.5)
    before = page.evaluate("() => window.deviceOutbox.ask({type: 'status'})")
    context.set_offline(True)
    started = time.monotonic()
    statuses: dict[str, int] = {}
    for start in range(0, registrations, 100):  # in batches: one evaluate call stays short
        batch = page.evaluate(
            QUEUE_JS, {"prefix": prefix, "start": start, "count": min(100, registrations - start), "room": room}
        )
        for status, n in batch.items():
            statuses[status] = statuses.get(status, 0) + n
    queue_seconds = time.monotonic() - started
    queued = page.evaluate("() => window.deviceOutbox.ask({type: 'status'})")
    stored_offline = count(prefix)

    transfers.take()
    context.set_offline(False)  # the page's `online` event asks the worker to replay
    started = time.monotonic()
    deadline = started + timeout
    rows, names = count(prefix)
    while rows < registrations and time.monotonic() < deadline:
        page.wait_for_timeout(100)  # (lets Playwright deliver the request events meanwhile)
        rows, names = count(prefix)
    synced = time.monotonic() - started
    # Let the worker finish (deleting the last entry) and see that nothing arrives twice.
    status = page.evaluate("() => window.deviceOutbox.ask({type: 'status'})")
    while status and status["pending"] and time.monotonic() < deadline:
        page.wait_for_timeout(200)
        status = page.evaluate("() => window.deviceOutbox.ask({type: 'status'})")
    page.wait_for_timeout(1000)
    rows, names = count(prefix)
    # Where the time goes: each replayed POST's round trip (the server's share, as the
    # worker waited for it) against the wall clock (the rest is the worker's own work:
    # IndexedDB reads and deletes, the status it sends the page after each entry).
    taken = transfers.take()
    sent = [r["ms"] for r in taken if r["method"] == "POST" and urlsplit(r["url"]).path == "/kiosk/visits"]
    sent_ms = sorted(ms for ms in sent if ms is not None and ms >= 0)
    return {
        "registrations": registrations,
        "queued_answers": statuses,
        "queue_seconds": round(queue_seconds, 2),
        "pending_before": before["pending"] if before else None,
        "pending_offline": queued["pending"] if queued else None,
        "stored_while_offline": stored_offline[0],
        "replay_seconds": round(synced, 2) if rows >= registrations else None,
        "replay_target_seconds": REPLAY_TARGET_SECONDS,
        "per_second": round(registrations / synced, 1) if rows >= registrations and synced else None,
        "server_rows": rows,
        "server_distinct": names,
        "exactly_once": rows == registrations and names == registrations,
        "pending_after": status["pending"] if status else None,
        "dead_after": status["dead"] if status else None,
        "replayed_posts": len(sent),
        "post_round_trip_ms": {
            "p50": _percentile(sent_ms, 50),
            "p95": _percentile(sent_ms, 95),
            "sum_seconds": round(sum(sent_ms) / 1000, 2),
        },
    }


def _percentile(values: list[float], pct: float) -> float | None:
    if not values:
        return None
    return round(values[min(len(values) - 1, int(len(values) * pct / 100))], 1)


def measure(
    base_url: str,
    kiosk_credential: str,
    *,
    registrations: int = 500,
    database_url: str | None = None,
    count: Callable[[str], tuple[int, int]] | None = None,
    timeout: float = 300.0,
    profile: Path | None = None,
) -> dict:
    """Both browser figures for one enrolled kiosk; see the module's docstring."""
    from playwright.sync_api import sync_playwright

    load = [round(x, 2) for x in os.getloadavg()]  # the figures mean little on a busy machine
    dispose = None
    if count is None:
        url = database_url or os.environ.get("DATABASE_URL")
        if not url:
            raise ValueError("measure needs database_url (or DATABASE_URL) or a count callable")
        count, dispose = _database_counter(url)
    base_url = base_url.rstrip("/")
    with tempfile.TemporaryDirectory(prefix="bench-kiosk-") as scratch, sync_playwright() as playwright:
        context = playwright.chromium.launch_persistent_context(
            str(profile or scratch),
            executable_path=CHROMIUM,
            headless=True,
            args=CHROMIUM_ARGS,
            viewport={"width": 1080, "height": 1920},
            locale="zh-CN",
            base_url=base_url,
        )
        errors: list[str] = []
        try:
            context.add_cookies(
                [
                    {
                        "name": DEVICE_COOKIE,
                        "value": kiosk_credential,
                        "url": base_url,
                        "httpOnly": True,
                        "sameSite": "Strict",
                    }
                ]
            )
            transfers = Transfers(context)
            context.on("page", lambda p: p.on("pageerror", lambda exc: errors.append(str(exc))))
            for existing in context.pages:
                existing.on("pageerror", lambda exc: errors.append(str(exc)))
            welcome, page = welcome_bytes(context, transfers)
            replay = _replay(context, page, transfers, registrations, count, timeout=timeout)
        finally:
            context.close()
            if dispose:
                dispose()
    return {
        "when": time.strftime("%Y-%m-%d %H:%M:%S %Z"),
        "chromium": CHROMIUM,
        "machine": f"{platform.node()}, {os.cpu_count()} cores",
        "load_average_before": load,
        "welcome": welcome,
        "replay": replay,
        "page_errors": errors,
    }


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base-url", required=True)
    parser.add_argument("--credential", required=True, help="an enrolled kiosk's device credential")
    parser.add_argument("--registrations", type=int, default=500)
    parser.add_argument("--database-url", default=None, help="the app's database (default: DATABASE_URL)")
    parser.add_argument("--detail", action="store_true", help="list every request, not only the totals")
    args = parser.parse_args(argv)
    figures = measure(args.base_url, args.credential, registrations=args.registrations, database_url=args.database_url)
    if not args.detail:
        for part in ("first_load", "reload"):
            detail = figures["welcome"][part].pop("detail")
            figures["welcome"][part]["largest"] = detail[:5]
    print(json.dumps(figures, ensure_ascii=False, indent=2))
    return 0 if figures["replay"]["exactly_once"] else 1


if __name__ == "__main__":
    sys.exit(main())
