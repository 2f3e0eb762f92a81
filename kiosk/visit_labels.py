"""How visits' kinds are named on screen (kiosk and console), in the reader's language."""
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
