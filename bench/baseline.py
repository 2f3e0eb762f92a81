"""The baseline: the least a Flask app can do on the same database and settings.

GET /select renders a tiny template with one indexed select of 50 rows (the newest visits
by action time: the index the visit log walks); POST /insert inserts one row and commits.
Served by gunicorn beside the app (`gunicorn 'bench.baseline:create_app()'`), it is the
limit of what Flask and the database can do on this machine.
"""

import os

import sqlalchemy as sa
from flask import Flask, render_template_string

from kiosk import _sqlite_pragmas
from kiosk.config import database_url

PAGE = "<ul>{% for id, name, at in rows %}<li>{{ id }} {{ name }} {{ at }}</li>{% endfor %}</ul>"


def create_app() -> Flask:
    app = Flask(__name__)
    url = database_url(os.environ.get("BENCH_INSTANCE", "instance"))
    engine = sa.create_engine(url, pool_pre_ping=True)
    if engine.dialect.name == "sqlite":

        @sa.event.listens_for(engine, "connect")
        def _pragmas(dbapi_connection, record):  # the same settings as the app's
            _sqlite_pragmas(dbapi_connection, record)

    metadata = sa.MetaData()
    row = sa.Table(
        "bench_row", metadata, sa.Column("id", sa.Integer, primary_key=True), sa.Column("note", sa.String(50))
    )
    metadata.create_all(engine)
    newest = sa.text("SELECT id, visitor_name, action_at FROM visit ORDER BY action_at DESC, id DESC LIMIT 50")

    @app.get("/select")
    def select():
        with engine.connect() as conn:
            rows = conn.execute(newest).all()
        return render_template_string(PAGE, rows=rows)

    @app.post("/insert")
    def insert():
        with engine.begin() as conn:
            conn.execute(row.insert().values(note="x"))
        return "", 204

    return app
