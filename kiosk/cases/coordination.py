"""Coordination requests (工作会办单, C9): a major matter goes to the departments it needs with
a due date; each department answers and signs; the request shows who has not answered and
who is late. Plain Python."""

from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from kiosk import audit
from kiosk.cases import Refused
from kiosk.extensions import db
from kiosk.models import Department, Role, User
from kiosk.models.cases import CoordinationAnswer, CoordinationRequest
from kiosk.timeutil import to_local

SUPERVISOR_ROLES = frozenset({Role.SUPERVISOR, Role.MANAGER})
LIST_LIMIT = 50


def create(
    site, *, user: User, matter: str, departments: list[Department], due: date, now: datetime, complaint=None
) -> CoordinationRequest:
    if user.role not in SUPERVISOR_ROLES:
        raise Refused("supervisors_only")
    if not (matter or "").strip():
        raise Refused("reason_required")
    departments = [d for d in departments if d.site_id == site.id]
    if not departments:
        raise Refused("department_required")
    request = CoordinationRequest(
        site_id=site.id, matter=matter.strip(), due=due, created_at=now, created_by_id=user.id, complaint=complaint
    )
    request.answers = [CoordinationAnswer(department_id=d.id) for d in departments]
    db.session.add(request)
    db.session.flush()
    audit.record(user, "coordination.created", request, details={"departments": [str(d.kind) for d in departments]})
    return request


def may_answer(answer: CoordinationAnswer, user: User) -> bool:
    if user.role == Role.DEPARTMENT:
        return user.department_id == answer.department_id
    return user.role in SUPERVISOR_ROLES


def answer(
    request: CoordinationRequest, department_id: int, user: User, *, text: str, signature, now: datetime
) -> CoordinationAnswer:
    """The department's answer with its signature (S2: a signed answer is not changed)."""
    row = next((a for a in request.answers if a.department_id == department_id), None)
    if row is None:
        raise Refused("illegal_step")
    if not may_answer(row, user):
        raise Refused("not_yours")
    if row.answered_at is not None:
        raise Refused("locked")
    if not (text or "").strip():
        raise Refused("reason_required")
    if signature is None:
        raise Refused("signature_required")
    row.answer, row.answered_at, row.answered_by_id = text.strip(), now, user.id
    row.signature_path, row.signature_sha256 = signature.path, signature.sha256
    row.late = to_local(now, request.site.timezone).date() > request.due
    if all(a.answered_at is not None for a in request.answers):
        request.closed_at = now
    audit.record(user, "coordination.answered", request, details={"department_id": department_id, "late": row.late})
    return row


def waiting_for(request: CoordinationRequest) -> list[CoordinationAnswer]:
    return [a for a in request.answers if a.answered_at is None]


def is_overdue(row: CoordinationAnswer, today: date) -> bool:
    return row.answered_at is None and today > row.request.due


def outstanding(site_id: int, limit: int = LIST_LIMIT) -> list[CoordinationRequest]:
    """Open requests, earliest due first, with their answers and departments (bounded, 3 queries)."""
    return list(
        db.session.scalars(
            sa.select(CoordinationRequest)
            .where(CoordinationRequest.site_id == site_id, CoordinationRequest.closed_at.is_(None))
            .options(selectinload(CoordinationRequest.answers).selectinload(CoordinationAnswer.department))
            .order_by(CoordinationRequest.due, CoordinationRequest.id)
            .limit(limit)
        )
    )


def count_for_department(site_id: int, user) -> int:
    """Requests waiting for the person's department's answer (home-page counter)."""
    if user.department_id is None:
        return 0
    return (
        db.session.scalar(
            sa.select(sa.func.count(CoordinationAnswer.id))
            .join(CoordinationRequest)
            .where(
                CoordinationRequest.site_id == site_id,
                CoordinationAnswer.department_id == user.department_id,
                CoordinationAnswer.answered_at.is_(None),
            )
        )
        or 0
    )
