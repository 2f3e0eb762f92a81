"""Keyset paging for every list: newest first by (action time, id), never OFFSET.

A page is asked for with the cursor of the last row of the previous page; the next page
holds the rows strictly after that key in the order (at desc, id desc). Rows added or
removed meanwhile never shift a page, and the database walks an index from the key
instead of counting and skipping rows.

    page = paging.keyset(select(Visit).where(...), Visit.action_at, Visit.id,
                         cursor=request.args.get("cursor"), size=50)
    page.items, page.next_cursor  # None on the last page

The cursor is opaque to clients (URL-safe base64 of the key); a cursor that does not
decode raises BadCursor. It carries no data beyond the position: the query that uses
it is scoped (to the site) as always, so a forged cursor only moves within that scope.
"""

import base64
import binascii
import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime

import sqlalchemy as sa

from kiosk.extensions import db
from kiosk.ids import MAX_ID

MAX_SIZE = 500


class BadCursor(ValueError):
    """The cursor was not made by encode_cursor (mangled or hand-written URL)."""


@dataclass(frozen=True)
class Page:
    items: list
    next_cursor: str | None
    first: bool  # no cursor was given: this is the first page

    @property
    def last(self) -> bool:
        return self.next_cursor is None


def encode_cursor(at: datetime, ident: int) -> str:
    if at.tzinfo is None:
        raise ValueError("naive datetime in a cursor")
    payload = json.dumps([at.astimezone(UTC).isoformat(), int(ident)], separators=(",", ":"))
    return base64.urlsafe_b64encode(payload.encode()).decode().rstrip("=")


def decode_cursor(cursor: str) -> tuple[datetime, int]:
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        at_text, ident = json.loads(raw)
        at = datetime.fromisoformat(at_text)
        if at.tzinfo is None or not isinstance(ident, int) or isinstance(ident, bool) or abs(ident) > MAX_ID:
            raise BadCursor(cursor)
        at = at.astimezone(UTC)
    except (ValueError, TypeError, OverflowError, binascii.Error, UnicodeDecodeError) as exc:
        raise BadCursor(cursor) from exc
    return at, ident


def after(at_column, id_column, cursor: str | None):
    """The WHERE clause "strictly after the cursor" in the order (at desc, id desc)."""
    if not cursor:
        return sa.true()
    at, ident = decode_cursor(cursor)
    # The first bound is implied by the second; it is there for the planner, which can start an
    # index range at it (without it SQLite walks every row before the cursor: OFFSET by another name).
    return sa.and_(at_column <= at, sa.or_(at_column < at, sa.and_(at_column == at, id_column < ident)))


def keyset(
    query: sa.Select,
    at_column,
    id_column,
    *,
    cursor: str | None = None,
    size: int = 50,
    key: Callable | None = None,
) -> Page:
    """One page of `query` (a select of rows or entities) in (at desc, id desc) order.

    `key(row) -> (at, id)` reads the position of a result row; by default the row's
    attributes named like the two columns.
    """
    size = max(1, min(int(size), MAX_SIZE))
    key = key or (lambda row: (getattr(row, at_column.key), getattr(row, id_column.key)))
    statement = (
        query.where(after(at_column, id_column, cursor)).order_by(at_column.desc(), id_column.desc()).limit(size + 1)
    )
    rows = list(db.session.scalars(statement).unique().all())
    more = len(rows) > size
    rows = rows[:size]
    next_cursor = encode_cursor(*key(rows[-1])) if more and rows else None
    return Page(items=rows, next_cursor=next_cursor, first=not cursor)


def chunks(query: sa.Select, at_column, id_column, *, size: int = 500, key: Callable | None = None) -> Iterator[list]:
    """Every row of `query`, a page at a time (for exports): memory stays one page."""
    cursor = None
    while True:
        page = keyset(query, at_column, id_column, cursor=cursor, size=size, key=key)
        if page.items:
            yield page.items
        if page.next_cursor is None:
            return
        cursor = page.next_cursor
