"""One list of the callbacks due (回访) across the four kinds that owe one: complaints once
rectified (C4), repairs once done (C10), survey opinions once the department's measures are
written (C6) and paid special services once the payment notice is given (C7). Plain Python.

Ordered by deadline, then kind, then id, and keyset-paged across all four: a UNION ALL of
four small selects (due, kind, id) gives a page of keys; the page's records are then loaded
with one query per kind present on it. A page costs at most five statements, whatever the
number of callbacks. The cursor is the last key of the page (opaque, URL-safe).
"""

import base64
import binascii
import json
from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa
from sqlalchemy.orm import joinedload

from kiosk.extensions import db
from kiosk.ids import MAX_ID
from kiosk.models import Room
from kiosk.models.case_complaints import Complaint, ComplaintStatus
from kiosk.models.case_orders import OrderStatus, WorkOrder
from kiosk.models.case_services import OpinionStatus, ServiceStatus, SpecialService, SurveyOpinion
from kiosk.paging import BadCursor, Page

PAGE_SIZE = 50
NO_DATE = date(9999, 12, 31)  # a record owing a callback with no deadline goes last
# kind -> (model, "a callback is owed" condition); the kinds sort by their names
KINDS = {
    "complaint": (Complaint, Complaint.status == ComplaintStatus.RECTIFIED),
    "repair": (WorkOrder, WorkOrder.status == OrderStatus.DONE),
    "service": (SpecialService, SpecialService.status == ServiceStatus.NOTIFIED),
    "survey": (SurveyOpinion, SurveyOpinion.status == OpinionStatus.ANSWERED),
}


@dataclass(frozen=True)
class Due:
    kind: str  # "complaint" | "repair" | "service" | "survey"
    record: object
    due: date | None

    @property
    def name(self) -> str:
        return self.record.caller_name if self.kind == "complaint" else self.record.contact_name

    @property
    def phone(self) -> str | None:
        return self.record.caller_phone if self.kind == "complaint" else self.record.contact_phone

    def late(self, today: date) -> bool:
        """Overdue on the site's local date (the caller passes the site's today, never UTC's)."""
        return self.due is not None and self.due < today


def _keys(site_id: int) -> sa.Subquery:
    selects = [
        sa.select(
            sa.func.coalesce(model.callback_due, sa.literal(NO_DATE, sa.Date)).label("due"),
            sa.literal(kind, sa.String(10)).label("kind"),
            model.id.label("id"),
        ).where(model.site_id == site_id, owed)
        for kind, (model, owed) in KINDS.items()
    ]
    return sa.union_all(*selects).subquery("callbacks_due")


def encode_cursor(due: date, kind: str, ident: int) -> str:
    payload = json.dumps([due.isoformat(), kind, int(ident)], separators=(",", ":"))
    return base64.urlsafe_b64encode(payload.encode()).decode().rstrip("=")


def decode_cursor(cursor: str) -> tuple[date, str, int]:
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        due_text, kind, ident = json.loads(raw)
        due = date.fromisoformat(due_text)
    except (ValueError, TypeError, binascii.Error, UnicodeDecodeError) as exc:
        raise BadCursor(cursor) from exc
    if kind not in KINDS or not isinstance(ident, int) or isinstance(ident, bool) or abs(ident) > MAX_ID:
        raise BadCursor(cursor)
    return due, kind, ident


def _after(keys: sa.Subquery, cursor: str | None):
    if not cursor:
        return sa.true()
    due, kind, ident = decode_cursor(cursor)
    c = keys.c
    return sa.or_(
        c.due > due,
        sa.and_(c.due == due, c.kind > kind),
        sa.and_(c.due == due, c.kind == kind, c.id > ident),
    )


def _load(kind: str, ids: list[int]) -> dict[int, object]:
    model = KINDS[kind][0]
    rows = db.session.scalars(
        sa.select(model)
        .where(model.id.in_(ids))
        .options(
            joinedload(model.room).joinedload(Room.building),
            joinedload(model.room).joinedload(Room.unit),
        )
    ).unique()
    return {row.id: row for row in rows}


def page(site_id: int, cursor: str | None = None, size: int = PAGE_SIZE) -> Page:
    """One page of the site's callbacks due, earliest deadline first (items are Due rows).
    Raises BadCursor for a cursor this module did not make."""
    keys = _keys(site_id)
    found = db.session.execute(
        sa.select(keys.c.due, keys.c.kind, keys.c.id)
        .where(_after(keys, cursor))
        .order_by(keys.c.due, keys.c.kind, keys.c.id)
        .limit(size + 1)
    ).all()
    more, found = len(found) > size, found[:size]
    by_kind: dict[str, list[int]] = {}
    for _due, kind, ident in found:
        by_kind.setdefault(kind, []).append(ident)
    records = {kind: _load(kind, ids) for kind, ids in by_kind.items()}
    items = [
        Due(kind, records[kind][ident], None if due == NO_DATE else due)
        for due, kind, ident in found
        if ident in records[kind]
    ]
    next_cursor = encode_cursor(*found[-1]) if more and found else None
    return Page(items=items, next_cursor=next_cursor, first=not cursor)


def count(site_id: int) -> int:
    """How many callbacks the site owes, all four kinds, in one statement."""
    keys = _keys(site_id)
    return db.session.scalar(sa.select(sa.func.count()).select_from(keys)) or 0
