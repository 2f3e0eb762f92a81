"""The browser benchmark harness (bench/browser.py, issue 18) keeps working: run against a
live server with a small outbox, it reports byte figures as numbers and every queued
registration stored exactly once (V1: every visitor is registered, and an outbox replay
lands once, docs/offline.md). No timing is asserted:
the figures are for the README's performance section, not for CI."""

import shutil
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
import sqlalchemy as sa

from bench import browser as bench_browser
from kiosk.extensions import db
from kiosk.models import Visit
from tests.browser.offline_harness import enroll_device
from tests.live import serving

pytestmark = pytest.mark.browser

REGISTRATIONS = 20


def _counter(app):
    def count(prefix: str) -> tuple[int, int]:
        with app.app_context():  # its own session: sees what the server's threads committed
            rows = db.session.execute(
                sa.select(sa.func.count(), sa.func.count(sa.distinct(Visit.visitor_name))).where(
                    Visit.visitor_name.like(f"{prefix}%")
                )
            ).one()
        return int(rows[0]), int(rows[1])

    return count


@pytest.fixture
def chromium():
    if not Path(bench_browser.CHROMIUM).exists() and not shutil.which("chromium"):
        pytest.skip(f"the browser benchmark needs Debian's chromium at {bench_browser.CHROMIUM}")


def test_browser_bench_measures_bytes_and_replays_the_outbox_exactly_once(app, world, chromium):
    """V1 (every queued registration exactly once) and the issue's welcome-screen byte figures, from the harness."""
    _device, credential = enroll_device(world.site)
    with serving(app) as server, ThreadPoolExecutor(1) as thread:
        # In a thread of its own: the harness uses Playwright's sync API, which refuses to run
        # where the browser tests' session (same pytest worker) already runs its event loop.
        figures = thread.submit(
            bench_browser.measure, server.url, credential, registrations=REGISTRATIONS, count=_counter(app), timeout=120
        ).result()

    welcome = figures["welcome"]
    for name in ("first_load_bytes", "first_load_screen_bytes", "reload_bytes", "reload_screen_bytes"):
        assert isinstance(welcome[name], int) and welcome[name] >= 0, name
    first = welcome["first_load"]
    assert first["screen_bytes"] > 0 and first["worker_bytes"] > 0  # the page, then the worker's precache
    assert welcome["first_load_bytes"] >= first["screen_bytes"] + first["worker_bytes"]
    # On the reload the worker answers the page's assets from its cache.
    assert welcome["reload"]["served_by_worker_cache"] > 0

    replay = figures["replay"]
    assert replay["queued_answers"] == {"202": REGISTRATIONS}  # each queued by the worker
    assert replay["stored_while_offline"] == 0
    assert replay["pending_offline"] == REGISTRATIONS
    assert replay["server_rows"] == REGISTRATIONS
    assert replay["server_distinct"] == REGISTRATIONS
    assert replay["exactly_once"] is True
    assert replay["pending_after"] == 0 and replay["dead_after"] == 0
    assert isinstance(replay["replay_seconds"], float)
    assert figures["page_errors"] == []
