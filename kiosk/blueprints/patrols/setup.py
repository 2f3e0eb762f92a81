"""Checklists (versioned), checkpoints with printable QR codes and their history (P3),
and schedules."""

import sqlalchemy as sa
from flask import abort, flash, make_response, redirect, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy.orm import selectinload

from kiosk import qr
from kiosk.access import SUPERVISORS, current_site_id, get_in_site_or_404, staff
from kiosk.blueprints.patrols import bp
from kiosk.blueprints.patrols.forms import ScheduleForm, TemplateForm
from kiosk.extensions import db
from kiosk.htmx import render
from kiosk.models import DepartmentKind, Role
from kiosk.models.patrols import AnswerKind, ChecklistTemplate, Checkpoint, CheckpointKind, Schedule
from kiosk.patrols import reports
from kiosk.patrols import schedule as patrol_schedule
from kiosk.patrols import templates as patrol_templates
from kiosk.patrols.templates import ItemData, SectionData

BLANK_ROWS = 3
CHECKPOINT_READERS = (*SUPERVISORS, Role.OFFICER)


@bp.get("/templates")
@staff(*SUPERVISORS)
def templates():
    return render("patrols/templates.html", templates=patrol_templates.active_templates(current_site_id()))


@bp.get("/templates/<int:template_id>")
@staff(*SUPERVISORS)
def template_detail(template_id: int):
    template = get_in_site_or_404(ChecklistTemplate, template_id)
    return render(
        "patrols/template.html", checklist=template, version=patrol_templates.load_version(template.current.id)
    )


def _rows(version) -> list[dict]:
    rows = []
    for section in version.sections:
        for item in section.items:
            rows.append(
                dict(
                    key=item.key,
                    section_zh=section.title_zh,
                    section_en=section.title_en,
                    section_kind=section.checkpoint_kind or "",
                    standard=item.standard,
                    text_zh=item.text_zh,
                    text_en=item.text_en,
                    kind=item.kind,
                    min_value=item.min_value,
                    max_value=item.max_value,
                    unit=item.unit,
                    requires_note=item.fail_requires_note,
                    requires_photo=item.fail_requires_photo,
                    department=item.department_kind,
                    deadline_days=item.deadline_days,
                )
            )
    return rows


def _sections(form: TemplateForm) -> list[SectionData] | None:
    """Rows to sections (consecutive rows with the same section make one); None if a row is half filled."""
    sections: list[SectionData] = []
    ok = True
    for entry in form.items:
        row = entry.form
        if not (row.text_zh.data or "").strip() and not (row.text_en.data or "").strip():
            continue
        if not (row.text_zh.data or "").strip() or not (row.text_en.data or "").strip():
            row.text_en.errors.append(_("Please give the item in both languages."))
            ok = False
            continue
        if (
            row.kind.data == AnswerKind.NUMBER
            and row.min_value.data is not None
            and row.max_value.data is not None
            and row.min_value.data > row.max_value.data
        ):
            row.max_value.errors.append(_("The highest value must not be below the lowest."))
            ok = False
            continue
        title_zh = (row.section_zh.data or "").strip() or _("Items")
        title_en = (row.section_en.data or "").strip() or title_zh
        kind = CheckpointKind(row.section_kind.data) if row.section_kind.data else None
        if not sections or (sections[-1].title_zh, sections[-1].checkpoint_kind) != (title_zh, kind):
            sections.append(SectionData(title_zh, title_en, [], kind))
        sections[-1].items.append(
            ItemData(
                text_zh=row.text_zh.data,
                text_en=row.text_en.data,
                kind=AnswerKind(row.kind.data),
                department=DepartmentKind(row.department.data),
                standard=(row.standard.data or "").strip(),
                min_value=row.min_value.data,
                max_value=row.max_value.data,
                unit=(row.unit.data or "").strip(),
                requires_note=row.requires_note.data,
                requires_photo=row.requires_photo.data,
                deadline_days=row.deadline_days.data,
                key=row.key.data or None,
            )
        )
    if ok and not sections:
        form.items[0].form.text_zh.errors.append(_("A checklist needs at least one item."))
        ok = False
    return sections if ok else None


@bp.route("/templates/<int:template_id>/edit", methods=["GET", "POST"])
@staff(*SUPERVISORS)
def template_edit(template_id: int):
    """Saving makes a new version; patrols already done keep theirs."""
    template = get_in_site_or_404(ChecklistTemplate, template_id)
    current = patrol_templates.load_version(template.current.id)
    form = TemplateForm()
    if not form.is_submitted():
        form = TemplateForm(
            data={
                "name_zh": current.name_zh,
                "name_en": current.name_en,
                "items": _rows(current) + [{"deadline_days": 3}] * BLANK_ROWS,
            }
        )
        return render("patrols/template_edit.html", checklist=template, version=current, form=form)
    sections = _sections(form) if form.validate() else None
    if sections is None:
        return render("patrols/template_edit.html", checklist=template, version=current, form=form, status=422)
    version = patrol_templates.new_version(
        template,
        name_zh=form.name_zh.data,
        name_en=form.name_en.data,
        sections=sections,
        actor=current_user._get_current_object(),
    )
    db.session.commit()
    flash(_("Saved as version %(n)s. Patrols already done keep the version they used.", n=version.number), "info")
    return redirect(url_for("patrols.template_detail", template_id=template.id), 303)


@bp.get("/checkpoints")
@staff(*SUPERVISORS)
def checkpoints():
    rows = db.session.scalars(
        sa.select(Checkpoint)
        .where(Checkpoint.site_id == current_site_id())
        .options(selectinload(Checkpoint.room))
        .order_by(Checkpoint.sort_order, Checkpoint.id)
    ).all()
    return render("patrols/checkpoints.html", checkpoints=rows)


def _qr(checkpoint: Checkpoint, scale=4) -> str:
    url = url_for("patrols.checkpoint", code=checkpoint.code, _external=True)
    return qr.svg(url, scale=scale, omitsize=False)


@bp.get("/checkpoints/print")
@staff(*SUPERVISORS)
def checkpoints_print():
    """A sheet of QR labels to print and post at each checkpoint."""
    rows = db.session.scalars(
        sa.select(Checkpoint)
        .where(Checkpoint.site_id == current_site_id(), Checkpoint.active.is_(True))
        .order_by(Checkpoint.sort_order, Checkpoint.id)
    ).all()
    return render("patrols/checkpoints_print.html", labels=[(c, _qr(c)) for c in rows])


@bp.get("/checkpoints/<int:checkpoint_id>/qr.svg")
@staff(*SUPERVISORS)
def checkpoint_qr(checkpoint_id: int):
    checkpoint = get_in_site_or_404(Checkpoint, checkpoint_id)
    url = url_for("patrols.checkpoint", code=checkpoint.code, _external=True)
    response = make_response(qr.svg(url, scale=8, omitsize=False))
    response.mimetype = "image/svg+xml"
    return response


@bp.get("/c/<code>")
@staff(*CHECKPOINT_READERS)
def checkpoint(code: str):
    """Where a checkpoint's QR leads a phone: its inspection history (P3: a vacant unit's
    own record, 房屋巡视记录表)."""
    row = db.session.scalar(
        sa.select(Checkpoint).where(Checkpoint.code == code.upper(), Checkpoint.site_id == current_site_id())
    )
    if row is None:
        abort(404)
    return render("patrols/checkpoint.html", checkpoint=row, visits=reports.history(row))


@bp.get("/schedules")
@staff(*SUPERVISORS)
def schedules():
    rows = db.session.scalars(
        sa.select(Schedule)
        .where(Schedule.site_id == current_site_id())
        .options(selectinload(Schedule.stops), selectinload(Schedule.template))
        .order_by(Schedule.id)
    ).all()
    forms = {
        s.id: ScheduleForm(
            prefix=f"s{s.id}",
            data={
                "windows": patrol_schedule.format_windows(s.windows),
                "grace_minutes": s.grace_minutes,
                "active": s.active,
            },
        )
        for s in rows
    }
    return render("patrols/schedules.html", schedules=rows, forms=forms)


@bp.post("/schedules/<int:schedule_id>")
@staff(*SUPERVISORS)
def schedule_update(schedule_id: int):
    schedule = get_in_site_or_404(Schedule, schedule_id)
    form = ScheduleForm(prefix=f"s{schedule.id}")
    windows = schedule.windows
    if form.validate_on_submit() and schedule.cadence == "daily":
        try:
            windows = patrol_schedule.parse_windows(form.windows.data or "")
        except ValueError:
            form.windows.errors.append(_("Write windows as 08:00-11:00, 14:00-17:00 (start before end, no overlap)."))
    if form.errors or not form.validate_on_submit():
        rows = db.session.scalars(
            sa.select(Schedule).where(Schedule.site_id == current_site_id()).order_by(Schedule.id)
        ).all()
        forms = {
            s.id: ScheduleForm(
                prefix=f"s{s.id}",
                data={
                    "windows": patrol_schedule.format_windows(s.windows),
                    "grace_minutes": s.grace_minutes,
                    "active": s.active,
                },
            )
            for s in rows
            if s.id != schedule.id
        }
        forms[schedule.id] = form
        return render("patrols/schedules.html", schedules=rows, forms=forms, status=422)
    schedule.windows, schedule.grace_minutes, schedule.active = windows, form.grace_minutes.data, form.active.data
    from kiosk import audit

    audit.record(
        current_user._get_current_object(),
        "schedule.updated",
        schedule,
        details={"windows": windows, "grace_minutes": schedule.grace_minutes, "active": schedule.active},
    )
    db.session.commit()
    flash(_("Schedule saved. Occurrences already made keep their times."), "info")
    return redirect(url_for("patrols.schedules"), 303)
