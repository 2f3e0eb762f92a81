"""Sessions end on the server (issue 11, section 3: "Signing out does not end the session
on the server"): a copy of the session cookie is worthless after sign-out, a password
change, a deactivation, or the absolute lifetime (rule S1: own accounts, traceable)."""

from datetime import timedelta

import sqlalchemy as sa
import time_machine

from kiosk.extensions import db
from kiosk.models import AuditEvent

COOKIE = "kiosk_session"
FROZEN = "2026-11-23 01:00:00+00:00"


def _copy(app, client):
    """A second browser holding a copy of `client`'s session cookie."""
    thief = app.test_client()
    thief.set_cookie(COOKIE, client.get_cookie(COOKIE).value)
    return thief


def _signed_out(response) -> bool:
    return response.status_code == 302 and response.headers["Location"].startswith("/auth/login")


def test_a_copied_cookie_is_refused_after_sign_out(app, world, client):
    """Finding "Signing out does not end the session on the server": replay after sign-out."""
    client.login("reception")
    thief = _copy(app, client)
    assert thief.get("/console/").status_code == 200  # the copy works while signed in
    assert client.post("/auth/logout", headers={"X-CSRFToken": client.csrf("/console/")}).status_code == 303
    assert _signed_out(thief.get("/console/"))
    assert db.session.scalar(sa.select(AuditEvent.id).where(AuditEvent.action == "auth.sign_out"))


def test_sign_out_ends_every_session_of_the_account(app, world, client):
    """Finding "Signing out does not end the session on the server": a second desk too."""
    other_desk = app.test_client()
    other_desk.login("reception")
    client.login("reception")
    client.post("/auth/logout", headers={"X-CSRFToken": client.csrf("/console/")})
    assert _signed_out(other_desk.get("/console/"))
    assert client.login("reception").status_code == 303  # signing in again works


def test_a_password_change_ends_the_other_sessions(app, world, client):
    """Finding "Signing out does not end the session on the server": a password change
    from another session ends the copied one; the changer's own session goes on."""
    client.login("reception")
    thief = _copy(app, client)
    changer = app.test_client()
    changer.login("reception")
    response = changer.post_form(
        "/accounts/me/password", {"current": "pw", "new": "a-new-password", "confirm": "a-new-password"}
    )
    assert response.status_code == 303
    assert changer.get("/console/").status_code == 200
    assert _signed_out(thief.get("/console/"))
    assert _signed_out(client.get("/console/"))


def test_a_deactivation_ends_the_sessions_for_good(app, world, client):
    """Finding "Signing out does not end the session on the server": a cookie copied
    before a deactivation stays dead when the account is activated again."""
    reception = app.test_client()
    reception.login("reception")
    thief = _copy(app, reception)
    client.login("manager")
    target = world.users["receptionist"]
    assert client.post_form(f"/accounts/{target.id}/active").status_code == 303  # off
    assert _signed_out(thief.get("/console/"))
    assert client.post_form(f"/accounts/{target.id}/active").status_code == 303  # on again
    assert _signed_out(thief.get("/console/"))
    assert _signed_out(reception.get("/console/"))


def test_a_session_has_an_absolute_lifetime(app, world, client):
    """Finding "Signing out does not end the session on the server": activity keeps the
    idle timer fresh but not the session: it ends SESSION_MAX_HOURS after sign-in."""
    app.config["SESSION_MAX_HOURS"] = 12
    with time_machine.travel(FROZEN, tick=False) as clock:
        client.login("reception")
        thief = _copy(app, client)
        for _ in range(71):  # active every 10 minutes for 11 h 50 min
            clock.shift(timedelta(minutes=10))
            assert thief.get("/console/").status_code == 200
        clock.shift(timedelta(minutes=10, seconds=1))
        response = thief.get("/console/")
        assert _signed_out(response)
        assert "12 小时" in thief.get(response.headers["Location"]).text
        assert _signed_out(client.get("/console/"))


def test_a_cookie_from_before_the_upgrade_is_refused(app, world, client):
    """Finding "Signing out does not end the session on the server": a session without
    an epoch (signed before this check existed) is not trusted."""
    client.login("reception")
    with client.session_transaction() as session:
        session.pop("epoch")
    assert _signed_out(client.get("/console/"))


def test_the_tablet_officer_session_ends_with_a_password_change(app, client, pw):
    """Finding "Signing out does not end the session on the server": the patrol tablet's
    officer session (the device face has its own credential) ends too."""
    from kiosk.access import DEVICE_COOKIE

    client.set_cookie(DEVICE_COOKIE, pw.credential)
    token = client.csrf("/patrol/")
    assert (
        client.post("/patrol/signin", data={"username": "officer", "password": "pw", "csrf_token": token}).status_code
        == 303
    )
    assert 'name="password"' not in client.get("/patrol/").text
    console = app.test_client()
    console.login("officer")
    assert (
        console.post_form(
            "/accounts/me/password", {"current": "pw", "new": "a-new-password", "confirm": "a-new-password"}
        ).status_code
        == 303
    )
    assert 'name="password"' in client.get("/patrol/").text  # asked to sign in again


def test_signing_out_of_the_tablet_ends_the_copied_tablet_session(app, client, pw):
    """Finding "Signing out does not end the session on the server": the officer signs
    out on the tablet; a copy of the tablet's cookies taken before is signed out too."""
    from kiosk.access import DEVICE_COOKIE

    client.set_cookie(DEVICE_COOKIE, pw.credential)
    token = client.csrf("/patrol/")
    assert (
        client.post("/patrol/signin", data={"username": "officer", "password": "pw", "csrf_token": token}).status_code
        == 303
    )
    thief = _copy(app, client)
    thief.set_cookie(DEVICE_COOKIE, pw.credential)
    assert 'name="password"' not in thief.get("/patrol/").text
    token = client.csrf("/patrol/")
    assert client.post("/patrol/signout", data={"csrf_token": token}).status_code == 303
    assert 'name="password"' in thief.get("/patrol/").text


def test_the_session_check_costs_no_extra_query(app, world, client):
    """Finding "Signing out does not end the session on the server": the epoch is checked
    on the user row each request loads anyway: one statement reads the account."""
    from tests.statements import recorded_statements

    client.login("reception")
    with recorded_statements() as statements:
        assert client.get("/accounts/me").status_code == 200
    reads = [s for s in statements if 'FROM "user"' in s or "FROM user" in s]
    assert len(reads) == 1, reads
