"""The visitor log's export (S3) downloaded from a live server, as a browser receives it:
the file is read over a socket after the view has returned and its database session is
gone (the in-process client once hid a CSV that died mid-stream with DetachedInstanceError)."""

import csv
import io
from datetime import timedelta

import pytest
import sqlalchemy as sa
from openpyxl import load_workbook

from kiosk.extensions import db
from kiosk.models import AuditEvent
from tests.live import LiveClient, serving
from tests.visit_factory import make_visit
from tests.visits.test_export import DANGEROUS, DAY, exported  # noqa: F401 (fixture)


def _download(app, fmt):
    with serving(app) as server:
        client = LiveClient(server.url)
        client.login("supervisor")
        return client.post_form(
            "/console/visits/export?lang=en",
            {"date_from": "2026-03-10", "date_to": "2026-03-11", "format": fmt},
            page="/console/visits/",
        )


def _audited_rows():
    db.session.rollback()
    events = db.session.scalars(sa.select(AuditEvent).where(AuditEvent.action == "visits.export")).all()
    return [event.details["rows"] for event in events]


def test_s3_csv_download_from_a_live_server_holds_every_row(app, world, exported):
    reply = _download(app, "csv")
    assert reply.status == 200 and reply.headers["Content-Type"].startswith("text/csv")
    assert reply.headers["Cache-Control"] == "no-store"
    assert "visitors-2026-03-10-2026-03-11.csv" in reply.headers["Content-Disposition"]
    text = reply.body.decode("utf-8")
    assert text.startswith("\ufeff")
    lines = list(csv.reader(io.StringIO(text[1:])))
    assert lines[0][3] == "Visitor's name" and len(lines) == 1 + 7
    assert {"'" + value for value in DANGEROUS} <= {line[3] for line in lines}
    assert "13987654321" not in text and "范围外" not in text and "别处" not in text
    assert _audited_rows() == [7]


def test_s3_xlsx_download_from_a_live_server_holds_every_row(app, world, exported):
    reply = _download(app, "xlsx")
    assert reply.status == 200 and reply.headers["Content-Type"].endswith("spreadsheetml.sheet")
    assert reply.headers["Cache-Control"] == "no-store"
    sheet = load_workbook(io.BytesIO(reply.body)).active
    lines = list(sheet.iter_rows(values_only=True))
    assert lines[0][3] == "Visitor's name" and len(lines) == 1 + 7
    assert all(not str(cell).startswith(("=", "+", "-", "@")) for line in lines for cell in line if cell)
    assert _audited_rows() == [7]


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_s3_a_large_export_arrives_whole(app, world, fmt, monkeypatch):
    """More rows than one page of reading: every page arrives, and the audit says so."""
    from kiosk.visits import export as visitor_export

    monkeypatch.setattr(visitor_export, "CHUNK", 25)
    for i in range(60):
        make_visit(world.site, room=world.rooms[i % 3], name=f"访客{i}", at=DAY + timedelta(minutes=i))
    db.session.commit()
    reply = _download(app, fmt)
    assert reply.status == 200
    if fmt == "csv":
        count = len(list(csv.reader(io.StringIO(reply.body.decode("utf-8")[1:])))) - 1
    else:
        count = len(list(load_workbook(io.BytesIO(reply.body)).active.iter_rows())) - 1
    assert count == 60 and _audited_rows() == [60]
