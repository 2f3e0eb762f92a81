"""CSRF on every form and htmx request; error pages in both languages; 503 when the database is down."""

import pytest
from sqlalchemy.exc import OperationalError

from kiosk.access import public


def test_post_without_csrf_token_is_refused_with_a_friendly_page(world, client):
    response = client.post("/auth/login", data={"username": "reception", "password": "pw"})
    assert response.status_code == 400
    assert "表单已过期" in response.text
    assert "<html" in response.text


def test_signed_in_post_without_token_is_refused(world, client):
    client.login("supervisor")
    response = client.post("/devices/", data={"name": "Lobby", "kind": "kiosk"})
    assert response.status_code == 400


def test_htmx_request_without_token_gets_a_toast_fragment(world, client):
    client.login("supervisor")
    response = client.htmx("post", "/devices/?lang=en", data={"name": "Lobby", "kind": "kiosk"})
    assert response.status_code == 400
    assert "<html" not in response.text
    assert "data-toast" in response.text
    assert "This form has expired" in response.text


def test_token_in_the_htmx_header_is_accepted(world, client):
    client.login("supervisor")
    token = client.csrf("/console/")
    response = client.htmx("post", "/devices/", data={"name": "Lobby", "kind": "kiosk"}, headers={"X-CSRFToken": token})
    assert response.status_code == 303


@pytest.mark.parametrize("lang,text", [("zh_Hans_CN", "未找到"), ("en", "Not found")])
def test_error_pages_in_both_languages(client, lang, text):
    response = client.get(f"/no-such-page?lang={lang}")
    assert response.status_code == 404
    assert text in response.text


def test_database_unavailable_answers_503_and_keeps_nothing(app, client):
    def broken():
        raise OperationalError("SELECT 1", {}, Exception("connection refused"))

    app.add_url_rule("/broken", "broken", public(broken))
    response = client.get("/broken?lang=en")
    assert response.status_code == 503
    assert "database cannot be reached" in response.text


def test_healthz_checks_the_database(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json == {"status": "ok", "database": "ok"}
