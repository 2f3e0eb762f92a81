"""The baseline: the least a Flask app can do on the same database and settings.

GET /select renders a tiny template with one indexed select of 50 rows (the newest visits
by action time: the index the visit log walks); POST /insert inserts one row and commits.
Served by gunicorn beside the app (`gunicorn 'bench.baseline:create_app()'`), it is the
limit of what Flask and the database can do on this machine. Its table is made once by the
runner (`create_table`) before gunicorn starts: four workers each making it at boot raced on
PostgreSQL's catalogue, and the loser never booted.
"""

import os

import sqlalchemy as sa
from flask import Flask, render_template_string

from kiosk import _sqlite_pragmas
from kiosk.config import database_url

PAGE = "<ul>{% for id, name, at in rows %}<li>{{ id }} {{ name }} {{ at }}</li>{% endfor %}</ul>"


METADATA = sa.MetaData()
ROW = sa.Table("bench_row", METADATA, sa.Column("id", sa.Integer, primary_key=True), sa.Column("note", sa.String(50)))


def _url() -> str:
    return database_url(os.environ.get("BENCH_INSTANCE", "instance"))


def create_table() -> None:
    """Make the baseline's insert table, once, before any worker starts (same environment)."""
    engine = sa.create_engine(_url())
    try:
        METADATA.create_all(engine)
    finally:
        engine.dispose()


def create_app() -> Flask:
    app = Flask(__name__)
    engine = sa.create_engine(_url(), pool_pre_ping=True)
    if engine.dialect.name == "sqlite":

        @sa.event.listens_for(engine, "connect")
        def _pragmas(dbapi_connection, record):  # the same settings as the app's
            _sqlite_pragmas(dbapi_connection, record)

    newest = sa.text("SELECT id, visitor_name, action_at FROM visit ORDER BY action_at DESC, id DESC LIMIT 50")

    @app.get("/select")
    def select():
        with engine.connect() as conn:
            rows = conn.execute(newest).all()
        return render_template_string(PAGE, rows=rows)

    @app.post("/insert")
    def insert():
        with engine.begin() as conn:
            conn.execute(ROW.insert().values(note="x"))
        return "", 204

    return app
