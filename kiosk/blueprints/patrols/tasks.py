"""Rectification tasks (P7): departments see theirs and record fixes with an after-photo;
officers and supervisors re-inspect and close them or send them back."""

from zoneinfo import ZoneInfo

import sqlalchemy as sa
from flask import current_app, flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy.orm import selectinload

from kiosk import ids, photos
from kiosk.access import SUPERVISORS, current_site_id, get_in_site_or_404, staff
from kiosk.blueprints.patrols import bp
from kiosk.blueprints.patrols.forms import DepartmentForm, FixForm, NoteForm, PhotoForm, ReasonForm
from kiosk.extensions import db
from kiosk.htmx import render
from kiosk.models import Department, Role
from kiosk.models.patrols import Task, TaskStatus
from kiosk.patrols import tasks as patrol_tasks
from kiosk.patrols.labels import REFUSALS
from kiosk.timeutil import utcnow

TASK_VIEWERS = (*SUPERVISORS, Role.OFFICER, Role.DEPARTMENT)
FIXERS = (*SUPERVISORS, Role.DEPARTMENT)
VERIFIERS = (*SUPERVISORS, Role.OFFICER)
FILTERS = {"open": [TaskStatus.OPEN], "fixed": [TaskStatus.FIXED], "closed": [TaskStatus.CLOSED]}


def _me():
    return current_user._get_current_object()


def _task(task_id: int) -> Task:
    task = get_in_site_or_404(Task, task_id)
    if current_user.role == Role.DEPARTMENT and task.department_id != current_user.department_id:
        from flask import abort

        abort(404)  # department staff see their own department's tasks only
    return task


@bp.get("/tasks")
@staff(*TASK_VIEWERS)
def tasks():
    show = request.args.get("show", "open")
    statuses = FILTERS.get(show, FILTERS["open"])
    size = current_app.config["PAGE_SIZE"]
    query = (
        sa.select(Task)
        .where(Task.site_id == current_site_id(), Task.status.in_(statuses))
        .options(
            selectinload(Task.checkpoint),
            selectinload(Task.item),
            selectinload(Task.department),
            selectinload(Task.answer),
        )
        .order_by(Task.id.desc())
        .limit(size + 1)
    )
    if current_user.role == Role.DEPARTMENT:
        query = query.where(Task.department_id == current_user.department_id)
    before = ids.parse_id(request.args.get("before"))
    if before:
        query = query.where(Task.id < before)
    rows = list(db.session.scalars(query))
    more = len(rows) > size
    rows = rows[:size]
    today = utcnow().astimezone(ZoneInfo(current_user.site.timezone)).date()
    provisional = patrol_tasks.provisional_deadlines(rows, current_user.site.timezone)
    return render(
        "patrols/tasks.html",
        block="task_rows",
        tasks=rows,
        show=show,
        today=today,
        provisional=provisional,
        next_before=rows[-1].id if more else None,
    )


def _detail(task: Task, status: int = 200, **forms):
    departments = db.session.scalars(
        sa.select(Department).where(Department.site_id == task.site_id).order_by(Department.id)
    ).all()
    move = forms.get("move") or DepartmentForm(department=task.department_id)
    from kiosk.templating import DEPARTMENT_LABELS

    move.department.choices = [(d.id, DEPARTMENT_LABELS.get(d.kind, d.kind)) for d in departments]
    today = utcnow().astimezone(ZoneInfo(task.site.timezone)).date()
    patrol_tasks.load_history(task)
    return render(
        "patrols/task.html",
        status=status,
        task=task,
        today=today,
        provisional=patrol_tasks.provisional_deadlines([task], task.site.timezone),
        photo_form=forms.get("photo_form") or PhotoForm(),
        fix_form=forms.get("fix_form") or FixForm(),
        verify_form=forms.get("verify_form") or NoteForm(),
        back_form=forms.get("back_form") or ReasonForm(),
        move=move,
        may_fix=patrol_tasks.may_fix(task, current_user),
        may_verify=patrol_tasks.may_verify(current_user),
    )


@bp.get("/tasks/<int:task_id>")
@staff(*TASK_VIEWERS)
def task_detail(task_id: int):
    return _detail(_task(task_id))


def _refused(task, reason, **forms):
    db.session.rollback()
    flash(str(REFUSALS[reason]), "error")
    return _detail(task, status=422, **forms)


@bp.post("/tasks/<int:task_id>/photo")
@staff(*FIXERS)
def task_photo(task_id: int):
    task = _task(task_id)
    form = PhotoForm()
    if not form.validate_on_submit():
        return _detail(task, status=422, photo_form=form)
    upload = request.files.get("photo")
    root = photos.root(current_app.config, current_app.instance_path)
    try:
        stored = photos.store(root, task.site_id, upload.read() if upload else b"")
        patrol_tasks.add_after_photo(task, _me(), stored, utcnow())
    except photos.PhotoRejected:
        return _refused(task, "photo", photo_form=form)
    except patrol_tasks.TaskRefused as refused:
        return _refused(task, refused.reason, photo_form=form)
    db.session.commit()
    return redirect(url_for("patrols.task_detail", task_id=task.id), 303)


@bp.post("/tasks/<int:task_id>/fix")
@staff(*FIXERS)
def task_fix(task_id: int):
    task = _task(task_id)
    form = FixForm()
    if not form.validate_on_submit():
        return _detail(task, status=422, fix_form=form)
    try:
        patrol_tasks.record_fix(task, _me(), form.note.data, utcnow())
    except patrol_tasks.TaskRefused as refused:
        return _refused(task, refused.reason, fix_form=form)
    db.session.commit()
    flash(_("The fix was recorded; an officer or supervisor will re-inspect it."), "info")
    return redirect(url_for("patrols.task_detail", task_id=task.id), 303)


@bp.post("/tasks/<int:task_id>/verify")
@staff(*VERIFIERS)
def task_verify(task_id: int):
    task = _task(task_id)
    form = NoteForm()
    if not form.validate_on_submit():
        return _detail(task, status=422, verify_form=form)
    try:
        patrol_tasks.verify(task, _me(), form.note.data, utcnow())
    except patrol_tasks.TaskRefused as refused:
        return _refused(task, refused.reason, verify_form=form)
    db.session.commit()
    flash(_("Re-inspected and closed."), "info")
    return redirect(url_for("patrols.task_detail", task_id=task.id), 303)


@bp.post("/tasks/<int:task_id>/send-back")
@staff(*VERIFIERS)
def task_send_back(task_id: int):
    task = _task(task_id)
    form = ReasonForm()
    if not form.validate_on_submit():
        return _detail(task, status=422, back_form=form)
    try:
        patrol_tasks.send_back(task, _me(), form.note.data, utcnow())
    except patrol_tasks.TaskRefused as refused:
        return _refused(task, refused.reason, back_form=form)
    db.session.commit()
    flash(_("Sent back to the department."), "info")
    return redirect(url_for("patrols.task_detail", task_id=task.id), 303)


@bp.post("/tasks/<int:task_id>/department")
@staff(*SUPERVISORS)
def task_department(task_id: int):
    task = _task(task_id)
    form = DepartmentForm()
    form.department.choices = [
        (d.id, str(d.id)) for d in db.session.scalars(sa.select(Department).where(Department.site_id == task.site_id))
    ]
    if not form.validate_on_submit():
        return _detail(task, status=422, move=form)
    try:
        patrol_tasks.reassign(task, db.session.get(Department, form.department.data), _me(), utcnow())
    except patrol_tasks.TaskRefused as refused:
        return _refused(task, refused.reason, move=form)
    db.session.commit()
    return redirect(url_for("patrols.task_detail", task_id=task.id), 303)
