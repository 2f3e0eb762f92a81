"""The pending-item providers of the registers that exist now: visitors on site, keys on
loan, open rectification tasks. Later areas add theirs in their own package."""

from datetime import datetime

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import selectinload

from kiosk.extensions import db
from kiosk.handover.pending import PendingItem, add_provider
from kiosk.keys import loans, register
from kiosk.models import Room, Site, Visit, VisitStatus
from kiosk.models.keys import KeyLoan
from kiosk.models.patrols import Task, TaskStatus
from kiosk.timeutil import to_local

STILL_HERE = (VisitStatus.WAITING, VisitStatus.HELD, VisitStatus.ON_SITE)


def _count(query) -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(query.subquery())) or 0


def visitors_on_site(site_id: int, now: datetime, limit: int):
    query = sa.select(Visit.id).where(Visit.site_id == site_id, Visit.status.in_(STILL_HERE))
    rows = db.session.scalars(
        sa.select(Visit)
        .where(Visit.site_id == site_id, Visit.status.in_(STILL_HERE))
        .options(selectinload(Visit.room).selectinload(Room.building), selectinload(Visit.room).selectinload(Room.unit))
        .order_by(Visit.action_at)
        .limit(limit)
    ).all()
    items = [
        PendingItem(
            text=v.room.label if v.room else "—", detail=f"{v.code} · ×{v.party_size}", since=v.action_at.isoformat()
        )
        for v in rows
    ]
    return items, _count(query)


def keys_on_loan(site_id: int, now: datetime, limit: int):
    query = sa.select(KeyLoan.id).where(KeyLoan.site_id == site_id, KeyLoan.returned_at.is_(None))
    items = [
        PendingItem(
            text=register.label(loan.key_set),
            detail=f"{loan.borrower_name} · {loan.key_set.tag_code}",
            since=loan.lent_at.isoformat(),
            due=loan.expected_back_at.isoformat(),
            late=loans.is_overdue(loan, now),
        )
        for loan in loans.on_loan(site_id, limit)
    ]
    return items, _count(query)


def open_tasks(site_id: int, now: datetime, limit: int):
    query = sa.select(Task.id).where(Task.site_id == site_id, Task.status == TaskStatus.OPEN)
    rows = db.session.scalars(
        sa.select(Task)
        .where(Task.site_id == site_id, Task.status == TaskStatus.OPEN)
        .options(selectinload(Task.checkpoint), selectinload(Task.item))
        .order_by(Task.deadline, Task.id)
        .limit(limit)
    ).all()
    from zoneinfo import ZoneInfo

    today = now.astimezone(ZoneInfo(db.session.get(Site, site_id).timezone)).date()
    items = [
        PendingItem(
            text=f"#{t.id} {t.checkpoint.name_zh} · {t.item.text_zh}",
            text_en=f"#{t.id} {t.checkpoint.name_en} · {t.item.text_en}",
            due=t.deadline.isoformat(),
            late=t.deadline < today,
        )
        for t in rows
    ]
    return items, _count(query)


add_provider("visitors", _l("Visitors still on site"), visitors_on_site, endpoint="lobby.board", order=10)
add_provider("keys", _l("Keys on loan"), keys_on_loan, endpoint="keys.board", order=20)
add_provider("tasks", _l("Open rectification tasks"), open_tasks, endpoint="patrols.tasks", order=30)


def _text(label) -> str:
    """A translated label as text for the log's snapshot: in the reader's language during a
    request, in the site's default (Chinese) when signed outside one (the demo, a command)."""
    from flask import has_request_context
    from flask_babel import force_locale

    if has_request_context():
        return str(label)
    with force_locale("zh_Hans_CN"):
        return str(label)


def registers_pending(site_id: int, now: datetime, limit: int):
    """Parcels waiting too long, goods passes in use, found items at the desk, notices to take down."""
    from kiosk.registers import pending

    rows = pending(site_id, now, limit)
    items = [
        PendingItem(
            text=row.label,
            detail=_text(REGISTER_KINDS.get(row.register, row.register)),
            since=row.since.isoformat(),
            late=row.urgent,
        )
        for row in rows[:limit]
    ]
    return items, len(rows)


def callbacks_due(site_id: int, now: datetime, limit: int):
    """The callbacks owed across complaints, repairs, survey opinions and special services,
    earliest deadline first (C4, C6, C7, C10); late by the site's local date, not UTC's."""
    from kiosk.cases import callbacks

    site = db.session.get(Site, site_id)
    today = to_local(now, site.timezone).date()
    rows = callbacks.page(site_id, size=limit).items
    items = [
        PendingItem(
            text=row.record.room.label if getattr(row.record, "room", None) else row.record.code,
            detail=_text(CASE_KINDS.get(row.kind, row.kind)),
            due=row.due.isoformat() if row.due else None,
            late=row.late(today),
        )
        for row in rows
    ]
    return items, callbacks.count(site_id)


def open_cases(site_id: int, now: datetime, limit: int):
    """Open intake items and complaints being handled, with their next deadline (H1, C1-C3);
    room labels and case numbers only: the caller's name and phone stay off the log."""
    from kiosk.cases import pending as cases_pending

    rows, total = cases_pending.open_for_handover(site_id, now, limit)
    items = [
        PendingItem(
            text=row.record.room.label if row.record.room else _reference(row),
            detail=f"{_reference(row)} · {_text(OPEN_KINDS[row.kind])} · {_text(OPEN_STEPS.get(row.step, row.step))}",
            since=row.record.received_at.isoformat(),
            due=row.due.isoformat() if row.due else None,
            late=row.late,
        )
        for row in rows
    ]
    return items, total


def _reference(row) -> str:
    return row.record.code if row.kind == "complaint" else f"#{row.record.id}"


REGISTER_KINDS = {
    "mail": _l("Parcel waiting"),
    "goods_pass": _l("Goods pass in use"),
    "found": _l("Found item at the desk"),
    "notice": _l("Notice to take down"),
}
CASE_KINDS = {
    "complaint": _l("Complaint callback"),
    "repair": _l("Repair callback"),
    "survey": _l("Survey opinion callback"),
    "service": _l("Special service callback"),
}
OPEN_KINDS = {"intake": _l("Intake item"), "complaint": _l("Complaint")}
OPEN_STEPS = {
    "reply": _l("reply owed"),
    "verify": _l("department to verify"),
    "follow_up": _l("to follow up"),
    "validity": _l("validity to be checked"),
    "grade": _l("to be graded and sent to the department"),
    "answer": _l("first answer owed"),
    "rectify": _l("rectification due"),
    "paused": _l("paused"),
}

add_provider("registers", _l("Front-desk registers"), registers_pending, endpoint="registers.mail", order=40)
add_provider("callbacks", _l("Callbacks due"), callbacks_due, endpoint="cases.callbacks", order=50)
add_provider("cases", _l("Open intake items and complaints"), open_cases, endpoint="cases.intake", order=45)
