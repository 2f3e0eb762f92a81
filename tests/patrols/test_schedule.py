"""Schedules and occurrences with a frozen clock (P1 twice daily, P3 weekly, P4/P5 monthly,
P8 quarterly)."""

from datetime import datetime, timedelta, timezone

import pytest
import sqlalchemy as sa
import time_machine

from kiosk.extensions import db
from kiosk.models import Role
from kiosk.models.patrols import Occurrence
from kiosk.patrols import schedule as ps
from kiosk.patrols import walk
from kiosk.timeutil import utcnow
from tests import patrolkit

SHANGHAI = timezone(timedelta(hours=8))


def at(day, hh, mm=0):
    return datetime(2026, 11, day, hh, mm, tzinfo=SHANGHAI)


def _occurrences(schedule):
    return db.session.scalars(
        sa.select(Occurrence).where(Occurrence.schedule_id == schedule.id).order_by(Occurrence.opens_at)
    ).all()


def test_p1_public_areas_have_two_windows_a_day(pw):
    with time_machine.travel(at(23, 9), tick=False):
        ps.ensure_occurrences(pw.site, utcnow(), lookback_days=0)
        rows = _occurrences(pw.schedule("Building 1 public areas"))
        assert [(o.opens_at.astimezone(SHANGHAI).hour, o.due_at.astimezone(SHANGHAI).hour) for o in rows] == [
            (8, 11),
            (14, 17),
        ]
        assert ps.ensure_occurrences(pw.site, utcnow(), lookback_days=0) == 0  # idempotent


def test_p1_an_occurrence_goes_from_due_to_late_to_missed(pw):
    schedule = pw.schedule("Building 1 public areas")
    with time_machine.travel(at(23, 7), tick=False) as clock:
        ps.ensure_occurrences(pw.site, utcnow(), lookback_days=0)
        morning = _occurrences(schedule)[0]
        assert ps.state(morning, utcnow()) == ps.UPCOMING
        clock.move_to(at(23, 10, 59))
        assert ps.state(morning, utcnow()) == ps.DUE
        clock.move_to(at(23, 11, 30))
        assert ps.state(morning, utcnow()) == ps.LATE
        assert morning in ps.overdue(pw.site.id, utcnow())
        clock.move_to(at(23, 12, 0))
        assert ps.state(morning, utcnow()) == ps.MISSED


def test_missed_occurrences_stay_on_the_dashboard_until_acknowledged(pw):
    schedule = pw.schedule("Building 1 public areas")
    with time_machine.travel(at(25, 9), tick=False):
        ps.ensure_occurrences(pw.site, utcnow(), lookback_days=2)
        overdue = [o for o in ps.overdue(pw.site.id, utcnow()) if o.schedule_id == schedule.id]
        assert len(overdue) == 4  # 23rd and 24th, morning and afternoon
        ps.acknowledge(overdue[0], pw.world.users[Role.SUPERVISOR], "台风停巡", utcnow())
        db.session.commit()
        left = [o for o in ps.overdue(pw.site.id, utcnow()) if o.schedule_id == schedule.id]
        assert len(left) == 3 and overdue[0] not in left
        assert overdue[0].acknowledge_note == "台风停巡"


def test_acknowledging_all_missed_takes_only_the_missed_ones_shown(pw):
    """The dashboard's "acknowledge all": missed, unacknowledged, this site; each audited."""
    from kiosk.models import AuditEvent

    with time_machine.travel(at(25, 11, 30), tick=False):  # this morning's round is late, not missed
        ps.ensure_occurrences(pw.site, utcnow(), lookback_days=2)
        overdue = ps.overdue(pw.site.id, utcnow())
        missed = [o for o in overdue if ps.state(o, utcnow()) == ps.MISSED]
        late = [o for o in overdue if ps.state(o, utcnow()) == ps.LATE]
        assert late and len(missed) > 4
        supervisor = pw.world.users[Role.SUPERVISOR]
        ps.acknowledge(missed[0], supervisor, "停电", utcnow())
        shown = [o.id for o in missed + late]
        count = ps.acknowledge_missed(pw.site.id, shown + [10_000], supervisor, "台风停巡", utcnow())
        db.session.commit()
        assert count == len(missed) - 1
        assert sorted(o.id for o in ps.overdue(pw.site.id, utcnow())) == sorted(o.id for o in late)
        assert missed[0].acknowledge_note == "停电" and {o.acknowledge_note for o in missed[1:]} == {"台风停巡"}
        events = db.session.scalars(sa.select(AuditEvent).where(AuditEvent.action == "occurrence.acknowledged")).all()
        assert sorted(int(e.entity_id) for e in events) == sorted(o.id for o in missed)
        assert {e.user_id for e in events} == {supervisor.id}
        assert ps.acknowledge_missed(pw.site.id, shown, supervisor, None, utcnow()) == 0
        assert ps.acknowledge_missed(pw.world.other_site.id, shown, supervisor, None, utcnow()) == 0


def test_a_new_install_starts_its_schedules_now_and_shows_nothing_missed(world):
    """The demo (and any site seeded without a start date) does not open on a week of
    missed patrols: schedules start today; windows already closed are acknowledged by
    the seed, with a note that says so."""
    from kiosk.patrols.demo import BEFORE_SEED_NOTE, seed_patrol_demo

    with time_machine.travel(at(25, 15), tick=False):  # Wednesday afternoon
        seed_patrol_demo(world.site)
        db.session.commit()
        rows = db.session.scalars(sa.select(Occurrence)).all()
        assert ps.overdue(world.site.id, utcnow()) == []
        daily = [o for o in rows if o.schedule.cadence == "daily"]
        assert min(o.opens_at for o in daily) == at(25, 8)  # nothing before the seed's day
        closed = [o for o in rows if o.due_at <= utcnow()]
        assert {o.opens_at.astimezone(SHANGHAI).hour for o in closed} == {8, 10}  # this morning, lunch
        assert {(o.acknowledge_note, o.acknowledged_by_id) for o in closed} == {(BEFORE_SEED_NOTE, None)}
        assert all(o.acknowledged_at is None for o in rows if o.due_at > utcnow())
    with time_machine.travel(at(26, 12, 30), tick=False):  # from then on, a missed round counts
        ps.ensure_occurrences(world.site, utcnow())
        assert {o.opens_at for o in ps.overdue(world.site.id, utcnow())} >= {at(25, 14), at(26, 8)}


def test_a_finished_patrol_marks_its_occurrence_done(pw):
    schedule = pw.schedule("Perimeter and garbage room")
    with time_machine.travel(at(23, 9), tick=False):
        ps.ensure_occurrences(pw.site, utcnow(), lookback_days=0)
        morning = _occurrences(schedule)[0]
        patrol = walk.start(
            patrolkit.new_uuid(), pw.tablet, pw.officer, at=utcnow(), received=utcnow(), occurrence=morning
        )
        assert [s.checkpoint.name_en for s in patrol.stops] == ["Perimeter", "Garbage room"]
        walk.finish(patrol, at=utcnow(), received=utcnow(), reason="测试：只查了部分")
        db.session.commit()
        assert ps.state(morning, utcnow()) == ps.DONE
    with time_machine.travel(at(23, 13), tick=False):
        assert morning not in ps.overdue(pw.site.id, utcnow())


def test_p3_vacant_units_weekly_and_p4_p5_monthly(pw):
    with time_machine.travel(at(25, 9), tick=False):  # Wednesday
        ps.ensure_occurrences(pw.site, utcnow(), lookback_days=0)
        weekly = _occurrences(pw.schedule("Vacant units, weekly"))
        assert [
            (o.opens_at.astimezone(SHANGHAI).date().isoformat(), o.due_at.astimezone(SHANGHAI).date().isoformat())
            for o in weekly
        ] == [("2026-11-23", "2026-11-30")]
        monthly = _occurrences(pw.schedule("Commercial outlets, monthly"))
        assert [o.opens_at.astimezone(SHANGHAI).date().isoformat() for o in monthly] == ["2026-11-01"]
        assert monthly[0].due_at.astimezone(SHANGHAI).date().isoformat() == "2026-12-01"
        today = ps.for_today(pw.site, utcnow())
        assert weekly[0] in today and monthly[0] in today
        assert ps.state(weekly[0], utcnow()) == ps.DUE


def test_p8_contractor_cleaning_is_due_each_quarter_and_missed_a_week_after(pw):
    schedule = pw.schedule("Septic tank and grease trap, quarterly")
    with time_machine.travel(at(25, 9), tick=False):
        ps.ensure_occurrences(pw.site, utcnow(), lookback_days=0)
        (quarter,) = _occurrences(schedule)
        assert quarter.opens_at == datetime(2026, 10, 1, tzinfo=SHANGHAI)
        assert quarter.due_at == datetime(2027, 1, 1, tzinfo=SHANGHAI)
        assert quarter.missed_at == datetime(2027, 1, 8, tzinfo=SHANGHAI)
        assert ps.state(quarter, utcnow()) == ps.DUE
    with time_machine.travel(datetime(2027, 1, 3, 9, tzinfo=SHANGHAI), tick=False):
        ps.ensure_occurrences(pw.site, utcnow(), lookback_days=0)
        assert ps.state(quarter, utcnow()) == ps.LATE
        assert [o.opens_at for o in _occurrences(schedule)][-1] == datetime(2027, 1, 1, tzinfo=SHANGHAI)


def test_two_page_views_at_once_make_each_occurrence_once(pw, monkeypatch):
    """Another request commits the same occurrences while this one is making them."""
    real_periods = ps.periods
    other = {"done": False}

    def periods_and_another_request(schedule, first, last, tz):
        result = list(real_periods(schedule, first, last, tz))
        if not other["done"] and result:
            other["done"] = True
            opens, due = result[0]
            with db.engine.begin() as conn:  # the other request, on its own connection
                conn.execute(
                    sa.insert(Occurrence).values(
                        site_id=schedule.site_id, schedule_id=schedule.id, opens_at=opens, due_at=due, missed_at=due
                    )
                )
        return result

    monkeypatch.setattr(ps, "periods", periods_and_another_request)
    with time_machine.travel(at(25, 9), tick=False):
        assert ps.ensure_occurrences(pw.site, utcnow(), lookback_days=0) == 0
        monkeypatch.setattr(ps, "periods", real_periods)
        made = ps.ensure_occurrences(pw.site, utcnow(), lookback_days=0)  # the rest, next view
        rows = db.session.execute(sa.select(Occurrence.schedule_id, Occurrence.opens_at)).all()
        assert made > 0 and len(rows) == len(set(rows))


def test_today_lists_open_ones_first(pw):
    with time_machine.travel(at(23, 15), tick=False):
        ps.ensure_occurrences(pw.site, utcnow(), lookback_days=0)
        states = [ps.state(o, utcnow()) for o in ps.for_today(pw.site, utcnow())]
        assert states == sorted(states, key=["due", "late", "upcoming", "missed", "done"].index)
        assert "missed" in states and "due" in states


def test_windows_are_parsed_and_checked():
    assert ps.parse_windows("08:00-11:00，14:00-17:00") == [["08:00", "11:00"], ["14:00", "17:00"]]
    for bad in ("", "11:00-08:00", "08:00-12:00, 11:00-13:00", "8h-9h"):
        with pytest.raises(ValueError):
            ps.parse_windows(bad)
