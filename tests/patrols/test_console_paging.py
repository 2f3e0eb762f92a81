"""The patrols console's lists that grow without bound (patrol records, rectification
tasks) page by keyset: newest first, a row added meanwhile shifts no page, no OFFSET."""

import html
import re
from datetime import timedelta

import sqlalchemy as sa

from kiosk.extensions import db
from kiosk.models.patrols import Patrol, Task, TaskStatus
from kiosk.timeutil import utcnow
from tests import patrol_rows
from tests.statements import recorded_statements


def _walk_pages(client, url, row_link, between_pages=None):
    """Follow a list's "older" links as the page's htmx does: the row ids of each page,
    and the SQL each page sent."""
    pages, statements_of = [], []
    while url:
        with recorded_statements(params := []) as statements:
            response = client.htmx("get", url) if pages else client.get(url)
        assert response.status_code == 200
        pages.append(list(dict.fromkeys(int(i) for i in re.findall(row_link, response.text))))
        statements_of.append(list(zip(statements, params)))
        older = re.search(r'hx-get="([^"]*(?:before|cursor)=[^"]+)"', response.text)
        url = html.unescape(older.group(1)) if older else None
        if between_pages and url:
            between_pages()
    return pages, statements_of


def _no_offset(statements):
    for sql, values in statements:
        # SQLite's dialect writes "LIMIT ? OFFSET ?" with an offset of 0 for a bare LIMIT
        assert "OFFSET" not in sql.upper() or (db.engine.dialect.name == "sqlite" and values[-1] == 0), sql


def test_a_patrol_sent_late_from_an_offline_tablet_is_listed_when_it_was_walked(client, pw, app):
    """P1 check sheets are read in the order the rounds were walked: yesterday's patrol
    that reached the server only now (a higher id) goes below today's."""
    app.config["PAGE_SIZE"] = 1
    today = patrol_rows.start(pw, at=utcnow() - timedelta(hours=1))
    late = patrol_rows.start(pw, at=utcnow() - timedelta(days=1))
    db.session.commit()
    assert late.id > today.id
    client.login("supervisor")
    pages, _statements = _walk_pages(client, "/console/patrols/records", r'/console/patrols/records/(\d+)"')
    assert pages == [[today.id], [late.id]]
    assert client.get("/console/patrols/records?cursor=not-a-cursor").status_code == 400


def test_patrol_list_pages_by_keyset_not_offset(client, pw, app):
    app.config["PAGE_SIZE"] = 2
    patrol_rows.finished_patrols(pw, 5)
    db.session.commit()
    made = db.session.scalars(sa.select(Patrol.id).order_by(Patrol.id.desc())).all()
    client.login("supervisor")

    def another_patrol_arrives():  # meanwhile: shifts no page
        patrol_rows.start(pw)
        db.session.commit()

    pages, statements = _walk_pages(
        client, "/console/patrols/records", r'/console/patrols/records/(\d+)"', another_patrol_arrives
    )
    assert pages == [made[0:2], made[2:4], made[4:5]]
    assert len({len(page) for page in statements[:2]}) == 1  # every full page: the same statements
    for page in statements:
        _no_offset(page)


def test_task_list_pages_by_keyset_not_offset(client, pw, app):
    app.config["PAGE_SIZE"] = 2
    patrol_rows.open_tasks(pw, 5)
    db.session.commit()
    made = db.session.scalars(sa.select(Task.id).where(Task.status == TaskStatus.OPEN).order_by(Task.id.desc())).all()
    client.login("supervisor")

    def another_task_opens():  # meanwhile: shifts no page
        patrol_rows.open_tasks(pw, 1)
        db.session.commit()

    pages, statements = _walk_pages(
        client, "/console/patrols/tasks?show=open", r'/console/patrols/tasks/(\d+)"', another_task_opens
    )
    assert pages == [made[0:2], made[2:4], made[4:5]]
    assert len({len(page) for page in statements[:2]}) == 1
    for page in statements:
        _no_offset(page)
