"""SQLite settings, and migrations that match the models on both databases."""

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import upgrade

from kiosk import create_app
from kiosk.extensions import db
from tests.conftest import PG_URL, ensure_database, make_config


def test_sqlite_runs_with_wal_foreign_keys_and_a_busy_timeout(app):
    if PG_URL:
        pytest.skip("SQLite-only check; this run is on PostgreSQL")
    with db.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() == 5000


def test_database_url_selects_postgresql(monkeypatch, tmp_path):
    from kiosk.config import database_url

    monkeypatch.setenv("DATABASE_URL", "postgres://u@h:5432/d")
    assert database_url(str(tmp_path)) == "postgresql+psycopg://u@h:5432/d"
    monkeypatch.delenv("DATABASE_URL")
    assert database_url(str(tmp_path)).endswith("kiosk.sqlite3")


@pytest.fixture
def migrated_app(tmp_path):
    """An empty database (SQLite file, or a dedicated PostgreSQL database) migrated to head."""
    url = None
    if PG_URL:
        target = sa.engine.make_url(PG_URL)
        url = target.set(database=f"{target.database}_migrations").render_as_string(hide_password=False)
        ensure_database(url)
        engine = sa.create_engine(url)
        with engine.begin() as conn:
            conn.exec_driver_sql("DROP SCHEMA public CASCADE; CREATE SCHEMA public")
        engine.dispose()
    app = create_app(make_config(tmp_path, url))
    with app.app_context():
        upgrade()
        upgrade()  # a second run keeps everything and does nothing
        yield app
        db.session.remove()
        db.engine.dispose()


def test_migrations_reach_a_schema_identical_to_the_models(migrated_app):
    with db.engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn, opts={"compare_type": True}), db.metadata)
    assert diff == [], f"models and migrations differ: {diff}"


def test_migrated_audit_table_is_append_only(migrated_app):
    from sqlalchemy.exc import DatabaseError

    with db.engine.connect() as conn:
        conn.execute(sa.text("INSERT INTO audit_event (at, action) VALUES (CURRENT_TIMESTAMP, 'x')"))
        with pytest.raises(DatabaseError):
            conn.execute(sa.text("DELETE FROM audit_event"))
        conn.rollback()


def test_init_db_twice_keeps_data(tmp_path):
    app = create_app(make_config(tmp_path, None))
    runner = app.test_cli_runner()
    assert runner.invoke(args=["init-db"]).exit_code == 0
    assert runner.invoke(args=["seed-demo"]).exit_code == 0
    second = runner.invoke(args=["init-db"])
    assert second.exit_code == 0 and "existing data was kept" in second.output
    with app.app_context():
        assert db.session.scalar(sa.text("SELECT count(*) FROM room")) == 204
        db.engine.dispose()
