"""Loans and returns (K4): signed out, back the same day, checked on return; emergencies."""

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from kiosk import audit
from kiosk.extensions import db
from kiosk.keys import KeyRefused
from kiosk.keys.register import needs_seal
from kiosk.models import Role, Room, User
from kiosk.models.keys import AnomalyKind, BorrowerKind, KeyAnomaly, KeyLoan, KeySet, KeyState

EMERGENCY_REASONS = ("burst_pipe", "electrical", "alarm", "other")
LENDABLE = (KeyState.IN_CABINET, KeyState.SEALED)


# The last instant of a site-local day (K4 "the same day"). A loan may be recorded up to it:
# at 23:59:30 "by the end of the day" is still ahead (the form's 23:59 means this instant).
LAST_INSTANT = time(23, 59, 59, 999999)


def end_of_day(now: datetime, tz_name: str) -> datetime:
    """The last instant of the site-local day of `now`: a loan is due back by then (K4)."""
    tz = ZoneInfo(tz_name)
    local = now.astimezone(tz)
    return datetime.combine(local.date(), LAST_INSTANT, tzinfo=tz).astimezone(ZoneInfo("UTC"))


def expected_back_today(now: datetime, tz_name: str, clock: time) -> datetime:
    """A wall-clock time typed on the loan form, on the site-local day of `now`; 23:59 (the
    latest a form can say) means the end of the day, so a loan at 23:59:30 is still same-day."""
    tz = ZoneInfo(tz_name)
    if (clock.hour, clock.minute) == (23, 59):
        return end_of_day(now, tz_name)
    return datetime.combine(now.astimezone(tz).date(), clock, tzinfo=tz).astimezone(ZoneInfo("UTC"))


def default_expected_back(now: datetime, tz_name: str, desk_closes: time) -> datetime:
    """Same day by default: the desk's closing time, or the end of the day after it."""
    tz = ZoneInfo(tz_name)
    local = now.astimezone(tz)
    closing = datetime.combine(local.date(), desk_closes, tzinfo=tz)
    return (closing if closing > local + timedelta(minutes=30) else end_of_day(now, tz_name)).astimezone(
        ZoneInfo("UTC")
    )


def _check_lendable(key_set: KeySet) -> None:
    if key_set.retired:
        raise KeyRefused("retired")
    if key_set.engineering_held:
        raise KeyRefused("engineering_held")  # K5: engineering holds these, not the cabinet
    if key_set.state not in LENDABLE:
        raise KeyRefused("not_in_cabinet")


def _check_borrower(kind: BorrowerKind, user: User | None, name: str | None, site_id: int) -> str:
    if kind == BorrowerKind.STAFF:
        if user is None or user.site_id != site_id or not user.active:
            raise KeyRefused("borrower_required")
        return user.display_name
    if not name or not name.strip():
        raise KeyRefused("borrower_required")
    return name.strip()


def lend(
    key_set: KeySet,
    actor: User,
    now: datetime,
    tz_name: str,
    *,
    borrower_kind: BorrowerKind,
    borrower_user: User | None = None,
    borrower_name: str | None = None,
    company: str | None = None,
    purpose: str,
    expected_back_at: datetime,
    signature,
) -> KeyLoan:
    """K4: borrower, purpose, time and the borrower's drawn signature; back the same day."""
    _check_lendable(key_set)
    name = _check_borrower(borrower_kind, borrower_user, borrower_name, key_set.site_id)
    if not purpose or not purpose.strip():
        raise KeyRefused("purpose_required")
    if signature is None:
        raise KeyRefused("signature_required")
    if expected_back_at < now or expected_back_at > end_of_day(now, tz_name):
        raise KeyRefused("same_day")
    loan = KeyLoan(
        site_id=key_set.site_id,
        key_set=key_set,
        borrower_kind=borrower_kind,
        borrower_user_id=borrower_user.id if borrower_user else None,
        borrower_name=name,
        company=(company or "").strip() or None,
        purpose=purpose.strip(),
        pieces_out=key_set.pieces,
        lent_at=now,
        expected_back_at=expected_back_at,
        lent_by_id=actor.id,
        signature_path=signature.path,
        signature_sha256=signature.sha256,
    )
    key_set.state = KeyState.ON_LOAN
    db.session.add(loan)
    db.session.flush()
    audit.record(actor, "keys.lent", loan, details={"key_set": key_set.id})
    return loan


def lend_emergency(
    key_set: KeySet,
    actor: User,
    now: datetime,
    tz_name: str,
    *,
    reason: str,
    approved_by: User | None,
    borrower_kind: BorrowerKind,
    borrower_user: User | None = None,
    borrower_name: str | None = None,
    purpose: str | None = None,
) -> KeyLoan:
    """K4 emergency (burst pipe, electrical fault, alarm): out at once on the manager's word;
    signature and details owed afterwards."""
    _check_lendable(key_set)
    if reason not in EMERGENCY_REASONS:
        raise KeyRefused("emergency_reason")
    if approved_by is None or approved_by.role != Role.MANAGER or approved_by.site_id != key_set.site_id:
        raise KeyRefused("manager_approval")
    name = _check_borrower(borrower_kind, borrower_user, borrower_name, key_set.site_id)
    loan = KeyLoan(
        site_id=key_set.site_id,
        key_set=key_set,
        borrower_kind=borrower_kind,
        borrower_user_id=borrower_user.id if borrower_user else None,
        borrower_name=name,
        purpose=(purpose or "").strip(),
        pieces_out=key_set.pieces,
        lent_at=now,
        expected_back_at=end_of_day(now, tz_name),
        lent_by_id=actor.id,
        emergency=True,
        emergency_reason=reason,
        approved_by_id=approved_by.id,
    )
    key_set.state = KeyState.ON_LOAN
    db.session.add(loan)
    db.session.flush()
    audit.record(actor, "keys.emergency_lent", loan, details={"key_set": key_set.id, "approved_by": approved_by.id})
    return loan


def complete_paperwork(loan: KeyLoan, actor: User, now: datetime, *, purpose: str, signature) -> None:
    """The paperwork owed after an emergency loan: purpose and the borrower's signature."""
    if not loan.paperwork_owed:
        raise KeyRefused("no_paperwork_owed")
    if not purpose or not purpose.strip():
        raise KeyRefused("purpose_required")
    if signature is None:
        raise KeyRefused("signature_required")
    loan.purpose = purpose.strip()
    loan.signature_path, loan.signature_sha256 = signature.path, signature.sha256
    loan.paperwork_done_at = now
    audit.record(actor, "keys.paperwork_done", loan)


def receive(
    loan: KeyLoan,
    actor: User,
    now: datetime,
    *,
    pieces_back: int,
    damaged: bool,
    note: str | None = None,
    seal_number: str | None = None,
) -> list[KeyAnomaly]:
    """K4 return: count the keys and look at them. Missing or damaged keys become anomalies for
    the supervisor; a vacant unit's keys are sealed again (K2)."""
    if loan.returned_at is not None:
        raise KeyRefused("already_returned")
    if pieces_back < 0 or pieces_back > loan.pieces_out:
        raise KeyRefused("pieces")
    short = pieces_back < loan.pieces_out
    note = (note or "").strip() or None
    if (short or damaged) and not note:
        raise KeyRefused("note_required")
    key_set = loan.key_set
    reseal = needs_seal(key_set) and pieces_back > 0
    if reseal and not (seal_number or "").strip():
        raise KeyRefused("seal_required")
    loan.returned_at, loan.received_by_id = now, actor.id
    loan.pieces_back, loan.damaged, loan.return_note = pieces_back, damaged, note
    if pieces_back == 0:
        key_set.state = KeyState.LOST
    elif reseal:
        key_set.state, key_set.seal_number, key_set.sealed_at = KeyState.SEALED, seal_number.strip(), now
    else:
        key_set.state = KeyState.IN_CABINET
    anomalies = []
    if short:
        anomalies.append(
            KeyAnomaly(
                site_id=loan.site_id,
                key_set_id=key_set.id,
                loan_id=loan.id,
                kind=AnomalyKind.MISSING,
                note=note,
                found_at=now,
                found_by_id=actor.id,
            )
        )
    if damaged:
        anomalies.append(
            KeyAnomaly(
                site_id=loan.site_id,
                key_set_id=key_set.id,
                loan_id=loan.id,
                kind=AnomalyKind.DAMAGED,
                note=note,
                found_at=now,
                found_by_id=actor.id,
            )
        )
    db.session.add_all(anomalies)
    audit.record(
        actor,
        "keys.returned",
        loan,
        details={"pieces_out": loan.pieces_out, "pieces_back": pieces_back, "damaged": damaged},
    )
    return anomalies


def resolve(anomaly: KeyAnomaly, actor: User, now: datetime, resolution: str) -> None:
    if anomaly.resolved_at is not None:
        raise KeyRefused("already_resolved")
    if not resolution or not resolution.strip():
        raise KeyRefused("note_required")
    anomaly.resolved_at, anomaly.resolved_by_id, anomaly.resolution = now, actor.id, resolution.strip()
    audit.record(actor, "keys.anomaly_resolved", anomaly)


# --- what is out, and what is late ------------------------------------------------------


def out_query(site_id: int):
    return (
        sa.select(KeyLoan)
        .where(KeyLoan.site_id == site_id, KeyLoan.returned_at.is_(None))
        .options(
            selectinload(KeyLoan.key_set).selectinload(KeySet.room).selectinload(Room.building),
            selectinload(KeyLoan.key_set).selectinload(KeySet.room).selectinload(Room.unit),
            selectinload(KeyLoan.key_set).selectinload(KeySet.building),
        )
    )


def on_loan(site_id: int, limit: int = 100) -> list[KeyLoan]:
    """Loans not yet back, oldest first (bounded): the key board and the handover."""
    return list(db.session.scalars(out_query(site_id).order_by(KeyLoan.lent_at, KeyLoan.id).limit(limit)))


def is_overdue(loan: KeyLoan, now: datetime) -> bool:
    return loan.returned_at is None and loan.expected_back_at < now


def count_overdue(site_id: int, user=None, now: datetime | None = None) -> int:
    """K4: loans not back by their (same-day) expected time: one counting query."""
    from kiosk.timeutil import utcnow

    now = now or utcnow()
    return (
        db.session.scalar(
            sa.select(sa.func.count())
            .select_from(KeyLoan)
            .where(KeyLoan.site_id == site_id, KeyLoan.returned_at.is_(None), KeyLoan.expected_back_at < now)
        )
        or 0
    )


def count_paperwork_owed(site_id: int, user=None) -> int:
    return (
        db.session.scalar(
            sa.select(sa.func.count())
            .select_from(KeyLoan)
            .where(KeyLoan.site_id == site_id, KeyLoan.emergency.is_(True), KeyLoan.paperwork_done_at.is_(None))
        )
        or 0
    )


def count_open_anomalies(site_id: int, user=None) -> int:
    return (
        db.session.scalar(
            sa.select(sa.func.count())
            .select_from(KeyAnomaly)
            .where(KeyAnomaly.site_id == site_id, KeyAnomaly.resolved_at.is_(None))
        )
        or 0
    )
