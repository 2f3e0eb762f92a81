"""Two languages: Simplified Chinese by default, English complete; the choice order."""

from datetime import UTC, datetime

from flask_babel import format_datetime, format_decimal, ngettext

from kiosk import catalogue
from kiosk.extensions import db


def test_every_message_has_a_chinese_and_an_english_catalogue_entry():
    missing = catalogue.missing()
    assert missing["en"] == [], f"English catalogue lacks: {missing['en'][:10]}"
    assert missing["zh_Hans_CN"] == [], f"Chinese catalogue lacks: {missing['zh_Hans_CN'][:10]}"


def test_no_two_areas_translate_one_msgid_differently():
    """The merged catalogue keeps one translation per msgid: 'Unit' was 单元 (of a
    building) on the kiosk and 单位 (of a reading) in patrol templates, and the kiosk
    showed 单位."""
    for locale in ("zh_Hans_CN", "en"):
        assert catalogue.conflicts(locale) == {}, locale


def test_the_check_notices_a_missing_entry(monkeypatch):
    used = catalogue.used_msgids()
    monkeypatch.setattr(catalogue, "used_msgids", lambda: {**used, "A brand-new sentence.": "x.py"})
    assert catalogue.missing()["en"] == ["A brand-new sentence."]


def test_the_check_wants_a_plural_entry_for_a_message_used_through_ngettext(monkeypatch):
    """A singular entry for an ngettext message is never found by gettext: the Chinese
    page showed "3 days" in English on the mail register."""
    monkeypatch.setattr(catalogue, "translated_plurals", lambda locale: set())
    assert "%(num)d day" in catalogue.missing()["zh_Hans_CN"]


def test_plural_messages_are_translated(app):
    with app.app_context(), app.test_request_context("/?lang=zh_Hans_CN"):
        assert ngettext("%(num)d day", "%(num)d days", 3) == "3 天"
    with app.app_context(), app.test_request_context("/?lang=en"):
        assert ngettext("%(num)d day", "%(num)d days", 1) == "1 day"
        assert ngettext("%(num)d day", "%(num)d days", 3) == "3 days"


def test_chinese_is_the_default(client):
    assert "员工登录" in client.get("/auth/login").text


def test_query_parameter_wins_and_is_remembered_in_a_cookie(client):
    page = client.get("/auth/login?lang=en", headers={"Accept-Language": "zh-CN"})
    assert "Staff sign-in" in page.text
    assert "lang=en" in page.headers["Set-Cookie"]
    again = client.get("/auth/login", headers={"Accept-Language": "zh-CN"})
    assert "Staff sign-in" in again.text


def test_accept_language_is_used_without_a_choice(client):
    assert "Staff sign-in" in client.get("/auth/login", headers={"Accept-Language": "en-GB,en;q=0.9"}).text
    assert "员工登录" in client.get("/auth/login", headers={"Accept-Language": "zh-TW"}).text


def test_the_users_saved_preference_beats_the_browser(world, client):
    world.users["receptionist"].locale = "en"
    db.session.commit()
    client.login("reception")
    page = client.get("/console/", headers={"Accept-Language": "zh-CN"})
    assert "Sign out" in page.text


def test_staff_get_the_sites_language_not_the_browsers_unless_they_chose(world, client):
    """Issue 12: a browser set to English does not switch a Chinese site's console; the
    staff member's own preference (or a ?lang= choice) does."""
    client.login("reception")
    assert "退出" in client.get("/console/", headers={"Accept-Language": "en-US,en;q=0.9"}).text
    world.users["receptionist"].locale = "en"
    db.session.commit()
    assert "Sign out" in client.get("/console/", headers={"Accept-Language": "zh-CN"}).text


def test_the_sites_default_applies_when_nothing_else_says(world, client):
    world.site.default_locale = "en"
    db.session.commit()
    client.login("reception")
    assert "Sign out" in client.get("/console/", headers={"Accept-Language": ""}).text


def test_dates_and_numbers_are_localised_in_the_sites_time_zone(app):
    moment = datetime(2026, 11, 23, 16, 30, tzinfo=UTC)  # 00:30 next day in Shanghai
    with app.app_context(), app.test_request_context("/?lang=en"):
        assert "Nov 24, 2026" in format_datetime(moment, "medium")
        assert format_decimal(1234567.5) == "1,234,567.5"
    with app.app_context(), app.test_request_context("/?lang=zh_Hans_CN"):
        assert "2026年11月24日" in format_datetime(moment, "medium")
        assert "00:30" in format_datetime(moment, "medium")
