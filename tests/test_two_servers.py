"""Two app servers, one PostgreSQL: nothing lives in one process (scale-out, see the README's
production section). Two gunicorn processes on different ports serve the same database; what
one records, the other shows; a kiosk's replayed outbox split across both lands exactly once;
the kiosk rate limit and login throttling count across both.

Needs the PostgreSQL server (BENCH_PG_URL / 127.0.0.1:5432); skipped, with the reason, without it.
"""

import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from http.cookiejar import CookieJar
from pathlib import Path

import pytest
import sqlalchemy as sa

ROOT = Path(__file__).resolve().parents[1]
SERVER = os.environ.get("KIOSK_TWO_SERVERS_PG", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres")
UA = "two-servers-test"
FILES_KEY = "dGVzdC1rZXktZm9yLWhvdXNlaG9sZC1maWxlcy0wMDA="  # a test key, never production's


def _database_url() -> str:
    worker = os.environ.get("PYTEST_XDIST_WORKER", "main")
    return sa.engine.make_url(SERVER).set(database=f"kiosk_two_servers_{worker}").render_as_string(hide_password=False)


def _reachable() -> str | None:
    try:
        import psycopg

        psycopg.connect(SERVER.replace("+psycopg", ""), connect_timeout=3).close()
    except Exception as error:  # noqa: BLE001 - any failure means no server
        return f"no PostgreSQL server for the two-server test ({error.__class__.__name__})"
    if shutil.which("gunicorn", path=str(Path(sys.executable).parent)) is None:
        return "gunicorn is not installed (pip install '.[prod]')"
    return None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def cluster(tmp_path_factory):
    reason = _reachable()
    if reason:
        pytest.skip(reason)
    from flask_migrate import upgrade

    from kiosk import create_app, demo
    from kiosk.extensions import db
    from kiosk.models import DeviceKind, Room, Site
    from kiosk.offline import devices
    from kiosk.timeutil import utcnow
    from tests.conftest import ensure_database

    url = _database_url()
    admin = sa.create_engine(sa.engine.make_url(url).set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{sa.engine.make_url(url).database}" WITH (FORCE)'))
    admin.dispose()
    ensure_database(url)
    instance = tmp_path_factory.mktemp("two-servers")
    app = create_app(
        {
            "SQLALCHEMY_DATABASE_URI": url,
            "SECRET_KEY": "two-servers",
            "PHOTO_ROOT": str(instance),
            "HOUSEHOLD_FILES_KEY": FILES_KEY,
            "HOUSEHOLD_FILES_ROOT": str(instance / "files"),
        }
    )
    with app.app_context():
        upgrade()
        demo.seed("two-servers-pass")
        site = db.session.scalar(sa.select(Site).where(Site.code == demo.DEMO_SITE_CODE))
        _device, token = devices.create_enrollment(site, DeviceKind.KIOSK, "kiosk for two servers", now=utcnow())
        _device, credential = devices.enroll(token, now=utcnow())
        _device, token = devices.create_enrollment(site, DeviceKind.KIOSK, "a busy kiosk", now=utcnow())
        _device, busy = devices.enroll(token, now=utcnow())
        room = db.session.scalar(sa.select(Room.id).where(Room.site_id == site.id).order_by(Room.id).limit(1))
        db.session.commit()
        db.engine.dispose()
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "KIOSK_SECRET_KEY": "two-servers",
        "KIOSK_PHOTO_ROOT": str(instance),
        "KIOSK_HOUSEHOLD_FILES_KEY": FILES_KEY,
        "KIOSK_HOUSEHOLD_FILES_ROOT": str(instance / "files"),
        "KIOSK_KIOSK_RATE_LIMIT": "12",
        "KIOSK_LOGIN_MAX_FAILURES": "3",
    }
    servers = []
    for _ in range(2):
        port = _free_port()
        process = subprocess.Popen(
            [
                str(Path(sys.executable).parent / "gunicorn"),
                "-w",
                "1",
                "-b",
                f"127.0.0.1:{port}",
                "--log-level",
                "warning",
                "kiosk:create_app()",
            ],
            cwd=ROOT,
            env=env,
            start_new_session=True,
        )
        servers.append((process, f"http://127.0.0.1:{port}"))
    for process, base in servers:
        deadline = time.time() + 60
        while True:
            try:
                urllib.request.urlopen(f"{base}/healthz", timeout=2)
                break
            except OSError:
                if time.time() > deadline or process.poll() is not None:
                    raise RuntimeError(f"gunicorn did not start at {base}")
                time.sleep(0.3)
    yield {"a": servers[0][1], "b": servers[1][1], "credential": credential, "busy": busy, "room": room, "url": url}
    for process, _base in servers:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=30)


def _register(cluster, base: str, key: str, phone_tail: str = "0001", *, replay=True, device="credential"):
    body = urllib.parse.urlencode(
        {
            "room": cluster["room"],
            "room_number": "",
            "building": "",
            "name": "双机访客",
            "phone_country": "+86",
            "phone": f"1390000{phone_tail}",
            "party_size": "1",
            "purpose": "visit",
            "plate": "",
            "privacy": "accepted",
            "action_at": "",
            "idempotency_key": key,
        }
    ).encode()
    request = urllib.request.Request(
        f"{base}/kiosk/visits",
        data=body,
        headers={
            "Cookie": f"kiosk_device={cluster[device]}",
            "X-Device-Request": "1",
            "Origin": base,
            "HX-Request": "true",
            "User-Agent": UA,
            **({"X-Outbox-Replay": "1"} if replay else {}),
        },
    )
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()


def _signed_in(base: str, username: str, password: str = "two-servers-pass"):
    jar = CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    opener.addheaders = [("User-Agent", UA)]
    page = opener.open(f"{base}/auth/login").read().decode()
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    body = urllib.parse.urlencode({"csrf_token": token, "username": username, "password": password}).encode()
    try:
        landed = opener.open(f"{base}/auth/login", data=body)
        return opener, landed.geturl(), landed.read().decode()
    except urllib.error.HTTPError as error:
        return opener, error.url, error.read().decode()


def _visits(cluster, phone_tail: str) -> int:
    engine = sa.create_engine(cluster["url"])
    with engine.connect() as conn:
        n = conn.scalar(
            sa.text("SELECT count(*) FROM visit WHERE visitor_phone = :p"), {"p": f"+861390000{phone_tail}"}
        )
    engine.dispose()
    return n


def test_a_registration_through_one_server_is_on_the_board_of_the_other(cluster):
    status, _page = _register(cluster, cluster["a"], str(uuid.uuid4()), "0100")
    assert status == 200
    engine = sa.create_engine(cluster["url"])
    with engine.connect() as conn:
        visit_id = conn.scalar(sa.text("SELECT id FROM visit WHERE visitor_phone = '+8613900000100'"))
    engine.dispose()
    supervisor, _url, _home = _signed_in(cluster["b"], "supervisor")
    record = supervisor.open(f"{cluster['b']}/console/visits/{visit_id}").read().decode()
    assert "双机访客" in record


def test_an_outbox_replayed_half_to_each_server_lands_exactly_once(cluster):
    """OFFLINE.md 4: the idempotency table, not a process, decides what was seen."""
    keys = [str(uuid.uuid4()) for _ in range(6)]
    for n, key in enumerate(keys):
        first, second = (cluster["a"], cluster["b"]) if n % 2 else (cluster["b"], cluster["a"])
        assert _register(cluster, first, key, "0200")[0] == 200
        assert _register(cluster, second, key, "0200")[0] == 200  # the replay, answered as before
    assert _visits(cluster, "0200") == 6


def test_the_kiosk_rate_limit_counts_submissions_on_both_servers(cluster):
    """12 a minute for this kiosk (KIOSK_RATE_LIMIT): six through each server, then refused."""
    for n in range(12):
        base = cluster["a"] if n % 2 else cluster["b"]
        assert _register(cluster, base, str(uuid.uuid4()), f"03{n:02d}", replay=False, device="busy")[0] == 200
    assert _register(cluster, cluster["a"], str(uuid.uuid4()), "0399", replay=False, device="busy")[0] == 429


def test_login_throttling_counts_failures_on_both_servers(cluster):
    for base in (cluster["a"], cluster["b"], cluster["a"]):
        _opener, url, _page = _signed_in(base, "duty", "wrong-password")
        assert "/auth/login" in url
    _opener, url, page = _signed_in(cluster["b"], "duty")  # the right password, now locked
    assert "/auth/login" in url and "/console" not in url


def test_work_orders_made_through_both_servers_at_once_have_no_gap_c11(cluster):
    """C11 across servers: repairs logged through both servers at the same time get this
    year's next numbers, each once, with no gap (the counter row lives in the database)."""
    from concurrent.futures import ThreadPoolExecutor

    sessions = []
    for base in (cluster["a"], cluster["b"]):
        opener, _url, _page = _signed_in(base, "reception")
        form = opener.open(f"{base}/console/cases/new").read().decode()
        token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', form).group(1)
        sessions.append((base, opener, token))
    engine = sa.create_engine(cluster["url"])
    with engine.connect() as conn:
        before = conn.execute(sa.text("SELECT year, coalesce(max(number), 0) FROM work_order GROUP BY year")).all()

    def log_repair(n: int) -> int:
        base, opener, token = sessions[n % 2]
        body = urllib.parse.urlencode(
            {
                "csrf_token": token,
                "channel": "phone",
                "caller_name": f"双机报修{n}",
                "caller_phone": "13900001111",
                "content": "厨房水管漏水",
                "kind": "repair",
                "category": "plumbing",
                "importance": "normal",
                "read_back": "y",
            }
        ).encode()
        request = urllib.request.Request(f"{base}/console/cases/new", data=body, headers={"Origin": base})
        with opener.open(request, timeout=30) as response:
            return response.status

    with ThreadPoolExecutor(8) as pool:
        statuses = list(pool.map(log_repair, range(24)))
    assert statuses == [200] * 24  # each redirected (303) to its intake record
    with engine.connect() as conn:
        rows = conn.execute(
            sa.text("SELECT year, number FROM work_order WHERE contact_name LIKE '双机报修%' ORDER BY number")
        ).all()
    engine.dispose()
    assert len(rows) == 24
    year = rows[0].year
    start = dict(before).get(year, 0)
    assert [r.number for r in rows] == list(range(start + 1, start + 25))
