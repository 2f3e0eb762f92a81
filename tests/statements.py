"""Count the SQL statements a block of code sends (for "no N+1" tests)."""

from contextlib import contextmanager

import sqlalchemy as sa

from kiosk.extensions import db


@contextmanager
def recorded_statements(params_too: list | None = None):
    """with recorded_statements() as statements: ...  -> the SQL texts sent meanwhile
    (and their parameters appended to `params_too` when given)."""
    statements: list[str] = []

    def listener(_conn, _cursor, statement, params, _context, _many):
        statements.append(statement)
        if params_too is not None:
            params_too.append(params)

    sa.event.listen(db.engine, "before_cursor_execute", listener)
    try:
        yield statements
    finally:
        sa.event.remove(db.engine, "before_cursor_execute", listener)
