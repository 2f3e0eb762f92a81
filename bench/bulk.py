"""Bulk loading for the benchmark's data: a table's secondary indexes dropped while its rows go
in and built again afterwards, from the database's own definitions (what the migrations made).
Building an index once over a million rows is a sort; keeping it up to date row by row, for
keys that arrive in random order (names, phones, rooms), is a random write per row per index."""

from contextlib import contextmanager

import sqlalchemy as sa

from kiosk.extensions import db


def _definitions(table: str) -> dict[str, str]:
    """The table's non-unique indexes by name, each with the statement that makes it.
    Unique indexes stay: they back constraints the load relies on."""
    if db.engine.dialect.name == "sqlite":
        rows = db.session.execute(
            sa.text(
                "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = :table AND sql IS NOT NULL"
            ),
            {"table": table},
        )
        return {name: sql for name, sql in rows if not sql.upper().startswith("CREATE UNIQUE")}
    rows = db.session.execute(
        sa.text(
            "SELECT c.relname, pg_get_indexdef(i.indexrelid) FROM pg_index i "
            "JOIN pg_class c ON c.oid = i.indexrelid "
            "WHERE i.indrelid = CAST(:table AS regclass) AND NOT i.indisunique AND NOT i.indisprimary"
        ),
        {"table": table},
    )
    return dict(rows.all())


@contextmanager
def without_indexes(*models):
    """Load the models' tables with their secondary indexes dropped; build them again on the way out."""
    saved = {}
    for model in models:
        saved.update(_definitions(model.__table__.name))
    for name in saved:
        db.session.execute(sa.text(f'DROP INDEX "{name}"'))
    db.session.commit()
    try:
        yield
    finally:
        db.session.rollback()
        for sql in saved.values():
            db.session.execute(sa.text(sql))
        db.session.commit()
