"""The front-desk application of a property-management service centre."""

from pathlib import Path

import sqlalchemy as sa
from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix

from kiosk import access, errors, i18n, ids, security, templating
from kiosk.config import Defaults, database_url, ensure_instance_config
from kiosk.extensions import babel, compress, csrf, db, login_manager, migrate

MIGRATIONS = str(Path(__file__).parent / "migrations")


def create_app(test_config: dict | None = None) -> Flask:
    app = Flask(__name__, instance_relative_config=True)
    app.config.from_object(Defaults)
    if test_config is None:
        ensure_instance_config(app.instance_path)
        app.config.from_pyfile("config.py", silent=True)
        app.config.from_prefixed_env("KIOSK")
    else:
        app.config.update(test_config)
    app.config.setdefault("SQLALCHEMY_DATABASE_URI", database_url(app.instance_path))
    app.config["BABEL_TRANSLATION_DIRECTORIES"] = i18n.translation_directories()
    if app.config["HTTPS"]:
        app.config.update(SESSION_COOKIE_SECURE=True, REMEMBER_COOKIE_SECURE=True)
    if app.config["PROXY_COUNT"]:
        n = int(app.config["PROXY_COUNT"])
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=n, x_proto=n, x_host=n)

    _init_extensions(app)
    ids.register(app)  # before the routes: every <int:...> is a bounded ASCII key
    _register_blueprints(app)
    app.before_request(access.enforce)
    app.after_request(i18n.remember_choice)
    app.after_request(security.set_headers)
    errors.register(app)
    templating.register(app)

    from kiosk import cli

    cli.register(app)
    return app


def _init_extensions(app: Flask) -> None:
    Path(app.instance_path).mkdir(parents=True, exist_ok=True)
    db.init_app(app)
    compress.init_app(app)  # its after_request is registered first, so it runs last
    migrate.init_app(app, db, directory=MIGRATIONS, render_as_batch=True)
    csrf.init_app(app)
    babel.init_app(app, locale_selector=i18n.select_locale, timezone_selector=i18n.select_timezone)
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.login_message = None
    login_manager.session_protection = "strong"

    with app.app_context():
        if db.engine.dialect.name == "sqlite":
            sa.event.listen(db.engine, "connect", _sqlite_pragmas)


def _sqlite_pragmas(dbapi_connection, _record) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=5000")
    cursor.close()


def _register_blueprints(app: Flask) -> None:
    from kiosk.blueprints import register_all

    register_all(app)


@login_manager.user_loader
def _load_user(user_id: str):
    """The signed-in account, if this session is still one of its current sessions
    (the one query a staff request makes for it; see access.session_is_current)."""
    from kiosk.models import User

    user = db.session.get(User, int(user_id))
    if user is None or not access.session_is_current(user):
        return None
    return user
