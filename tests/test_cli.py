"""flask --app kiosk init-db | seed-demo | create-user | enroll-device: safe to repeat."""

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

import sqlalchemy as sa
import time_machine

from kiosk.extensions import db
from kiosk.models import Household, Role, Room, Site, User
from kiosk.patrols import schedule
from kiosk.timeutil import utcnow


def test_seed_demo_creates_a_site_with_rooms_households_and_one_account_per_role(runner):
    # At noon, Shanghai time, of today: near midnight a window that ends at 00:00 may close
    # while the demo is being seeded, and "missed no patrols" would depend on the minute.
    shanghai = ZoneInfo("Asia/Shanghai")
    noon = datetime.combine(utcnow().astimezone(shanghai).date(), time(12, 0), tzinfo=shanghai)
    with time_machine.travel(noon, tick=False):
        _seed_demo_and_check(runner)


def _seed_demo_and_check(runner):
    result = runner.invoke(args=["seed-demo", "--password", "secret-1"])
    assert result.exit_code == 0, result.output
    for username in ("reception", "officer", "supervisor", "manager", "duty", "engineer", "admin", "guard"):
        assert username in result.output
    assert db.session.scalar(sa.select(sa.func.count(Room.id))) == 204
    households = db.session.scalars(sa.select(Household)).all()
    assert len(households) > 150
    assert all(h.phone.isdigit() and len(h.phone) == 11 and h.phone[0] == "1" for h in households)
    roles = set(db.session.scalars(sa.select(User.role)))
    assert roles == set(Role)
    assert db.session.scalar(sa.select(User).where(User.username == "engineer")).department.kind == "engineering"
    guard = db.session.scalar(sa.select(User).where(User.username == "guard"))  # the gate's guard (V6)
    assert (guard.role, guard.department.kind) == (Role.DEPARTMENT, "security")
    site = db.session.scalar(sa.select(Site))
    # The demo's history leaves some patrols missed on purpose (the review has something to
    # show): those older than two days carry the supervisor's acknowledgement, only the last two
    # days' wait for one. Which rounds are missed depends on the day the demo is seeded.
    now = utcnow()
    waiting = schedule.overdue(site.id, now)
    assert all(now - occurrence.due_at <= timedelta(days=2) for occurrence in waiting)


def test_seed_demo_twice_changes_nothing(runner):
    runner.invoke(args=["seed-demo"])
    before = db.session.scalar(sa.select(sa.func.count(Room.id)))
    result = runner.invoke(args=["seed-demo"])
    assert result.exit_code == 0
    assert "already present; nothing was changed" in result.output
    assert db.session.scalar(sa.select(sa.func.count(Room.id))) == before


def test_demo_accounts_sign_in_with_the_given_password(runner, client):
    runner.invoke(args=["seed-demo", "--password", "secret-1"])
    assert client.login("duty", "secret-1").status_code == 303


def test_create_user_refuses_a_taken_username(runner, world):
    ok = runner.invoke(
        args=[
            "create-user",
            "--username",
            "Li.Na",
            "--name",
            "李娜",
            "--role",
            "receptionist",
            "--site",
            "t1",
            "--password",
            "pw-12345",
        ]
    )
    assert ok.exit_code == 0, ok.output
    assert db.session.scalar(sa.select(User).where(User.username == "li.na")).site_id == world.site.id
    again = runner.invoke(
        args=["create-user", "--username", "li.na", "--name", "x", "--role", "officer", "--password", "pw-12345"]
    )
    assert again.exit_code != 0 and "exists already" in again.output


def test_enroll_device_prints_the_path_last_and_it_works(runner, world, client):
    result = runner.invoke(args=["enroll-device", "--name", "Lobby 2", "--site", "t1"])
    assert result.exit_code == 0, result.output
    path = result.output.strip().splitlines()[-1]
    assert path.startswith("/devices/enroll/")
    token = client.csrf(path)
    assert client.post(path, data={"csrf_token": token}).status_code == 303


def test_enroll_device_prints_the_whole_link_with_a_base_url(runner, world, client):
    """`make run` prints the demo's enrollment links in full, with scheme and host (issue 12)."""
    result = runner.invoke(
        args=[
            "enroll-device",
            "--name",
            "Demo tablet",
            "--kind",
            "tablet",
            "--site",
            "t1",
            "--base-url",
            "http://127.0.0.1:5001/",
        ]
    )
    assert result.exit_code == 0, result.output
    link = result.output.strip().splitlines()[-1]
    assert link.startswith("http://127.0.0.1:5001/devices/enroll/")


def test_demo_staff_names_carry_no_job_titles(runner, app):
    from kiosk.models import User

    assert runner.invoke(args=["seed-demo", "--password", "secret-1"]).exit_code == 0
    names = db.session.scalars(sa.select(User.display_name)).all()
    assert names and not any(
        title in name for name in names for title in ("客服员", "客服主管", "经理", "前台", "总值", "工程部", "管理员")
    )


def test_refresh_statistics_gives_the_planner_statistics_of_the_tables(runner, world):
    """SQLite keeps no planner statistics unless asked: without them it walked a million visits
    by time to find the lobby's few (bench/). The daily command gathers them; on PostgreSQL it
    runs ANALYZE (autovacuum's statistics, brought forward)."""
    result = runner.invoke(args=["refresh-statistics"])
    assert result.exit_code == 0, result.output
    assert "Planner statistics refreshed" in result.output
    if db.engine.dialect.name == "sqlite":
        tables = set(db.session.scalars(sa.text("SELECT DISTINCT tbl FROM sqlite_stat1")))
        assert {"room", "household", "site"} <= tables  # the tables with rows
    else:
        columns = db.session.scalar(sa.text("SELECT count(*) FROM pg_stats WHERE tablename = 'room'"))
        assert columns > 0
