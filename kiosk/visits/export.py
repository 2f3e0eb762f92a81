"""Export of the visitor log for a date range, as CSV or XLSX (supervisors; S3).

- Audited before any data leaves: who, the range and the number of rows.
- Phones are masked and ID numbers were never stored in full: an export carries no
  more personal data than the log's lists show (S3, not beyond need).
- Formula injection: a text cell that begins with =, +, -, @, a tab or a carriage
  return gets a leading apostrophe in both formats, so a spreadsheet shows it as text.
  Script or HTML in a name is plain text in both formats.
- Chunked: visits are read a keyset page at a time; CSV is streamed, XLSX is written by
  openpyxl's write-only workbook to a temporary file. Memory stays one page.

Plain Python: no request (the labels are lazy and take the caller's language).
"""
import csv
import io
import re
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from flask_babel import gettext as _

from kiosk import audit, paging
from kiosk.visits import labels
from kiosk.extensions import db
from kiosk.models import Site, User, Visit
from kiosk.names import mask_phone
from kiosk.visits.corrections import effective
from kiosk.visits.log import range_bounds, with_details

CHUNK = 500
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
# Characters that XML (and so XLSX) cannot hold.
_ILLEGAL_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


@dataclass(frozen=True)
class Export:
    site: Site
    date_from: date
    date_to: date
    fmt: str
    count: int
    max_id: int  # rows registered after the count was taken are left out: count == rows

    @property
    def filename(self) -> str:
        return f"visitors-{self.date_from.isoformat()}-{self.date_to.isoformat()}.{self.fmt}"


def _where(site: Site, date_from: date, date_to: date) -> list:
    start, end = range_bounds(site, date_from, date_to)
    return [Visit.site_id == site.id, Visit.action_at >= start, Visit.action_at < end]


def prepare(site: Site, date_from: date, date_to: date, fmt: str, actor: User) -> Export:
    """Count the rows and audit the export (the caller commits before sending)."""
    where = _where(site, date_from, date_to)
    max_id = db.session.scalar(sa.select(sa.func.max(Visit.id)).where(Visit.site_id == site.id)) or 0
    count = db.session.scalar(sa.select(sa.func.count(Visit.id)).where(*where, Visit.id <= max_id))
    audit.record(actor, "visits.export", details={
        "from": date_from.isoformat(), "to": date_to.isoformat(), "rows": count, "format": fmt})
    return Export(site, date_from, date_to, fmt, count, max_id)


def neutralise(value):
    """A cell as a spreadsheet must show it: text that could start a formula is escaped."""
    if not isinstance(value, str):
        return value
    value = _ILLEGAL_XML.sub("", value.replace("\r\n", "\n")) if value else value
    if value.startswith(FORMULA_START):
        return "'" + value
    return value


def header() -> list[str]:
    return [_("Visit code"), _("Registered"), _("Room"), _("Visitor's name"), _("Phone"), _("ID number"),
            _("Party size"), _("Purpose"), _("Vehicle plate"), _("Status"), _("Outcome"), _("Departed"),
            _("Departure"), _("Corrected"), _("Personal data removed")]


def _local(moment: datetime | None, tz: ZoneInfo) -> str:
    return moment.astimezone(tz).strftime("%Y-%m-%d %H:%M") if moment else ""


def _row(visit: Visit, tz: ZoneInfo) -> list:
    values = effective(visit)
    party = values["party_size"].value
    return [
        visit.code, _local(visit.action_at, tz), values["room"].value or _("Service centre"),
        values["visitor_name"].value or "", mask_phone(values["visitor_phone"].value), visit.id_number_masked or "",
        int(party) if party and party.isdigit() else party,
        str(labels.label(labels.PURPOSE_LABELS, values["purpose"].value)), values["plate"].value or "",
        str(labels.label(labels.STATUS_LABELS, visit.status)),
        str(labels.label(labels.OUTCOME_LABELS, visit.outcome)), _local(visit.departed_at, tz),
        str(labels.label(labels.DEPARTURE_LABELS, visit.departure)),
        _("yes") if visit.corrections else "", _local(visit.purged_at, tz),
    ]


def rows(export: Export) -> Iterator[list]:
    """The header, then every visit of the range (newest first), neutralised, a page at a time."""
    tz = ZoneInfo(export.site.timezone)
    yield [neutralise(cell) for cell in header()]
    query = with_details(sa.select(Visit).where(*_where(export.site, export.date_from, export.date_to),
                                                Visit.id <= export.max_id))
    for chunk in paging.chunks(query, Visit.action_at, Visit.id, size=CHUNK):
        for visit in chunk:
            yield [neutralise(cell) for cell in _row(visit, tz)]
        for visit in chunk:  # keep the session's identity map one page big
            for correction in visit.corrections:
                db.session.expunge(correction)
            db.session.expunge(visit)


def csv_chunks(export: Export) -> Iterator[str]:
    """CSV text in pieces for a streamed response; UTF-8 BOM so Excel reads Chinese."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, quoting=csv.QUOTE_MINIMAL, lineterminator="\r\n")
    yield "\ufeff"
    for n, row in enumerate(rows(export), start=1):
        writer.writerow(row)
        if n % CHUNK == 0:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue()


def xlsx_file(export: Export):
    """A temporary file (deleted when closed) holding the workbook, positioned at 0."""
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=_("Visitors")[:31])
    for row in rows(export):
        sheet.append(row)
    handle = tempfile.TemporaryFile(suffix=".xlsx")
    workbook.save(handle)
    handle.seek(0)
    return handle
