"""What the cases views share: the signed-in person, department choices, refusals."""

from zoneinfo import ZoneInfo

import sqlalchemy as sa
from flask import abort, flash
from flask_login import current_user

from kiosk.cases.labels import REFUSALS
from kiosk.extensions import db
from kiosk.models import Department, Role
from kiosk.templating import DEPARTMENT_LABELS


def me():
    return current_user._get_current_object()


def site():
    return current_user.site


def department_choices(site_id: int) -> list[tuple[int, object]]:
    rows = db.session.scalars(sa.select(Department).where(Department.site_id == site_id).order_by(Department.id))
    return [(d.id, DEPARTMENT_LABELS.get(d.kind, d.kind)) for d in rows]


def money(cents: int | None) -> str:
    return f"¥{cents / 100:.2f}" if cents is not None else ""


def price_choices(site_id: int) -> list[tuple[int, object]]:
    """The price list for a select: "priced on site" first, then each item with its fee (C10)."""
    from flask_babel import lazy_gettext as _l

    from kiosk.cases import prices

    rows = [(0, _l("Not on the price list: priced on site"))]
    for item in prices.listed(site_id):
        fee = money(item.fee_cents) + (f" / {item.unit}" if item.unit else "")
        rows.append((item.id, f"{item.name} · {fee}"))
    return rows


def department_in_site(department_id: int | None) -> Department | None:
    if department_id is None:
        return None
    department = db.session.get(Department, department_id)
    if department is None or department.site_id != current_user.site_id:
        return None
    return department


def refuse(reason: str) -> None:
    db.session.rollback()
    flash(str(REFUSALS.get(reason, REFUSALS["illegal_step"])), "error")


def own_department_only(department_id: int | None) -> None:
    """Department staff see their own department's records only (404 otherwise)."""
    if current_user.role == Role.DEPARTMENT and department_id != current_user.department_id:
        abort(404)


def local_to_utc(value):
    if value is None:
        return None
    return value.replace(tzinfo=ZoneInfo(current_user.site.timezone)).astimezone(ZoneInfo("UTC"))


def today():
    from kiosk.timeutil import local_now

    return local_now(current_user.site.timezone).date()
