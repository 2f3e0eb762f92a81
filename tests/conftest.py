"""Fixtures: an app on a fresh database per test (SQLite, or PostgreSQL when
KIOSK_TEST_DATABASE_URL is set), a small world of site, rooms and one user per role,
and a client that knows how to sign in and send CSRF tokens."""

import os
import re
import time
from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa
import time_machine
from flask.testing import FlaskClient

from kiosk import create_app, i18n
from kiosk.extensions import db
from kiosk.models import people
from tests import world as world_module


def _per_worker(url: str | None) -> str | None:
    """Each pytest-xdist worker gets its own PostgreSQL database (tests truncate tables)."""
    worker = os.environ.get("PYTEST_XDIST_WORKER")
    if not url or not worker:
        return url
    target = sa.engine.make_url(url)
    return target.set(database=f"{target.database}_{worker}").render_as_string(hide_password=False)


PG_URL = _per_worker(os.environ.get("KIOSK_TEST_DATABASE_URL"))
TOKEN = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"|"X-CSRFToken": "([^"]+)"')


def pytest_report_header(config):
    lines = [f"database: {'PostgreSQL ' + PG_URL if PG_URL else 'SQLite (temporary file per test)'}"]
    start = _shifted_start()
    if start is not None:
        lines.append(
            f"clock moved: the run starts at {start.isoformat(timespec='minutes')} (tests freeze their own clock inside it)"
        )
    return lines


# The whole run under a moved clock, so that a test written against today's date fails
# the day it is written: KIOSK_TEST_CLOCK_SHIFT_DAYS=400 (days ahead, may be negative or
# fractional) or KIOSK_TEST_CLOCK_AT=2027-02-06T23:50:00+08:00 (an instant; the clock ticks
# on from there). A test that travels itself nests inside and comes back here afterwards.
CLOCK_SHIFT_DAYS = os.environ.get("KIOSK_TEST_CLOCK_SHIFT_DAYS")
CLOCK_AT = os.environ.get("KIOSK_TEST_CLOCK_AT")


def _shifted_start() -> datetime | None:
    if CLOCK_AT:
        start = datetime.fromisoformat(CLOCK_AT)
        return start if start.tzinfo else start.replace(tzinfo=UTC)
    if CLOCK_SHIFT_DAYS:
        return datetime.now(UTC) + timedelta(days=float(CLOCK_SHIFT_DAYS))
    return None


@pytest.fixture(scope="session", autouse=True)
def _shifted_clock():
    start = _shifted_start()
    if start is None:
        yield None
        return
    with time_machine.travel(start, tick=True):
        yield start


@pytest.fixture(scope="session", autouse=True)
def _catalogues():
    i18n.compile_catalogues()


@pytest.fixture(autouse=True)
def _fast_passwords(monkeypatch):
    # scrypt is deliberately slow; one cheap PBKDF2 round keeps the suite fast.
    monkeypatch.setattr(people, "PASSWORD_METHOD", "pbkdf2:sha256:1")


@pytest.fixture(scope="session")
def _pg_schema():
    """Create the PostgreSQL test schema once per run; tests truncate after themselves."""
    if not PG_URL:
        return None
    ensure_database(PG_URL)
    app = create_app({"SQLALCHEMY_DATABASE_URI": PG_URL, "SECRET_KEY": "x", "TESTING": True})
    with app.app_context():
        db.drop_all()
        db.session.execute(sa.text("DROP FUNCTION IF EXISTS audit_event_append_only() CASCADE"))
        db.session.commit()
        db.create_all()
        db.session.remove()
        db.engine.dispose()
    return PG_URL


def ensure_database(url: str) -> None:
    """CREATE DATABASE for the URL's database name if the server lacks it."""
    target = sa.engine.make_url(url)
    admin = sa.create_engine(target.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        exists = conn.scalar(sa.text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": target.database})
        if not exists:
            conn.execute(sa.text(f'CREATE DATABASE "{target.database}"'))
    admin.dispose()


def make_config(tmp_path, pg_url=None, **overrides):
    config = {
        "TESTING": True,
        "SECRET_KEY": "test-secret",
        "SQLALCHEMY_DATABASE_URI": pg_url or f"sqlite:///{tmp_path / 'test.sqlite3'}",
        "SERVER_NAME": None,
        "PHOTO_ROOT": str(tmp_path / "photos"),  # never the instance folder
        "HOUSEHOLD_FILES_ROOT": str(tmp_path / "household-files"),
        "HOUSEHOLD_FILES_KEY": "dGVzdC1rZXktZm9yLWhvdXNlaG9sZC1maWxlcy0wMDA=",  # a test key, never production's
    }
    config.update(overrides)
    return config


@pytest.fixture
def app_config():
    """Per-test config overrides: a test sets keys on this dict before `app` is built."""
    return {}


@pytest.fixture
def app(tmp_path, _pg_schema, app_config):
    app = create_app(make_config(tmp_path, _pg_schema, **app_config))
    with app.app_context():
        if not _pg_schema:
            db.create_all()
        yield app
        db.session.remove()
        if _pg_schema:
            _truncate_all()
        db.engine.dispose()


def _truncate_all(attempts: int = 10) -> None:
    """Empty every table after a PostgreSQL test. A live server's request thread that is
    still finishing (a browser's last poll) can hold a lock: wait and try again."""
    tables = ", ".join(f'"{t.name}"' for t in db.metadata.sorted_tables)
    for attempt in range(attempts):
        try:
            db.session.execute(sa.text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))
            db.session.commit()
            return
        except sa.exc.OperationalError:
            db.session.rollback()
            if attempt == attempts - 1:
                raise
            time.sleep(0.5)


@pytest.fixture
def world(app):
    """A site with rooms and households, every department, one user per role (password 'pw')."""
    return world_module.build()


class KioskClient(FlaskClient):
    """The Flask test client with sign-in and CSRF helpers.

    Each request runs in its own application context (fresh `g`, its own database
    session), as in production; afterwards the test's own session is rolled back so
    that it sees what the request committed.
    """

    def open(self, *args, **kwargs):
        context = self.application.app_context()
        context.push()
        try:
            return super().open(*args, **kwargs)
        finally:
            context.pop()
            db.session.rollback()

    def csrf(self, page="/auth/login"):
        response = self.get(page, follow_redirects=True)
        match = TOKEN.search(response.get_data(as_text=True))
        assert match, f"no CSRF token on {page} ({response.status_code})"
        return match.group(1) or match.group(2)

    def login(self, username, password="pw"):
        token = self.csrf("/auth/login")
        return self.post("/auth/login", data={"username": username, "password": password, "csrf_token": token})

    def post_form(self, url, data=None, page=None, **kwargs):
        """POST with a valid CSRF token taken from `page` (default: the console home)."""
        data = dict(data or {})
        data.setdefault("csrf_token", self.csrf(page or "/console/"))
        return self.post(url, data=data, **kwargs)

    def htmx(self, method, url, **kwargs):
        headers = {"HX-Request": "true", **kwargs.pop("headers", {})}
        return self.open(url, method=method.upper(), headers=headers, **kwargs)


@pytest.fixture
def client(app):
    app.test_client_class = KioskClient
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


# --- patrols ----------------------------------------------------------------------


@pytest.fixture
def pw(world):
    """The test world with a patrol tablet, an officer, checklists, checkpoints and schedules."""
    from tests import patrolkit

    return patrolkit.build(world)


@pytest.fixture
def tablet(client, pw):
    """The test client as the enrolled patrol tablet, the officer signed in."""
    from kiosk.access import DEVICE_COOKIE

    client.set_cookie(DEVICE_COOKIE, pw.credential)
    token = client.csrf("/patrol/")
    assert (
        client.post("/patrol/signin", data={"username": "officer", "password": "pw", "csrf_token": token}).status_code
        == 303
    )
    return client
