"""Corrections of a visit record (V1): a registration is never edited; what was wrong is
said by a new VisitCorrection row (field, corrected value, reason), audited (S1), and the
record shows the corrected value beside the original.

Plain Python: no request. Messages are lazy, shown in the reader's language.
"""

import re
import unicodedata
from dataclasses import dataclass

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from kiosk import audit, ids
from kiosk.extensions import db
from kiosk.i18n import lazy_escaped
from kiosk.models import Building, Purpose, Room, Unit, User, Visit, VisitCorrection

NAME_MAX = 50
PARTY_MAX = 50
REASON_MAX = 200

# The fields a correction may name, in the order the record shows them.
FIELDS = ("visitor_name", "visitor_phone", "plate", "party_size", "purpose", "room")
# Corrections of these hold personal data: the retention purge clears their values (S3).
PERSONAL = frozenset({"visitor_name", "visitor_phone", "plate"})

_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u200b-\u200f\u2028-\u202e\ufeff]")
_PLATE_NOISE = re.compile(r"[\s·•.\-_]")
_PLATE = re.compile(r"^[\u4e00-\u9fff][A-Z][A-Z0-9]{4,5}[A-Z0-9挂学警港澳]$")


class InvalidCorrection(ValueError):
    """`on` names the input at fault: "value", "reason" or "field"."""

    def __init__(self, message, on: str = "value"):
        super().__init__(message)
        self.message = message
        self.on = on


@dataclass(frozen=True)
class FieldValue:
    """A field of a record as shown: the value in force, and the original when corrected."""

    value: object
    original: object
    correction: VisitCorrection | None = None

    @property
    def corrected(self) -> bool:
        return self.correction is not None


def original_value(visit: Visit, field: str) -> str | None:
    if field == "room":
        return visit.room.label if visit.room is not None else ""
    value = getattr(visit, field)
    return None if value is None else str(value)


def effective(visit: Visit) -> dict[str, FieldValue]:
    """Every correctable field: the latest correction wins; the original stays visible.
    Uses visit.corrections (load them with the visit to keep lists free of N+1)."""
    latest: dict[str, VisitCorrection] = {}
    for correction in visit.corrections:
        latest[correction.field] = correction
    result = {}
    for field in FIELDS:
        original = original_value(visit, field)
        correction = latest.get(field)
        value = correction.value if correction is not None else original
        result[field] = FieldValue(value=value, original=original, correction=correction)
    return result


def _name(raw: str) -> str:
    name = re.sub(r"\s+", " ", unicodedata.normalize("NFC", _CONTROL.sub("", raw))).strip()
    if not name:
        raise InvalidCorrection(_l("Please enter the corrected name."))
    if len(name) > NAME_MAX:
        raise InvalidCorrection(_l("A name has at most %(max)d characters.", max=NAME_MAX))
    return name


def _phone(raw: str) -> str:
    import phonenumbers

    number = re.sub(r"[\s\-()（）]", "", unicodedata.normalize("NFKC", raw))
    if number.startswith("00"):
        number = "+" + number[2:]
    if not number.startswith("+"):
        number = "+86" + number
    try:
        parsed = phonenumbers.parse(number, None)
    except phonenumbers.NumberParseException:
        parsed = None
    if parsed is None or not phonenumbers.is_valid_number(parsed):
        raise InvalidCorrection(_l("Please enter a valid phone number (with +country code if not mainland)."))
    return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)


def _plate(raw: str) -> str:
    plate = _PLATE_NOISE.sub("", unicodedata.normalize("NFKC", raw)).upper()
    if plate and not _PLATE.match(plate):
        raise InvalidCorrection(_l("This is not a Chinese licence plate, e.g. 粤B12345 or 粤BD12345."))
    return plate


def _party_size(raw: str) -> str:
    size = ids.bounded_int(raw, 1, PARTY_MAX) or 0
    if not 1 <= size <= PARTY_MAX:
        raise InvalidCorrection(_l("Party size is from 1 to %(max)d people.", max=PARTY_MAX))
    return str(size)


def _purpose(raw: str) -> str:
    try:
        return Purpose(raw.strip()).value
    except ValueError as exc:
        raise InvalidCorrection(_l("Please choose a purpose.")) from exc


def find_room(site_id: int, label: str) -> Room | None:
    """A room of the site by its label ("1-1-0101", or "1-0101" in buildings without units)."""
    parts = [part for part in re.split(r"[-－—/\s]+", unicodedata.normalize("NFKC", label).strip()) if part]
    if len(parts) not in (2, 3):
        return None
    query = (
        sa.select(Room)
        .join(Building, Room.building_id == Building.id)
        .where(Room.site_id == site_id, Building.name == parts[0], Room.number == parts[-1])
    )
    if len(parts) == 3:
        query = query.join(Unit, Room.unit_id == Unit.id).where(Unit.name == parts[1])
    else:
        query = query.where(Room.unit_id.is_(None))
    return db.session.scalar(query)


def _room(raw: str, site_id: int) -> str:
    if not raw.strip():
        return ""  # the visitor came to the service centre itself
    room = find_room(site_id, raw)
    if room is None:
        raise InvalidCorrection(
            lazy_escaped(
                "There is no room %(label)s here; write it as building-unit-room, e.g. 1-1-0101.",
                label=raw.strip()[:20],
            )
        )
    return room.label


def normalise(field: str, raw: str | None, site_id: int) -> str:
    raw = raw or ""
    if field == "visitor_name":
        return _name(raw)
    if field == "visitor_phone":
        return _phone(raw)
    if field == "plate":
        return _plate(raw)
    if field == "party_size":
        return _party_size(raw)
    if field == "purpose":
        return _purpose(raw)
    if field == "room":
        return _room(raw, site_id)
    raise InvalidCorrection(_l("Please choose the field to correct."), on="field")


def correct(visit: Visit, field: str, raw: str | None, reason: str | None, actor: User) -> VisitCorrection:
    """V1: add a correction (never an edit of the visit). Raises InvalidCorrection."""
    if visit.purged_at is not None:
        raise InvalidCorrection(
            _l("This record's personal data was removed after the retention period; it cannot be corrected.")
        )
    reason = re.sub(r"\s+", " ", _CONTROL.sub("", reason or "")).strip()
    value = normalise(field, raw, visit.site_id)
    if not reason:
        raise InvalidCorrection(_l("Please give the reason for the correction."), on="reason")
    if len(reason) > REASON_MAX:
        raise InvalidCorrection(_l("The reason has at most %(max)d characters.", max=REASON_MAX), on="reason")
    if value == effective(visit)[field].value:
        raise InvalidCorrection(_l("That is the value on record already."))
    correction = VisitCorrection(
        site_id=visit.site_id, visit=visit, field=field, value=value, reason=reason, by_id=actor.id
    )
    db.session.add(correction)
    db.session.flush()
    # The value and reason stay on the correction row (the purge can clear them); the
    # audit trail, which outlives the purge, names only the field.
    audit.record(actor, "visit.correct", visit, details={"field": field, "correction_id": correction.id})
    return correction
