"""Shift logs and the handover itself (H1), and the daily review; signed means final (S2)."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import sqlalchemy as sa

from kiosk import audit
from kiosk.extensions import db
from kiosk.handover import HandoverRefused, pending, providers  # noqa: F401  (providers: the built-in registers)
from kiosk.keys.register import cabinet_count
from kiosk.models import Role, User
from kiosk.models.handover import DayReview, EntryKind, ShiftEntry, ShiftLog, ShiftStatus

RUNNING = (ShiftStatus.OPEN, ShiftStatus.HANDED, ShiftStatus.REFUSED)
DAY_SIGNERS = (Role.MANAGER, Role.DUTY_MANAGER)  # the manager or the duty head (物业总值)
REVIEW_WINDOW_DAYS = 30


def current_log(site_id: int) -> ShiftLog | None:
    """The site's running shift log (at most one at a time): open, handed over, or refused."""
    return db.session.scalar(
        sa.select(ShiftLog)
        .where(ShiftLog.site_id == site_id, ShiftLog.status.in_(RUNNING))
        .order_by(ShiftLog.id.desc())
        .limit(1)
    )


def open_log(site_id: int, user: User, now: datetime, tz_name: str) -> ShiftLog:
    if current_log(site_id) is not None:
        raise HandoverRefused("already_open")
    log = ShiftLog(
        site_id=site_id,
        day=now.astimezone(ZoneInfo(tz_name)).date(),
        opened_at=now,
        outgoing_id=user.id,
        status=ShiftStatus.OPEN,
    )
    db.session.add(log)
    db.session.flush()
    audit.record(user, "handover.log_opened", log)
    return log


def _text(text: str | None) -> str:
    text = (text or "").strip()
    if not text:
        raise HandoverRefused("text_required")
    return text


def add_entry(log: ShiftLog, user: User, now: datetime, text: str, kind: EntryKind = EntryKind.EVENT) -> ShiftEntry:
    """What happened, or a note for the next shift: only while the shift is open. Once the
    outgoing has signed, nothing is changed (S2): later words are remarks, appended."""
    if kind in (EntryKind.EVENT, EntryKind.NOTE):
        if log.status != ShiftStatus.OPEN:
            raise HandoverRefused("signed")
        if user.id != log.outgoing_id:
            raise HandoverRefused("not_outgoing")
    elif kind == EntryKind.REMARK:
        if log.status == ShiftStatus.OPEN:
            raise HandoverRefused("not_signed")
    elif kind == EntryKind.ANSWER:
        if log.status != ShiftStatus.REFUSED or user.id != log.outgoing_id:
            raise HandoverRefused("no_questions")
    else:
        raise HandoverRefused("kind")
    entry = ShiftEntry(log=log, kind=kind, at=now, by_id=user.id, text=_text(text)[:1000])
    db.session.add(entry)
    db.session.flush()
    return entry


def sign(log: ShiftLog, user: User, now: datetime, *, signature) -> None:
    """The outgoing signs with a drawn signature (kiosk.signatures.StoredSignature): the pending
    items and the register's key count are kept on the log. After a refusal the outgoing answers
    and signs again; each signature is in the audit trail, the log shows the latest."""
    if user.id != log.outgoing_id:
        raise HandoverRefused("not_outgoing")
    if log.status not in (ShiftStatus.OPEN, ShiftStatus.REFUSED):
        raise HandoverRefused("signed")
    if signature is None:
        raise HandoverRefused("signature_required")
    log.outgoing_signature_path, log.outgoing_signature_sha256 = signature.path, signature.sha256
    log.pending = pending.gather(log.site_id, now)
    log.keys_in_register = cabinet_count(log.site_id)
    log.signed_at = now
    log.status = ShiftStatus.HANDED
    audit.record(user, "handover.signed", log, details={"keys": log.keys_in_register, "sha256": signature.sha256})


def _incoming_check(log: ShiftLog, user: User) -> None:
    if log.status != ShiftStatus.HANDED:
        raise HandoverRefused("not_handed")
    if user.id == log.outgoing_id:
        raise HandoverRefused("same_person")


def accept(
    log: ShiftLog,
    user: User,
    now: datetime,
    tz_name: str,
    *,
    keys_counted: int | None,
    equipment_checked: bool,
    signature,
    mismatch_note: str | None = None,
) -> ShiftLog:
    """The incoming counted the keys with the outgoing and has no questions: the handover ends,
    signed by the incoming's drawn signature. A count that differs from the register must be
    explained. The incoming's shift log opens."""
    _incoming_check(log, user)
    if not equipment_checked:
        raise HandoverRefused("equipment_unchecked")
    if keys_counted is None or keys_counted < 0:
        raise HandoverRefused("count_required")
    if signature is None:
        raise HandoverRefused("signature_required")
    in_register = cabinet_count(log.site_id)
    note = (mismatch_note or "").strip() or None
    if keys_counted != in_register and not note:
        raise HandoverRefused("mismatch_unexplained")
    log.keys_in_register, log.keys_counted, log.mismatch_note = in_register, keys_counted, note
    log.incoming_id, log.accepted_at, log.status = user.id, now, ShiftStatus.ACCEPTED
    log.equipment_checked = True
    log.incoming_signature_path, log.incoming_signature_sha256 = signature.path, signature.sha256
    audit.record(
        user,
        "handover.accepted",
        log,
        details={"keys_counted": keys_counted, "in_register": in_register, "sha256": signature.sha256},
    )
    db.session.flush()
    return open_log(log.site_id, user, now, tz_name)


def refuse(log: ShiftLog, user: User, now: datetime, questions: str) -> None:
    """The incoming refuses with questions; the supervisor sees it; the outgoing answers and signs again."""
    _incoming_check(log, user)
    text = _text(questions)
    log.incoming_id, log.status = user.id, ShiftStatus.REFUSED
    log.refused_count += 1
    db.session.add(ShiftEntry(log=log, kind=EntryKind.REFUSAL, at=now, by_id=user.id, text=text[:1000]))
    audit.record(user, "handover.refused", log)


def count_refused(site_id: int, user=None) -> int:
    if user is not None and user.role not in (Role.SUPERVISOR, Role.MANAGER):
        return 0
    return (
        db.session.scalar(
            sa.select(sa.func.count())
            .select_from(ShiftLog)
            .where(ShiftLog.site_id == site_id, ShiftLog.status == ShiftStatus.REFUSED)
        )
        or 0
    )


def count_waiting(site_id: int, user=None) -> int:
    """A handover signed by someone else, waiting for an incoming."""
    query = (
        sa.select(sa.func.count())
        .select_from(ShiftLog)
        .where(ShiftLog.site_id == site_id, ShiftLog.status == ShiftStatus.HANDED)
    )
    if user is not None:
        query = query.where(ShiftLog.outgoing_id != user.id)
    return db.session.scalar(query) or 0


# --- the daily review ---------------------------------------------------------------


def unsigned_days(site_id: int, today: date, limit: int = REVIEW_WINDOW_DAYS) -> list[date]:
    """Days (before today, within the window) with handovers and no review signature."""
    reviewed = sa.select(DayReview.id).where(DayReview.site_id == site_id, DayReview.day == ShiftLog.day)
    return list(
        db.session.scalars(
            sa.select(ShiftLog.day)
            .where(
                ShiftLog.site_id == site_id,
                ShiftLog.day < today,
                ShiftLog.day >= today - timedelta(days=REVIEW_WINDOW_DAYS),
                ~reviewed.exists(),
            )
            .group_by(ShiftLog.day)
            .order_by(ShiftLog.day.desc())
            .limit(limit)
        )
    )


def count_unsigned_days(site_id: int, user=None) -> int:
    if user is not None and user.role not in DAY_SIGNERS:
        return 0
    from kiosk.models import Site
    from kiosk.timeutil import utcnow

    today = utcnow().astimezone(ZoneInfo(db.session.get(Site, site_id).timezone)).date()
    return len(unsigned_days(site_id, today))


def sign_day(site_id: int, day: date, user: User, now: datetime, note: str | None = None) -> DayReview:
    """H1: the manager or duty head reviews and signs a day's handovers once they are all over."""
    if user.role not in DAY_SIGNERS:
        raise HandoverRefused("not_day_signer")
    logs = db.session.scalars(sa.select(ShiftLog.status).where(ShiftLog.site_id == site_id, ShiftLog.day == day)).all()
    if not logs:
        raise HandoverRefused("no_handovers")
    if any(status != ShiftStatus.ACCEPTED for status in logs):
        raise HandoverRefused("handover_running")
    if db.session.scalar(sa.select(DayReview.id).where(DayReview.site_id == site_id, DayReview.day == day)):
        raise HandoverRefused("day_signed")
    review = DayReview(site_id=site_id, day=day, signed_by_id=user.id, signed_at=now, note=(note or "").strip() or None)
    db.session.add(review)
    db.session.flush()
    audit.record(user, "handover.day_signed", review, details={"day": day.isoformat()})
    return review
