"""Notices in the console (V9): draft, submit, approve (outage: the manager), publish,
withdraw, take a posting down, households' sign-offs for a delivered notice."""

from datetime import timedelta

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import force_locale
from flask_babel import gettext as _

from kiosk import paging
from kiosk.access import SUPERVISORS, staff
from kiosk.blueprints.registers import bp
from kiosk.blueprints.registers.common import RUN, me, photo_root, put_refusal, to_local_input, to_utc
from kiosk.blueprints.registers.forms import NoticeForm, SignOffForm, StepForm
from kiosk.extensions import db
from kiosk.htmx import render
from kiosk.models.registers import Channel
from kiosk.registers import labels, mail, notices
from kiosk.registers.common import Refused
from kiosk.timeutil import utcnow
from kiosk.visits.corrections import find_room

STEPS = {
    "submit": notices.submit,
    "publish": notices.publish,
    "withdraw": notices.withdraw,
    "take-down": notices.take_down,
}


@bp.get("/notices/", endpoint="notices")
@staff(*RUN)
def notice_book():
    try:
        page = notices.book(me().site_id, cursor=request.args.get("cursor") or None)
    except paging.BadCursor:
        abort(400)
    return render(
        "registers/notice_book.html", block="results", page=page, due=notices.due_for_removal(me().site_id, utcnow())
    )


def _form():
    form = NoticeForm()
    form.channel.choices = [(c.value, labels.CHANNEL[c]) for c in Channel]
    return form


@bp.route("/notices/new", methods=["GET", "POST"])
@staff(*RUN)
def notice_new():
    form = _form()
    tz = me().site.timezone
    if request.method == "GET":
        form.show_from.data = to_local_input(utcnow(), tz).replace(minute=0)
        form.show_until.data = form.show_from.data + timedelta(days=7)
        return render("registers/notice_new.html", form=form)
    if form.validate_on_submit():
        try:
            notice = notices.draft(
                me().site_id,
                channel=Channel(form.channel.data),
                outage=form.outage.data,
                title_zh=form.title_zh.data,
                body_zh=form.body_zh.data,
                title_en=form.title_en.data or "",
                body_en=form.body_en.data or "",
                show_from=to_utc(form.show_from.data, tz),
                show_until=to_utc(form.show_until.data, tz),
                by=me(),
                now=utcnow(),
            )
        except Refused as refused:
            put_refusal(form, refused)
        else:
            db.session.commit()
            flash(_("The draft is saved. Submit it for approval when it is ready."), "info")
            return redirect(url_for("registers.notice", notice_id=notice.id), 303)
    db.session.rollback()
    return render("registers/notice_new.html", form=form, status=422)


def _notice_or_404(notice_id: int):
    notice = notices.load(me().site_id, notice_id)
    if notice is None:
        abort(404)
    return notice


def _page(notice, sign_off=None, status=200):
    return render(
        "registers/notice.html",
        notice=notice,
        step=StepForm(),
        sign_off=sign_off or SignOffForm(),
        sign_offs=notices.sign_offs(notice),
        may_approve=notices.may_approve(notice, me()),
        now=utcnow(),
        status=status,
    )


@bp.get("/notices/<int:notice_id>")
@staff(*RUN)
def notice(notice_id: int):
    return _page(_notice_or_404(notice_id))


def _step(notice_id: int, action):
    notice = _notice_or_404(notice_id)
    if StepForm().validate_on_submit():
        try:
            action(notice, me(), utcnow())
        except Refused as refused:
            db.session.rollback()
            flash(labels.refusal(refused.reason), "error")
        else:
            db.session.commit()
            flash(_("Recorded."), "info")
    return redirect(url_for("registers.notice", notice_id=notice_id), 303)


@bp.post("/notices/<int:notice_id>/approve")
@staff(*SUPERVISORS)
def notice_approve(notice_id: int):
    return _step(notice_id, notices.approve)


@bp.post("/notices/<int:notice_id>/step/<step>")
@staff(*RUN)
def notice_step(notice_id: int, step: str):
    if step not in STEPS:
        abort(404)
    return _step(notice_id, STEPS[step])


@bp.post("/notices/<int:notice_id>/sign-offs")
@staff(*RUN)
def notice_sign_off(notice_id: int):
    notice = _notice_or_404(notice_id)
    form = SignOffForm()
    if form.validate_on_submit():
        room = find_room(me().site_id, form.room.data)
        household = mail.household_of(room) if room else None
        if household is None:
            form.room.errors = [*form.room.errors, _("No such room at this site. Enter it as 1-1-0101.")]
        else:
            try:
                notices.sign_off(
                    notice, household, form.signed_by.data, request.form.get("signature"), me(), utcnow(), photo_root()
                )
            except Refused as refused:
                put_refusal(form, refused)
            else:
                db.session.commit()
                flash(_("The household's sign-off is recorded."), "info")
                return redirect(url_for("registers.notice", notice_id=notice_id), 303)
    db.session.rollback()
    return _page(_notice_or_404(notice_id), sign_off=form, status=422)


@bp.get("/notices/to-approve")
@staff(*SUPERVISORS)
def notice_approve_list():
    """Submitted notices this approver may decide (outage ones for the manager only)."""
    rows = [n for n in notices.submitted(me().site_id) if notices.may_approve(n, me())]
    return render("registers/notice_approve.html", rows=rows)


@bp.get("/notices/<int:notice_id>/print")
@staff(*RUN)
def notice_print(notice_id: int):
    """V9: the A4 sheet of an approved posting, in the notice's language (Chinese, or its
    English version with ?language=en), whatever language the console is in."""
    notice = _notice_or_404(notice_id)
    language = request.args.get("language") or "zh_Hans_CN"
    try:
        notices.print_copy(notice, language, me(), utcnow())
    except Refused as refused:
        db.session.rollback()
        return render(
            "registers/notice_print_refused.html", notice=notice, message=labels.refusal(refused.reason), status=409
        )
    db.session.commit()
    with force_locale(language):
        page = render_template("registers/notice_print.html", notice=notice, site=me().site, language=language)
    return page
