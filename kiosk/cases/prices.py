"""The site's paid-repair price list (有偿维修收费标准, C10), kept by managers. Plain Python.

A repair on the list is confirmed with the customer, item and fee, before the order is
written; anything else is "priced on site" by the technician. Every change is audited with
the fee before and after; an item is retired, never deleted, so that orders written with it
keep their item and the fee they were given.
"""

from datetime import datetime

import sqlalchemy as sa

from kiosk import audit
from kiosk.cases import Refused
from kiosk.extensions import db
from kiosk.models import Role, User
from kiosk.models.case_orders import RepairCategory
from kiosk.models.case_services import PriceItem

KEEPERS = frozenset({Role.MANAGER})
MAX_FEE_CENTS = 10_000_000  # ¥100,000: no repair on a price list costs more
LIST_LIMIT = 300


def _keeper(user: User) -> None:
    if user.role not in KEEPERS:
        raise Refused("managers_only")


def _checked(name: str, fee_cents: int) -> str:
    name = (name or "").strip()
    if not name:
        raise Refused("item_name_required")
    if fee_cents is None or not 0 <= fee_cents <= MAX_FEE_CENTS:
        raise Refused("fee_out_of_range")
    return name


def _duplicate(site_id: int, name: str, except_id: int | None = None) -> bool:
    query = sa.select(PriceItem.id).where(PriceItem.site_id == site_id, PriceItem.name == name)
    if except_id is not None:
        query = query.where(PriceItem.id != except_id)
    return db.session.scalar(query.limit(1)) is not None


def add(
    site,
    user: User,
    *,
    name: str,
    category: RepairCategory,
    fee_cents: int,
    unit: str | None,
    now: datetime,
) -> PriceItem:
    """A manager adds an item; a second item of the same name is refused (a double submit too)."""
    _keeper(user)
    name = _checked(name, fee_cents)
    if _duplicate(site.id, name):
        raise Refused("duplicate_item")
    item = PriceItem(
        site_id=site.id,
        name=name,
        category=category,
        fee_cents=fee_cents,
        unit=(unit or "").strip() or None,
        created_at=now,
    )
    db.session.add(item)
    db.session.flush()
    audit.record(user, "price_item.created", item, details={"fee_cents": fee_cents, "category": str(category)})
    return item


def change(
    item: PriceItem,
    user: User,
    *,
    name: str,
    category: RepairCategory,
    fee_cents: int,
    unit: str | None,
    active: bool,
) -> None:
    """A manager changes an item; orders already written keep the fee they were given."""
    _keeper(user)
    name = _checked(name, fee_cents)
    if _duplicate(item.site_id, name, except_id=item.id):
        raise Refused("duplicate_item")
    before = {"fee_cents": item.fee_cents, "active": item.active, "name": item.name}
    item.name, item.category, item.fee_cents = name, category, fee_cents
    item.unit, item.active = (unit or "").strip() or None, active
    audit.record(
        user,
        "price_item.changed",
        item,
        details={"before": before, "after": {"fee_cents": fee_cents, "active": active, "name": name}},
    )


def listed(site_id: int, *, active_only: bool = True) -> list[PriceItem]:
    """The site's list by category and name (one bounded query; a price list is short)."""
    query = sa.select(PriceItem).where(PriceItem.site_id == site_id)
    if active_only:
        query = query.where(PriceItem.active.is_(True))
    return list(db.session.scalars(query.order_by(PriceItem.category, PriceItem.name, PriceItem.id).limit(LIST_LIMIT)))


def for_order(site_id: int, item_id: int | None) -> PriceItem | None:
    """The item chosen for a work order: None for "priced on site"; refused unless it is on
    this site's list and not retired."""
    if not item_id:
        return None
    item = db.session.get(PriceItem, item_id)
    if item is None or item.site_id != site_id or not item.active:
        raise Refused("price_item_unknown")
    return item
