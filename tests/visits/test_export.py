"""Export of the visitor log (S3): supervisors only, audited with range and row count,
formula-safe cells in CSV and XLSX, masked phones, chunked reading."""

import csv
import io
from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa
from openpyxl import load_workbook

from kiosk.extensions import db
from kiosk.models import AuditEvent, Departure, VisitStatus
from kiosk.visits import export as visitor_export
from tests.statements import recorded_statements
from tests.visit_factory import make_visit

DAY = datetime(2026, 3, 10, 2, 0, tzinfo=UTC)  # 10:00 in Shanghai
DANGEROUS = ['=HYPERLINK("http://x")', "+86 call", "-2+3", "@SUM(A1)", "\tTab", "\rCR"]


@pytest.fixture
def exported(world):
    for i, name in enumerate(DANGEROUS):
        make_visit(world.site, room=world.rooms[0], name=name, at=DAY + timedelta(minutes=i))
    make_visit(
        world.site,
        name='<b onclick="x">李四</b>',
        phone="+8613987654321",
        plate="粤B12345",
        party_size=2,
        at=DAY + timedelta(hours=1),
        status=VisitStatus.LEFT,
        departure=Departure.AUTO,
    )
    make_visit(world.site, name="范围外", at=DAY + timedelta(days=3))  # outside the range
    make_visit(world.other_site, name="别处", at=DAY)
    db.session.commit()


def _post(client, fmt="csv", date_from="2026-03-10", date_to="2026-03-11", **kwargs):
    return client.post_form(
        "/console/visits/export?lang=en",
        {"date_from": date_from, "date_to": date_to, "format": fmt},
        page="/console/visits/",
        **kwargs,
    )


@pytest.mark.parametrize(
    "username, allowed", [("reception", False), ("duty", False), ("supervisor", True), ("manager", True)]
)
def test_s3_only_supervisors_export(client, exported, username, allowed):
    client.login(username)
    assert (_post(client).status_code == 200) is allowed
    page = client.get("/console/visits/").text
    assert ('action="/console/visits/export"' in page) is allowed


def test_csv_is_neutralised_masked_and_audited(client, world, exported):
    client.login("supervisor")
    response = _post(client)
    assert response.status_code == 200 and response.mimetype == "text/csv"
    assert "visitors-2026-03-10-2026-03-11.csv" in response.headers["Content-Disposition"]
    assert response.headers["Cache-Control"] == "no-store"
    text = response.data.decode("utf-8")
    response.close()
    assert text.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(text[1:])))
    assert rows[0][:4] == ["Visit code", "Registered", "Room", "Visitor's name"]
    names = [row[3] for row in rows[1:]]
    assert names[0] == '<b onclick="x">李四</b>'  # newest first; markup is plain text
    assert sorted(names[1:]) == sorted("'" + value for value in DANGEROUS)
    assert all(not cell.startswith(tuple(visitor_export.FORMULA_START)) for row in rows for cell in row)
    assert rows[1][4] == "139****4321" and "13987654321" not in text
    assert rows[1][12] == "Automatically at closing time"
    assert len(rows) == 1 + 7 and "范围外" not in text and "别处" not in text
    [event] = db.session.scalars(sa.select(AuditEvent).where(AuditEvent.action == "visits.export")).all()
    assert event.user_id == world.users["supervisor"].id and event.site_id == world.site.id
    assert event.details == {"from": "2026-03-10", "to": "2026-03-11", "rows": 7, "format": "csv"}


def test_xlsx_cells_are_text_never_formulas(client, exported):
    client.login("manager")
    response = _post(client, "xlsx")
    assert response.status_code == 200 and response.mimetype.endswith("spreadsheetml.sheet")
    data = response.data
    response.close()  # closes (and so deletes) the temporary file, as a WSGI server does
    sheet = load_workbook(io.BytesIO(data)).active
    rows = list(sheet.iter_rows(values_only=False))
    assert rows[0][3].value == "Visitor's name" and len(rows) == 8
    for row in rows[1:]:
        name = row[3]
        assert name.data_type == "s"
        assert not str(name.value).startswith(("=", "+", "-", "@", "\t"))
    names = {row[3].value for row in rows[1:]}
    assert '\'=HYPERLINK("http://x")' in names and '<b onclick="x">李四</b>' in names
    assert {row[6].value for row in rows[1:]} == {1, 2}  # party sizes stay numbers


def test_a_bad_range_is_refused_with_the_input_kept_and_nothing_audited(client, exported):
    client.login("supervisor")
    response = _post(client, date_from="2026-03-11", date_to="2026-03-01")
    assert response.status_code == 422 and "The end date is before the start date." in response.text
    assert 'value="2026-03-11"' in response.text
    assert _post(client, date_from="", date_to="2026-03-01").status_code == 422
    assert db.session.scalar(sa.select(sa.func.count(AuditEvent.id)).where(AuditEvent.action == "visits.export")) == 0


def test_rows_are_read_a_page_at_a_time(app, world, exported, monkeypatch):
    monkeypatch.setattr(visitor_export, "CHUNK", 3)
    export = visitor_export.prepare(world.site, DAY.date(), DAY.date() + timedelta(days=1), "csv")
    with app.test_request_context("/?lang=en"), recorded_statements() as statements:
        rows = list(visitor_export.rows(export))
    assert len(rows) == 8
    pages = [s for s in statements if s.lstrip().upper().startswith("SELECT VISIT.ID")]
    assert len(pages) == 3  # 3 + 3 + 1 rows, never all at once
    assert all("LIMIT" in s.upper() for s in pages)


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_s3_the_audit_counts_the_rows_the_file_holds(app, world, exported, monkeypatch, fmt):
    """The audit event is written after the file, with the rows actually in it (the probe
    found "97 rows exported" audited for a CSV that delivered nothing)."""
    monkeypatch.setattr(visitor_export, "CHUNK", 2)
    export = visitor_export.prepare(world.site, DAY.date(), DAY.date() + timedelta(days=1), fmt)
    with app.test_request_context("/?lang=en"):
        written = visitor_export.write(export)
        data = written.handle.read()
        written.handle.close()
    if fmt == "csv":
        lines = list(csv.reader(io.StringIO(data.decode("utf-8")[1:])))
    else:
        lines = list(load_workbook(io.BytesIO(data)).active.iter_rows(values_only=True))
    assert written.rows == len(lines) - 1 == 7
