"""Answering a patrol's items on a tablet (P1, P7): one answer per item at each checkpoint,
the latest action winning, a fail opening the item's rectification task; and the photos
attached to an answer. Plain Python, no request (walk.py starts and finishes the patrol).
"""

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError

from kiosk.extensions import db
from kiosk.models import Department, Device
from kiosk.models.patrols import Answer, AnswerKind, Patrol, Photo, Result, TemplateItem
from kiosk.patrols import tasks, walk
from kiosk.patrols.identity import PatrolRefused


def _result_for(item: TemplateItem, result: str | None, number: float | None, text: str | None):
    if item.kind == AnswerKind.CHECK:
        try:
            return Result(result)
        except ValueError:
            raise PatrolRefused("result")
    if item.kind == AnswerKind.NUMBER:
        if result == Result.NA:
            return Result.NA
        if number is None:
            raise PatrolRefused("number")
        low_ok = item.min_value is None or number >= item.min_value
        high_ok = item.max_value is None or number <= item.max_value
        return Result.PASS if low_ok and high_ok else Result.FAIL
    if item.kind == AnswerKind.TEXT:
        return Result.NA if result == Result.NA else Result.PASS
    return Result.NA if result == Result.NA else Result.PASS  # photo: the photo is the answer


def answer(
    patrol: Patrol,
    checkpoint_id: int,
    item_id: int,
    *,
    at: datetime,
    received: datetime,
    tz_name: str,
    result: str | None = None,
    number: float | None = None,
    text: str | None = None,
    note: str | None = None,
    department_id: int | None = None,
) -> Answer:
    """Save one answer (changing it is allowed until the patrol is finished; the latest
    action wins). A fail opens the item's rectification task (P7)."""
    walk.writable(patrol)
    if checkpoint_id not in {s.checkpoint_id for s in patrol.stops}:
        raise PatrolRefused("checkpoint")
    item = db.session.get(TemplateItem, item_id)
    if item is None or item.section.version_id != patrol.version_id:
        raise PatrolRefused("item")
    value = _result_for(item, result, number, text)
    department = None
    if department_id:
        department = db.session.get(Department, department_id)
        if department is None or department.site_id != patrol.site_id:
            raise PatrolRefused("department")
    if department is None:
        department = db.session.scalar(
            sa.select(Department).where(Department.site_id == patrol.site_id, Department.kind == item.department_kind)
        )
    row = _answer_row(patrol, checkpoint_id, item_id, at, received)
    _hold(row)
    if row.answered_at > at:
        return row  # an older action replayed late never overwrites a newer one
    row.result, row.number = value, number if item.kind == AnswerKind.NUMBER else None
    row.text = (text or "").strip() or None
    row.note = (note or "").strip() or None
    row.department_id = department.id if department else None
    row.answered_at, row.received_at = at, received
    row.item = item
    db.session.flush()
    tasks.sync_with_answer(row, tz_name)
    return row


def _answer_row(patrol: Patrol, checkpoint_id: int, item_id: int, at: datetime, received: datetime) -> Answer:
    """The patrol's answer to the item at the checkpoint, new if there is none. Two answers
    to the same item can arrive at once (the outbox replaying one while the officer changes
    it): both find none, and the second's insert meets the unique key; it then takes the row
    the first wrote, and the later action wins as always, instead of failing."""
    query = sa.select(Answer).where(
        Answer.patrol_id == patrol.id, Answer.checkpoint_id == checkpoint_id, Answer.item_id == item_id
    )
    row = db.session.scalar(query)
    if row is not None:
        return row
    try:
        with db.session.begin_nested():
            row = Answer(
                site_id=patrol.site_id,
                patrol_id=patrol.id,
                checkpoint_id=checkpoint_id,
                item_id=item_id,
                answered_at=at,
                received_at=received,
            )
            db.session.add(row)
        return row
    except IntegrityError:
        return db.session.scalar(query)


def _hold(row: Answer) -> None:
    """Hold the answer's row until this transaction ends, and read it afresh: two answers to
    one item are then applied one after the other, and the comparison of their times sees
    the other's. A write that changes nothing takes the lock on SQLite (the database's write
    lock) and on PostgreSQL (the row's lock) alike."""
    db.session.execute(sa.update(Answer).where(Answer.id == row.id).values(answered_at=Answer.answered_at))
    db.session.refresh(row)


def add_photo(patrol: Patrol, answer_row: Answer, stored, *, device: Device, at: datetime, received: datetime) -> Photo:
    walk.writable(patrol)
    if answer_row.patrol_id != patrol.id:
        raise PatrolRefused("item")
    photo = Photo(
        site_id=patrol.site_id,
        **stored.columns(),
        answer_id=answer_row.id,
        taken_at=at,
        received_at=received,
        uploaded_by_id=patrol.officer_id,
        device_id=device.id,
    )
    db.session.add(photo)
    return photo
