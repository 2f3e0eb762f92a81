"""The monthly inventory (A1), lending and copying (A2), destruction (A4)."""

from flask import abort, current_app, flash, redirect, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user

from kiosk import audit
from kiosk.access import SUPERVISORS, get_in_site_or_404, staff
from kiosk.blueprints.households import bp
from kiosk.blueprints.households.forms import DestructionForm, LoanForm
from kiosk.blueprints.households.routes import CUSTOMER_SERVICE, _load, me, vault
from kiosk.extensions import db
from kiosk.households import checklist, destruction, inventory, loans
from kiosk.htmx import render
from kiosk.models.households import FileDestruction, FileLoan


def _refusals():
    return {
        "items": _("Please choose the documents."),
        "personal": _("Personal documents (ID copies) are never lent or copied."),
        "not_present": _("Only documents present in the file can be lent or copied."),
        "own": _("Nobody may approve or confirm their own request."),
        "role": _("Your role cannot take this step."),
        "state": _("This step is not due now; the page shows where the request stands."),
        "same_witness": _("The second confirmation must come from a different person."),
        "retention": _(
            "The file can be destroyed only after the household has left and the retention period has passed."
        ),
        "reason": _("Please give the reason."),
    }


@bp.get("/inventory")
@staff(*SUPERVISORS)
def inventory_page():
    site = current_user.site
    month = inventory.month_of(site)
    return render(
        "households/inventory.html", report=inventory.build(site, month), confirmed=inventory.confirmation(site, month)
    )


@bp.get("/inventory.xlsx")
@staff(*SUPERVISORS)
def inventory_xlsx():
    site = current_user.site
    month = inventory.month_of(site)
    report = inventory.build(site, month)
    headers = {
        "sheet": _("Missing documents"),
        "room": _("Room"),
        "kind": _("Owner or tenant"),
        "count": _("Missing"),
        "missing": _("Missing documents"),
        "owner": _("Owner"),
        "tenant": _("Tenant"),
        "sep": "、" if get_locale().language == "zh" else ", ",
    }
    data = inventory.xlsx(report, headers)
    audit.record(
        me(), "household_files.inventory_exported", details={"month": month.isoformat(), "rows": len(report.rows)}
    )
    db.session.commit()
    response = current_app.response_class(
        data, mimetype="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response.headers["Content-Disposition"] = f'attachment; filename="file-inventory-{month:%Y-%m}.xlsx"'
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.post("/inventory/confirm")
@staff(*SUPERVISORS)
def inventory_confirm():
    site = current_user.site
    inventory.confirm(site, inventory.month_of(site), me())
    db.session.commit()
    flash(_("This month's inventory of household files was confirmed."), "info")
    return redirect(url_for("households.inventory_page"), 303)


@bp.get("/loans")
@staff(*CUSTOMER_SERVICE)
def loan_list():
    return render(
        "households/loans.html",
        loans=loans.open_loans(current_user.site_id),
        is_overdue=loans.is_overdue,
        records=destruction.open_records(current_user.site_id),
    )


@bp.post("/<int:file_id>/loans")
@staff(*CUSTOMER_SERVICE)
def request_loan(file_id: int):
    file = _load(file_id)
    form = LoanForm()
    form.items.choices = [(item, checklist.label(item)) for item in checklist.items_for(file.household.kind)]
    if form.validate_on_submit():
        try:
            loans.request(file, me(), form.kind.data, form.items.data, form.borrower.data, form.purpose.data)
        except loans.Refused as refused:
            db.session.rollback()
            flash(_refusals()[refused.reason], "error")
            return redirect(url_for("households.show", file_id=file_id, _anchor="loan"), 303)
        db.session.commit()
        flash(_("The request was sent for the supervisor's review and the manager's approval."), "info")
        return redirect(url_for("households.loan_list"), 303)
    flash(" ".join(str(e) for errors in form.errors.values() for e in errors), "error")
    return redirect(url_for("households.show", file_id=file_id, _anchor="loan"), 303)


LOAN_STEPS = {
    "review": lambda loan, user: loans.review(loan, user, True),
    "approve": lambda loan, user: loans.approve(loan, user, True),
    "refuse": lambda loan, user: (loans.review if loan.status == "requested" else loans.approve)(loan, user, False),
    "out": loans.hand_out,
    "back": loans.give_back,
}


@bp.post("/loans/<int:loan_id>/<step>")
@staff(*CUSTOMER_SERVICE)
def loan_step(loan_id: int, step: str):
    loan = get_in_site_or_404(FileLoan, loan_id)
    if step not in LOAN_STEPS:
        abort(404)
    try:
        LOAN_STEPS[step](loan, me())
    except loans.Refused as refused:
        db.session.rollback()
        flash(_refusals()[refused.reason], "error")
    else:
        db.session.commit()
    return redirect(url_for("households.loan_list"), 303)


@bp.post("/<int:file_id>/destruction")
@staff(*CUSTOMER_SERVICE)
def request_destruction(file_id: int):
    file = _load(file_id)
    form = DestructionForm()
    if form.validate_on_submit():
        try:
            destruction.request(file, me(), form.reason.data, _retention())
        except destruction.Refused as refused:
            db.session.rollback()
            flash(_refusals()[refused.reason], "error")
            return redirect(url_for("households.show", file_id=file_id), 303)
        db.session.commit()
        flash(_("The destruction was requested; it needs a supervisor's review and the manager's approval."), "info")
        return redirect(url_for("households.loan_list"), 303)
    flash(_("Please give the reason."), "error")
    return redirect(url_for("households.show", file_id=file_id), 303)


def _retention() -> int:
    return int(current_app.config.get("HOUSEHOLD_FILE_RETENTION_DAYS", destruction.RETENTION_DAYS))


@bp.post("/destructions/<int:record_id>/<step>")
@staff(*CUSTOMER_SERVICE)
def destruction_step(record_id: int, step: str):
    record = get_in_site_or_404(FileDestruction, record_id)
    user = me()
    try:
        if step == "review":
            destruction.review(record, user, True)
        elif step == "approve":
            destruction.approve(record, user, True)
        elif step == "refuse":
            (destruction.review if record.status == "requested" else destruction.approve)(record, user, False)
        elif step == "witness":
            names = destruction.witness(record, user)
            if names is not None:
                db.session.commit()
                destruction.remove_blobs(vault(), names)
                flash(_("The documents were destroyed; the record of the destruction is kept."), "info")
        else:
            abort(404)
    except destruction.Refused as refused:
        db.session.rollback()
        flash(_refusals()[refused.reason], "error")
    else:
        db.session.commit()
    return redirect(url_for("households.loan_list"), 303)
