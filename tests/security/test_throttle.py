"""Sign-in throttling (issue 11, section 3: "Login throttling per username only"): limits
per (username, address) and per address, counted in the database, so that one password
tried across many usernames is slowed and nobody can lock a colleague out (rule S1)."""

from datetime import timedelta

import sqlalchemy as sa
import time_machine

from kiosk.extensions import db
from kiosk.models import LoginAttempt

FROZEN = "2026-11-23 01:00:00+00:00"
DESK = "10.0.0.5"
STRANGER = "203.0.113.7"


def _login(client, username, password, addr):
    token = client.csrf("/auth/login")
    return client.post(
        "/auth/login?lang=en",
        data={"username": username, "password": password, "csrf_token": token},
        environ_base={"REMOTE_ADDR": addr},
    )


def test_failing_on_purpose_does_not_lock_the_owner_out(app, world, client):
    """Finding "Login throttling per username only": a stranger failing five times locks
    only his own address for that username; the receptionist signs in from her desk."""
    with time_machine.travel(FROZEN, tick=False):
        for _ in range(5):
            assert _login(client, "reception", "wrong", STRANGER).status_code == 422
        locked = _login(client, "reception", "pw", STRANGER)
        assert locked.status_code == 422 and "Too many failed sign-ins for this account" in locked.text
        assert _login(app.test_client(), "reception", "pw", DESK).status_code == 303


def test_one_password_across_many_usernames_is_stopped_per_address(app, world, client):
    """Finding "Login throttling per username only": the per-address limit counts failures
    for any username; the address is refused until the oldest failure leaves the window."""
    app.config["LOGIN_MAX_FAILURES_PER_ADDRESS"] = 8
    with time_machine.travel(FROZEN, tick=False) as clock:
        for n in range(8):
            assert _login(client, f"guess{n}", "Password1", STRANGER).status_code == 422
        refused = _login(client, "supervisor", "pw", STRANGER)  # even the right password
        assert refused.status_code == 422
        assert "Too many failed sign-ins from this device. Try again in 15 minutes" in refused.text
        # refused attempts are not counted: the lock does not extend itself
        assert db.session.scalar(sa.select(sa.func.count()).select_from(LoginAttempt)) == 8
        assert _login(app.test_client(), "supervisor", "pw", DESK).status_code == 303  # others unaffected
        clock.shift(timedelta(minutes=15, seconds=1))
        assert _login(client, "supervisor", "pw", STRANGER).status_code == 303


def test_a_success_does_not_reset_the_address_limit(app, world, client):
    """Finding "Login throttling per username only": signing in with one's own account
    between guesses does not clear the per-address count."""
    app.config["LOGIN_MAX_FAILURES_PER_ADDRESS"] = 6
    with time_machine.travel(FROZEN, tick=False):
        for n in range(3):
            _login(client, f"guess{n}", "x", STRANGER)
        assert _login(client, "reception", "pw", STRANGER).status_code == 303
        client.post("/auth/logout", headers={"X-CSRFToken": client.csrf("/console/")})
        for n in range(3):
            _login(client, f"other{n}", "x", STRANGER)
        assert "from this device" in _login(client, "reception", "pw", STRANGER).text


def test_the_limits_hold_across_processes(app, world, client):
    """Finding "Login throttling per username only": the count is in the database, so an
    attempt recorded by another worker process counts here."""
    from kiosk.timeutil import utcnow

    with time_machine.travel(FROZEN, tick=False):
        for _ in range(5):
            db.session.add(LoginAttempt(username="reception", remote_addr=STRANGER, succeeded=False, at=utcnow()))
        db.session.commit()
        assert "Too many failed sign-ins for this account" in _login(client, "reception", "pw", STRANGER).text


def test_the_tablet_sign_in_is_throttled_per_address_too(app, client, pw):
    """Finding "Login throttling per username only": the patrol tablet's sign-in uses the same limits."""
    from kiosk.access import DEVICE_COOKIE

    app.config["LOGIN_MAX_FAILURES_PER_ADDRESS"] = 3
    client.set_cookie(DEVICE_COOKIE, pw.credential)
    with time_machine.travel(FROZEN, tick=False):
        for n in range(3):
            token = client.csrf("/patrol/")
            client.post("/patrol/signin?lang=en", data={"username": f"x{n}", "password": "x", "csrf_token": token})
        token = client.csrf("/patrol/")
        refused = client.post(
            "/patrol/signin?lang=en", data={"username": "officer", "password": "pw", "csrf_token": token}
        )
        assert refused.status_code == 422 and "from this device" in refused.text
