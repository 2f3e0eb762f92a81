"""No business data for the administrator (issue 11, section 3: "The admin can give itself
business data"): an account with a business role created by the administrator waits for a
manager's approval, and every new password is set by its owner through a one-time link
(rules S1, S2: own accounts, traceable; audited)."""

import re
from datetime import timedelta

import sqlalchemy as sa
import time_machine

from kiosk.extensions import db
from kiosk.models import AuditEvent, User

FROZEN = "2026-11-23 01:00:00+00:00"
LINK = re.compile(r'value="http://localhost(/auth/set-password/[^"]+)"')


def _create(client, username="zhao.lei", role="supervisor"):
    return client.post_form(
        "/accounts/", {"username": username, "display_name": "赵磊", "phone": "", "role": role, "department_id": "0"}
    )


def _user(username="zhao.lei") -> User:
    return db.session.scalar(sa.select(User).where(User.username == username))


def _set_password(app, path, password="a-long-password"):
    owner = app.test_client()
    token = owner.csrf(path)
    return owner, owner.post(path, data={"new": password, "confirm": password, "csrf_token": token})


def _actions(user) -> list[str]:
    return list(
        db.session.scalars(
            sa.select(AuditEvent.action)
            .where(AuditEvent.entity_type == "User", AuditEvent.entity_id == str(user.id))
            .order_by(AuditEvent.id)
        )
    )


def test_admin_cannot_sign_in_as_a_supervisor_it_created(app, world, client):
    """Finding "The admin can give itself business data": the administrator creates a
    supervisor; it chooses no password, sees no link, may not issue or approve one, and
    the account cannot sign in."""
    client.login("admin")
    response = _create(client)
    assert response.status_code == 303 and response.headers["Location"] == "/accounts/"
    user = _user()
    assert user.awaiting_approval and user.password_link_digest is None
    with client.session_transaction() as session:
        assert "password_link" not in session
    page = client.get("/accounts/")
    assert "/auth/set-password/" not in page.text and "等待经理批准" in page.text
    refused = client.post_form(f"/accounts/{user.id}/link")
    assert refused.status_code == 303 and refused.headers["Location"] == "/accounts/"
    db.session.refresh(user)
    assert user.password_link_digest is None
    assert client.post_form(f"/accounts/{user.id}/approve").status_code == 403
    assert client.get("/accounts/approvals").status_code == 403
    assert "/auth/set-password/" not in client.get(f"/accounts/{user.id}/link").text
    for guess in ("pw", "kiosk-demo", "zhao.lei", ""):
        assert app.test_client().login("zhao.lei", guess).status_code == 422
    assert _actions(user) == ["user.create", "user.approval_requested"]


def test_a_manager_approves_and_the_owner_sets_the_password(app, world, client):
    """Finding "The admin can give itself business data": the approval path. The manager
    sees the request (counter, list), approves, gets the link once; the owner sets the
    password and signs in; the link works once; everything is audited."""
    admin = app.test_client()
    admin.login("admin")
    _create(admin)
    user = _user()
    client.login("manager")
    assert "等待您批准的账号" in client.get("/console/").text
    assert "zhao.lei" in client.get("/accounts/approvals").text
    response = client.post_form(f"/accounts/{user.id}/approve")
    assert response.status_code == 303
    shown = client.get(response.headers["Location"]).text
    path = LINK.search(shown).group(1)
    assert LINK.search(client.get(response.headers["Location"]).text) is None  # shown once
    assert "/auth/set-password/" not in admin.get("/accounts/").text
    owner, done = _set_password(app, path)
    assert done.status_code == 303
    assert owner.login("zhao.lei", "a-long-password").status_code == 303
    assert app.test_client().get(path).status_code == 404  # used
    assert _actions(user) == [
        "user.create",
        "user.approval_requested",
        "user.approved",
        "user.password_link_issued",
        "user.password_set_by_link",
    ]
    assert "zhao.lei" not in client.get("/accounts/approvals").text


def test_a_refused_account_stays_closed(app, world, client):
    """Finding "The admin can give itself business data": a refusal closes the account;
    a second decision (double submit, another manager) changes nothing."""
    admin = app.test_client()
    admin.login("admin")
    _create(admin)
    user = _user()
    client.login("manager")
    assert client.post_form(f"/accounts/{user.id}/refuse").status_code == 303
    again = client.post_form(f"/accounts/{user.id}/approve")
    assert again.status_code == 303 and again.headers["Location"] == "/accounts/approvals"
    db.session.refresh(user)
    assert not user.active and not user.awaiting_approval and user.password_link_digest is None
    assert "user.approval_refused" in _actions(user)


def test_the_administrator_creates_administrators_directly(app, world, client):
    """Finding "The admin can give itself business data": an administrator account needs
    no approval (no business data), but its password too is set by its owner."""
    client.login("admin")
    response = _create(client, "it.two", "admin")
    assert response.headers["Location"].endswith("/link")
    path = LINK.search(client.get(response.headers["Location"]).text).group(1)
    owner, done = _set_password(app, path)
    assert done.status_code == 303 and owner.login("it.two", "a-long-password").status_code == 303


def test_who_may_issue_a_set_password_link(app, world, client):
    """Finding "The admin can give itself business data": a manager for business accounts,
    the administrator for administrator accounts only."""
    reception, admin_user = world.users["receptionist"], world.users["admin"]
    client.login("admin")
    refused = client.post_form(f"/accounts/{reception.id}/link?lang=en", follow_redirects=True)
    assert "You may not issue a set-password link" in refused.text and "/auth/set-password/" not in refused.text
    client.post("/auth/logout", headers={"X-CSRFToken": client.csrf("/console/")})
    client.login("manager")
    assert "/auth/set-password/" not in client.post_form(f"/accounts/{admin_user.id}/link", follow_redirects=True).text
    assert client.post_form(f"/accounts/{world.other_user.id}/link").status_code == 404
    response = client.post_form(f"/accounts/{reception.id}/link")
    assert response.status_code == 303
    assert LINK.search(client.get(response.headers["Location"]).text)


def test_a_link_expires_and_a_new_one_replaces_the_old(app, world, client):
    """Finding "The admin can give itself business data": links expire
    (PASSWORD_LINK_HOURS) and only the newest works; setting a password ends the sessions."""
    app.config["PASSWORD_LINK_HOURS"] = 72
    reception = world.users["receptionist"]
    with time_machine.travel(FROZEN, tick=False) as clock:
        signed_in = app.test_client()
        signed_in.login("reception")
        client.login("manager")
        first = LINK.search(
            client.get(client.post_form(f"/accounts/{reception.id}/link").headers["Location"]).text
        ).group(1)
        second = LINK.search(
            client.get(client.post_form(f"/accounts/{reception.id}/link").headers["Location"]).text
        ).group(1)
        assert app.test_client().get(first).status_code == 404
        assert app.test_client().get(second).status_code == 200
        clock.shift(timedelta(hours=72, seconds=1))
        assert app.test_client().get(second).status_code == 404
        signed_in.login("reception")
        client.login("manager")  # the earlier sessions are long over
        third = LINK.search(
            client.get(client.post_form(f"/accounts/{reception.id}/link").headers["Location"]).text
        ).group(1)
        _owner, done = _set_password(app, third)
        assert done.status_code == 303
        assert signed_in.get("/console/").status_code == 302  # every session of the account ended


def test_a_short_password_is_refused_on_the_link_page(app, world, client):
    """Finding "The admin can give itself business data": the set-password form checks
    the password (422, message in the user's language)."""
    client.login("manager")
    path = LINK.search(
        client.get(client.post_form(f"/accounts/{world.users['receptionist'].id}/link").headers["Location"]).text
    ).group(1)
    owner = app.test_client()
    token = owner.csrf(path)
    response = owner.post(path + "?lang=en", data={"new": "short", "confirm": "short", "csrf_token": token})
    assert response.status_code == 422 and "A password needs at least 10 characters." in response.text
