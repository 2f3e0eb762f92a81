"""The companies' signatories on file (V6): who may sign for a company taking goods out.
A company's letter names them; a supervisor or manager puts them on file and removes them
(with the reason), every change audited; a goods pass going out that names a signatory is
refused unless that person is on file for that company. Plain Python, no request."""

from datetime import datetime

import sqlalchemy as sa

from kiosk import audit, paging
from kiosk.extensions import db
from kiosk.models import User
from kiosk.models.registers import CompanySignatory
from kiosk.names import normalise_name
from kiosk.registers.common import Refused


def _key(text: str | None, length: int) -> str:
    return normalise_name(text)[:length]


def add(company_name: str, person_name: str, phone: str | None, by: User, now: datetime) -> CompanySignatory:
    company_name, person_name = company_name.strip(), person_name.strip()
    if not company_name:
        raise Refused("company", "company_name")
    if not person_name:
        raise Refused("signatory_name", "person_name")
    if on_file(by.site_id, company_name, person_name):
        raise Refused("signatory_duplicate", "person_name")
    row = CompanySignatory(
        site_id=by.site_id,
        company_name=company_name,
        company_key=_key(company_name, 80),
        person_name=person_name,
        person_key=_key(person_name, 50),
        phone=(phone or "").strip() or None,
        created_at=now,
        created_by_id=by.id,
    )
    db.session.add(row)
    db.session.flush()
    audit.record(by, "company_signatory.added", row)
    return row


def remove(row: CompanySignatory, reason: str, by: User, now: datetime) -> bool:
    """Take a signatory off file, once: a second desk or a double submit changes nothing."""
    if not reason.strip():
        raise Refused("reason", "reason")
    changed = db.session.execute(
        sa.update(CompanySignatory)
        .where(CompanySignatory.id == row.id, CompanySignatory.removed_at.is_(None))
        .values(removed_at=now, removed_by_id=by.id, remove_reason=reason.strip())
        .execution_options(synchronize_session="fetch")
    ).rowcount
    if changed:
        audit.record(by, "company_signatory.removed", row, reason=reason.strip())
    return bool(changed)


def on_file(site_id: int, company_name: str | None, person_name: str | None) -> bool:
    """V6: may this person sign for this company (names compared as normalise_name does)?"""
    if not company_name or not person_name:
        return False
    return (
        db.session.scalar(
            sa.select(CompanySignatory.id).where(
                CompanySignatory.site_id == site_id,
                CompanySignatory.company_key == _key(company_name, 80),
                CompanySignatory.person_key == _key(person_name, 50),
                CompanySignatory.removed_at.is_(None),
            )
        )
        is not None
    )


def book(site_id: int, *, cursor: str | None = None, size: int = 50) -> paging.Page:
    """Everyone on file, latest first; removed ones stay listed as removed."""
    query = sa.select(CompanySignatory).where(CompanySignatory.site_id == site_id)
    return paging.keyset(query, CompanySignatory.created_at, CompanySignatory.id, cursor=cursor, size=size)


def load(site_id: int, row_id: int) -> CompanySignatory | None:
    row = db.session.get(CompanySignatory, row_id)
    return row if row is not None and row.site_id == site_id else None
