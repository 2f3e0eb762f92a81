"""One helper decides page or fragment (STYLE 4): fragments only for genuine partial requests."""

import json

import pytest
from flask import make_response

from kiosk import htmx
from kiosk.access import public


@pytest.fixture
def page_app(app):
    from jinja2 import ChoiceLoader, DictLoader

    app.jinja_loader = ChoiceLoader(
        [
            DictLoader({"t.html": "<html>head{% block part %}<p>part {{ n }}</p>{% endblock %}tail</html>"}),
            app.jinja_loader,
        ]
    )
    app.add_url_rule("/t", "t", public(lambda: htmx.render("t.html", block="part", n=7)))
    return app


def test_plain_request_gets_the_whole_page(page_app, client):
    response = client.get("/t")
    assert response.text == "<html>head<p>part 7</p>tail</html>"
    assert {"HX-Request", "HX-Boosted", "HX-History-Restore-Request"} <= set(response.vary)


def test_partial_request_gets_the_block_only(page_app, client):
    response = client.get("/t", headers={"HX-Request": "true"})
    assert response.text == "<p>part 7</p>"
    assert "HX-Request" in response.vary


@pytest.mark.parametrize("header", ["HX-Boosted", "HX-History-Restore-Request"])
def test_boosted_and_history_restore_get_the_whole_page(page_app, client, header):
    response = client.get("/t", headers={"HX-Request": "true", header: "true"})
    assert response.text.startswith("<html>")


def test_trigger_merges_events_as_json(app):
    with app.test_request_context():
        response = make_response("")
        htmx.trigger(response, "outbox", {"count": 2})
        htmx.trigger(response, "toast", "saved")
        assert json.loads(response.headers["HX-Trigger"]) == {"outbox": {"count": 2}, "toast": "saved"}
        htmx.retarget(response, "#main", "innerHTML")
        assert response.headers["HX-Retarget"] == "#main" and response.headers["HX-Reswap"] == "innerHTML"
