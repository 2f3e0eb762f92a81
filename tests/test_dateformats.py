"""The templates' date filters (kiosk.templating) give exactly what Flask-Babel's filters of
the same names give, in Chinese and English and in the site's time zone; they only parse
each pattern once."""

from datetime import UTC, date, datetime

import flask_babel
import pytest
from flask import Flask
from flask_babel import Babel

from kiosk import templating

CHOSEN = {"locale": "en"}
NAMED = ("short", "medium", "long", "full")
INSTANTS = (
    datetime(2026, 12, 31, 16, 30, tzinfo=UTC),
    datetime(2026, 1, 1, 3, 5),
    datetime(2027, 7, 4, 23, 59, 59, tzinfo=UTC),
)


@pytest.fixture(scope="module")
def babel_app():
    app = Flask(__name__)
    Babel(app, default_timezone="Asia/Shanghai", locale_selector=lambda: CHOSEN["locale"])
    return app


@pytest.mark.parametrize("locale", ["zh_Hans_CN", "en"])
def test_filters_match_flask_babel(babel_app, locale):
    CHOSEN["locale"] = locale
    with babel_app.test_request_context():
        for value in INSTANTS:
            for fmt in (*NAMED, None):
                assert templating.format_datetime(value, fmt) == flask_babel.format_datetime(value, fmt)
                assert templating.format_date(value, fmt) == flask_babel.format_date(value, fmt)
                assert templating.format_time(value, fmt) == flask_babel.format_time(value, fmt)
            assert templating.format_datetime(value, "yyyy-MM-dd HH:mm") == flask_babel.format_datetime(
                value, "yyyy-MM-dd HH:mm"
            )
        assert templating.format_date(date(2026, 2, 3), "full") == flask_babel.format_date(date(2026, 2, 3), "full")


def test_times_are_shown_in_the_site_zone(babel_app):
    CHOSEN["locale"] = "zh_Hans_CN"
    with babel_app.test_request_context():
        # 16:30 UTC on New Year's Eve is already 1 January in Shanghai.
        assert templating.format_datetime(INSTANTS[0], "yyyy-MM-dd HH:mm") == "2027-01-01 00:30"
        assert templating.format_datetime(None, "short") == ""


def test_the_app_uses_these_filters(app):
    assert app.jinja_env.filters["datetimeformat"] is templating.format_datetime
    assert app.jinja_env.filters["dateformat"] is templating.format_date
    assert app.jinja_env.filters["timeformat"] is templating.format_time
