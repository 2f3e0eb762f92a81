"""Rectification tasks (P7): a failed item goes to the responsible department with a
deadline in working days; the department records the fix with an after-photo; the
officer or supervisor re-inspects (复查) and closes it or sends it back. Plain Python.
"""

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from sqlalchemy.orm import joinedload
from sqlalchemy.orm.attributes import set_committed_value

from kiosk import audit, workdays
from kiosk.extensions import db
from kiosk.models import Department, Role, Site, User
from kiosk.models.patrols import Answer, Photo, Result, Task, TaskEvent, TaskStatus, TemplateItem

REPEAT_WINDOW = timedelta(days=30)
VERIFIERS = frozenset({Role.OFFICER, Role.SUPERVISOR, Role.MANAGER})


class TaskRefused(Exception):
    """The step is not allowed now; `reason` names why (shown translated by the view)."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


def _event(task: Task, action: str, at: datetime, user: User | None = None, note: str | None = None):
    db.session.add(
        TaskEvent(task=task, at=at, user_id=user.id if user else None, action=action, note=(note or "").strip() or None)
    )


def deadline_for(found_at: datetime, days: int, tz_name: str):
    """`days` working days after the day it was found (site time), holidays excluded (P7)."""
    return workdays.add_workdays(found_at.astimezone(ZoneInfo(tz_name)).date(), days)


def provisional_deadlines(tasks, tz_name: str) -> set[int]:
    """Ids of the tasks whose deadline was counted through a year whose holidays are not
    known yet (Monday to Friday): their pages say "provisional" (P7)."""
    known = workdays.calendar()
    return {
        task.id
        for task in tasks
        if known.provisional(task.found_at.astimezone(ZoneInfo(tz_name)).date(), task.deadline)
    }


def earlier_task(checkpoint_id: int, item_key: str, found_at: datetime, exclude_id: int | None = None):
    """The latest task of the same checkpoint item found within 30 days before (P7)."""
    query = (
        sa.select(Task)
        .where(
            Task.checkpoint_id == checkpoint_id,
            Task.item_key == item_key,
            Task.found_at >= found_at - REPEAT_WINDOW,
            Task.found_at <= found_at,
            Task.status != TaskStatus.WITHDRAWN,
        )
        .order_by(Task.found_at.desc(), Task.id.desc())
        .limit(1)
    )
    if exclude_id is not None:
        query = query.where(Task.id != exclude_id)
    return db.session.scalar(query)


def sync_with_answer(answer: Answer, tz_name: str) -> Task | None:
    """Keep exactly one task per failed answer (P7).

    A fail opens the task (once: the task is unique per answer, so a replayed or repeated
    fail never makes a second one). Correcting the answer to pass or n/a before anything
    was done withdraws it; failing again reopens the same task.
    """
    task = db.session.scalar(sa.select(Task).where(Task.answer_id == answer.id))
    if answer.result == Result.FAIL:
        department_id = answer.department_id
        if task is None:
            task = Task(
                site_id=answer.site_id,
                answer=answer,
                patrol_id=answer.patrol_id,
                checkpoint_id=answer.checkpoint_id,
                item_id=answer.item_id,
                item_key=answer.item.key,
                department_id=department_id,
                found_at=answer.answered_at,
                deadline=deadline_for(answer.answered_at, answer.item.deadline_days, tz_name),
            )
            earlier = earlier_task(answer.checkpoint_id, answer.item.key, answer.answered_at)
            task.earlier_task_id = earlier.id if earlier else None
            db.session.add(task)
            _event(task, "opened", answer.received_at, note=answer.note)
        else:
            if task.status == TaskStatus.WITHDRAWN:
                task.status = TaskStatus.OPEN
                _event(task, "reopened", answer.received_at)
            if task.status == TaskStatus.OPEN and task.department_id != department_id:
                task.department_id = department_id
        return task
    if task is not None and task.status == TaskStatus.OPEN:
        task.status = TaskStatus.WITHDRAWN
        _event(task, "withdrawn", answer.received_at)
    return task


def may_fix(task: Task, user: User) -> bool:
    if user.role in (Role.SUPERVISOR, Role.MANAGER):
        return True
    return user.role == Role.DEPARTMENT and user.department_id == task.department_id


def may_see_photo(photo: Photo, user: User) -> bool:
    """Department staff see the photos of their own department's tasks only (the before
    photo of the failed answer and the after photos), as they see only those tasks; the
    other photo viewers see every photo of their site. One query at most."""
    if user.role != Role.DEPARTMENT:
        return True
    if photo.task_id is not None:
        department_id = db.session.scalar(sa.select(Task.department_id).where(Task.id == photo.task_id))
    elif photo.answer_id is not None:
        department_id = db.session.scalar(sa.select(Task.department_id).where(Task.answer_id == photo.answer_id))
    else:
        return False
    return department_id is not None and department_id == user.department_id


def may_verify(user: User) -> bool:
    return user.role in VERIFIERS


def add_after_photo(task: Task, user: User, stored, now: datetime) -> Photo:
    if not may_fix(task, user):
        raise TaskRefused("not_yours")
    if task.status != TaskStatus.OPEN:
        raise TaskRefused("not_open")
    photo = Photo(
        site_id=task.site_id,
        **stored.columns(),
        task_id=task.id,
        taken_at=now,
        received_at=now,
        uploaded_by_id=user.id,
    )
    db.session.add(photo)
    return photo


def record_fix(task: Task, user: User, note: str, now: datetime) -> None:
    """The department says it is fixed: only with an after-photo (P7)."""
    if not may_fix(task, user):
        raise TaskRefused("not_yours")
    if task.status != TaskStatus.OPEN:
        raise TaskRefused("not_open")
    db.session.flush()
    has_photo = db.session.scalar(sa.select(sa.func.count(Photo.id)).where(Photo.task_id == task.id))
    if not has_photo:
        raise TaskRefused("photo_required")
    task.status = TaskStatus.FIXED
    task.fixed_at, task.fixed_by_id, task.fix_note = now, user.id, (note or "").strip() or None
    _event(task, "fixed", now, user, note)
    audit.record(user, "task.fixed", task)


def verify(task: Task, user: User, note: str | None, now: datetime) -> None:
    """Re-inspection passed: closed."""
    if not may_verify(user):
        raise TaskRefused("not_verifier")
    if task.status != TaskStatus.FIXED:
        raise TaskRefused("not_fixed")
    task.status = TaskStatus.CLOSED
    task.closed_at, task.closed_by_id = now, user.id
    _event(task, "closed", now, user, note)
    audit.record(user, "task.closed", task)


def send_back(task: Task, user: User, note: str, now: datetime) -> None:
    """Re-inspection failed: back to the department, with the reason."""
    if not may_verify(user):
        raise TaskRefused("not_verifier")
    if task.status != TaskStatus.FIXED:
        raise TaskRefused("not_fixed")
    if not (note or "").strip():
        raise TaskRefused("reason_required")
    task.status = TaskStatus.OPEN
    task.sent_back_count += 1
    task.fixed_at = task.fixed_by_id = None
    _event(task, "sent_back", now, user, note)
    audit.record(user, "task.sent_back", task, reason=note.strip())


def reassign(task: Task, department: Department, user: User, now: datetime) -> None:
    """A supervisor hands an open task to another department."""
    if user.role not in (Role.SUPERVISOR, Role.MANAGER):
        raise TaskRefused("not_verifier")
    if task.status != TaskStatus.OPEN or department.site_id != task.site_id:
        raise TaskRefused("not_open")
    if department.id == task.department_id:
        return
    task.department_id = department.id
    _event(task, "reassigned", now, user, str(department.kind))
    audit.record(user, "task.reassigned", task, details={"department": str(department.kind)})


def load_history(task: Task) -> list[TaskEvent]:
    """The task's events, oldest first, each with who did it, in one query (its page lists
    them all; a task sent back many times has many); `task.events` holds them afterwards."""
    events = list(
        db.session.scalars(
            sa.select(TaskEvent)
            .where(TaskEvent.task_id == task.id)
            .options(joinedload(TaskEvent.user))
            .order_by(TaskEvent.id)
        )
    )
    set_committed_value(task, "events", events)
    return events


def is_overdue(task: Task, today) -> bool:
    return task.status == TaskStatus.OPEN and task.deadline < today


def recount_deadlines(first: date, last: date, now: datetime, actor: User) -> int:
    """After the holiday schedule of [first, last] changed (a year imported, a date set or
    removed): count again the deadlines of the open tasks whose counting runs through it,
    so that a deadline counted Monday to Friday before the schedule was known moves past
    the holidays (P7). A deadline already passed stays as it was: missed stays missed.
    Each change is a task event; returns how many deadlines moved. The caller commits."""
    rows = db.session.execute(
        sa.select(Task, TemplateItem.deadline_days, Site.timezone)
        .join(TemplateItem, TemplateItem.id == Task.item_id)
        .join(Site, Site.id == Task.site_id)
        .where(
            Task.status == TaskStatus.OPEN,
            Task.deadline >= first,
            Task.found_at <= datetime.combine(last + timedelta(days=1), time(), UTC),
        )
    ).all()
    moved = 0
    for task, days, tz_name in rows:
        today = now.astimezone(ZoneInfo(tz_name)).date()
        if task.deadline < today:
            continue
        counted = deadline_for(task.found_at, days, tz_name)
        if counted != task.deadline:
            _event(task, "deadline_recounted", now, actor, f"{task.deadline.isoformat()} → {counted.isoformat()}")
            task.deadline = counted
            moved += 1
    if moved:
        audit.record(
            actor,
            "patrol.task_deadlines_recounted",
            details={"from": first.isoformat(), "to": last.isoformat(), "tasks": moved},
        )
    return moved
