"""Export of the visitor log for a date range, as CSV or XLSX (supervisors; S3).

- The whole file is written inside the request, then audited with the number of rows it
  actually holds (who, the range, the format), committed, and only then sent: nothing read
  from the database is touched while the response streams, and the audit never claims
  rows that were not delivered.
- Phones are masked and ID numbers were never stored in full: an export carries no
  more personal data than the log's lists show (S3, not beyond need).
- Formula injection: every cell goes through kiosk.spreadsheets (a text cell that begins
  with =, +, -, @, a tab or a carriage return gets a leading apostrophe in both formats).
  Script or HTML in a name is plain text in both formats.
- Chunked: visits are read a keyset page at a time into a temporary file (CSV as text,
  XLSX by openpyxl's write-only workbook). Memory stays one page.

Plain Python: no request (the labels are lazy and take the caller's language).
"""

import csv
import io
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from flask_babel import gettext as _

from kiosk import audit, paging, spreadsheets
from kiosk.extensions import db
from kiosk.models import Site, User, Visit
from kiosk.names import mask_phone
from kiosk.visits import labels
from kiosk.visits.corrections import effective
from kiosk.visits.log import range_bounds, with_details

CHUNK = 500
FORMULA_START = spreadsheets.FORMULA_START


@dataclass(frozen=True)
class Export:
    """What to export, as plain values (no ORM object: safe to keep past a session)."""

    site_id: int
    timezone: str
    date_from: date
    date_to: date
    fmt: str
    start: datetime
    end: datetime

    @property
    def filename(self) -> str:
        return f"visitors-{self.date_from.isoformat()}-{self.date_to.isoformat()}.{self.fmt}"


@dataclass
class Written:
    """The finished file (a temporary file at position 0, deleted when closed) and its row count."""

    handle: object
    rows: int


def prepare(site: Site, date_from: date, date_to: date, fmt: str) -> Export:
    start, end = range_bounds(site, date_from, date_to)
    return Export(site.id, site.timezone, date_from, date_to, fmt, start, end)


def audit_delivery(export: Export, written: Written, actor: User) -> None:
    """The audit event of an export, with the rows the file holds (the caller commits before sending)."""
    audit.record(
        actor,
        "visits.export",
        site_id=export.site_id,
        details={
            "from": export.date_from.isoformat(),
            "to": export.date_to.isoformat(),
            "rows": written.rows,
            "format": export.fmt,
        },
    )


def neutralise(value):
    """Kept for callers of the visit export: the product's one rule, kiosk.spreadsheets.cell."""
    return spreadsheets.cell(value)


def header() -> list[str]:
    return [
        _("Visit code"),
        _("Registered"),
        _("Room"),
        _("Visitor's name"),
        _("Phone"),
        _("ID number"),
        _("Party size"),
        _("Purpose"),
        _("Vehicle plate"),
        _("Status"),
        _("Outcome"),
        _("Departed"),
        _("Departure"),
        _("Corrected"),
        _("Personal data removed"),
    ]


def _local(moment: datetime | None, tz: ZoneInfo) -> str:
    return moment.astimezone(tz).strftime("%Y-%m-%d %H:%M") if moment else ""


def _row(visit: Visit, tz: ZoneInfo) -> list:
    values = effective(visit)
    party = values["party_size"].value
    return [
        visit.code,
        _local(visit.action_at, tz),
        values["room"].value or _("Service centre"),
        values["visitor_name"].value or "",
        mask_phone(values["visitor_phone"].value),
        visit.id_number_masked or "",
        int(party) if party and party.isascii() and party.isdecimal() else party,
        str(labels.label(labels.PURPOSE_LABELS, values["purpose"].value)),
        values["plate"].value or "",
        str(labels.label(labels.STATUS_LABELS, visit.status)),
        str(labels.label(labels.OUTCOME_LABELS, visit.outcome)),
        _local(visit.departed_at, tz),
        str(labels.label(labels.DEPARTURE_LABELS, visit.departure)),
        _("yes") if visit.corrections else "",
        _local(visit.purged_at, tz),
    ]


def rows(export: Export) -> Iterator[list]:
    """The header, then every visit of the range (newest first), escaped, a page at a time."""
    tz = ZoneInfo(export.timezone)
    yield spreadsheets.row(header())
    query = with_details(
        sa.select(Visit).where(
            Visit.site_id == export.site_id, Visit.action_at >= export.start, Visit.action_at < export.end
        )
    )
    for chunk in paging.chunks(query, Visit.action_at, Visit.id, size=CHUNK):
        for visit in chunk:
            yield spreadsheets.row(_row(visit, tz))
        for visit in chunk:  # keep the session's identity map one page big
            for correction in visit.corrections:
                db.session.expunge(correction)
            db.session.expunge(visit)


def write(export: Export) -> Written:
    """The whole file, written now (inside the request), with the number of visits in it."""
    return _csv_file(export) if export.fmt == "csv" else _xlsx_file(export)


def _csv_file(export: Export) -> Written:
    """CSV in UTF-8 with a byte-order mark, so that Excel reads Chinese."""
    handle = tempfile.TemporaryFile(suffix=".csv")
    buffer = io.StringIO()
    writer = csv.writer(buffer, quoting=csv.QUOTE_MINIMAL, lineterminator="\r\n")
    buffer.write("\ufeff")
    count = -1  # the header is not a visit
    for count, line in enumerate(rows(export)):
        writer.writerow(line)
        if count % CHUNK == 0:
            handle.write(buffer.getvalue().encode("utf-8"))
            buffer.seek(0)
            buffer.truncate()
    handle.write(buffer.getvalue().encode("utf-8"))
    handle.seek(0)
    return Written(handle, max(count, 0))


def _xlsx_file(export: Export) -> Written:
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=_("Visitors")[:31])
    count = -1
    for count, line in enumerate(rows(export)):
        sheet.append(line)
    handle = tempfile.TemporaryFile(suffix=".xlsx")
    workbook.save(handle)
    handle.seek(0)
    return Written(handle, max(count, 0))
