"""Serving for the benchmark: the app's settings, a fresh database, gunicorn started and
stopped on loopback, a signed-in session, and the workers' memory."""

import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from http.cookiejar import CookieJar
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
WORK = ROOT / "bench" / ".work"
UA = "kiosk-bench/1"
PG_URL = os.environ.get("BENCH_PG_URL", "postgresql://postgres@127.0.0.1:5432/kiosk_bench")
PORT = int(os.environ.get("BENCH_PORT", "18431"))  # the app; the baseline on PORT + 1, a second app on PORT + 2


def app_env(db_url: str, instance: Path) -> dict:
    env = dict(os.environ)
    env.update(
        {
            "DATABASE_URL": db_url,
            "KIOSK_SECRET_KEY": "bench-secret",
            "BENCH_INSTANCE": str(instance),
            "KIOSK_KIOSK_RATE_LIMIT": "100000000",
            "KIOSK_KIOSK_REPLAY_RATE_LIMIT": "100000000",
            "KIOSK_LOGIN_MAX_FAILURES": "1000",
            "KIOSK_LOGIN_MAX_FAILURES_PER_ADDRESS": "100000",
            "KIOSK_HOUSEHOLD_FILES_KEY": "YmVuY2gta2V5LWZvci1ob3VzZWhvbGQtZmlsZXMtMDA=",
            "KIOSK_HOUSEHOLD_FILES_ROOT": str(instance / "files"),
            "KIOSK_PHOTO_ROOT": str(instance / "photos"),
        }
    )
    return env


def fresh_database(kind: str) -> str:
    if kind == "sqlite":
        shutil.rmtree(WORK, ignore_errors=True)
        WORK.mkdir(parents=True)
        return f"sqlite:///{WORK / 'bench.sqlite3'}"
    import psycopg

    target = urllib.parse.urlsplit(PG_URL)
    name = target.path.lstrip("/")
    admin = PG_URL.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')
    return PG_URL


def _answers(port: int) -> bool:
    try:
        socket.create_connection(("127.0.0.1", port), timeout=1).close()
        return True
    except OSError:
        return False


def serve(target: str, port: int, env: dict, workers: int) -> subprocess.Popen:
    """gunicorn on loopback, returned once it answers. A port that already answers is a server
    left from an earlier run: measuring it would measure the wrong thing, so that is an error."""
    if _answers(port):
        raise RuntimeError(
            f"port {port} already answers: a server left from an earlier run? (stop it, or set BENCH_PORT)"
        )
    process = subprocess.Popen(
        [
            str(Path(sys.executable).parent / "gunicorn"),
            "-w",
            str(workers),
            "-b",
            f"127.0.0.1:{port}",
            "--log-level",
            "warning",
            target,
        ],
        cwd=ROOT,
        env=env,
        start_new_session=True,
    )
    deadline = time.time() + 60
    while time.time() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{target} exited with code {process.returncode} before it answered on port {port}")
        try:
            urllib.request.urlopen(
                f"http://127.0.0.1:{port}/healthz" if "kiosk" in target else f"http://127.0.0.1:{port}/select",
                timeout=2,
            )
            return process
        except OSError:
            time.sleep(0.3)
    process.kill()
    raise RuntimeError(f"{target} did not start on port {port}")


def stop(process: subprocess.Popen) -> None:
    os.killpg(process.pid, signal.SIGTERM)
    process.wait(timeout=30)


def worker_rss_mb(process: subprocess.Popen) -> float:
    """The largest resident memory of the gunicorn master's workers, in MB."""
    largest = 0
    for status in Path("/proc").glob("*/status"):
        try:
            text = status.read_text()
        except OSError:
            continue
        if re.search(rf"^PPid:\s+{process.pid}$", text, re.M):
            rss = re.search(r"^VmRSS:\s+(\d+) kB", text, re.M)
            largest = max(largest, int(rss.group(1)) if rss else 0)
    return round(largest / 1024, 1)


def login(base: str, username: str, password: str) -> str:
    jar = CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    opener.addheaders = [("User-Agent", UA)]
    page = opener.open(f"{base}/auth/login").read().decode()
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    body = urllib.parse.urlencode({"csrf_token": token, "username": username, "password": password}).encode()
    opener.open(f"{base}/auth/login", data=body)
    return "; ".join(f"{c.name}={c.value}" for c in jar)


def csrf_token(base: str, cookie: str, path: str) -> str:
    """The form token of a signed-in session (valid for the session: wrk posts it each time)."""
    request = urllib.request.Request(base + path, headers={"Cookie": cookie, "User-Agent": UA})
    page = urllib.request.urlopen(request).read().decode()
    return re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)


def pg_reachable() -> bool:
    try:
        import psycopg

        psycopg.connect(PG_URL.rsplit("/", 1)[0] + "/postgres", connect_timeout=3).close()
        return True
    except Exception:  # noqa: BLE001 - any failure means no server to bench against
        return False
