"""Keyset paging (kiosk/paging.py): newest first, ties broken by id, no OFFSET."""

from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa

from kiosk import paging
from kiosk.extensions import db
from kiosk.models import Visit
from tests.statements import recorded_statements
from tests.visit_factory import make_visit

T0 = datetime(2026, 3, 1, 2, 0, tzinfo=UTC)


def _visits(site, times):
    visits = [make_visit(site, at=at) for at in times]
    db.session.commit()
    return visits


def _walk(query, size):
    cursor, seen, pages = None, [], 0
    while True:
        page = paging.keyset(query, Visit.action_at, Visit.id, cursor=cursor, size=size)
        seen += [v.id for v in page.items]
        pages += 1
        if page.last:
            return seen, pages
        cursor = page.next_cursor


def test_pages_walk_every_row_once_newest_first_with_ties_by_id(world):
    # three visits share one timestamp: the id decides their order
    times = [T0 + timedelta(minutes=m) for m in (0, 5, 5, 5, 9, 12, 30)]
    visits = _visits(world.site, times)
    expected = [v.id for v in sorted(visits, key=lambda v: (v.action_at, v.id), reverse=True)]
    query = sa.select(Visit).where(Visit.site_id == world.site.id)
    for size in (1, 2, 3, 7, 50):
        seen, pages = _walk(query, size)
        assert seen == expected
        assert pages == max(1, -(-len(expected) // size))


def test_microseconds_survive_the_cursor(world):
    base = T0.replace(microsecond=123456)
    visits = _visits(world.site, [base, base + timedelta(microseconds=1), base + timedelta(microseconds=2)])
    seen, _pages = _walk(sa.select(Visit), 1)
    assert seen == [v.id for v in reversed(visits)]


def test_a_row_added_meanwhile_does_not_shift_the_next_page(world):
    _visits(world.site, [T0 + timedelta(minutes=m) for m in range(6)])
    query = sa.select(Visit)
    first = paging.keyset(query, Visit.action_at, Visit.id, size=3)
    make_visit(world.site, at=T0 + timedelta(hours=1), commit=True)  # newer than everything
    second = paging.keyset(query, Visit.action_at, Visit.id, cursor=first.next_cursor, size=3)
    assert [v.action_at for v in second.items] == [T0 + timedelta(minutes=m) for m in (2, 1, 0)]
    assert second.last and not second.first and first.first


def test_the_cursor_is_opaque_and_a_mangled_one_is_refused():
    cursor = paging.encode_cursor(T0, 42)
    assert "2026" not in cursor and "42" not in cursor
    assert paging.decode_cursor(cursor) == (T0, 42)
    for bad in ("nonsense", "e30", paging.encode_cursor(T0, 1)[:-3], "W1sxXSwgMV0"):
        with pytest.raises(paging.BadCursor):
            paging.decode_cursor(bad)


def test_no_offset_in_the_sql(world):
    _visits(world.site, [T0 + timedelta(minutes=m) for m in range(5)])
    params = []
    with recorded_statements(params) as statements:
        _walk(sa.select(Visit), 2)
    assert len(statements) == 3
    for sql, values in zip(statements, params):
        # SQLite's dialect always writes "LIMIT ? OFFSET ?" with an offset of 0
        assert "OFFSET" not in sql.upper() or (db.engine.dialect.name == "sqlite" and values[-1] == 0)


def test_chunks_yield_everything_a_page_at_a_time(world):
    visits = _visits(world.site, [T0 + timedelta(minutes=m) for m in range(7)])
    sizes = [len(chunk) for chunk in paging.chunks(sa.select(Visit), Visit.action_at, Visit.id, size=3)]
    assert sizes == [3, 3, 1] and sum(sizes) == len(visits)


def test_a_deep_page_starts_an_index_range_at_its_cursor(world):
    """A page after the cursor reads from the cursor on, not every newer row before it: the
    planner is given a plain bound on the time (`action_at <= cursor`) beside the tie-break, so
    that it starts an index range there. Without it SQLite walked the 100,000 newer rows of a
    page 100,000 rows deep (bench/, 35 ms and growing with the depth)."""
    visits = _visits(world.site, [T0 + timedelta(minutes=n) for n in range(3)])
    cursor = paging.encode_cursor(visits[1].action_at, visits[1].id)
    query = sa.select(Visit.id).where(Visit.site_id == world.site.id)
    params = []
    with recorded_statements(params) as statements:
        page = paging.keyset(query, Visit.action_at, Visit.id, cursor=cursor, size=10, key=lambda row: (None, row))
    assert list(page.items) == [visits[0].id]
    sql = statements[0]
    assert "action_at <=" in sql, sql
    if db.engine.dialect.name == "sqlite":
        plan = db.session.connection().exec_driver_sql("EXPLAIN QUERY PLAN " + sql, tuple(params[0])).all()
        assert any("action_at<?" in str(row[-1]) for row in plan), plan
