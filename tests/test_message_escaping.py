"""Typed values never come back as markup through a translated message (probe, issue 11).

Jinja treats a lazy translated string as safe markup: a room number formatted into one
reached the 422 page raw, and htmx attributes need no script (CSP does not stop them).
Every message that carries typed input is built with kiosk.i18n.escaped/lazy_escaped.
"""

import pytest
from flask import render_template_string

from kiosk.extensions import db
from kiosk.i18n import escaped, lazy_escaped
from kiosk.models import Building, Room
from kiosk.visits import registration
from tests.kiosk_helpers import enroll_kiosk, new_key, post, visit_data
from tests.visit_factory import make_visit

PAYLOAD = '<b hx-get="/x" hx-trigger="load">X</b>'
SHORT = '<b hx-get="/x">X</b>'  # corrections keep 20 characters of the value in the message
ESCAPED = "&lt;b hx-get="


def _clean(text: str, payload: str = PAYLOAD):
    assert payload not in text and "<b hx-get" not in text
    assert ESCAPED in text  # shown, as text


def test_the_message_helpers_escape_values_and_keep_the_translation(app):
    with app.test_request_context("/?lang=en"):
        eager = escaped(
            "There is no room %(number)s here. Please check the number or choose the building first.", number=PAYLOAD
        )
        lazy = lazy_escaped(
            "Several buildings have a room %(number)s. Please choose the building first.", number=PAYLOAD
        )
        page = render_template_string("{{ eager }}|{{ lazy }}", eager=eager, lazy=lazy)
    assert page.count("&lt;b hx-get=&#34;/x&#34;") == 2 and "<b" not in page


def test_kiosk_registration_422_shows_a_typed_room_as_text(app, world, client):
    enroll_kiosk(client, world.site)
    for lang in ("en", "zh_Hans_CN"):
        response = post(client, f"/kiosk/visits?lang={lang}", visit_data("", room_number=PAYLOAD))
        assert response.status_code == 422
        _clean(response.text)
    assert "这个房号" in response.text  # still the translated message


@pytest.mark.parametrize(
    "path, extra", [("/console/lobby/register", {}), ("/console/lobby/expected", {"day": "2030-01-01", "note": ""})]
)
def test_desk_forms_422_show_a_typed_room_as_text(world, client, path, extra):
    client.login("reception")
    data = {
        "room_number": PAYLOAD,
        "name": "王五",
        "phone_country": "+86",
        "phone": "13711112222",
        "party_size": "2",
        "purpose": "visit",
        "plate": "",
        "idempotency_key": new_key(),
        **extra,
    }
    response = client.post_form(path + "?lang=en", data)
    assert response.status_code == 422
    _clean(response.text)


def test_several_buildings_message_shows_a_typed_room_as_text(app, world):
    second = Building(site=world.site, name="2", sort_order=2)
    db.session.add_all([second, Room(site=world.site, building=second, floor=1, number="0101")])
    db.session.commit()
    typed = "<>0101"
    _room, error = registration.resolve_room(world.site.id, None, typed)
    assert error is not None
    with app.test_request_context("/?lang=en"):
        page = render_template_string("{{ error }}", error=error)
    assert "Several buildings" in page and "<>" not in page and "&lt;&gt;0101" in page


def test_v1_a_correction_422_shows_a_typed_room_as_text(world, client):
    visit = make_visit(world.site, room=world.rooms[0], commit=True)
    client.login("reception")
    url = f"/console/visits/{visit.id}"
    response = client.post_form(
        url + "/corrections?lang=en", {"field": "room", "value": SHORT, "reason": "wrong"}, page=url
    )
    assert response.status_code == 422
    _clean(response.text, SHORT)
