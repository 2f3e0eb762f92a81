"""The monthly inventory of household files (A1, A3): which documents each household's file
lacks, brought up to date by the 5th of each month, on a page and as XLSX. Plain Python."""

import io
from dataclasses import dataclass, field
from datetime import date, datetime
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from sqlalchemy.orm import joinedload, selectinload

from kiosk import audit
from kiosk.extensions import db
from kiosk.households import checklist
from kiosk.models import Household, Room, Site, User
from kiosk.models.households import HouseholdFile, InventoryCheck
from kiosk.timeutil import utcnow
from kiosk.visits.export import neutralise

DUE_DAY = 5
MAX_FILES = 5000  # a site's files; bounded


@dataclass(frozen=True)
class Row:
    file_id: int
    room: str
    name: str
    kind: str
    missing: list[str]


@dataclass
class Report:
    month: date
    rows: list[Row] = field(default_factory=list)  # files with something missing
    files: int = 0
    by_item: dict[str, int] = field(default_factory=dict)

    @property
    def missing(self) -> int:
        return sum(self.by_item.values())

    @property
    def due(self) -> date:
        return self.month.replace(day=DUE_DAY)


def month_of(site: Site, now: datetime | None = None) -> date:
    """The first day of the site's current month, in the site's zone."""
    return (now or utcnow()).astimezone(ZoneInfo(site.timezone)).date().replace(day=1)


def build(site: Site, month: date) -> Report:
    """Every file of the site as it stands now, with its missing items in checklist order."""
    report = Report(month=month)
    statement = (
        sa.select(HouseholdFile)
        .join(HouseholdFile.household)
        .where(HouseholdFile.site_id == site.id, Household.active.is_(True))
        .options(
            joinedload(HouseholdFile.household).joinedload(Household.room).joinedload(Room.building),
            joinedload(HouseholdFile.household).joinedload(Household.room).joinedload(Room.unit),
            selectinload(HouseholdFile.documents),
        )
        .limit(MAX_FILES)
    )
    for file in db.session.scalars(statement).unique():
        report.files += 1
        missing = [d.item for d in file.documents if not d.present]
        for item in missing:
            report.by_item[item] = report.by_item.get(item, 0) + 1
        if missing:
            household = file.household
            report.rows.append(Row(file.id, household.room.label, household.name, household.kind.value, missing))
    report.rows.sort(key=lambda row: _room_key(row.room))
    return report


def _room_key(label: str):
    return [(0, int(part), "") if part.isdigit() else (1, 0, part) for part in label.split("-")]


def confirmation(site: Site, month: date) -> InventoryCheck | None:
    return db.session.scalar(
        sa.select(InventoryCheck).where(InventoryCheck.site_id == site.id, InventoryCheck.month == month)
    )


def confirm(site: Site, month: date, user: User, now: datetime | None = None) -> InventoryCheck:
    """The supervisor confirms the month's inventory (once; a second click changes nothing)."""
    existing = confirmation(site, month)
    if existing is not None:
        return existing
    report = build(site, month)
    check = InventoryCheck(
        site_id=site.id,
        month=month,
        confirmed_at=now or utcnow(),
        confirmed_by_id=user.id,
        files=report.files,
        missing=report.missing,
    )
    db.session.add(check)
    db.session.flush()
    audit.record(
        user,
        "household_files.inventory_confirmed",
        check,
        details={"month": month.isoformat(), "files": report.files, "missing": report.missing},
    )
    return check


def _unconfirmed(site_id: int, now: datetime | None = None) -> tuple[bool, bool]:
    """(this month's inventory unconfirmed, past its due day) in the site's zone."""
    site = db.session.get(Site, site_id)
    now = now or utcnow()
    month = month_of(site, now)
    late = now.astimezone(ZoneInfo(site.timezone)).date() > month.replace(day=DUE_DAY)
    return confirmation(site, month) is None, late


def count_due(site_id: int, _user=None) -> int:
    """1 while this month's inventory is unconfirmed and not yet late (the 1st to the 5th)."""
    open_, late = _unconfirmed(site_id)
    return int(open_ and not late)


def count_late(site_id: int, _user=None) -> int:
    """1 when this month's inventory is still unconfirmed after the 5th (A1)."""
    open_, late = _unconfirmed(site_id)
    return int(open_ and late)


def xlsx(report: Report, headers: dict[str, str]) -> bytes:
    """The report as a workbook; room and missing items only, no names or phones (S3);
    every text cell neutralised against formula injection."""
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=headers["sheet"][:31])
    sheet.append(
        [
            neutralise(headers["room"]),
            neutralise(headers["kind"]),
            neutralise(headers["count"]),
            neutralise(headers["missing"]),
        ]
    )
    for row in report.rows:
        sheet.append(
            [
                neutralise(row.room),
                neutralise(headers[row.kind]),
                len(row.missing),
                neutralise(headers["sep"].join(str(checklist.label(item)) for item in row.missing)),
            ]
        )
    sheet.append([])
    for item, n in report.by_item.items():
        sheet.append([neutralise(str(checklist.label(item))), None, n, None])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
