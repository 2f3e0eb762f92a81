"""Cells for every spreadsheet the product writes (CSV and XLSX): one escaping rule.

A spreadsheet program runs a text cell that begins with =, +, -, @, a tab or a carriage
return as a formula (`=HYPERLINK(...)`, DDE): such text gets a leading apostrophe, so it
is shown as the text that was typed. Characters that XML (and so XLSX) cannot hold are
dropped. Numbers, dates and None pass unchanged: they are values, never formulas.

Every export builds its rows with `row(...)` (or `cell(...)` for one value), whatever
the source of the text: names typed by visitors, staff names, checklist titles, notes.
Plain Python, no request.
"""

import re
from collections.abc import Iterable

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
# Characters that XML (and so XLSX) cannot hold.
_ILLEGAL_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def cell(value):
    """A value as a spreadsheet must show it: text that could start a formula is escaped."""
    if value is None or isinstance(value, (bool, int, float)):
        return value
    if not isinstance(value, str):
        if hasattr(value, "isoformat"):  # dates and times are values
            return value
        value = str(value)  # lazy strings and the like: their text, escaped like any text
    value = _ILLEGAL_XML.sub("", value.replace("\r\n", "\n"))
    if value.startswith(FORMULA_START):
        return "'" + value
    return value


def row(values: Iterable) -> list:
    """Every cell of a row escaped (see `cell`)."""
    return [cell(value) for value in values]


def is_safe(value) -> bool:
    """True when a written cell cannot be read as a formula (for tests and checks)."""
    return not (isinstance(value, str) and value.startswith(FORMULA_START))
