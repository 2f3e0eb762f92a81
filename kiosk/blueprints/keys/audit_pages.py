"""The weekly key audit (K3) on a tablet: tick every set against the cabinet; history."""

import sqlalchemy as sa
from flask import flash, redirect, request, url_for
from flask_babel import gettext as _
from sqlalchemy.orm import selectinload

from kiosk.access import SUPERVISORS, current_site_id, get_in_site_or_404, staff
from kiosk.blueprints.keys import bp
from kiosk.blueprints.keys.forms import AuditForm
from kiosk.blueprints.keys.routes import KEY_USERS, me, refused
from kiosk.extensions import db
from kiosk.htmx import render
from kiosk.keys import KeyRefused, audits
from kiosk.models import Role, Room
from kiosk.models.keys import AuditResult, KeyAudit, KeyAuditLine, KeySet
from kiosk.timeutil import parse_instant, utcnow

AUDITORS = (*SUPERVISORS, Role.OFFICER)
VIEWERS = tuple(set(KEY_USERS) | {Role.OFFICER})


@bp.get("/audits")
@staff(*VIEWERS)
def audit_list():
    rows = db.session.scalars(
        sa.select(KeyAudit)
        .where(KeyAudit.site_id == current_site_id())
        .options(selectinload(KeyAudit.officer))
        .order_by(KeyAudit.id.desc())
        .limit(60)
    ).all()
    return render("keys/audits.html", rows=rows, next_due=audits.next_due(current_site_id()), now=utcnow())


def _sheet(form, status=200, results=None):
    return render(
        "keys/audit_form.html",
        status=status,
        form=form,
        sets=audits.expected_sets(current_site_id()),
        results=results or {},
        started=utcnow().isoformat(),
    )


@bp.route("/audits/new", methods=["GET", "POST"])
@staff(*AUDITORS)
def audit_new():
    form = AuditForm()
    if request.method == "GET":
        return _sheet(form)
    results: dict[int, tuple[AuditResult, str | None]] = {}
    for key, value in request.form.items():
        if key.startswith("result-") and key[7:].isdigit() and value in set(AuditResult):
            set_id = int(key[7:])
            results[set_id] = (AuditResult(value), request.form.get(f"note-{set_id}", "")[:300])
    if not form.validate_on_submit():
        return _sheet(form, 422, results)
    now = utcnow()
    started = parse_instant(request.form.get("started")) or now
    try:
        row = audits.record(current_site_id(), me(), min(started, now), now, results, form.note.data)
        db.session.commit()
    except KeyRefused as refusal:
        refused(refusal.reason)
        return _sheet(form, 422, results)
    if row.anomalies:
        flash(_("Audit stored: %(n)s anomalies reported to the supervisor and the manager.", n=row.anomalies), "error")
    else:
        flash(_("Audit stored: every key set is in its place."), "info")
    return redirect(url_for("keys.audit_detail", audit_id=row.id), 303)


@bp.get("/audits/<int:audit_id>")
@staff(*VIEWERS)
def audit_detail(audit_id: int):
    row = get_in_site_or_404(KeyAudit, audit_id)
    lines = db.session.scalars(
        sa.select(KeyAuditLine)
        .where(KeyAuditLine.audit_id == row.id)
        .options(
            selectinload(KeyAuditLine.key_set).selectinload(KeySet.room).selectinload(Room.building),
            selectinload(KeyAuditLine.key_set).selectinload(KeySet.room).selectinload(Room.unit),
            selectinload(KeyAuditLine.key_set).selectinload(KeySet.building),
        )
        .order_by(KeyAuditLine.result, KeyAuditLine.id)
        .limit(audits.MAX_SETS)
    ).all()
    return render("keys/audit.html", audit=row, lines=lines)
