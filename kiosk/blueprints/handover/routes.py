"""Shift handover (H1): the running log, entries, signing, accepting or refusing, remarks,
past logs, and the manager's or duty head's daily review (S2: signed records stay as signed)."""

from datetime import date, timedelta
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from flask import abort, current_app, flash, redirect, request, send_file, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy.orm import selectinload
from sqlalchemy.orm.exc import StaleDataError

from kiosk import audit, photos, signatures
from kiosk.access import FRONT_DESK, current_site_id, get_in_site_or_404, staff
from kiosk.blueprints.handover import bp
from kiosk.blueprints.handover.forms import AcceptForm, DayForm, EntryForm, RefuseForm, SignForm, TextForm
from kiosk.extensions import db
from kiosk.handover import HandoverRefused, pending, shifts
from kiosk.handover.labels import REFUSALS
from kiosk.keys.register import cabinet_count
from kiosk.models.handover import DayReview, EntryKind, ShiftEntry, ShiftLog, ShiftStatus
from kiosk.timeutil import utcnow

HANDOVER_USERS = FRONT_DESK


def _me():
    return current_user._get_current_object()


def _tz() -> str:
    return current_user.site.timezone


def _log(log_id: int) -> ShiftLog:
    return get_in_site_or_404(ShiftLog, log_id)


def _page(log: ShiftLog | None, status: int = 200, **forms):
    entries = []
    if log is not None:
        entries = db.session.scalars(
            sa.select(ShiftEntry)
            .where(ShiftEntry.log_id == log.id)
            .options(selectinload(ShiftEntry.by))
            .order_by(ShiftEntry.id)
            .limit(500)
        ).all()
    live = log is None or log.status == ShiftStatus.OPEN
    groups = pending.gather(current_site_id(), utcnow()) if live else (log.pending or [])
    return render_page(
        "handover/log.html",
        status,
        log=log,
        entries=entries,
        groups=groups,
        live=live,
        cabinet=cabinet_count(current_site_id()),
        entry_form=forms.get("entry_form") or EntryForm(),
        remark_form=forms.get("remark_form") or TextForm(),
        answer_form=forms.get("answer_form") or TextForm(),
        sign_form=SignForm(),
        accept_form=forms.get("accept_form") or AcceptForm(),
        refuse_form=forms.get("refuse_form") or RefuseForm(),
        sign_errors=forms.get("sign_errors") or [],
        accept_errors=forms.get("accept_errors") or [],
    )


def render_page(template, status, **context):
    from kiosk.htmx import render

    return render(template, status=status, **context)


def _refused(log, reason: str, **forms):
    db.session.rollback()
    flash(str(REFUSALS.get(reason, reason)), "error")
    return _page(log and db.session.get(ShiftLog, log.id), 422, **forms)


def _done(log: ShiftLog, message: str | None = None):
    if message:
        flash(message, "info")
    return redirect(url_for("handover.log", log_id=log.id), 303)


@bp.get("/")
@staff(*HANDOVER_USERS)
def current():
    return _page(shifts.current_log(current_site_id()))


@bp.get("/logs/<int:log_id>")
@staff(*HANDOVER_USERS)
def log(log_id: int):
    return _page(_log(log_id))


@bp.post("/open")
@staff(*HANDOVER_USERS)
def open_shift():
    try:
        opened = shifts.open_log(current_site_id(), _me(), utcnow(), _tz())
    except HandoverRefused as refusal:
        db.session.rollback()
        flash(str(REFUSALS[refusal.reason]), "error")
        return redirect(url_for("handover.current"), 303)
    db.session.commit()
    return _done(opened, _("Your shift log is open."))


def _write(log_id: int, action, form, form_key: str, message: str | None = None):
    log = _log(log_id)
    if not form.validate_on_submit():
        return _page(log, 422, **{form_key: form})
    try:
        action(log)
        db.session.commit()
    except HandoverRefused as refusal:
        return _refused(log, refusal.reason, **{form_key: form})
    except StaleDataError:
        return _refused(log, "stale", **{form_key: form})
    return _done(log, message)


@bp.post("/logs/<int:log_id>/entries")
@staff(*HANDOVER_USERS)
def add_entry(log_id: int):
    form = EntryForm()
    return _write(
        log_id,
        lambda log: shifts.add_entry(log, _me(), utcnow(), form.text.data, EntryKind(form.kind.data)),
        form,
        "entry_form",
    )


@bp.post("/logs/<int:log_id>/remarks")
@staff(*HANDOVER_USERS)
def add_remark(log_id: int):
    form = TextForm()
    return _write(
        log_id,
        lambda log: shifts.add_entry(log, _me(), utcnow(), form.text.data, EntryKind.REMARK),
        form,
        "remark_form",
    )


@bp.post("/logs/<int:log_id>/answer")
@staff(*HANDOVER_USERS)
def answer(log_id: int):
    form = TextForm()
    return _write(
        log_id,
        lambda log: shifts.add_entry(log, _me(), utcnow(), form.text.data, EntryKind.ANSWER),
        form,
        "answer_form",
    )


def _drawn_signature():
    """The drawn signature of the form, stored (kiosk.signatures); or the refusal message."""
    root = photos.root(current_app.config, current_app.instance_path)
    try:
        return signatures.store(root, current_site_id(), request.form.get("signature")), None
    except signatures.SignatureRejected as rejected:
        return None, signatures.refusal(rejected.reason)


@bp.post("/logs/<int:log_id>/sign")
@staff(*HANDOVER_USERS)
def sign(log_id: int):
    """H1: the outgoing signs (a drawn signature) and hands over."""
    log = _log(log_id)
    if not SignForm().validate_on_submit():
        abort(400)
    signature, problem = _drawn_signature()
    if problem:
        return _page(log, 422, sign_errors=[problem])
    try:
        shifts.sign(log, _me(), utcnow(), signature=signature)
        db.session.commit()
    except HandoverRefused as refusal:
        return _refused(log, refusal.reason)
    except StaleDataError:
        return _refused(log, "stale")
    return _done(log, _("Signed and handed over. The incoming now checks the keys and accepts."))


@bp.post("/logs/<int:log_id>/accept")
@staff(*HANDOVER_USERS)
def accept(log_id: int):
    """H1: the incoming counted the keys, checked the equipment, and accepts with a drawn signature."""
    log = _log(log_id)
    form = AcceptForm()
    if not form.validate_on_submit():
        return _page(log, 422, accept_form=form)
    signature, problem = _drawn_signature()
    if problem:
        return _page(log, 422, accept_form=form, accept_errors=[problem])
    try:
        mine = shifts.accept(
            log,
            _me(),
            utcnow(),
            _tz(),
            keys_counted=form.keys_counted.data,
            equipment_checked=form.equipment_checked.data,
            mismatch_note=form.mismatch_note.data,
            signature=signature,
        )
        db.session.commit()
    except HandoverRefused as refusal:
        return _refused(log, refusal.reason, accept_form=form)
    except StaleDataError:
        return _refused(log, "stale", accept_form=form)
    return _done(mine, _("Handover accepted. Your shift log is open."))


@bp.get("/logs/<int:log_id>/signatures/<any(outgoing, incoming):who>.png")
@staff(*HANDOVER_USERS)
def signature(log_id: int, who: str):
    """The outgoing's or the incoming's drawn signature on a log (each look audited)."""
    log = _log(log_id)
    stored = log.outgoing_signature_path if who == "outgoing" else log.incoming_signature_path
    if not stored:
        abort(404)
    try:
        path = photos.open_path(photos.root(current_app.config, current_app.instance_path), stored)
    except FileNotFoundError:
        abort(404)
    if not path.exists():
        abort(404)
    audit.record(_me(), "handover.signature_viewed", log, details={"who": who})
    db.session.commit()
    response = send_file(path, mimetype="image/png", max_age=0)
    response.headers["Cache-Control"] = "private, no-store"
    return response


@bp.post("/logs/<int:log_id>/refuse")
@staff(*HANDOVER_USERS)
def refuse(log_id: int):
    form = RefuseForm()
    return _write(
        log_id,
        lambda log: shifts.refuse(log, _me(), utcnow(), form.questions.data),
        form,
        "refuse_form",
        _("Handover refused. The supervisor sees it; the outgoing answers and signs again."),
    )


@bp.get("/logs")
@staff(*HANDOVER_USERS)
def logs():
    size = current_app.config["PAGE_SIZE"]
    query = (
        sa.select(ShiftLog)
        .where(ShiftLog.site_id == current_site_id())
        .options(selectinload(ShiftLog.outgoing), selectinload(ShiftLog.incoming))
        .order_by(ShiftLog.id.desc())
        .limit(size + 1)
    )
    refused_only = request.args.get("show") == "refused"
    if refused_only:
        query = query.where(ShiftLog.status == ShiftStatus.REFUSED)
    before = request.args.get("before", type=int)
    if before and 0 < before <= 2**31 - 1:  # an id: a number past the column's range is no page
        query = query.where(ShiftLog.id < before)
    rows = list(db.session.scalars(query))
    more = len(rows) > size
    rows = rows[:size]
    return render_page(
        "handover/logs.html", 200, rows=rows, refused_only=refused_only, next_before=rows[-1].id if more else None
    )


def _today() -> date:
    return utcnow().astimezone(ZoneInfo(_tz())).date()


@bp.get("/days")
@staff(*HANDOVER_USERS)
def days():
    """The last 30 days: each day's handovers, and whether the manager or duty head signed them."""
    today = _today()
    since = today - timedelta(days=shifts.REVIEW_WINDOW_DAYS)
    counts = db.session.execute(
        sa.select(
            ShiftLog.day,
            sa.func.count(),
            sa.func.sum(sa.case((ShiftLog.status != ShiftStatus.ACCEPTED, 1), else_=0)),
            sa.func.sum(ShiftLog.refused_count),
        )
        .where(ShiftLog.site_id == current_site_id(), ShiftLog.day >= since)
        .group_by(ShiftLog.day)
        .order_by(ShiftLog.day.desc())
    ).all()
    reviews = {
        r.day: r
        for r in db.session.scalars(
            sa.select(DayReview)
            .where(DayReview.site_id == current_site_id(), DayReview.day >= since)
            .options(selectinload(DayReview.signed_by))
        )
    }
    return render_page(
        "handover/days.html",
        200,
        rows=counts,
        reviews=reviews,
        today=today,
        form=DayForm(),
        may_sign=current_user.role in shifts.DAY_SIGNERS,
    )


@bp.post("/days/<day>/sign")
@staff(*shifts.DAY_SIGNERS)
def sign_day(day: str):
    try:
        which = date.fromisoformat(day)
    except ValueError:
        abort(404)
    form = DayForm()
    if form.validate_on_submit():
        try:
            shifts.sign_day(current_site_id(), which, _me(), utcnow(), form.note.data)
            db.session.commit()
            flash(_("The handovers of %(day)s are signed.", day=which.isoformat()), "info")
        except HandoverRefused as refusal:
            db.session.rollback()
            flash(str(REFUSALS[refusal.reason]), "error")
        except sa.exc.IntegrityError:
            db.session.rollback()
            flash(str(REFUSALS["day_signed"]), "error")
    return redirect(url_for("handover.days"), 303)
