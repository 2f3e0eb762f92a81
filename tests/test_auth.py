"""Sign-in, lockout, idle timeout, sign-out (rule S1: own accounts, traceable)."""

from datetime import timedelta

import sqlalchemy as sa
import time_machine

from kiosk.extensions import db
from kiosk.models import AuditEvent, LoginAttempt


def test_login_page_is_chinese_by_default(client):
    page = client.get("/auth/login")
    assert page.status_code == 200
    assert "员工登录" in page.text
    assert 'lang="zh-Hans-CN"' in page.text


def test_each_role_signs_in_and_lands_on_its_page(world, client):
    response = client.login("reception")
    assert response.status_code == 303
    landing = client.get(response.headers["Location"], follow_redirects=True)
    assert landing.status_code == 200
    assert "reception 测试" in landing.text


def test_unknown_user_and_wrong_password_look_the_same(world, client):
    unknown = client.login("nobody", "pw")
    wrong = client.login("reception", "wrong")
    assert unknown.status_code == wrong.status_code == 422
    assert "用户名或密码不正确。" in unknown.text
    assert "用户名或密码不正确。" in wrong.text


def test_failed_login_keeps_the_username(world, client):
    response = client.login("reception", "wrong")
    assert 'value="reception"' in response.text


def test_over_long_username_gets_a_message_on_the_field(world, client):
    token = client.csrf()
    response = client.post("/auth/login?lang=en", data={"username": "x" * 41, "password": "pw", "csrf_token": token})
    assert response.status_code == 422
    assert "At most 40 characters." in response.text


def test_lockout_after_five_failures_in_fifteen_minutes(world, client):
    with time_machine.travel("2026-11-23 09:00:00+00:00", tick=False) as clock:
        for _ in range(5):
            assert client.login("reception", "wrong").status_code == 422
        locked = client.login("reception", "pw")  # right password, still locked
        assert locked.status_code == 422
        assert "登录失败次数过多" in locked.text
        assert "15" in locked.text
        clock.shift(timedelta(minutes=15, seconds=1))
        assert client.login("reception", "pw").status_code == 303


def test_lockout_counts_only_failures_since_the_last_success(world, client):
    with time_machine.travel("2026-11-23 09:00:00+00:00", tick=False):
        for _ in range(4):
            client.login("reception", "wrong")
        assert client.login("reception", "pw").status_code == 303
        for _ in range(4):
            client.login("reception", "wrong")
        assert client.login("reception", "pw").status_code == 303
    failures = db.session.scalar(sa.select(sa.func.count()).where(LoginAttempt.succeeded.is_(False)))
    assert failures == 8


def test_inactive_account_cannot_sign_in(world, client):
    world.users["receptionist"].active = False
    db.session.commit()
    assert client.login("reception").status_code == 422


def test_idle_timeout_signs_out(world, client, app):
    app.config["IDLE_TIMEOUT_MINUTES"] = 10
    with time_machine.travel("2026-11-23 09:00:00+00:00", tick=False) as clock:
        client.login("reception")
        clock.shift(timedelta(minutes=9))
        assert client.get("/console/").status_code == 200
        clock.shift(timedelta(minutes=10, seconds=1))
        response = client.get("/console/")
        assert response.status_code == 302
        assert response.headers["Location"].startswith("/auth/login")
        page = client.get(response.headers["Location"])
        assert "闲置 10 分钟" in page.text


def test_idle_timeout_on_an_htmx_request_redirects_the_whole_page(world, client, app):
    app.config["IDLE_TIMEOUT_MINUTES"] = 10
    with time_machine.travel("2026-11-23 09:00:00+00:00", tick=False) as clock:
        client.login("reception")
        clock.shift(timedelta(minutes=11))
        response = client.htmx("get", "/console/")
        assert response.headers["HX-Redirect"].startswith("/auth/login")


def test_safe_next_redirect(world, client):
    token = client.csrf()
    ok = client.post(
        "/auth/login?next=/devices/", data={"username": "supervisor", "password": "pw", "csrf_token": token}
    )
    assert ok.headers["Location"] == "/devices/"


def test_next_pointing_off_site_is_ignored(world, client):
    for target in ("https://evil.example/", "//evil.example/", "/\\evil.example"):
        token = client.csrf()
        response = client.post(
            f"/auth/login?next={target}", data={"username": "supervisor", "password": "pw", "csrf_token": token}
        )
        assert response.status_code == 303
        assert "evil" not in response.headers["Location"]
        client.post("/auth/logout", headers={"X-CSRFToken": client.csrf("/console/")})


def test_logout_is_a_post_and_ends_the_session(world, client):
    client.login("reception")
    assert client.get("/auth/logout").status_code == 405
    token = client.csrf("/console/")
    response = client.post("/auth/logout", headers={"X-CSRFToken": token})
    assert response.status_code == 303
    assert client.get("/console/").status_code == 302


def test_sign_in_and_out_are_audited(world, client):
    client.login("reception")
    client.post("/auth/logout", headers={"X-CSRFToken": client.csrf("/console/")})
    actions = db.session.scalars(sa.select(AuditEvent.action).order_by(AuditEvent.id)).all()
    assert actions == ["user.create"] * 8 + ["auth.sign_in", "auth.sign_out"]
