"""Supervisors only: export of the log (S3, audited) and the lobby settings."""

from flask import flash, redirect, request, send_file, url_for
from flask_babel import gettext as _
from flask_login import current_user

from kiosk.access import SUPERVISORS, staff
from kiosk.blueprints.visits import bp
from kiosk.blueprints.visits.forms import ExportForm, SearchForm, SettingsForm
from kiosk.blueprints.visits.routes import log_page
from kiosk.extensions import db
from kiosk.htmx import render
from kiosk.visits import export as visitor_export
from kiosk.visits import lobby, lobby_settings

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@bp.post("/export")
@staff(*SUPERVISORS)
def export():
    form = ExportForm()
    if not form.validate_on_submit():
        return log_page(SearchForm(formdata=None), export=form, status=422)
    export = visitor_export.prepare(current_user.site, form.date_from.data, form.date_to.data, form.format.data)
    written = visitor_export.write(export)  # every row read now, inside the request's session
    visitor_export.audit_delivery(export, written, current_user._get_current_object())
    db.session.commit()  # the audit event is kept before any data leaves
    mimetype = "text/csv" if export.fmt == "csv" else XLSX
    response = send_file(written.handle, mimetype=mimetype, as_attachment=True, download_name=export.filename)
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.route("/settings", methods=["GET", "POST"])
@staff(*SUPERVISORS)
def settings():
    current = lobby.settings_for(current_user.site_id)
    form = SettingsForm(obj=current)
    if request.method == "POST":
        if form.validate_on_submit():
            values = {name: getattr(form, name).data for name in lobby_settings.FIELDS}
            changed = lobby_settings.save(current_user.site_id, values, current_user._get_current_object())
            db.session.commit()
            flash(_("The lobby settings were saved.") if changed else _("Nothing was changed."), "info")
            return redirect(url_for("visits.settings"), 303)
        return render("visits/settings.html", form=form, status=422)
    return render("visits/settings.html", form=form)
