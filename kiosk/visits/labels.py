"""How visits' kinds, states and fields are named on screen (kiosk, lobby board, visitor log),
and how phone numbers are written for staff, in the reader's language."""

import phonenumbers
from flask_babel import lazy_gettext as _l

from kiosk.models import Departure, Desk, Outcome, Purpose, VisitStatus
from kiosk.names import mask_phone

PURPOSE_LABELS = {
    Purpose.VISIT: _l("Visiting a resident"),
    Purpose.DELIVERY: _l("Delivery"),
    Purpose.WORKS: _l("Decoration or repair work"),
    Purpose.INTERVIEW: _l("Interview or business"),
    Purpose.OTHER: _l("Other"),
}
OUTCOME_LABELS = {
    Outcome.COMING_DOWN: _l("Host is coming down"),
    Outcome.GO_UP: _l("Go up"),
    Outcome.WAIT_LOUNGE: _l("Wait in the lounge"),
    Outcome.NOT_IN: _l("Host not in"),
}
STATUS_LABELS = {
    VisitStatus.WAITING: _l("Waiting"),
    VisitStatus.HELD: _l("Held"),
    VisitStatus.ON_SITE: _l("On site"),
    VisitStatus.TURNED_AWAY: _l("Turned away"),
    VisitStatus.LEFT: _l("Left"),
}
DESK_LABELS = {Desk.RECEPTION: _l("Reception"), Desk.DUTY: _l("Duty manager")}
DEPARTURE_LABELS = {
    Departure.KIOSK: _l("At the kiosk"),
    Departure.STAFF: _l("By staff"),
    Departure.AUTO: _l("Automatically at closing time"),
}


FIELD = {
    "visitor_name": _l("Visitor's name"),
    "visitor_phone": _l("Phone"),
    "plate": _l("Vehicle plate"),
    "party_size": _l("Party size"),
    "purpose": _l("Purpose"),
    "room": _l("Room"),
}


def label(mapping: dict, key):
    """The label of an enum value (or its raw value when unknown, never an error)."""
    if key is None:
        return ""
    for enum_value, text in mapping.items():
        if enum_value == key:
            return text
    return key


def phone_full(phone: str | None) -> str:
    """+86 138 1234 5678: a stored E.164 number written for reading and dialling (shown
    only to the roles of visitor_log.FULL_CONTACT_ROLES)."""
    if not phone:
        return ""
    try:
        parsed = phonenumbers.parse(phone, None)
    except phonenumbers.NumberParseException:
        return phone
    return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.INTERNATIONAL)


def register(app) -> None:
    app.jinja_env.globals.update(
        purposes=[(p.value, PURPOSE_LABELS[p]) for p in Purpose],
        purpose_label=lambda value: PURPOSE_LABELS.get(value, value),
        outcome_label=lambda value: OUTCOME_LABELS.get(value, value),
        status_label=lambda value: STATUS_LABELS.get(value, value),
        desk_label=lambda value: DESK_LABELS.get(value, value),
        departure_label=lambda value: DEPARTURE_LABELS.get(value, value or ""),
        mask_phone=mask_phone,
    )
