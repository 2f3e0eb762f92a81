"""kiosk.spreadsheets: the one escaping rule for every CSV and XLSX the product writes."""

from datetime import date, datetime

import pytest
from flask_babel import lazy_gettext

from kiosk import spreadsheets


@pytest.mark.parametrize("text", ['=HYPERLINK("http://x")', "+86 call", "-2+3", "@SUM(A1)", "\tTab", "\rCR"])
def test_text_that_could_start_a_formula_gets_an_apostrophe(text):
    assert spreadsheets.cell(text) == "'" + text
    assert not spreadsheets.is_safe(text) and spreadsheets.is_safe(spreadsheets.cell(text))


def test_values_pass_and_characters_xml_cannot_hold_are_dropped(app):
    assert spreadsheets.row([None, 3, -2, 1.5, True, date(2026, 1, 2), "张三"]) == [
        None,
        3,
        -2,
        1.5,
        True,
        date(2026, 1, 2),
        "张三",
    ]
    assert isinstance(spreadsheets.cell(datetime(2026, 1, 2, 3)), datetime)
    assert spreadsheets.cell("a\x00b\x1fc\r\nd") == "abc\nd"
    with app.test_request_context("/?lang=en"):
        assert spreadsheets.cell(lazy_gettext("Visitors")) == "Visitors"
