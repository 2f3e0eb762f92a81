"""Complaint cases (C2-C5): the list (supervisors see all, departments theirs, others the
complaints they received), and the case with each step under an optimistic version check."""

import sqlalchemy as sa
from flask import abort, current_app, flash, redirect, request, send_file, url_for
from sqlalchemy.orm import selectinload
from sqlalchemy.orm.exc import StaleDataError

from kiosk import paging, photos, signatures
from kiosk.access import FRONT_DESK, SUPERVISORS, current_site_id, get_in_site_or_404, staff
from kiosk.blueprints.cases import bp
from kiosk.blueprints.cases.caller import looked_at
from kiosk.blueprints.cases.common import department_choices, department_in_site, me, refuse, today
from kiosk.blueprints.cases.forms import ComplaintCallbackForm, GradeForm, NoteForm, ValidityForm, VersionForm
from kiosk.cases import Conflict, Refused
from kiosk.cases import complaints as cases
from kiosk.cases.labels import REFUSALS
from kiosk.extensions import db
from kiosk.htmx import render
from kiosk.models import Role, Room
from kiosk.models.case_complaints import Complaint, ComplaintCategory, Grade
from kiosk.models.cases import CaseEvent, Confirmation, Satisfaction
from kiosk.names import mask_phone
from kiosk.paging import BadCursor
from kiosk.timeutil import utcnow

VIEWERS = (*FRONT_DESK, Role.OFFICER, Role.DEPARTMENT)
CALLERS = (*SUPERVISORS, Role.OFFICER, Role.RECEPTIONIST, Role.DUTY_MANAGER)


@bp.get("/complaints")
@staff(*VIEWERS)
def complaints():
    show = request.args.get("show", "open")
    query = (
        sa.select(Complaint)
        .where(Complaint.site_id == current_site_id())
        .options(
            selectinload(Complaint.owner),
            selectinload(Complaint.department),
            selectinload(Complaint.room).selectinload(Room.building),
            selectinload(Complaint.room).selectinload(Room.unit),
        )
    )
    if show == "open":
        query = query.where(Complaint.status.in_(cases.OPEN))
    if me().role == Role.DEPARTMENT:
        query = query.where(Complaint.department_id == me().department_id)
    elif me().role not in SUPERVISORS:
        query = query.where(Complaint.owner_id == me().id)  # 首问责任: the ones they received (C2)
    try:
        page = paging.keyset(
            query,
            Complaint.received_at,
            Complaint.id,
            cursor=request.args.get("cursor"),
            size=current_app.config["PAGE_SIZE"],
        )
    except BadCursor:
        return redirect(url_for("cases.complaints"), 303)
    return render("cases/complaints.html", block="rows", page=page, show=show, today=today())


def _case(case_id: int) -> Complaint:
    case = get_in_site_or_404(Complaint, case_id)
    if me().role == Role.DEPARTMENT and case.department_id != me().department_id:
        abort(404)
    return case


def _detail(case: Complaint, status: int = 200, **forms):
    events = db.session.scalars(
        sa.select(CaseEvent)
        .where(CaseEvent.complaint_id == case.id)
        .options(selectinload(CaseEvent.user))
        .order_by(CaseEvent.id)
    ).all()
    grade = forms.get("grade") or GradeForm(version=case.version)
    grade.department.choices = department_choices(case.site_id)
    blank = lambda: VersionForm(version=case.version)  # noqa: E731
    return render(
        "cases/complaint.html",
        status=status,
        case=case,
        reveal=forms.get("reveal", False),
        events=events,
        today=today(),
        mask_phone=mask_phone,
        may_handle=cases.may_handle(case, me()),
        grade=grade,
        validity=forms.get("validity") or ValidityForm(version=case.version),
        answer=forms.get("answer") or NoteForm(version=case.version),
        rectify=forms.get("rectify") or NoteForm(version=case.version),
        pause=forms.get("pause") or NoteForm(version=case.version),
        resume=blank(),
        callback=forms.get("callback") or ComplaintCallbackForm(version=case.version),
        callback_errors=forms.get("signature_errors", {}).get("callback", ()),
        receipt=forms.get("receipt") or VersionForm(version=case.version),
        receipt_errors=forms.get("signature_errors", {}).get("receipt", ()),
    )


@bp.get("/complaints/<int:case_id>")
@staff(*VIEWERS)
def complaint_detail(case_id: int):
    case = _case(case_id)
    cases.mark_missed(case, utcnow())
    return _detail(case, reveal=looked_at(case, "complaint"))


def _act(case_id: int, form_name: str, form, action, **extra):
    case = _case(case_id)
    if not form.validate_on_submit():
        return _detail(case, 422, **{form_name: form})
    try:
        cases.check_version(case, form.version.data or None)
        action(case, form)
        db.session.commit()
    except Refused as refused:
        refuse(refused.reason)
        errors = [signatures.refusal(refused.signature)] if getattr(refused, "signature", None) else ()
        return _detail(_case(case_id), 422, **{form_name: form}, signature_errors={form_name: errors})
    except (Conflict, StaleDataError, ValueError):
        db.session.rollback()
        flash(str(REFUSALS["conflict"]), "error")
        return _detail(_case(case_id), 409)
    return redirect(url_for("cases.complaint_detail", case_id=case_id), 303)


@bp.post("/complaints/<int:case_id>/validity")
@staff(*FRONT_DESK, Role.OFFICER)
def complaint_validity(case_id: int):
    return _act(
        case_id,
        "validity",
        ValidityForm(),
        lambda case, form: cases.check_validity(
            case, me(), valid=form.valid.data == "yes", explanation=form.explanation.data, now=utcnow()
        ),
    )


@bp.post("/complaints/<int:case_id>/grade")
@staff(*SUPERVISORS)
def complaint_grade(case_id: int):
    form = GradeForm()
    form.department.choices = department_choices(current_site_id())

    def step(case, form):
        department = department_in_site(form.department.data)
        if department is None:
            raise Refused("illegal_step")
        cases.grade(
            case,
            me(),
            grade=Grade(form.grade.data),
            category=ComplaintCategory(form.category.data),
            reason=form.reason.data,
            department=department,
            now=utcnow(),
        )

    return _act(case_id, "grade", form, step)


@bp.post("/complaints/<int:case_id>/answer")
@staff(*FRONT_DESK, Role.OFFICER)
def complaint_answer(case_id: int):
    return _act(
        case_id, "answer", NoteForm(), lambda case, form: cases.first_answer(case, me(), form.note.data, utcnow())
    )


@bp.post("/complaints/<int:case_id>/rectify")
@staff(*SUPERVISORS, Role.DEPARTMENT)
def complaint_rectify(case_id: int):
    return _act(
        case_id, "rectify", NoteForm(), lambda case, form: cases.rectified(case, me(), form.note.data, utcnow())
    )


@bp.post("/complaints/<int:case_id>/pause")
@staff(*FRONT_DESK, Role.OFFICER)
def complaint_pause(case_id: int):
    return _act(case_id, "pause", NoteForm(), lambda case, form: cases.pause(case, me(), form.note.data, utcnow()))


@bp.post("/complaints/<int:case_id>/resume")
@staff(*FRONT_DESK, Role.OFFICER)
def complaint_resume(case_id: int):
    return _act(case_id, "resume", VersionForm(), lambda case, form: cases.resume(case, me(), utcnow()))


class SignatureRefused(Refused):
    def __init__(self, reason: str):
        super().__init__("signature_required")
        self.signature = reason


def _stored_signature(case: Complaint, field: str):
    root = photos.root(current_app.config, current_app.instance_path)
    try:
        return signatures.store(root, case.site_id, request.form.get(field))
    except signatures.SignatureRejected as rejected:
        raise SignatureRefused(rejected.reason) from rejected


@bp.post("/complaints/<int:case_id>/receipt")
@staff(Role.DEPARTMENT)
def complaint_receipt(case_id: int):
    """C5: the department signs for the complaint form on receipt."""

    def step(case, form):  # a stored file is removed again unless the step commits
        cases.receive_form(case, me(), signature=_stored_signature(case, "receipt_signature"), now=utcnow())

    return _act(case_id, "receipt", VersionForm(), step)


@bp.post("/complaints/<int:case_id>/callback")
@staff(*CALLERS)
def complaint_callback(case_id: int):
    def step(case, form):
        satisfaction = Satisfaction(form.satisfaction.data)
        confirmation = Confirmation(form.confirmation.data) if form.confirmation.data else None
        stored = None
        if satisfaction != Satisfaction.UNSATISFIED and confirmation == Confirmation.SIGNATURE:
            stored = _stored_signature(case, "signature")
        cases.record_callback(
            case,
            me(),
            satisfaction=satisfaction,
            note=form.note.data,
            confirmation=confirmation,
            confirmed_by=form.confirmed_by.data,
            signature=stored,
            now=utcnow(),
        )

    response = _act(case_id, "callback", ComplaintCallbackForm(), step)
    return response


@bp.get("/complaints/<int:case_id>/signature")
@staff(*VIEWERS)
def complaint_signature(case_id: int):
    return _signature_file(_case(case_id).signature_path)


@bp.get("/complaints/<int:case_id>/receipt-signature")
@staff(*VIEWERS)
def complaint_receipt_signature(case_id: int):
    """The department's signature on receipt of the complaint form (C5)."""
    return _signature_file(_case(case_id).form_signature_path)


def _signature_file(relative: str | None):
    if not relative:
        abort(404)
    root = photos.root(current_app.config, current_app.instance_path)
    try:
        path = photos.open_path(root, relative)
    except FileNotFoundError:
        abort(404)
    if not path.exists():
        abort(404)
    response = send_file(path, mimetype="image/png", max_age=0)
    response.headers["Cache-Control"] = "private, no-store"
    return response
