"""What the register views share: who may do what, the photo root, refusals onto forms."""

from datetime import UTC

from flask import current_app
from flask_login import current_user

from kiosk import photos
from kiosk.access import FRONT_DESK, SUPERVISORS
from kiosk.models import Role
from kiosk.registers import labels

RUN = FRONT_DESK  # receptionists, duty manager, supervisors, managers run the books
APPROVE = SUPERVISORS  # goods passes are approved by a supervisor or manager
GATE = frozenset({*FRONT_DESK, Role.DEPARTMENT})  # security staff at the gate (checked in the view)


def me():
    return current_user._get_current_object()


def photo_root():
    return photos.root(current_app.config, current_app.instance_path)


def put_refusal(form, refused, fallback: str | None = None) -> None:
    """Show a domain refusal on the field it is about (or on `fallback`, or as a form error)."""
    message = labels.refusal(refused.reason)
    name = refused.field if refused.field in form else fallback
    if name is not None and name in form:
        field = form[name]
        field.errors = [*field.errors, message]
    else:
        form.form_errors.append(message)


def to_utc(naive, tz_name: str):
    """A site-local time typed in a form, as aware UTC."""
    from zoneinfo import ZoneInfo

    if naive is None:
        return None
    return naive.replace(tzinfo=ZoneInfo(tz_name)).astimezone(UTC)


def to_local_input(aware, tz_name: str):
    """An aware UTC time as the naive site-local value a datetime-local input shows."""
    from zoneinfo import ZoneInfo

    return aware.astimezone(ZoneInfo(tz_name)).replace(tzinfo=None, second=0, microsecond=0)
