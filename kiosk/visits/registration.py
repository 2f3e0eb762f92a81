"""Registering visitors and following each visit to its end (rules V1-V4).

V1: every visitor is registered before the host is contacted; the registration itself
is never edited (corrections are VisitCorrection rows, another module's concern); only
the visit's progress moves on, and every step is audited.
V2: the desk that handles a registration follows the site's desk hours.
V3: nothing here returns a resident's name or phone to the kiosk.
V4: registered -> the desk contacts the host -> an outcome the kiosk shows.
Plain Python: no request. Callers commit (accept_once commits with the idempotency key).
"""

import re
import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from kiosk import audit, ids
from kiosk.extensions import db
from kiosk.i18n import lazy_escaped
from kiosk.models import (
    Building,
    Departure,
    Device,
    ExpectedVisit,
    Outcome,
    Purpose,
    Room,
    Site,
    Unit,
    User,
    Visit,
    VisitStatus,
)
from kiosk.names import mask_id_number, pinyin_of
from kiosk.visits import rules, watchlist

# Codes people read aloud and type: no 0/O, 1/I/L, 2/Z, 5/S, 8/B, G/6.
CODE_ALPHABET = "ACDEFHJKMNPQRTUVWXY3479"
CODE_LENGTH = 6
ACTIVE = (VisitStatus.WAITING, VisitStatus.HELD, VisitStatus.ON_SITE)
CENTRE = "centre"  # the visitor came to the property service centre itself

MSG_ROOM_REQUIRED = _l("Please choose whom you are visiting.")
MSG_NOT_WAITING = _l("This visit is no longer waiting for an outcome.")
MSG_HELD = _l("This visit is held: decide on it first.")
MSG_NOT_HELD = _l("This visit is not held.")
MSG_FLOOR = _l("Please give the floor to go up to.")
MSG_REASON = _l("Please give a reason.")
MSG_CHECKOUT_EMPTY = _l("Please enter your visit code, or your mobile number and the room you visited.")
MSG_CHECKOUT_UNKNOWN_CODE = _l("We found no visit with this code. Please check it.")
MSG_CHECKOUT_NOT_FOUND = _l("We found no visit on site for this mobile number and room.")


class VisitError(Exception):
    """A step that the visit's state does not allow; `message` says why (translated lazily)."""

    def __init__(self, message, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field


@dataclass(frozen=True)
class Registration:
    """A checked registration. `id_number` is only used for matching, never stored whole."""

    room: Room | None
    name: str
    phone: str
    party_size: int
    purpose: Purpose
    plate: str | None = None
    id_number: str | None = None


def new_code(site_id: int, model=Visit) -> str:
    """A short code, unique within the site for this model (visits, expected visits)."""
    while True:
        code = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
        taken = db.session.scalar(sa.select(model.id).where(model.site_id == site_id, model.code == code))
        if taken is None:
            return code


def normalise_code(raw: str | None) -> str:
    return re.sub(r"[^A-Z0-9]", "", (raw or "").upper())


def _room_unknown(number: str):
    return lazy_escaped(
        "There is no room %(number)s here. Please check the number or choose the building first.", number=number
    )


def resolve_room(site_id: int, room: str | None, number: str | None = None, building: str | None = None):
    """(room, error): `room` is a room id from a button or CENTRE; `number` a typed room
    ("1203", "2-1203", "2-1-1203"), narrowed by `building` (an id) when one was chosen.
    Returns (None, None) for the service centre."""
    if room == CENTRE:
        return None, None
    if room and ids.parse_id(room):
        row = db.session.get(Room, ids.parse_id(room))
        if row is not None and row.site_id == site_id:
            return row, None
        return None, _room_unknown("#" + str(room))
    typed = (number or "").strip()
    if not typed:
        return None, MSG_ROOM_REQUIRED
    parts = [p for p in re.split(r"[^0-9A-Za-z]+", typed.upper()) if p]
    if not parts or len(parts) > 3:
        return None, _room_unknown(typed)
    query = (
        sa.select(Room)
        .join(Building, Room.building_id == Building.id)
        .outerjoin(Unit, Room.unit_id == Unit.id)
        .where(Room.site_id == site_id)
    )
    wanted = parts[-1]
    query = query.where(Room.number.in_({wanted, wanted.zfill(4)}))
    if len(parts) >= 2:
        query = query.where(Building.name == parts[0])
    if len(parts) == 3:
        query = query.where(Unit.name == parts[1])
    if building and ids.parse_id(building) and len(parts) == 1:
        query = query.where(Room.building_id == ids.parse_id(building))
    rows = db.session.scalars(query.limit(2)).all()
    if len(rows) == 1:
        return rows[0], None
    if not rows:
        return None, _room_unknown(typed)
    return None, lazy_escaped(
        "Several buildings have a room %(number)s. Please choose the building first.", number=typed
    )


def check(site_id: int, data: Mapping[str, str], *, ask_id_number: bool):
    """(Registration, {}) or (None, {field: message}) for a submitted registration form."""
    errors = {}
    room, room_error = resolve_room(site_id, data.get("room"), data.get("room_number"), data.get("building"))
    if room_error is not None:
        errors["room"] = room_error
    checks = {
        "name": rules.check_name(data.get("name")),
        "phone": rules.check_phone(data.get("phone"), data.get("phone_country")),
        "party_size": rules.check_party_size(data.get("party_size")),
        "purpose": rules.check_purpose(data.get("purpose")),
        "plate": rules.check_plate(data.get("plate")),
        "id_number": rules.check_id_number(data.get("id_number"), asked=ask_id_number),
    }
    errors.update({field: c.error for field, c in checks.items() if c.error is not None})
    if errors:
        return None, errors
    values = {field: c.value for field, c in checks.items()}
    return Registration(room=room, **values), {}


def register(
    site: Site,
    reg: Registration,
    *,
    received_at: datetime,
    action_at: datetime,
    device: Device | None = None,
    user: User | None = None,
    expected: ExpectedVisit | None = None,
    replayed: bool = False,
) -> Visit:
    """V1/V2: add the visit (flushed, audited), routed to the desk of the hour it
    arrives; held for a decision when it matches the watch list (the visitor is not told).
    `replayed`: it waited in a device's outbox, so it is marked registered offline."""
    watch = watchlist.match(site.id, phone=reg.phone, id_number=reg.id_number, name=reg.name)
    pinyin, initials = pinyin_of(reg.name)
    visit = Visit(
        site_id=site.id,
        code=new_code(site.id),
        room=reg.room,
        visitor_name=reg.name or None,
        visitor_phone=reg.phone or None,
        phone_last4=reg.phone[-4:] or None,
        name_pinyin=pinyin[:200] or None,
        name_initials=initials[:50] or None,
        id_number_masked=mask_id_number(reg.id_number) or None,
        party_size=reg.party_size,
        purpose=reg.purpose,
        plate=reg.plate,
        desk=rules.desk_for(site, received_at),
        status=VisitStatus.HELD if watch else VisitStatus.WAITING,
        watch_entry=watch,
        expected_visit=expected,
        device_id=device.id if device else None,
        registered_by_id=user.id if user else None,
        action_at=action_at,
        received_at=received_at,
        registered_offline=replayed or rules.was_offline(action_at, received_at),
    )
    db.session.add(visit)
    db.session.flush()
    audit.record(
        user or device,
        "visit.registered",
        visit,
        site_id=site.id,
        details={
            "desk": str(visit.desk),
            "held": watch is not None,
            "offline": visit.registered_offline,
            "expected": expected.id if expected else None,
        },
    )
    return visit


def record_outcome(visit: Visit, outcome: Outcome, *, actor: User, now: datetime, floor: int | None = None) -> None:
    """V4: what the host said. Coming down, go up (floor N) and wait in the lounge put the
    visitor on site; not in turns them away. A visitor waiting in the lounge may get a
    second outcome (the host comes down after all)."""
    if visit.status == VisitStatus.HELD:
        raise VisitError(MSG_HELD)
    lounge = visit.status == VisitStatus.ON_SITE and visit.outcome == Outcome.WAIT_LOUNGE
    if visit.status != VisitStatus.WAITING and not lounge:
        raise VisitError(MSG_NOT_WAITING)
    if outcome == Outcome.GO_UP:
        floor = floor if floor is not None else (visit.room.floor if visit.room else None)
        if floor is None or not -10 <= floor <= 200:
            raise VisitError(MSG_FLOOR, field="floor")
    else:
        floor = None
    visit.outcome, visit.outcome_floor = outcome, floor
    visit.outcome_at, visit.outcome_by_id = now, actor.id
    visit.status = VisitStatus.TURNED_AWAY if outcome == Outcome.NOT_IN else VisitStatus.ON_SITE
    audit.record(actor, "visit.outcome", visit, details={"outcome": str(outcome), "floor": floor})


def decide(visit: Visit, *, allow: bool, actor: User, now: datetime, reason: str | None = None) -> None:
    """A staff decision on a visit held by the watch list: allowed, it waits for the host
    like any other; refused, the visitor is turned away (the kiosk asks them to see the desk)."""
    if visit.status != VisitStatus.HELD:
        raise VisitError(MSG_NOT_HELD)
    reason = (reason or "").strip()
    if not allow and not reason:
        raise VisitError(MSG_REASON, field="reason")
    visit.status = VisitStatus.WAITING if allow else VisitStatus.TURNED_AWAY
    if not allow:
        visit.outcome_at, visit.outcome_by_id = now, actor.id
    audit.record(
        actor,
        "visit.allowed" if allow else "visit.refused",
        visit,
        reason=reason or None,
        details={"watch_entry": visit.watch_entry_id},
    )


def check_out(visit: Visit, *, how: Departure, now: datetime, actor: User | Device | None) -> bool:
    """The visit gets its departure time; False when it had one already."""
    if visit.departed_at is not None:
        return False
    visit.departed_at, visit.departure = now, how
    visit.departed_by_id = actor.id if isinstance(actor, User) else None
    if visit.status in ACTIVE:
        visit.status = VisitStatus.LEFT
    audit.record(actor, "visit.checked_out", visit, site_id=visit.site_id, details={"how": str(how)})
    return True


def by_code(site_id: int, code: str | None) -> Visit | None:
    code = normalise_code(code)
    if not code:
        return None
    return db.session.scalar(sa.select(Visit).where(Visit.site_id == site_id, Visit.code == code))


def present_by_phone_and_room(site_id: int, phone: str, room: Room | None) -> list[Visit]:
    """Visits not yet checked out, by the visitor's phone (E.164) and the room visited."""
    query = sa.select(Visit).where(
        Visit.site_id == site_id,
        Visit.visitor_phone == phone,
        Visit.departed_at.is_(None),
        Visit.status.in_(ACTIVE),
        Visit.room_id == room.id if room is not None else Visit.room_id.is_(None),
    )
    return list(db.session.scalars(query.order_by(Visit.id)))


def find_for_check_out(site_id: int, data: Mapping[str, str]):
    """([visits], {}) or ([], {field: message}) for a check-out: by visit code, or by the
    visitor's phone and the room visited (every visit of theirs still on site there)."""
    if (data.get("code") or "").strip():
        visit = by_code(site_id, data.get("code"))
        if visit is None or visit.purged_at is not None:
            return [], {"code": MSG_CHECKOUT_UNKNOWN_CODE}
        return [visit], {}
    if not (data.get("phone") or "").strip():
        return [], {"code": MSG_CHECKOUT_EMPTY}
    phone = rules.check_phone(data.get("phone"), data.get("phone_country"))
    room, room_error = resolve_room(site_id, data.get("room"), data.get("room_number"))
    errors = {}
    if phone.error is not None:
        errors["phone"] = phone.error
    if room_error is not None:
        errors["room_number"] = room_error
    if errors:
        return [], errors
    found = present_by_phone_and_room(site_id, phone.value, room)
    if not found:
        return [], {"phone": MSG_CHECKOUT_NOT_FOUND}
    return found, {}
