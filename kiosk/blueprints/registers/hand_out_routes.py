"""Handing out a room's mail at once (V8): what waits for the room, the chosen items handed
out against one signature or pickup code (kiosk.registers.mail_batch)."""

from flask import flash, redirect, request, url_for
from flask_babel import gettext as _

from kiosk import audit
from kiosk.access import get_in_site_or_404, staff
from kiosk.blueprints.registers import bp
from kiosk.blueprints.registers.common import RUN, me, photo_root, put_refusal
from kiosk.blueprints.registers.forms import HandOutForm
from kiosk.extensions import db
from kiosk.htmx import render
from kiosk.models import Room
from kiosk.registers import mail, mail_batch
from kiosk.registers.common import Refused
from kiosk.timeutil import utcnow


def _page(room: Room, form: HandOutForm, status: int = 200):
    now = utcnow()
    items = mail_batch.waiting(room)
    household = mail.household_of(room)
    authorised = mail.household_authorisations(room.site_id, household.id, now) if household else []
    form.authorisation.choices = [(0, _("Choose…"))] + [(a.id, a.person_name) for a in authorised]
    form.items.choices = [(item.id, str(item.id)) for item in items]
    chosen = set(form.items.data or [])
    return render(
        "registers/mail_hand_out.html",
        room=room,
        household=household,
        items=items,
        chosen=chosen,
        authorised=authorised,
        form=form,
        overdue_before=mail.overdue_before(room.site_id, now),
        status=status,
    )


@bp.get("/mail/rooms/<int:room_id>/hand-out")
@staff(*RUN)
def mail_hand_out(room_id: int):
    room = get_in_site_or_404(Room, room_id)
    form = HandOutForm(formdata=None)
    form.items.data = [item.id for item in mail_batch.waiting(room)]  # default: everything waiting
    # The page names the household and lists what arrived for it: the look is traceable (S1, V8).
    audit.record(me(), "mail.room_viewed", room)
    db.session.commit()
    return _page(room, form)


@bp.post("/mail/rooms/<int:room_id>/hand-out")
@staff(*RUN)
def mail_hand_out_post(room_id: int):
    room = get_in_site_or_404(Room, room_id)
    form = HandOutForm()
    if form.validate_on_submit():
        try:
            handed = mail_batch.hand_out(
                room,
                form.items.data or [],
                form.collector_chosen(),
                form.method_chosen(),
                me(),
                utcnow(),
                code=form.code.data,
                signature=request.form.get("signature"),
                photo_root=photo_root(),
            )
        except Refused as refused:
            db.session.rollback()
            if refused.reason == "already_collected":  # a double submit: it is done already
                flash(_("These items were already collected."), "info")
                return redirect(url_for("registers.mail_room", room_id=room.id), 303)
            put_refusal(form, refused, fallback="collector")
        else:
            db.session.commit()
            flash(_("Handed out %(count)s items; each collection is recorded.", count=len(handed)), "info")
            return redirect(url_for("registers.mail_room", room_id=room.id), 303)
    db.session.rollback()
    return _page(room, form, 422)
