"""The watch list (supervisors): people held for a staff decision when they register.
Every change is audited with its reason."""

import sqlalchemy as sa
from flask import flash, redirect, url_for
from flask_babel import gettext as _
from flask_login import current_user

from kiosk.access import SUPERVISORS, get_in_site_or_404, staff
from kiosk.blueprints.lobby import bp
from kiosk.blueprints.lobby.forms import ReasonForm, WatchForm
from kiosk.extensions import db
from kiosk.htmx import render
from kiosk.models import WatchEntry
from kiosk.visits import watchlist
from kiosk.visits.rules import check_id_number, check_phone


def _entries():
    return db.session.scalars(
        sa.select(WatchEntry)
        .where(WatchEntry.site_id == current_user.site_id, WatchEntry.active.is_(True))
        .order_by(WatchEntry.id.desc())
    ).all()


def _checked(form: WatchForm, *, new: bool):
    """(phone, id_number) or None after putting messages on the form's fields."""
    phone = id_number = None
    ok = True
    if (form.phone.data or "").strip():
        result = check_phone(form.phone.data, form.phone_country.data)
        form.phone.errors = [result.error] if result.error else []
        phone, ok = result.value, ok and not result.error
    if new and (form.id_number.data or "").strip():
        result = check_id_number(form.id_number.data, asked=True)
        form.id_number.errors = [result.error] if result.error else []
        id_number, ok = result.value, ok and not result.error
    has_id = new and id_number or not new
    if ok and not ((form.name.data or "").strip() or phone or has_id):
        form.name.errors = [_("Give at least a name, a phone or an ID card number.")]
        ok = False
    return (phone, id_number) if ok else None


@bp.get("/watch")
@staff(*SUPERVISORS)
def watch():
    return render("lobby/watch.html", entries=_entries(), form=WatchForm())


@bp.post("/watch")
@staff(*SUPERVISORS)
def watch_add():
    form = WatchForm()
    checked = _checked(form, new=True) if form.validate_on_submit() else None
    if checked is None:
        return render("lobby/watch.html", entries=_entries(), form=form, status=422)
    phone, id_number = checked
    watchlist.add(
        current_user.site_id,
        actor=current_user._get_current_object(),
        reason=form.reason.data,
        name=form.name.data,
        aliases=form.aliases.data,
        phone=phone,
        id_number=id_number,
    )
    db.session.commit()
    flash(_("Added to the watch list."), "info")
    return redirect(url_for("lobby.watch"), 303)


@bp.get("/watch/<int:entry_id>")
@staff(*SUPERVISORS)
def watch_entry(entry_id: int):
    entry = get_in_site_or_404(WatchEntry, entry_id)
    form = WatchForm(obj=entry)
    return render("lobby/watch_entry.html", entry=entry, form=form, remove=ReasonForm(prefix="remove"))


@bp.post("/watch/<int:entry_id>")
@staff(*SUPERVISORS)
def watch_update(entry_id: int):
    entry = get_in_site_or_404(WatchEntry, entry_id)
    form = WatchForm()
    checked = _checked(form, new=False) if form.validate_on_submit() else None
    if checked is None:
        return render("lobby/watch_entry.html", entry=entry, form=form, remove=ReasonForm(prefix="remove"), status=422)
    watchlist.update(
        entry,
        actor=current_user._get_current_object(),
        reason=form.reason.data,
        name=form.name.data,
        aliases=form.aliases.data,
        phone=checked[0],
    )
    db.session.commit()
    flash(_("Watch-list entry saved."), "info")
    return redirect(url_for("lobby.watch"), 303)


@bp.post("/watch/<int:entry_id>/remove")
@staff(*SUPERVISORS)
def watch_remove(entry_id: int):
    entry = get_in_site_or_404(WatchEntry, entry_id)
    remove = ReasonForm(prefix="remove")
    if not remove.validate_on_submit():
        form = WatchForm(obj=entry)
        return render("lobby/watch_entry.html", entry=entry, form=form, remove=remove, status=422)
    watchlist.deactivate(entry, actor=current_user._get_current_object(), reason=remove.reason.data)
    db.session.commit()
    flash(_("Removed from the watch list."), "info")
    return redirect(url_for("lobby.watch"), 303)
