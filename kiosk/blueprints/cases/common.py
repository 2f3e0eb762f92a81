"""What the cases views share: the signed-in person, department choices, refusals."""

from zoneinfo import ZoneInfo

import sqlalchemy as sa
from flask import abort, flash, redirect
from flask_login import current_user
from sqlalchemy.orm.exc import StaleDataError

from kiosk.cases import Conflict, Refused
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


def household_in_room(label: str):
    """The room a receptionist typed (1-1-0201) and its household on file: (room, household),
    room None when no such room on the site."""
    from kiosk.models import Household
    from kiosk.visits.corrections import find_room

    room = find_room(current_user.site_id, (label or "").strip())
    if room is None:
        return None, None
    household = db.session.scalar(
        sa.select(Household)
        .where(Household.room_id == room.id, Household.active.is_(True))
        .order_by(Household.id)
        .limit(1)
    )
    return room, household


def history(entity) -> list[tuple]:
    """The audit trail of one record, oldest first: (event, author's name), in two queries."""
    from kiosk.models import AuditEvent, User

    events = list(
        db.session.scalars(
            sa.select(AuditEvent)
            .where(
                AuditEvent.entity_type == type(entity).__name__,
                AuditEvent.entity_id == str(entity.id),
                AuditEvent.action.not_like("%.viewed"),
            )
            .order_by(AuditEvent.id)
            .limit(200)
        )
    )
    ids = {e.user_id for e in events if e.user_id}
    names = {u.id: u.display_name for u in db.session.scalars(sa.select(User).where(User.id.in_(ids)))} if ids else {}
    return [(e, names.get(e.user_id, "")) for e in events]


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


def versioned_step(load, form_name: str, form, action, detail, done_url: str):
    """One step on a case record posted from its page (C6, C7): the form checked, the
    record's version compared with the form's (a stale form is 409 with the new state,
    never a silent overwrite), the domain's refusal shown with the form kept (422), else
    committed and back to the record. `load()` fetches the record (site and access checked),
    `detail(record, status, **forms)` renders its page."""
    record = load()
    if not form.validate_on_submit():
        return detail(record, 422, **{form_name: form})
    try:
        if str(record.version) != (form.version.data or ""):
            raise Conflict()
        action(record, form)
        db.session.commit()
    except Refused as refused:
        refuse(refused.reason)
        return detail(load(), 422, **{form_name: form})
    except (Conflict, StaleDataError):
        db.session.rollback()
        flash(str(REFUSALS["conflict"]), "error")
        return detail(load(), 409)
    return redirect(done_url, 303)
