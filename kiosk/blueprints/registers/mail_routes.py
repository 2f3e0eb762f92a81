"""Mail and parcels (V8): receive, the book, overdue items, collection, slips, authorisations."""

import sqlalchemy as sa
from flask import abort, flash, redirect, request, url_for
from flask_babel import gettext as _

from kiosk import paging
from kiosk.access import get_in_site_or_404, staff
from kiosk.blueprints.registers import bp
from kiosk.blueprints.registers.common import RUN, me, photo_root, put_refusal, to_utc
from kiosk.blueprints.registers.forms import AuthorisationForm, CollectForm, ReceiveForm, RevokeForm
from kiosk.extensions import db
from kiosk.htmx import render
from kiosk.models import Household, Room
from kiosk.models.registers import MailAuthorisation, MailKind, MailStatus
from kiosk.registers import mail, notify
from kiosk.registers.common import Refused, mask_name
from kiosk.timeutil import utcnow
from kiosk.visits.corrections import find_room


@bp.get("/mail/", endpoint="mail")
@staff(*RUN)
def mail_book():
    show_all = request.args.get("all") == "1"
    try:
        page = mail.book(
            me().site_id, status=None if show_all else MailStatus.WAITING, cursor=request.args.get("cursor") or None
        )
    except paging.BadCursor:
        abort(400)
    return render(
        "registers/mail_book.html",
        block="results",
        page=page,
        show_all=show_all,
        overdue_before=mail.overdue_before(me().site_id, utcnow()),
        mask_name=mask_name,
    )


@bp.get("/mail/overdue")
@staff(*RUN)
def mail_overdue():
    now = utcnow()
    return render(
        "registers/mail_overdue.html",
        items=mail.overdue(me().site_id, now),
        now=now,
        days=mail.settings(me().site_id).mail_overdue_days,
        mask_name=mask_name,
    )


def _receive_page(form, status=200):
    return render("registers/mail_receive.html", form=form, status=status)


@bp.route("/mail/receive", methods=["GET", "POST"])
@staff(*RUN)
def mail_receive():
    form = ReceiveForm()
    if request.method == "GET":
        return _receive_page(form)
    if form.validate_on_submit():
        room = find_room(me().site_id, form.room.data)
        if room is None:
            form.room.errors = [*form.room.errors, _("No such room at this site. Enter it as 1-1-0101.")]
        else:
            try:
                item = mail.receive(
                    room,
                    MailKind(form.kind.data),
                    form.count.data,
                    form.courier.data,
                    me(),
                    utcnow(),
                    tracking_no=form.tracking_no.data,
                )
            except Refused as refused:
                put_refusal(form, refused)
            else:
                db.session.commit()
                if notify.mail_received(item):
                    mail.mark_notified(item, utcnow())
                    db.session.commit()
                flash(
                    _(
                        "Received for %(room)s. Pickup code %(code)s; print the slip for the household.",
                        room=room.label,
                        code=item.pickup_code,
                    ),
                    "info",
                )
                return redirect(url_for("registers.mail_item", item_id=item.id), 303)
    db.session.rollback()
    return _receive_page(form, 422)


def _item_or_404(item_id: int):
    item = mail.load(me().site_id, item_id)
    if item is None:
        abort(404)
    return item


def _item_page(item, form=None, status=200):
    now = utcnow()
    form = form or CollectForm()
    authorised = mail.authorisations(item, now)
    form.authorisation.choices = [(0, _("Choose…"))] + [(a.id, a.person_name) for a in authorised]
    return render(
        "registers/mail_item.html",
        item=item,
        form=form,
        authorised=authorised,
        status=status,
        overdue=item.status == MailStatus.WAITING and item.received_at < mail.overdue_before(item.site_id, now),
    )


@bp.get("/mail/<int:item_id>")
@staff(*RUN)
def mail_item(item_id: int):
    item = _item_or_404(item_id)
    mail.view(item, me())  # the record names the household: the look is traceable (S1, V8)
    db.session.commit()
    return _item_page(item)


@bp.post("/mail/<int:item_id>/collect")
@staff(*RUN)
def mail_collect(item_id: int):
    item = _item_or_404(item_id)
    form = CollectForm()
    if form.validate_on_submit():
        try:
            mail.collect(
                item,
                form.collector_chosen(),
                form.method_chosen(),
                me(),
                utcnow(),
                code=form.code.data,
                signature=request.form.get("signature"),
                photo_root=photo_root(),
            )
        except Refused as refused:
            if refused.reason == "already_collected":
                db.session.rollback()
                flash(_("This item was already collected."), "info")
                return redirect(url_for("registers.mail_item", item_id=item_id), 303)
            put_refusal(form, refused, fallback="collector")
        else:
            db.session.commit()
            flash(_("Handed out; the collection is recorded."), "info")
            return redirect(url_for("registers.mail_item", item_id=item_id), 303)
    db.session.rollback()
    return _item_page(_item_or_404(item_id), form, 422)


@bp.get("/mail/<int:item_id>/slip")
@staff(*RUN)
def mail_slip(item_id: int):
    """The printed slip for the household's letterbox: room, kind, count, pickup code."""
    return render("registers/mail_slip.html", item=_item_or_404(item_id))


def _household_or_404(household_id: int) -> Household:
    household = get_in_site_or_404(Household, household_id)
    return household


def _authorisations_page(household, form=None, status=200):
    rows = db.session.scalars(
        sa.select(MailAuthorisation)
        .where(MailAuthorisation.household_id == household.id)
        .order_by(MailAuthorisation.id.desc())
        .limit(50)
    ).all()
    return render(
        "registers/mail_authorisations.html",
        household=household,
        rows=rows,
        form=form or AuthorisationForm(),
        revoke=RevokeForm(),
        now=utcnow(),
        status=status,
    )


@bp.get("/mail/households/<int:household_id>/authorisations")
@staff(*RUN)
def mail_authorisations(household_id: int):
    return _authorisations_page(_household_or_404(household_id))


@bp.post("/mail/households/<int:household_id>/authorisations")
@staff(*RUN)
def mail_authorise(household_id: int):
    household = _household_or_404(household_id)
    form = AuthorisationForm()
    if form.validate_on_submit():
        mail.authorise(
            household, form.person_name.data, form.phone.data, to_utc(form.valid_until.data, me().site.timezone), me()
        )
        db.session.commit()
        flash(_("The authorisation is on file."), "info")
        return redirect(url_for("registers.mail_authorisations", household_id=household.id), 303)
    db.session.rollback()
    return _authorisations_page(household, form, 422)


@bp.post("/mail/authorisations/<int:auth_id>/revoke")
@staff(*RUN)
def mail_revoke(auth_id: int):
    auth = get_in_site_or_404(MailAuthorisation, auth_id)
    if RevokeForm().validate_on_submit():
        mail.revoke(auth, me(), utcnow())
        db.session.commit()
        flash(_("The authorisation was revoked."), "info")
    return redirect(url_for("registers.mail_authorisations", household_id=auth.household_id), 303)


@bp.get("/mail/rooms/<int:room_id>")
@staff(*RUN)
def mail_room(room_id: int):
    """What waits for one room: the household's own view at the desk (V8)."""
    room = get_in_site_or_404(Room, room_id)
    household = mail.household_of(room)
    items = mail.for_household(room.site_id, household.id) if household else []
    return render("registers/mail_room.html", room=room, household=household, items=items)
