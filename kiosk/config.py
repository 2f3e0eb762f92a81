"""Defaults in code; per-deployment values in instance/config.py or the environment."""
import os
import secrets
from pathlib import Path


class Defaults:
    SQLALCHEMY_ENGINE_OPTIONS = {"pool_pre_ping": True}
    SQLALCHEMY_TRACK_MODIFICATIONS = False
    BABEL_DEFAULT_LOCALE = "zh_Hans_CN"
    BABEL_DEFAULT_TIMEZONE = "Asia/Shanghai"
    LANGUAGES = ("zh_Hans_CN", "en")
    WTF_CSRF_TIME_LIMIT = 3600
    WTF_CSRF_HEADERS = ["X-CSRFToken"]
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_NAME = "kiosk_session"
    # Shared tablets and desks: signed out after this many idle minutes.
    IDLE_TIMEOUT_MINUTES = 15
    # Lockout: this many failures for one username within the window locks it.
    LOGIN_MAX_FAILURES = 5
    LOGIN_FAILURE_WINDOW_MINUTES = 15
    # Set to True behind an HTTPS reverse proxy: secure cookies, HSTS.
    HTTPS = False
    # Number of reverse proxies in front of the app (X-Forwarded-For/Proto).
    PROXY_COUNT = 0
    PAGE_SIZE = 50
    # Pages, scripts and styles compressed by the app when the client accepts it (patrol
    # tablets on mobile data; issue 12). Downloads (CSV, XLSX), photos and streamed
    # exports are left alone: their types are not listed.
    COMPRESS_MIMETYPES = ["text/html", "text/css", "text/javascript", "application/javascript",
                          "application/json", "application/manifest+json", "image/svg+xml"]
    COMPRESS_ALGORITHM = ["br", "gzip", "deflate"]
    COMPRESS_ALGORITHM_STREAMING = ["br", "gzip", "deflate"]  # static files are sent as streams
    COMPRESS_BR_LEVEL = 5


def database_url(instance_path: str) -> str:
    """DATABASE_URL selects PostgreSQL; the default is a SQLite file in instance/."""
    url = os.environ.get("DATABASE_URL")
    if not url:
        return "sqlite:///" + str(Path(instance_path) / "kiosk.sqlite3")
    if url.startswith("postgres://"):
        url = "postgresql://" + url[len("postgres://"):]
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url[len("postgresql://"):]
    return url


def ensure_instance_config(instance_path: str) -> None:
    """Write instance/config.py with a fresh secret key on first run; never overwrite it."""
    path = Path(instance_path) / "config.py"
    if path.exists():
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(
        "# Per-deployment settings. Never commit this file.\n"
        f"SECRET_KEY = {secrets.token_hex(32)!r}\n",
        encoding="utf-8",
    )
    path.chmod(0o600)
