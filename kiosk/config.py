"""Defaults in code; per-deployment values in instance/config.py or the environment."""

import base64
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
    # A console session ends this many hours after sign-in, however active (a copied
    # cookie cannot be kept alive by use). Sign-out ends every session at once.
    SESSION_MAX_HOURS = 12
    # A one-time set-password link (new accounts, forgotten passwords) expires after this.
    PASSWORD_LINK_HOURS = 72
    # Sign-in throttling (kiosk/accounts.py sign_in): this many failures for one username
    # from one address within the window refuse that pair; this many failures from one
    # address (any usernames) refuse the address.
    LOGIN_MAX_FAILURES = 5
    LOGIN_MAX_FAILURES_PER_ADDRESS = 30
    LOGIN_FAILURE_WINDOW_MINUTES = 15
    # Set to True behind an HTTPS reverse proxy: secure cookies, HSTS.
    HTTPS = False
    # Number of reverse proxies in front of the app (X-Forwarded-For/Proto).
    PROXY_COUNT = 0
    PAGE_SIZE = 50
    # The largest request accepted (413 beyond it, before anything is read into memory,
    # chunked uploads included): the largest legitimate upload is one photo of
    # kiosk/photos.py MAX_BYTES (8 MB) with its form fields and a drawn signature.
    MAX_CONTENT_LENGTH = 9 * 1024 * 1024
    # One form field other than a file (a drawn signature is the largest: signatures.MAX_BYTES).
    MAX_FORM_MEMORY_SIZE = 1024 * 1024
    # Pages, scripts and styles compressed by the app when the client accepts it (patrol
    # tablets on mobile data; issue 12). Downloads (CSV, XLSX), photos and streamed
    # exports are left alone: their types are not listed.
    COMPRESS_MIMETYPES = [
        "text/html",
        "text/css",
        "text/javascript",
        "application/javascript",
        "application/json",
        "application/manifest+json",
        "image/svg+xml",
        "application/wasm",  # the QR reader every device precaches: 1.09 MB, about 0.4 MB compressed
    ]
    COMPRESS_ALGORITHM = ["br", "gzip", "deflate"]
    COMPRESS_ALGORITHM_STREAMING = ["br", "gzip", "deflate"]  # static files are sent as streams
    COMPRESS_BR_LEVEL = 5


def database_url(instance_path: str) -> str:
    """DATABASE_URL selects PostgreSQL; the default is a SQLite file in instance/."""
    url = os.environ.get("DATABASE_URL")
    if not url:
        return "sqlite:///" + str(Path(instance_path) / "kiosk.sqlite3")
    if url.startswith("postgres://"):
        url = "postgresql://" + url[len("postgres://") :]
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url[len("postgresql://") :]
    return url


def _files_key_line() -> str:
    # A Fernet key (urlsafe base64 of 32 random bytes) for household-file attachments.
    key = base64.urlsafe_b64encode(secrets.token_bytes(32)).decode("ascii")
    return f"HOUSEHOLD_FILES_KEY = {key!r}\n"


def ensure_instance_config(instance_path: str) -> None:
    """Write instance/config.py with a fresh secret key on first run; never overwrite it.
    A config from before household files gets their encryption key appended once."""
    path = Path(instance_path) / "config.py"
    if path.exists():
        if "HOUSEHOLD_FILES_KEY" not in path.read_text(encoding="utf-8"):
            with path.open("a", encoding="utf-8") as out:
                out.write(_files_key_line())
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(
        "# Per-deployment settings. Never commit this file.\n"
        f"SECRET_KEY = {secrets.token_hex(32)!r}\n" + _files_key_line(),
        encoding="utf-8",
    )
    path.chmod(0o600)
