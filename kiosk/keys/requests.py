"""Copying or replacing a key (K5): request, supervisor review, manager approval, then the
register changes. Nobody reviews or approves their own request."""

from datetime import datetime

import sqlalchemy as sa

from kiosk import audit
from kiosk.extensions import db
from kiosk.keys import KeyRefused
from kiosk.models import Role, User
from kiosk.models.keys import KeyRequest, KeySet, KeyState, RequestKind, RequestStatus

REVIEWERS = (Role.SUPERVISOR, Role.MANAGER)
OPEN_STATUSES = (RequestStatus.REQUESTED, RequestStatus.REVIEWED, RequestStatus.APPROVED)


def request(key_set: KeySet, actor: User, now: datetime, *, kind: RequestKind, pieces: int, reason: str) -> KeyRequest:
    if not reason or not reason.strip():
        raise KeyRefused("reason_required")
    if pieces < 1 or pieces > 20:
        raise KeyRefused("pieces")
    if key_set.retired:
        raise KeyRefused("retired")
    if db.session.scalar(
        sa.select(KeyRequest.id).where(KeyRequest.key_set_id == key_set.id, KeyRequest.status.in_(OPEN_STATUSES))
    ):
        raise KeyRefused("request_open")
    row = KeyRequest(
        site_id=key_set.site_id,
        key_set=key_set,
        kind=kind,
        pieces=pieces,
        reason=reason.strip(),
        requested_by_id=actor.id,
        requested_at=now,
    )
    db.session.add(row)
    db.session.flush()
    audit.record(actor, "keys.copy_requested", row, details={"kind": str(kind), "pieces": pieces})
    return row


def _not_own(row: KeyRequest, actor: User) -> None:
    if actor.id == row.requested_by_id:
        raise KeyRefused("own_request")


def review(row: KeyRequest, actor: User, now: datetime, *, support: bool, note: str | None) -> None:
    """The supervisor's review: supported requests go on to the manager; others are refused."""
    if actor.role not in REVIEWERS:
        raise KeyRefused("not_reviewer")
    _not_own(row, actor)
    if row.status != RequestStatus.REQUESTED:
        raise KeyRefused("request_state")
    if not support and not (note or "").strip():
        raise KeyRefused("reason_required")
    row.reviewed_by_id, row.reviewed_at, row.review_note = actor.id, now, (note or "").strip() or None
    row.status = RequestStatus.REVIEWED if support else RequestStatus.REFUSED
    audit.record(actor, "keys.copy_reviewed", row, details={"support": support})


def decide(row: KeyRequest, actor: User, now: datetime, *, approve: bool, note: str | None) -> None:
    """The manager's decision, after the review; never on a request one made or reviewed."""
    if actor.role != Role.MANAGER:
        raise KeyRefused("not_manager")
    _not_own(row, actor)
    if actor.id == row.reviewed_by_id:
        raise KeyRefused("own_review")
    if row.status != RequestStatus.REVIEWED:
        raise KeyRefused("request_state")
    if not approve and not (note or "").strip():
        raise KeyRefused("reason_required")
    row.decided_by_id, row.decided_at, row.decision_note = actor.id, now, (note or "").strip() or None
    row.status = RequestStatus.APPROVED if approve else RequestStatus.REFUSED
    audit.record(actor, "keys.copy_decided", row, details={"approve": approve})


def complete(row: KeyRequest, actor: User, now: datetime) -> None:
    """The new keys are in the cabinet: the register changes (copy adds keys; a replacement
    restores a lost set)."""
    if row.status != RequestStatus.APPROVED:
        raise KeyRefused("request_state")
    key_set = row.key_set
    if row.kind == RequestKind.COPY:
        key_set.pieces += row.pieces
    else:
        if key_set.state == KeyState.LOST:
            key_set.state, key_set.pieces = KeyState.IN_CABINET, row.pieces
    row.status, row.done_by_id, row.done_at = RequestStatus.DONE, actor.id, now
    audit.record(actor, "keys.copy_done", row, details={"pieces": key_set.pieces})


def count_waiting(site_id: int, user=None) -> int:
    """Requests waiting for this person: reviews for supervisors, decisions for managers."""
    if user is None or user.role not in REVIEWERS:
        return 0
    status = RequestStatus.REVIEWED if user.role == Role.MANAGER else RequestStatus.REQUESTED
    return (
        db.session.scalar(
            sa.select(sa.func.count())
            .select_from(KeyRequest)
            .where(KeyRequest.site_id == site_id, KeyRequest.status == status, KeyRequest.requested_by_id != user.id)
        )
        or 0
    )
