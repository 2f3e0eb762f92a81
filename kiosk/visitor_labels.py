"""How visit states, fields and phone numbers are shown to staff, in the reader's language."""
import phonenumbers
from flask_babel import lazy_gettext as _l

from kiosk.visit_labels import DEPARTURE_LABELS, OUTCOME_LABELS, PURPOSE_LABELS, STATUS_LABELS

# One set of labels for visit states, shared with the kiosk and the lobby board.
PURPOSE, STATUS, OUTCOME, DEPARTURE = PURPOSE_LABELS, STATUS_LABELS, OUTCOME_LABELS, DEPARTURE_LABELS

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
