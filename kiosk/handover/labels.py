"""What the handover pages call things, in the reader's language."""

from flask_babel import lazy_gettext as _l

from kiosk.models.handover import EntryKind, ShiftStatus

STATUSES = {
    ShiftStatus.OPEN: _l("Shift running"),
    ShiftStatus.HANDED: _l("Handed over, waiting for the incoming"),
    ShiftStatus.REFUSED: _l("Refused by the incoming"),
    ShiftStatus.ACCEPTED: _l("Accepted"),
}
STATUS_BADGES = {
    ShiftStatus.OPEN: "",
    ShiftStatus.HANDED: "badge-warn",
    ShiftStatus.REFUSED: "badge-danger",
    ShiftStatus.ACCEPTED: "badge-ok",
}
ENTRY_KINDS = {
    EntryKind.EVENT: _l("Event"),
    EntryKind.NOTE: _l("Note"),
    EntryKind.REFUSAL: _l("Questions (refused)"),
    EntryKind.ANSWER: _l("Answer"),
    EntryKind.REMARK: _l("Remark added later"),
}
REFUSALS = {
    "already_open": _l("A shift log is already running."),
    "text_required": _l("Please write something."),
    "signed": _l("The log is signed and cannot be changed; add a remark instead."),
    "not_outgoing": _l("Only the person on shift can do this."),
    "not_signed": _l("The log is still open: add an entry instead."),
    "no_questions": _l("There are no questions to answer."),
    "kind": _l("Unknown kind of entry."),
    "not_handed": _l("The outgoing has not signed the handover yet."),
    "same_person": _l("The incoming must be someone else, signed in with their own account."),
    "equipment_unchecked": _l("Check the equipment together with the outgoing first."),
    "count_required": _l("Please count the key sets in the cabinet."),
    "mismatch_unexplained": _l("The count differs from the register: please explain before accepting."),
    "not_day_signer": _l("Only the manager or the duty head signs a day's handovers."),
    "no_handovers": _l("There were no handovers that day."),
    "handover_running": _l("A handover of that day is not finished yet."),
    "day_signed": _l("That day is already signed."),
    "stale": _l("Someone else changed this record meanwhile. Please check and try again."),
    "signature_required": _l("Please sign in the box."),
}


def instant(value: str | None):
    """A pending item's ISO time (or date) back as a datetime/date for the format filters."""
    from datetime import date, datetime

    if not value:
        return None
    try:
        return datetime.fromisoformat(value) if "T" in value else date.fromisoformat(value)
    except ValueError:
        return None


def register_filters(state) -> None:
    from kiosk.handover.pending import endpoint_of, label_of

    state.app.jinja_env.globals.update(
        shift_status_label=lambda s: STATUSES.get(s, s),
        shift_status_badge=lambda s: STATUS_BADGES.get(s, ""),
        entry_kind_label=lambda k: ENTRY_KINDS.get(k, k),
        pending_label=label_of,
        pending_endpoint=endpoint_of,
        pending_instant=instant,
    )
