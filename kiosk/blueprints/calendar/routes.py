"""The holiday schedule on the console: managers import a year and correct dates;
supervisors look. Working days are counted by kiosk.workdays from this table first."""

from datetime import date

import sqlalchemy as sa
from flask import abort, flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user

from kiosk import workdays
from kiosk.access import SUPERVISORS, staff
from kiosk.blueprints.calendar import bp
from kiosk.blueprints.calendar.forms import ConfirmForm, DayForm, ImportForm
from kiosk.calendar import schedule
from kiosk.cases import recount as case_deadlines
from kiosk.extensions import db
from kiosk.htmx import render
from kiosk.models import Role
from kiosk.models.calendar import CalendarDay, DayKind
from kiosk.patrols import tasks as patrol_tasks
from kiosk.timeutil import utcnow


def problem_message(problem: schedule.Problem) -> str:
    messages = {
        "too_long": _("The text is too long for one year's schedule."),
        "fields": _("Line %(line)s: expected three parts: date, holiday or workday, name."),
        "date": _("Line %(line)s: the date is not a date like 2027-02-06 or a range like 2027-02-06~2027-02-12."),
        "range": _("Line %(line)s: the range runs backwards or is longer than 15 days."),
        "year": _("Line %(line)s: the date is not in the year being imported."),
        "kind": _("Line %(line)s: the kind must be holiday or workday."),
        "name": _("Line %(line)s: the name is missing or longer than 60 characters."),
        "duplicate": _("Line %(line)s: a date appears twice."),
        "no_holiday": _("The schedule has no holiday; nothing was imported."),
    }
    return messages[problem.reason] % {"line": problem.line}


def _commit_or_report(first: date, last: date) -> int | None:
    """Count again the open deadlines that run through the changed dates (rectification
    tasks, P7; complaints, reopened repairs and payment notices, C3, C10, C7) and commit;
    returns how many moved, or None when two managers saved the same dates at once (a
    normal event, not a crash: the other's dates stand)."""
    try:
        db.session.flush()
        now, actor = utcnow(), current_user._get_current_object()
        moved = patrol_tasks.recount_deadlines(first, last, now, actor)
        moved += case_deadlines.recount_deadlines(first, last, now, actor)
        db.session.commit()
        return moved
    except sa.exc.IntegrityError:
        db.session.rollback()
        flash(_("Someone else changed the holiday schedule at the same moment; please look and try again."), "error")
        return None


def _say_recounted(moved: int) -> None:
    if moved:
        flash(
            ngettext(
                "The deadlines of %(num)d open item were counted again with the new schedule.",
                "The deadlines of %(num)d open items were counted again with the new schedule.",
                moved,
            ),
            "info",
        )


def _year_arg(today) -> int:
    year = request.args.get("year", type=int)
    if year is None:
        uncovered = workdays.uncovered_years(today)
        return uncovered[-1] if uncovered else today.year
    if not 2000 <= year <= 2100:
        abort(404)
    return year


def _page(year: int, *, import_form=None, day_form=None, problems=(), status=200):
    today = schedule.site_today(current_user.site, utcnow())
    known = workdays.calendar()
    years = sorted({today.year - 1, today.year, today.year + 1, year, *schedule.covered_years()})
    table = schedule.covered_years()
    rows = [
        (y, "table" if y in table else "library" if workdays.library_knows(y) else "unknown", table.get(y))
        for y in years
    ]
    return render(
        "calendar/index.html",
        year=year,
        today=today,
        years=rows,
        uncovered=known.uncovered_years(today),
        days=schedule.year_days(year),
        import_form=import_form or ImportForm(year=year),
        day_form=day_form or DayForm(),
        confirm=ConfirmForm(),
        problems=problems,
        may_edit=current_user.role == Role.MANAGER,
        status=status,
    )


@bp.get("/")
@staff(*SUPERVISORS)
def index():
    today = schedule.site_today(current_user.site, utcnow())
    return _page(_year_arg(today))


@bp.post("/import")
@staff(Role.MANAGER)
def import_year():
    form = ImportForm()
    year = form.year.data if isinstance(form.year.data, int) and 2000 <= form.year.data <= 2100 else None
    if not form.validate_on_submit():
        return _page(year or utcnow().year, import_form=form, status=422)
    parsed = schedule.parse(form.text.data, form.year.data)
    if parsed.problems:
        return _page(year, import_form=form, problems=[problem_message(p) for p in parsed.problems[:20]], status=422)
    schedule.import_year(year, parsed, current_user._get_current_object(), utcnow())
    moved = _commit_or_report(date(year, 1, 1), date(year, 12, 31))
    if moved is None:
        return redirect(url_for("calendar.index", year=year), 303)
    flash(
        _("The holiday schedule of %(year)s was imported: %(count)s dates.", year=year, count=len(parsed.days)), "info"
    )
    _say_recounted(moved)
    return redirect(url_for("calendar.index", year=year), 303)


@bp.post("/days")
@staff(Role.MANAGER)
def set_day():
    form = DayForm()
    if not form.validate_on_submit() or not 2000 <= form.day.data.year <= 2100:
        if form.day.data and not form.day.errors and not 2000 <= form.day.data.year <= 2100:
            form.day.errors = [_("Please give a valid date.")]
        year = form.day.data.year if form.day.data and 2000 <= form.day.data.year <= 2100 else utcnow().year
        return _page(year, day_form=form, status=422)
    schedule.set_day(form.day.data, DayKind(form.kind.data), form.name.data.strip(), current_user._get_current_object())
    moved = _commit_or_report(form.day.data, form.day.data)
    if moved is None:
        return redirect(url_for("calendar.index", year=form.day.data.year), 303)
    flash(_("%(day)s is in the holiday schedule.", day=form.day.data.isoformat()), "info")
    _say_recounted(moved)
    return redirect(url_for("calendar.index", year=form.day.data.year), 303)


@bp.post("/days/<int:day_id>/remove")
@staff(Role.MANAGER)
def remove_day(day_id: int):
    row = db.session.get(CalendarDay, day_id)
    if row is None:
        abort(404)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    year, day = row.day.year, row.day
    schedule.remove_day(row, current_user._get_current_object())
    _say_recounted(_commit_or_report(day, day) or 0)
    return redirect(url_for("calendar.index", year=year), 303)
