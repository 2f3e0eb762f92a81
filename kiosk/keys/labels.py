"""What the key pages call things, in the reader's language."""

from flask_babel import lazy_gettext as _l

from kiosk.models.keys import AnomalyKind, AuditResult, BorrowerKind, KeyKind, KeyState, RequestKind, RequestStatus

KINDS = {KeyKind.HOUSEHOLD: _l("Household"), KeyKind.PUBLIC: _l("Public area"), KeyKind.EQUIPMENT: _l("Equipment room")}
STATES = {
    KeyState.IN_CABINET: _l("In cabinet"),
    KeyState.ON_LOAN: _l("On loan"),
    KeyState.SEALED: _l("Sealed"),
    KeyState.WITH_OWNER: _l("With the owner"),
    KeyState.LOST: _l("Lost"),
}
STATE_BADGES = {
    KeyState.IN_CABINET: "badge-ok",
    KeyState.ON_LOAN: "badge-warn",
    KeyState.SEALED: "",
    KeyState.WITH_OWNER: "badge-muted",
    KeyState.LOST: "badge-danger",
}
BORROWERS = {BorrowerKind.STAFF: _l("Staff"), BorrowerKind.CONTRACTOR: _l("Contractor")}
EMERGENCIES = {
    "burst_pipe": _l("Burst pipe"),
    "electrical": _l("Electrical fault"),
    "alarm": _l("Alarm"),
    "other": _l("Other emergency"),
}
ANOMALIES = {
    AnomalyKind.MISSING: _l("Keys missing"),
    AnomalyKind.DAMAGED: _l("Keys damaged"),
    AnomalyKind.NOT_FOUND: _l("Not on its hook"),
    AnomalyKind.MISMATCH: _l("Does not match the register"),
}
REQUEST_KINDS = {RequestKind.COPY: _l("Copy a key"), RequestKind.REPLACE: _l("Replace keys")}
REQUEST_STATUSES = {
    RequestStatus.REQUESTED: _l("Waiting for the supervisor's review"),
    RequestStatus.REVIEWED: _l("Waiting for the manager's approval"),
    RequestStatus.APPROVED: _l("Approved: to be cut"),
    RequestStatus.REFUSED: _l("Refused"),
    RequestStatus.DONE: _l("Done: register updated"),
}
REQUEST_BADGES = {
    RequestStatus.REQUESTED: "badge-warn",
    RequestStatus.REVIEWED: "badge-warn",
    RequestStatus.APPROVED: "badge-ok",
    RequestStatus.REFUSED: "badge-danger",
    RequestStatus.DONE: "badge-muted",
}
AUDIT_RESULTS = {
    AuditResult.PRESENT: _l("In place"),
    AuditResult.NOT_FOUND: _l("Not found"),
    AuditResult.MISMATCH: _l("Does not match"),
}
REFUSALS = {
    "pieces": _l("The number of keys is not possible."),
    "room_required": _l("Please choose the room."),
    "floor_required": _l("Please choose the building and enter the floor."),
    "place_required": _l("Please name the equipment room or area."),
    "engineering_equipment_only": _l("Only equipment-room keys are held by engineering."),
    "other_site": _l("That belongs to another site."),
    "seal_required": _l("The keys of a vacant unit are sealed: please enter the seal number."),
    "not_in_cabinet": _l("This key set is not in the cabinet."),
    "retired": _l("This key set is no longer in use."),
    "engineering_held": _l("Engineering holds these equipment-room keys; they are not lent from the cabinet."),
    "borrower_required": _l("Please name the borrower."),
    "purpose_required": _l("Please enter the purpose."),
    "signature_required": _l("The borrower must sign."),
    "same_day": _l("Keys come back the same day: choose a later time today."),
    "emergency_reason": _l("Please choose the emergency."),
    "manager_approval": _l("An emergency loan needs the approving manager."),
    "no_paperwork_owed": _l("Nothing is owed for this loan."),
    "already_returned": _l("These keys were already returned."),
    "note_required": _l("Please describe what is missing or damaged."),
    "already_resolved": _l("This anomaly was already resolved."),
    "reason_required": _l("Please give the reason."),
    "request_open": _l("A request for this key set is already open."),
    "own_request": _l("Nobody decides on their own request."),
    "own_review": _l("The manager who approves cannot be the one who reviewed."),
    "not_reviewer": _l("Only a supervisor reviews requests."),
    "not_manager": _l("Only the manager approves requests."),
    "request_state": _l("This request is not at that step."),
    "nothing_to_audit": _l("No key sets in the cabinet."),
    "household_only": _l("Only household keys are handed to an owner."),
    "not_this_room": _l("That household does not live in this room."),
    "owner_only": _l("Keys are handed to the owner."),
    "identity_required": _l("Check the owner's identity first."),
    "room_keys_out": _l("Some of this room's keys are out of the cabinet (on loan or lost): take them back first."),
    "stale": _l("Someone else changed this record meanwhile. Please check and try again."),
}


def register_filters(state) -> None:
    from kiosk.keys.register import label

    state.app.jinja_env.globals.update(
        key_kind_label=lambda k: KINDS.get(k, k),
        key_state_label=lambda s: STATES.get(s, s),
        key_state_badge=lambda s: STATE_BADGES.get(s, ""),
        borrower_kind_label=lambda k: BORROWERS.get(k, k),
        emergency_label=lambda r: EMERGENCIES.get(r, r or ""),
        anomaly_label=lambda k: ANOMALIES.get(k, k),
        key_label=label,
        request_kind_label=lambda k: REQUEST_KINDS.get(k, k),
        request_status_label=lambda s: REQUEST_STATUSES.get(s, s),
        request_status_badge=lambda s: REQUEST_BADGES.get(s, ""),
        audit_result_label=lambda r: AUDIT_RESULTS.get(r, r),
    )
