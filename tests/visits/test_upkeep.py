"""Automatic check-out at closing time (the on-site list stays true) and the retention
purge of personal data (S3). Both idempotent."""

from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

import sqlalchemy as sa
import time_machine

from kiosk.extensions import db
from kiosk.models import (
    AuditEvent,
    Departure,
    ExpectedVisit,
    LobbySettings,
    Purpose,
    Visit,
    VisitCorrection,
    VisitStatus,
)
from kiosk.visits.corrections import correct
from kiosk.visits.upkeep import close_visits, purge
from tests.visit_factory import make_visit

SH = ZoneInfo("Asia/Shanghai")


def local(y, m, d, hh, mm=0):
    return datetime(y, m, d, hh, mm, tzinfo=SH).astimezone(UTC)


def _audits(action):
    return db.session.scalars(sa.select(AuditEvent).where(AuditEvent.action == action)).all()


def test_on_site_after_closing_time_is_checked_out_at_that_time_once(world):
    visit = make_visit(world.site, status=VisitStatus.ON_SITE, at=local(2026, 3, 1, 10), commit=True)
    assert close_visits(world.site, now=local(2026, 3, 1, 22, 59)) == 0
    assert close_visits(world.site, now=local(2026, 3, 1, 23, 15)) == 1
    db.session.commit()
    assert (visit.status, visit.departure, visit.departed_at) == (
        VisitStatus.LEFT,
        Departure.AUTO,
        local(2026, 3, 1, 23),
    )
    assert close_visits(world.site, now=local(2026, 3, 1, 23, 30)) == 0  # idempotent
    assert close_visits(world.site, now=local(2026, 3, 2, 23, 30)) == 0
    db.session.commit()
    assert [e.details for e in _audits("visits.auto_checkout")] == [{"visits": 1}]


def test_waiting_or_held_are_closed_only_once_their_day_is_over(world):
    waiting = make_visit(world.site, status=VisitStatus.WAITING, at=local(2026, 3, 1, 10))
    held = make_visit(world.site, status=VisitStatus.HELD, at=local(2026, 2, 27, 9))
    db.session.commit()
    assert close_visits(world.site, now=local(2026, 3, 1, 23, 15)) == 1  # only the held one, from before today
    db.session.commit()
    assert held.departed_at == local(2026, 2, 27, 23) and held.departure == Departure.AUTO
    assert waiting.status == VisitStatus.WAITING
    assert close_visits(world.site, now=local(2026, 3, 2, 0, 15)) == 1
    db.session.commit()
    assert waiting.departed_at == local(2026, 3, 1, 23) and waiting.status == VisitStatus.LEFT


def test_a_visitor_registered_after_closing_stays_until_the_next_closing(world):
    late = make_visit(world.site, status=VisitStatus.ON_SITE, at=local(2026, 3, 1, 23, 30), commit=True)
    assert close_visits(world.site, now=local(2026, 3, 2, 8)) == 0
    assert close_visits(world.site, now=local(2026, 3, 2, 23, 1)) == 1
    db.session.commit()
    assert late.departed_at == local(2026, 3, 2, 23)


def test_the_sites_closing_time_and_only_open_visits_of_that_site(world):
    db.session.add(LobbySettings(site=world.site, closing_time=time(21, 0)))
    open_visit = make_visit(world.site, status=VisitStatus.ON_SITE, at=local(2026, 3, 1, 10))
    gone = make_visit(world.site, status=VisitStatus.LEFT, at=local(2026, 3, 1, 9))
    away = make_visit(world.site, status=VisitStatus.TURNED_AWAY, at=local(2026, 3, 1, 9))
    elsewhere = make_visit(world.other_site, status=VisitStatus.ON_SITE, at=local(2026, 3, 1, 10))
    db.session.commit()
    before = (gone.departed_at, gone.departure)
    assert close_visits(world.site, now=local(2026, 3, 1, 21, 5)) == 1
    db.session.commit()
    assert open_visit.departed_at == local(2026, 3, 1, 21)
    assert (gone.departed_at, gone.departure) == before and away.departed_at is None
    assert elsewhere.status == VisitStatus.ON_SITE  # other site: 23:00 default, and not this run


def test_close_visits_command_is_safe_to_repeat(world, runner):
    make_visit(world.site, status=VisitStatus.ON_SITE, at=local(2026, 3, 1, 10), commit=True)
    with time_machine.travel(local(2026, 3, 1, 23, 20), tick=False):
        first = runner.invoke(args=["close-visits"])
        second = runner.invoke(args=["close-visits"])
    assert first.exit_code == 0 and "t1: 1 visit(s) checked out automatically (closing time 23:00)" in first.output
    assert "t1: 0 visit(s)" in second.output


NOW = local(2026, 9, 1, 3)


def _old_and_new(world):
    old = make_visit(
        world.site,
        room=world.rooms[0],
        name="张三",
        phone="+8613812345678",
        plate="粤B12345",
        id_number="11010519491231002X",
        party_size=3,
        purpose=Purpose.WORKS,
        status=VisitStatus.LEFT,
        at=NOW - timedelta(days=181),
    )
    new = make_visit(world.site, name="李四", status=VisitStatus.LEFT, at=NOW - timedelta(days=179))
    elsewhere = make_visit(world.other_site, name="赵六", status=VisitStatus.LEFT, at=NOW - timedelta(days=100))
    correct(old, "visitor_name", "张叁", "spelling", world.users["receptionist"])
    correct(old, "party_size", "4", "张三's brother came too", world.users["receptionist"])
    db.session.add_all(
        [
            ExpectedVisit(
                site=world.site,
                code="E1",
                day=(NOW - timedelta(days=200)).date(),
                visitor_name="王五",
                visitor_phone="+8613900000000",
                plate="粤B99999",
                note="带工具",
            ),
            ExpectedVisit(site=world.site, code="E2", day=NOW.date(), visitor_name="赵七"),
        ]
    )
    db.session.commit()
    return old, new, elsewhere


def test_s3_purge_removes_personal_data_and_keeps_counts(world):
    old, new, elsewhere = _old_and_new(world)
    done = purge(world.site, now=NOW)
    db.session.commit()
    assert (done.visits, done.expected, done.corrections) == (1, 1, 2)
    db.session.expire_all()
    assert (
        old.visitor_name,
        old.visitor_phone,
        old.phone_last4,
        old.plate,
        old.id_number_masked,
        old.name_pinyin,
        old.name_initials,
    ) == (None,) * 7
    assert (old.party_size, old.purpose, old.room_id, old.action_at, old.purged_at) == (
        3,
        Purpose.WORKS,
        world.rooms[0].id,
        NOW - timedelta(days=181),
        NOW,
    )
    assert {c.field: c.value for c in old.corrections} == {"visitor_name": None, "party_size": "4"}
    assert [c.reason for c in old.corrections] == ["", ""]  # free text may name the visitor
    assert new.visitor_name == "李四" and new.purged_at is None and elsewhere.visitor_name == "赵六"
    expected = {e.code: e for e in db.session.scalars(sa.select(ExpectedVisit))}
    assert (expected["E1"].visitor_name, expected["E1"].visitor_phone, expected["E1"].plate, expected["E1"].note) == (
        None,
    ) * 4
    assert expected["E2"].visitor_name == "赵七"
    [event] = _audits("visits.purge")
    assert event.details["visits"] == 1 and event.details["days"] == 180 and event.site_id == world.site.id


def test_s3_purge_twice_is_harmless_and_audits_once(world):
    _old_and_new(world)
    purge(world.site, now=NOW)
    db.session.commit()
    again = purge(world.site, now=NOW + timedelta(hours=1))
    db.session.commit()
    assert again.total == 0 and len(_audits("visits.purge")) == 1


def test_s3_the_retention_period_is_the_sites_setting(world):
    db.session.add(LobbySettings(site=world.site, retention_days=30))
    make_visit(world.site, status=VisitStatus.LEFT, at=NOW - timedelta(days=31), commit=True)
    assert purge(world.site, now=NOW).visits == 1


def test_purge_command_prints_what_it_did(world, runner):
    _old_and_new(world)
    with time_machine.travel(NOW, tick=False):
        first = runner.invoke(args=["purge-visitors"])
        second = runner.invoke(args=["purge-visitors"])
    assert first.exit_code == 0
    assert "t1: personal data removed from 1 visit(s), 1 expected visit(s), 2 correction(s)" in first.output
    assert "(180 days kept)" in first.output
    assert "t1: personal data removed from 0 visit(s), 0 expected visit(s), 0 correction(s)" in second.output
    assert db.session.scalar(sa.select(sa.func.count(Visit.id)).where(Visit.purged_at.is_not(None))) == 1
    assert db.session.scalar(sa.select(sa.func.count(VisitCorrection.id))) == 2
