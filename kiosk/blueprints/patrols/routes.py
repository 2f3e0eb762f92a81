"""Supervisor pages: dashboard, missed occurrences, patrol review and signature,
printable check sheet, a month as XLSX, and photos."""

from datetime import timedelta
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from flask import abort, current_app, flash, redirect, request, send_file, url_for
from flask_babel import format_datetime
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy.orm import selectinload

from kiosk import ids, paging, photos
from kiosk.access import SUPERVISORS, current_site_id, get_in_site_or_404, staff
from kiosk.blueprints.patrols import bp
from kiosk.blueprints.patrols.forms import NoteForm
from kiosk.extensions import db
from kiosk.htmx import render
from kiosk.models import Department, Role
from kiosk.models.patrols import Occurrence, Patrol, Photo
from kiosk.patrols import reports, walk
from kiosk.patrols import schedule as patrol_schedule
from kiosk.patrols import tasks as patrol_tasks
from kiosk.patrols.labels import REFUSALS, STATES, local
from kiosk.timeutil import utcnow

PHOTO_VIEWERS = (*SUPERVISORS, Role.OFFICER, Role.DEPARTMENT)


def _me():
    return current_user._get_current_object()


@bp.get("/")
@staff(*SUPERVISORS)
def dashboard():
    now = utcnow()
    site = current_user.site
    patrol_schedule.ensure_occurrences(site, now)
    today = now.astimezone(ZoneInfo(site.timezone)).date()
    departments = {d.id: d for d in db.session.scalars(sa.select(Department).where(Department.site_id == site.id))}
    return render(
        "patrols/dashboard.html",
        block="overdue",
        now=now,
        state=patrol_schedule.state,
        overdue=patrol_schedule.overdue(site.id, now),
        form=NoteForm(),
        today=patrol_schedule.today_counts(site, now),
        incomplete=reports.incomplete_since(site.id, now - timedelta(days=30)),
        rates=reports.pass_rate_by_area(site.id, now - timedelta(days=30)),
        skipped=reports.skipped_by_area(site.id, now - timedelta(days=30)),
        open_tasks=reports.open_tasks_by_department(site.id, today),
        departments=departments,
    )


@bp.post("/occurrences/<int:occurrence_id>/acknowledge")
@staff(*SUPERVISORS)
def acknowledge(occurrence_id: int):
    occurrence = get_in_site_or_404(Occurrence, occurrence_id)
    form = NoteForm()
    if not form.validate_on_submit():
        abort(400)
    patrol_schedule.acknowledge(occurrence, _me(), form.note.data, utcnow())
    db.session.commit()
    return redirect(url_for("patrols.dashboard"), 303)


@bp.post("/occurrences/acknowledge-missed")
@staff(*SUPERVISORS)
def acknowledge_missed():
    """Every missed occurrence the dashboard showed (their ids come with the form, so
    that one missed since is not acknowledged unseen), with one reason."""
    form = NoteForm()
    if not form.validate_on_submit():
        abort(400)
    listed = ids.parse_ids(request.form.getlist("occurrence"))
    count = patrol_schedule.acknowledge_missed(current_site_id(), listed, _me(), form.note.data, utcnow())
    db.session.commit()
    flash(_("Missed patrols acknowledged: %(count)s.", count=count), "info")
    return redirect(url_for("patrols.dashboard"), 303)


@bp.get("/records")
@staff(*SUPERVISORS)
def patrol_list():
    """Newest first by when they were walked (a patrol sent late from an offline tablet
    takes its place among the others), paged by keyset (?cursor=)."""
    query = (
        sa.select(Patrol)
        .where(Patrol.site_id == current_site_id())
        .options(
            selectinload(Patrol.officer),
            selectinload(Patrol.version),
            selectinload(Patrol.schedule),
            selectinload(Patrol.signed_by),
            selectinload(Patrol.occurrence),
        )
    )
    try:
        page = paging.keyset(
            query,
            Patrol.started_at,
            Patrol.id,
            cursor=request.args.get("cursor") or None,
            size=current_app.config["PAGE_SIZE"],
        )
    except paging.BadCursor:
        abort(400)
    month = utcnow().astimezone(ZoneInfo(current_user.site.timezone)).strftime("%Y-%m")
    return render(
        "patrols/patrols.html", block="patrol_rows", patrols=page.items, month=month, next_cursor=page.next_cursor
    )


@bp.get("/records/<int:patrol_id>")
@staff(*SUPERVISORS)
def patrol_detail(patrol_id: int):
    patrol = get_in_site_or_404(Patrol, patrol_id)
    return render("patrols/patrol.html", form=NoteForm(), **reports.sheet(patrol))


@bp.get("/records/<int:patrol_id>/print")
@staff(*SUPERVISORS)
def patrol_print(patrol_id: int):
    patrol = get_in_site_or_404(Patrol, patrol_id)
    return render("patrols/patrol_print.html", **reports.sheet(patrol))


@bp.post("/records/<int:patrol_id>/sign")
@staff(*SUPERVISORS)
def patrol_sign(patrol_id: int):
    patrol = get_in_site_or_404(Patrol, patrol_id)
    form = NoteForm()
    if not form.validate_on_submit():
        return render("patrols/patrol.html", form=form, status=422, **reports.sheet(patrol))
    try:
        walk.sign(patrol, _me(), form.note.data, utcnow())
    except walk.PatrolRefused as refused:
        db.session.rollback()
        flash(str(REFUSALS[refused.reason]), "error")
        return redirect(url_for("patrols.patrol_detail", patrol_id=patrol.id), 303)
    db.session.commit()
    flash(_("Patrol signed."), "info")
    return redirect(url_for("patrols.patrol_detail", patrol_id=patrol.id), 303)


@bp.get("/records/export.xlsx")
@staff(*SUPERVISORS)
def patrol_export():
    site = current_user.site
    month = request.args.get("month") or utcnow().astimezone(ZoneInfo(site.timezone)).strftime("%Y-%m")
    try:
        start, end = reports.month_bounds(month, site.timezone)
    except ValueError:
        abort(400)
    rows = reports.month_patrols(site.id, start, end)
    headers = [
        _("Started"),
        _("Finished"),
        _("Checklist"),
        _("Schedule"),
        _("Officer"),
        _("Due by"),
        _("Timeliness"),
        _("Incomplete"),
        _("Reason left undone"),
        _("Pass"),
        _("Fail"),
        _("N/A"),
        _("Scans too fast"),
        _("Scans out of order"),
        _("Signed by"),
        _("Signed at"),
    ]

    def when(dt):
        return format_datetime(dt, "yyyy-MM-dd HH:mm") if dt else ""

    def timeliness(p):
        if p.occurrence is None or p.finished_at is None:
            return ""
        return str(STATES[patrol_schedule.DONE_LATE if patrol_schedule.finished_late(p) else patrol_schedule.DONE])

    def row_for(p, counts):
        return [
            when(p.started_at),
            when(p.finished_at),
            local(p.version, "name"),
            local(p.schedule, "name") if p.schedule else _("Extra patrol"),
            p.officer.display_name,
            when(p.occurrence.due_at) if p.occurrence else "",
            timeliness(p),
            _("yes") if p.incomplete else "",
            p.incomplete_reason or "",
            counts.get("pass", 0),
            counts.get("fail", 0),
            counts.get("na", 0),
            _("yes") if p.flag_fast else "",
            _("yes") if p.flag_order else "",
            p.signed_by.display_name if p.signed_by else "",
            when(p.signed_at),
        ]

    data = reports.month_xlsx(rows, headers, row_for)
    from io import BytesIO

    return send_file(
        BytesIO(data),
        as_attachment=True,
        download_name=f"patrols-{month}.xlsx",
        mimetype="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )


@bp.get("/photos/<int:photo_id>")
@staff(*PHOTO_VIEWERS)
def photo(photo_id: int):
    row = get_in_site_or_404(Photo, photo_id)
    if not patrol_tasks.may_see_photo(row, _me()):
        abort(404)  # as the task pages: another department's photo does not exist for this user
    root = photos.root(current_app.config, current_app.instance_path)
    try:
        path = photos.open_path(root, row.path)
    except FileNotFoundError:
        abort(404)
    if not path.exists():
        abort(404)
    response = send_file(path, mimetype="image/jpeg", max_age=0)
    response.headers["Cache-Control"] = "private, no-store"
    return response
