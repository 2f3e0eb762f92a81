"""The lobby settings page (supervisors): validated, input kept on errors, audited (S1)."""

from datetime import time

import pytest
import sqlalchemy as sa

from kiosk.extensions import db
from kiosk.models import AuditEvent, LobbySettings
from kiosk.visits import lobby

URL = "/console/visits/settings"
VALID = {
    "ask_id_number": "y",
    "idle_seconds": "90",
    "retention_days": "120",
    "closing_time": "22:30",
    "notice_zh": "今日电梯检修",
    "notice_en": "Lift maintenance today",
}


def test_defaults_before_anything_is_saved(world):
    settings = lobby.settings_for(world.site.id)
    assert (settings.idle_seconds, settings.retention_days, settings.closing_time, settings.ask_id_number) == (
        60,
        180,
        time(23, 0),
        False,
    )
    assert db.session.scalar(sa.select(sa.func.count(LobbySettings.id))) == 0


@pytest.mark.parametrize(
    "username, status", [("reception", 403), ("duty", 403), ("officer", 403), ("supervisor", 200), ("manager", 200)]
)
def test_only_supervisors_open_the_settings(client, world, username, status):
    client.login(username)
    assert client.get(URL).status_code == status


def test_saving_creates_the_row_and_audits_the_changes(client, world):
    client.login("supervisor")
    response = client.post_form(URL, VALID, page=URL)
    assert response.status_code == 303
    saved = db.session.scalar(sa.select(LobbySettings).where(LobbySettings.site_id == world.site.id))
    assert (saved.ask_id_number, saved.idle_seconds, saved.retention_days, saved.closing_time) == (
        True,
        90,
        120,
        time(22, 30),
    )
    assert saved.notice_zh == "今日电梯检修"
    [event] = db.session.scalars(sa.select(AuditEvent).where(AuditEvent.action == "lobby_settings.update")).all()
    assert event.user_id == world.users["supervisor"].id
    assert event.details["changed"]["closing_time"] == ["23:00", "22:30"]
    assert event.details["changed"]["retention_days"] == [180, 120]
    page = client.get(URL)
    assert 'value="22:30"' in page.text and "checked" in page.text
    # saving the same values again changes nothing and audits nothing
    assert client.post_form(URL, VALID, page=URL).status_code == 303
    assert (
        db.session.scalar(sa.select(sa.func.count(AuditEvent.id)).where(AuditEvent.action == "lobby_settings.update"))
        == 1
    )


@pytest.mark.parametrize(
    "field, value, message",
    [
        ("idle_seconds", "5", "Between 15 and 600 seconds."),
        ("idle_seconds", "abc", "Please enter a whole number."),
        ("retention_days", "0", "Between 1 and 1095 days."),
        ("closing_time", "25:99", "Please enter a time such as 23:00."),
        ("notice_en", "x" * 501, "At most 500 characters."),
    ],
)
def test_bad_input_is_refused_with_the_message_and_the_input_kept(client, world, field, value, message):
    client.login("manager")
    response = client.post_form(URL + "?lang=en", {**VALID, field: value}, page=URL)
    assert response.status_code == 422 and message in response.text
    assert "今日电梯检修" in response.text and value[:20] in response.text  # the input is kept
    assert db.session.scalar(sa.select(sa.func.count(LobbySettings.id))) == 0
