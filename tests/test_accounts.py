"""Staff accounts: one per person, managed by the administrator or manager (rule S1)."""

import re

import sqlalchemy as sa

from kiosk.extensions import db
from kiosk.models import AuditEvent, User


def test_manager_creates_an_account_whose_owner_sets_the_password(world, client, app):
    client.login("manager")
    response = client.post_form(
        "/accounts/",
        {"username": "Wang.Fang", "display_name": "王芳", "phone": "", "role": "receptionist", "department_id": "0"},
    )
    assert response.status_code == 303
    user = db.session.scalar(sa.select(User).where(User.username == "wang.fang"))
    assert user.site_id == world.site.id and user.role == "receptionist" and not user.awaiting_approval
    link = client.get(response.headers["Location"]).text
    url = re.search(r'value="(http://[^"]+/auth/set-password/[^"]+)"', link).group(1)
    owner = app.test_client()
    path = url.split("localhost", 1)[1]
    token = owner.csrf(path)
    assert (
        owner.post(path, data={"new": "long-enough-pw", "confirm": "long-enough-pw", "csrf_token": token}).status_code
        == 303
    )
    assert owner.login("wang.fang", "long-enough-pw").status_code == 303


def test_bad_input_keeps_what_was_entered(world, client):
    client.login("admin")
    response = client.post_form(
        "/accounts/?lang=en",
        {"username": "wang fang", "display_name": "王芳", "role": "receptionist", "department_id": "0"},
    )
    assert response.status_code == 422
    assert "Use letters, digits, dots, dashes or underscores." in response.text
    assert 'value="王芳"' in response.text


def test_taken_username_is_refused(world, client):
    client.login("admin")
    response = client.post_form(
        "/accounts/?lang=en",
        {"username": "reception", "display_name": "x", "role": "receptionist", "department_id": "0"},
    )
    assert "This username is taken." in response.text


def test_a_deactivated_account_is_signed_out_and_cannot_sign_in(world, client, app):
    reception = app.test_client()
    reception.login("reception")
    client.login("manager")
    target = world.users["receptionist"]
    assert client.post_form(f"/accounts/{target.id}/active").status_code == 303
    assert reception.get("/console/").status_code == 302
    assert reception.login("reception").status_code == 422
    assert db.session.scalar(sa.select(AuditEvent.action).where(AuditEvent.action == "user.deactivated"))


def test_accounts_of_another_site_are_out_of_reach(world, client):
    client.login("admin")
    assert "elsewhere" not in client.get("/accounts/").text
    assert client.post_form(f"/accounts/{world.other_user.id}/active").status_code == 404


def test_saved_language_preference_applies(world, client):
    client.login("reception")
    assert client.post_form("/accounts/me/preferences", {"locale": "en"}).status_code == 303
    assert "My account" in client.get("/accounts/me", headers={"Accept-Language": "zh-CN"}).text


def test_password_change_needs_the_current_password(world, client):
    client.login("reception")
    wrong = client.post_form(
        "/accounts/me/password?lang=en", {"current": "nope", "new": "a-new-password", "confirm": "a-new-password"}
    )
    assert wrong.status_code == 422 and "The current password is not right." in wrong.text
    ok = client.post_form(
        "/accounts/me/password", {"current": "pw", "new": "a-new-password", "confirm": "a-new-password"}
    )
    assert ok.status_code == 303
    assert client.login("reception", "a-new-password").status_code == 303
