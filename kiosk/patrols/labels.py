"""Translated labels of the patrol vocabulary, and the bilingual-data filter
(`{{ item|local("text") }}` shows text_zh or text_en for the page's language)."""

from datetime import timedelta

from flask_babel import format_date, format_time, get_locale, to_user_timezone
from flask_babel import lazy_gettext as _l

from kiosk.models.patrols import AnswerKind, Cadence, CheckpointKind, PatrolReason, Result, TaskStatus

CHECKPOINT_KINDS = {
    CheckpointKind.LOBBY: _l("Lobby"),
    CheckpointKind.STAIRWELL: _l("Stairwell"),
    CheckpointKind.ROOF: _l("Roof"),
    CheckpointKind.LIFT: _l("Lift"),
    CheckpointKind.GARBAGE_ROOM: _l("Garbage room"),
    CheckpointKind.PERIMETER: _l("Perimeter"),
    CheckpointKind.VACANT_UNIT: _l("Vacant unit"),
    CheckpointKind.OUTLET: _l("Commercial outlet"),
    CheckpointKind.RESTAURANT: _l("Restaurant"),
    CheckpointKind.OTHER: _l("Other area"),
}
RESULTS = {Result.PASS: _l("Pass"), Result.FAIL: _l("Fail"), Result.NA: _l("N/A")}
ANSWER_KINDS = {
    AnswerKind.CHECK: _l("Pass / fail / not applicable"),
    AnswerKind.NUMBER: _l("Reading"),
    AnswerKind.TEXT: _l("Text"),
    AnswerKind.PHOTO: _l("Photo"),
}
CADENCES = {
    Cadence.DAILY: _l("Daily"),
    Cadence.WEEKLY: _l("Weekly"),
    Cadence.MONTHLY: _l("Monthly"),
    Cadence.QUARTERLY: _l("Quarterly"),
}
REASONS = {
    PatrolReason.SCHEDULED: _l("Scheduled"),
    PatrolReason.WEATHER: _l("Bad weather"),
    PatrolReason.EVENT: _l("Special event"),
    PatrolReason.OTHER: _l("Other reason"),
}
STATES = {
    "upcoming": _l("Upcoming"),
    "due": _l("Due"),
    "late": _l("Late"),
    "missed": _l("Missed"),
    "done": _l("Completed"),
    "done_late": _l("Completed late"),
}
STATE_BADGES = {
    "upcoming": "badge-muted",
    "due": "",
    "late": "badge-warn",
    "missed": "badge-danger",
    "done": "badge-ok",
    "done_late": "badge-warn",
}
TASK_STATUSES = {
    TaskStatus.OPEN: _l("Open"),
    TaskStatus.FIXED: _l("Fixed, to re-inspect"),
    TaskStatus.CLOSED: _l("Closed"),
    TaskStatus.WITHDRAWN: _l("Withdrawn"),
}
TASK_EVENTS = {
    "opened": _l("Found"),
    "reopened": _l("Found again"),
    "withdrawn": _l("Withdrawn"),
    "fixed": _l("Fix recorded"),
    "sent_back": _l("Sent back"),
    "deadline_recounted": _l("Deadline counted again with the holiday schedule"),
    "closed": _l("Re-inspected and closed"),
    "reassigned": _l("Handed to another department"),
}
REFUSALS = {
    "officer": _l("Please sign in again on this tablet."),
    "device": _l("This patrol was started on another tablet; only that tablet can change it."),
    "unknown": _l("The start of this patrol has not reached the server yet; it will be retried."),
    "finished": _l("This patrol is finished; it cannot be changed any more."),
    "checkpoint": _l("This checkpoint is not on this patrol's route."),
    "item": _l("This item is not on this patrol's checklist."),
    "result": _l("Please choose pass, fail or not applicable."),
    "number": _l("Please enter the reading as a number."),
    "department": _l("Unknown department."),
    "template": _l("Please choose a checklist."),
    "not_finished": _l("Only a finished patrol can be signed."),
    "incomplete": _l("Checkpoints or items are still open: say why before finishing the patrol incomplete."),
    "signed": _l("This patrol has been signed already."),
    "photo": _l("Please attach a photo (JPEG, PNG or WebP, at most 8 MB)."),
    "key": _l("This form is out of date; please reload the page."),
    "not_yours": _l("Only the responsible department or a supervisor can do this."),
    "not_open": _l("This task is not open."),
    "not_fixed": _l("Only a task marked fixed can be re-inspected."),
    "not_verifier": _l("Only an officer or a supervisor can re-inspect."),
    "photo_required": _l("An after-photo is required before the task can be marked fixed."),
    "reason_required": _l("Please say why it is sent back."),
}


def is_english() -> bool:
    return str(get_locale() or "").startswith("en")


def local(obj, field: str) -> str:
    return getattr(obj, f"{field}_en" if is_english() else f"{field}_zh")


def finding(item) -> str:
    """What was found when the item failed, the title of its rectification task (P7):
    "楼内卫生不合格", or from the standard where the checklist has no wording for it."""
    text = local(item, "fail")
    if text:
        return text
    return str(_l("Not met: %(standard)s", standard=local(item, "text")))


def window_label(occurrence) -> str:
    """An occurrence's window in the site's time: "08:00–11:00", "22:00–00:00 next day"
    (次日 00:00), or the days of a weekly or monthly one."""
    opens, due = to_user_timezone(occurrence.opens_at), to_user_timezone(occurrence.due_at)
    if opens.date() == due.date():
        return f"{format_time(opens, 'HH:mm')}–{format_time(due, 'HH:mm')}"
    if (opens.hour, opens.minute, due.hour, due.minute) == (0, 0, 0, 0):  # whole days
        first, last = opens.date(), (due - timedelta(days=1)).date()
        if first == last:
            return format_date(first, "medium")
        return f"{format_date(first, 'medium')} – {format_date(last, 'medium')}"
    if due.date() == opens.date() + timedelta(days=1):
        return f"{format_time(opens, 'HH:mm')}–" + str(_l("%(time)s next day", time=format_time(due, "HH:mm")))
    return f"{format_date(opens, 'short')} {format_time(opens, 'HH:mm')} – {format_date(due, 'short')} {format_time(due, 'HH:mm')}"


def _number(value: float) -> str:
    return f"{value:g}"


def reading_range(item) -> str:
    """A number item's expected range: "1–1.4 MPa", "≥ 0.5 m³", "≤ 30 °C", or the unit alone."""
    low, high = item.min_value, item.max_value
    if low is not None and high is not None:
        text = f"{_number(low)}–{_number(high)}"
    elif low is not None:
        text = f"≥ {_number(low)}"
    elif high is not None:
        text = f"≤ {_number(high)}"
    else:
        text = ""
    return f"{text} {item.unit}".strip()


def register_filters(state) -> None:
    """Blueprint record hook: template filters and globals for both patrol faces."""
    env = state.app.jinja_env
    env.filters["local"] = local
    env.filters["reading_range"] = reading_range
    env.filters["finding"] = finding
    env.globals.update(
        checkpoint_kind_label=lambda k: CHECKPOINT_KINDS.get(k, k),
        result_label=lambda r: RESULTS.get(r, r or ""),
        cadence_label=lambda c: CADENCES.get(c, c),
        reason_label=lambda r: REASONS.get(r, r),
        state_label=lambda s: STATES.get(s, s),
        state_badge=lambda s: STATE_BADGES.get(s, ""),
        window_label=window_label,
        task_status_label=lambda s: TASK_STATUSES.get(s, s),
        task_event_label=lambda e: TASK_EVENTS.get(e, e),
        answer_kind_label=lambda k: ANSWER_KINDS.get(k, k),
    )
