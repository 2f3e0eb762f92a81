"""The quarterly complaint analysis (C5) as the manager reads it: its tables with translated
headings (the page and the workbook show the same), the chart's figures, and the XLSX with
a native chart. Plain Python: the labels are lazy translations, read in the request's language.
"""

import io
from dataclasses import dataclass

from flask_babel import lazy_gettext as _l

from kiosk.cases.labels import COMPLAINT_CATEGORIES, GRADES, UNCATEGORISED
from kiosk.cases.quarterly import DEADLINES, Quarter, Report
from kiosk.spreadsheets import row as sheet_row
from kiosk.templating import DEPARTMENT_LABELS

TITLE = _l("Quarterly complaint analysis")
STATUSES = {
    "open": _l("Still open"),
    "closed": _l("Called back and closed"),
    "out_of_scope": _l("Out of scope, closed"),
}
DEADLINE_LABELS = {
    "notify": _l("Department signed for the form (4 hours)"),
    "answer": _l("First answer to the customer"),
    "rectify": _l("Rectified"),
    "callback": _l("Callback"),
}
NO_DEPARTMENT = _l("No department yet")
NOT_GRADED = _l("Not yet graded")


@dataclass
class Table:
    key: str
    title: object
    headers: list
    rows: list[list]  # text, counts (int) and shares (float 0..1, or None when there is nothing to divide)
    percent_columns: tuple[int, ...] = ()
    total: list | None = None


def quarter_label(quarter: Quarter) -> str:
    return str(_l("%(year)s Q%(quarter)s", year=quarter.year, quarter=quarter.number))


def category_label(category) -> str:
    return str(COMPLAINT_CATEGORIES.get(category, UNCATEGORISED) if category else UNCATEGORISED)


def _share(n: int, total: int) -> float | None:
    return n / total if total else None


def tables(report: Report) -> list[Table]:
    total = report.total
    count, share = _l("Number of complaints"), _l("Share")
    overview = Table(
        "overview",
        _l("Overview"),
        [_l("Status"), count],
        [[_l("Received in the quarter"), total], *[[STATUSES[s], report.by_status.get(s, 0)] for s in STATUSES]],
    )
    by_category = Table(
        "category",
        _l("By category"),
        [_l("Category"), count, share],
        [
            [category_label(c), report.by_category.get(c, 0), _share(report.by_category.get(c, 0), total)]
            for c in report.categories
        ],
        percent_columns=(2,),
        total=[_l("All complaints"), total, _share(total, total)],
    )
    by_department = Table(
        "department",
        _l("By department"),
        [_l("Department"), count, share],
        [
            [
                DEPARTMENT_LABELS.get(k, k) if k else NO_DEPARTMENT,
                report.by_department[k],
                _share(report.by_department[k], total),
            ]
            for k in report.departments
        ],
        percent_columns=(2,),
        total=[_l("All complaints"), total, _share(total, total)],
    )
    grades = [*GRADES, None]
    by_grade = Table(
        "grade",
        _l("By grade"),
        [_l("Grade"), count],
        [[GRADES[g] if g else NOT_GRADED, report.by_grade.get(g, 0)] for g in grades],
    )
    deadlines = Table(
        "deadlines",
        _l("Deadlines (C3): missed stays missed"),
        [_l("Deadline (C3)"), _l("Met in time"), _l("Missed the deadline"), _l("Not yet due"), _l("Rate met in time")],
        [[DEADLINE_LABELS[d], t.met, t.missed, t.open, t.rate] for d in DEADLINES for t in [report.compliance[d]]],
        percent_columns=(4,),
    )
    trend = Table(
        "trend",
        _l("Last four quarters by category"),
        [_l("Category"), *[quarter_label(q) for q, _counts in report.trend]],
        [[category_label(c), *[counts.get(c, 0) for _q, counts in report.trend]] for c in report.categories],
        total=[_l("All complaints"), *[sum(counts.values()) for _q, counts in report.trend]],
    )
    return [overview, by_category, by_department, by_grade, deadlines, trend]


def chart(report: Report) -> dict:
    """The trend chart's figures and words, for js/charts.js (ECharts): stacked bars of the
    categories per quarter and a line of the total."""
    return {
        "title": str(_l("Complaints per quarter by category")),
        "quarters": [quarter_label(q) for q, _counts in report.trend],
        "series": [
            {"name": category_label(c), "data": [counts.get(c, 0) for _q, counts in report.trend]}
            for c in report.categories
        ],
        "total": {"name": str(_l("All categories")), "data": [sum(counts.values()) for _q, counts in report.trend]},
    }


def xlsx(report: Report, site_name: str) -> bytes:
    """One sheet: the tables one under another, the trend as a native stacked bar chart
    beside them. Every text cell escaped against formulas (kiosk.spreadsheets)."""
    from openpyxl import Workbook
    from openpyxl.chart import BarChart, Reference
    from openpyxl.styles import Font

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = str(_l("Complaint analysis"))[:31]
    bold = Font(bold=True)
    sheet.append(sheet_row([f"{TITLE} · {quarter_label(report.quarter)}"]))
    sheet["A1"].font = Font(bold=True, size=14)
    sheet.append(sheet_row([site_name]))
    trend_at = None
    for table in tables(report):
        sheet.append([])
        sheet.append(sheet_row([table.title]))
        sheet.cell(sheet.max_row, 1).font = bold
        sheet.append(sheet_row(table.headers))
        header_row = sheet.max_row
        for cell in sheet[header_row]:
            cell.font = bold
        for values in table.rows:
            sheet.append(sheet_row(values))
            for column in table.percent_columns:
                sheet.cell(sheet.max_row, column + 1).number_format = "0%"
        if table.key == "trend":
            trend_at = (header_row, sheet.max_row, len(table.headers))
        if table.total:
            sheet.append(sheet_row(table.total))
            for column in table.percent_columns:
                sheet.cell(sheet.max_row, column + 1).number_format = "0%"
            for cell in sheet[sheet.max_row]:
                cell.font = bold
    sheet.column_dimensions["A"].width = 34
    for letter in "BCDE":
        sheet.column_dimensions[letter].width = 14
    header_row, last_row, columns = trend_at
    bars = BarChart()
    bars.type, bars.grouping, bars.overlap = "col", "stacked", 100
    bars.title = str(_l("Complaints per quarter by category"))
    bars.y_axis.title = str(_l("Number of complaints"))
    bars.y_axis.majorUnit = 1 if report.total < 10 else None
    data = Reference(sheet, min_col=1, max_col=columns, min_row=header_row + 1, max_row=last_row)
    bars.add_data(data, from_rows=True, titles_from_data=True)
    bars.set_categories(Reference(sheet, min_col=2, max_col=columns, min_row=header_row, max_row=header_row))
    bars.height, bars.width = 9, 18
    sheet.add_chart(bars, "G3")
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
