"""The database's planner statistics, refreshed (`flask refresh-statistics`, daily, and after
every migration). Plain Python.

SQLite keeps no statistics unless asked. Without them its planner cannot tell that a site's
index holds a million visits and a phone's last four digits a few dozen: it walks the site's
whole history in time order looking for a handful of rows. With them it takes the narrow
index. `analysis_limit` bounds the work (a sample per index: milliseconds at a million rows).
PostgreSQL's autovacuum gathers its own; an ANALYZE here only brings that forward."""

import time

import sqlalchemy as sa

from kiosk.extensions import db

SQLITE_ANALYSIS_LIMIT = 1000


def refresh() -> float:
    """Gather statistics on every table; returns the seconds it took."""
    started = time.perf_counter()
    db.session.commit()
    if db.engine.dialect.name == "sqlite":
        db.session.execute(sa.text(f"PRAGMA analysis_limit={SQLITE_ANALYSIS_LIMIT}"))
        db.session.execute(sa.text("ANALYZE"))
        db.session.commit()
    else:
        with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            connection.execute(sa.text("ANALYZE"))
    return time.perf_counter() - started
