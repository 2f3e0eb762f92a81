"""The weekly audit (K3): every key set in the cabinet ticked against the register; what is
missing or does not match becomes an anomaly for the supervisor and the manager."""

from datetime import datetime, timedelta

import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from kiosk import audit as audit_log
from kiosk.extensions import db
from kiosk.keys import KeyRefused
from kiosk.models import Room, User
from kiosk.models.keys import (
    IN_CABINET_STATES,
    AnomalyKind,
    AuditResult,
    KeyAnomaly,
    KeyAudit,
    KeyAuditLine,
    KeySet,
)

INTERVAL = timedelta(days=7)
MAX_SETS = 2000  # a cabinet larger than this is audited in parts (bounded page)


def expected_sets(site_id: int) -> list[KeySet]:
    """What the register says hangs in the cabinet now, by hook."""
    return list(
        db.session.scalars(
            sa.select(KeySet)
            .where(
                KeySet.site_id == site_id,
                KeySet.retired.is_(False),
                KeySet.engineering_held.is_(False),
                KeySet.state.in_(IN_CABINET_STATES),
            )
            .options(
                selectinload(KeySet.room).selectinload(Room.building),
                selectinload(KeySet.room).selectinload(Room.unit),
                selectinload(KeySet.building),
            )
            .order_by(KeySet.hook, KeySet.id)
            .limit(MAX_SETS)
        )
    )


def record(
    site_id: int,
    officer: User,
    started: datetime,
    now: datetime,
    results: dict[int, tuple[AuditResult, str | None]],
    note: str | None = None,
) -> KeyAudit:
    """Store the audit: `results` maps each expected set's id to what was found. A set not
    ticked counts as not found. Anomalies go to the supervisor and the manager (K3)."""
    sets = expected_sets(site_id)
    if not sets:
        raise KeyRefused("nothing_to_audit")
    for result, line_note in results.values():
        if result == AuditResult.MISMATCH and not (line_note or "").strip():
            raise KeyRefused("note_required")
    row = KeyAudit(
        site_id=site_id,
        started_at=started,
        finished_at=now,
        officer_id=officer.id,
        expected=len(sets),
        note=(note or "").strip() or None,
    )
    db.session.add(row)
    db.session.flush()
    found = anomalies = 0
    for key_set in sets:
        result, line_note = results.get(key_set.id, (AuditResult.NOT_FOUND, None))
        db.session.add(
            KeyAuditLine(audit_id=row.id, key_set_id=key_set.id, result=result, note=(line_note or "").strip() or None)
        )
        if result == AuditResult.PRESENT:
            found += 1
            continue
        anomalies += 1
        db.session.add(
            KeyAnomaly(
                site_id=site_id,
                key_set_id=key_set.id,
                audit_id=row.id,
                found_at=now,
                found_by_id=officer.id,
                note=(line_note or "").strip() or None,
                kind=AnomalyKind.NOT_FOUND if result == AuditResult.NOT_FOUND else AnomalyKind.MISMATCH,
            )
        )
    row.found, row.anomalies = found, anomalies
    audit_log.record(officer, "keys.audited", row, details={"expected": len(sets), "anomalies": anomalies})
    return row


def last_audit(site_id: int) -> KeyAudit | None:
    return db.session.scalar(
        sa.select(KeyAudit)
        .where(KeyAudit.site_id == site_id, KeyAudit.finished_at.is_not(None))
        .order_by(KeyAudit.finished_at.desc())
        .limit(1)
    )


def next_due(site_id: int) -> datetime | None:
    """A week after the last audit; None when there has never been one (due now)."""
    last = last_audit(site_id)
    return last.finished_at + INTERVAL if last else None


def count_overdue(site_id: int, user=None, now: datetime | None = None) -> int:
    """1 when the weekly audit is overdue (or never done while keys are registered), else 0."""
    from kiosk.timeutil import utcnow

    now = now or utcnow()
    due = next_due(site_id)
    if due is None:
        return 1 if db.session.scalar(sa.select(KeySet.id).where(KeySet.site_id == site_id).limit(1)) else 0
    return 1 if due < now else 0
