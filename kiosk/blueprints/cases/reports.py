"""The quarterly complaint analysis (用户投诉分析报告, C5) for the manager: the page with its
tables and trend chart, and the same as a workbook (audited: it leaves the system)."""

from flask import current_app, flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from kiosk import audit
from kiosk.access import SUPERVISORS, staff
from kiosk.blueprints.cases import bp
from kiosk.blueprints.cases.common import me, today
from kiosk.cases import quarterly
from kiosk.cases import quarterly_export as export
from kiosk.extensions import db
from kiosk.htmx import render
from kiosk.timeutil import utcnow

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _asked():
    """The quarter in the query, or a redirect to the current one with the reason."""
    try:
        return quarterly.parse(request.args.get("year"), request.args.get("quarter"), today()), None
    except quarterly.BadQuarter as bad:
        if bad.reason == "future":
            flash(_("That quarter has not begun yet; here is the current one."), "error")
        else:
            flash(_("Please choose a year and a quarter from the list; here is the current one."), "error")
        return None, redirect(url_for("cases.quarterly_report"), 303)


def _build(quarter):
    report = quarterly.build(current_user.site, quarter, utcnow())
    db.session.commit()  # the sweep's missed flags (C3), as the dashboard does
    return report


@bp.get("/reports/quarterly")
@staff(*SUPERVISORS)
def quarterly_report():
    quarter, bad = _asked()
    if bad:
        return bad
    report = _build(quarter)
    return render(
        "cases/quarterly.html",
        report=report,
        quarter=quarter,
        quarter_label=export.quarter_label,
        tables=export.tables(report),
        chart=export.chart(report),
        choices=quarterly.choices(today()),
    )


@bp.get("/reports/quarterly.xlsx")
@staff(*SUPERVISORS)
def quarterly_xlsx():
    quarter, bad = _asked()
    if bad:
        return bad
    report = _build(quarter)
    data = export.xlsx(report, current_user.site.name)
    audit.record(
        me(),
        "complaint_report.exported",
        details={"year": quarter.year, "quarter": quarter.number, "complaints": report.total},
    )
    db.session.commit()
    response = current_app.response_class(data, mimetype=XLSX)
    filename = f"complaints-{quarter.year}-Q{quarter.number}.xlsx"
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.headers["Cache-Control"] = "no-store"
    return response
