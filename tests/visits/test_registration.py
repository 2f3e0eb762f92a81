"""Registering and following visits (V1-V4), the watch list and expected visitors, as
plain functions (no request)."""

from datetime import UTC, date, datetime, timedelta

import pytest
import sqlalchemy as sa
import time_machine

from kiosk import notify
from kiosk.extensions import db
from kiosk.models import AuditEvent, Departure, Desk, Outcome, Purpose, VisitStatus
from kiosk.timeutil import utcnow
from kiosk.visits import expected, watchlist
from kiosk.visits import registration as visits
from kiosk.visits.registration import Registration, VisitError

NOON_SHANGHAI = datetime(2026, 11, 23, 4, 0, tzinfo=UTC)
NIGHT_SHANGHAI = datetime(2026, 11, 23, 14, 30, tzinfo=UTC)  # 22:30 local


def _reg(world, **overrides):
    values = dict(room=world.rooms[0], name="访客甲", phone="+8613900001234", party_size=1, purpose=Purpose.VISIT)
    values.update(overrides)
    return Registration(**values)


def _register(world, now=NOON_SHANGHAI, **overrides):
    visit = visits.register(
        world.site, _reg(world, **overrides), received_at=now, action_at=now, user=world.users["receptionist"]
    )
    db.session.commit()
    return visit


def _actions(visit):
    return db.session.scalars(
        sa.select(AuditEvent.action)
        .where(AuditEvent.entity_type == "Visit", AuditEvent.entity_id == str(visit.id))
        .order_by(AuditEvent.id)
    ).all()


def test_v1_a_registration_keeps_search_keys_and_is_audited(world):
    visit = _register(world, name="张三丰", id_number="11010519491231002X")
    assert visit.status == VisitStatus.WAITING
    assert (visit.visitor_phone, visit.phone_last4) == ("+8613900001234", "1234")
    assert (visit.name_pinyin, visit.name_initials) == ("zhang san feng", "zsf")
    assert visit.id_number_masked == "110105********002X"  # never the whole number
    assert len(visit.code) == 6 and set(visit.code) <= set(visits.CODE_ALPHABET)
    assert _actions(visit) == ["visit.registered"]


def test_v1_codes_are_unique_within_a_site(world):
    codes = {_register(world).code for _ in range(20)}
    assert len(codes) == 20


def test_v2_routing_follows_the_hour_the_registration_arrives(world):
    assert _register(world, now=NOON_SHANGHAI).desk == Desk.RECEPTION
    assert _register(world, now=NIGHT_SHANGHAI).desk == Desk.DUTY


def test_v1_check_reports_every_bad_field_at_once(world):
    reg, errors = visits.check(
        world.site.id,
        {"room": "", "room_number": "", "name": "", "phone": "12", "party_size": "99", "purpose": "x", "plate": "bad"},
        ask_id_number=True,
    )
    assert reg is None
    assert set(errors) == {"room", "name", "phone", "party_size", "purpose", "plate", "id_number"}


@pytest.mark.parametrize("typed, index", [("0201", 1), ("201", 1), ("1-1-0301", 2), ("1-0101", 0)])
def test_v1_a_typed_room_number_is_found(world, typed, index):
    room, error = visits.resolve_room(world.site.id, "", typed)
    assert error is None and room.id == world.rooms[index].id


def test_v1_a_room_that_does_not_exist_is_a_message(app, world):
    room, error = visits.resolve_room(world.site.id, "", "9999")
    with app.test_request_context("/?lang=en"):
        assert room is None and str(error).startswith("There is no room 9999 here")
    room, error = visits.resolve_room(world.other_site.id, str(world.rooms[0].id))  # another site's room
    assert room is None and error is not None
    assert visits.resolve_room(world.site.id, visits.CENTRE) == (None, None)


def test_watch_list_match_holds_the_visit_by_phone_id_or_normalised_name(world, app):
    supervisor = world.users["supervisor"]
    by_phone = watchlist.add(world.site.id, actor=supervisor, reason="闹事", phone="+8613900009999")
    by_id = watchlist.add(world.site.id, actor=supervisor, reason="冒充快递", id_number="11010519491231002X")
    by_name = watchlist.add(
        world.site.id, actor=supervisor, reason="推销", name="李 大 嘴", aliases="Big Mouth、大嘴李"
    )
    db.session.commit()
    assert by_id.id_number_hash and "1949" not in by_id.id_number_hash  # keyed hash, not the number
    assert _register(world, phone="+8613900009999").watch_entry_id == by_phone.id
    assert _register(world, id_number="11010519491231002x").watch_entry_id == by_id.id
    assert _register(world, name="李大嘴").watch_entry_id == by_name.id
    assert _register(world, name="ＢＩＧ mouth").watch_entry_id == by_name.id  # full width, case, spaces
    held = _register(world, name="大嘴李")
    assert held.status == VisitStatus.HELD
    assert _register(world, name="李大").status == VisitStatus.WAITING


def test_watch_list_is_per_site_and_inactive_entries_do_not_match(world):
    entry = watchlist.add(world.other_site.id, actor=world.other_user, reason="x", phone="+8613900001234")
    db.session.commit()
    assert _register(world).status == VisitStatus.WAITING
    entry.site_id = world.site.id
    watchlist.deactivate(entry, actor=world.users["supervisor"], reason="误会")
    db.session.commit()
    assert _register(world).status == VisitStatus.WAITING


def test_v4_outcomes_move_the_visit_on_and_are_audited(world):
    reception = world.users["receptionist"]
    visit = _register(world)
    visits.record_outcome(visit, Outcome.GO_UP, actor=reception, now=utcnow())
    assert (visit.status, visit.outcome_floor) == (VisitStatus.ON_SITE, world.rooms[0].floor)
    with pytest.raises(VisitError):
        visits.record_outcome(visit, Outcome.NOT_IN, actor=reception, now=utcnow())
    lounge = _register(world)
    visits.record_outcome(lounge, Outcome.WAIT_LOUNGE, actor=reception, now=utcnow())
    visits.record_outcome(lounge, Outcome.COMING_DOWN, actor=reception, now=utcnow())  # the host came after all
    not_in = _register(world)
    visits.record_outcome(not_in, Outcome.NOT_IN, actor=reception, now=utcnow())
    assert not_in.status == VisitStatus.TURNED_AWAY
    db.session.commit()
    assert _actions(lounge) == ["visit.registered", "visit.outcome", "visit.outcome"]


def test_v4_go_up_needs_a_floor_for_the_service_centre(world):
    visit = _register(world, room=None)
    with pytest.raises(VisitError) as caught:
        visits.record_outcome(visit, Outcome.GO_UP, actor=world.users["receptionist"], now=utcnow())
    assert caught.value.field == "floor"
    visits.record_outcome(visit, Outcome.GO_UP, actor=world.users["receptionist"], now=utcnow(), floor=2)
    assert visit.outcome_floor == 2


def test_a_held_visit_waits_for_a_decision_with_a_reason_to_refuse(world):
    watchlist.add(world.site.id, actor=world.users["supervisor"], reason="x", phone="+8613900001234")
    held, other = _register(world), _register(world)
    reception = world.users["receptionist"]
    with pytest.raises(VisitError):
        visits.record_outcome(held, Outcome.COMING_DOWN, actor=reception, now=utcnow())
    with pytest.raises(VisitError):
        visits.decide(held, allow=False, actor=reception, now=utcnow(), reason=" ")
    visits.decide(held, allow=True, actor=reception, now=utcnow())
    assert held.status == VisitStatus.WAITING
    visits.decide(other, allow=False, actor=reception, now=utcnow(), reason="名单人员")
    assert other.status == VisitStatus.TURNED_AWAY
    db.session.commit()
    assert _actions(other)[-1] == "visit.refused"


def test_check_out_by_code_and_by_phone_and_room_once(world):
    visit = _register(world)
    assert visits.by_code(world.site.id, visit.code.lower()) is visit
    assert visits.by_code(world.other_site.id, visit.code) is None
    assert visits.present_by_phone_and_room(world.site.id, "+8613900001234", world.rooms[0]) == [visit]
    assert visits.present_by_phone_and_room(world.site.id, "+8613900001234", world.rooms[1]) == []
    assert visits.check_out(visit, how=Departure.KIOSK, now=utcnow(), actor=None)
    assert not visits.check_out(visit, how=Departure.KIOSK, now=utcnow(), actor=None)
    assert visit.status == VisitStatus.LEFT and visit.departure == Departure.KIOSK
    assert visits.present_by_phone_and_room(world.site.id, "+8613900001234", world.rooms[0]) == []


def _expected_for(world, day):
    row = expected.create(
        world.site,
        actor=world.users["receptionist"],
        day=day,
        today=day,
        room=world.rooms[1],
        name="预约客",
        phone="+8613911112222",
    )
    db.session.commit()
    return row


def test_expected_code_valid_on_its_day_only_and_once(world):
    with time_machine.travel(datetime(2026, 11, 23, 2, 0, tzinfo=UTC), tick=False):  # 10:00 local
        row = _expected_for(world, date(2026, 11, 23))
    with time_machine.travel(datetime(2026, 11, 22, 15, 59, tzinfo=UTC), tick=False):  # 23:59 the day before
        with pytest.raises(VisitError):
            expected.redeem(world.site, row.code, received_at=utcnow(), action_at=utcnow())
    with time_machine.travel(datetime(2026, 11, 23, 15, 59, tzinfo=UTC), tick=False):  # 23:59 local, its day
        visit = expected.redeem(world.site, row.code.lower(), received_at=utcnow(), action_at=utcnow())
        db.session.commit()
        assert (visit.expected_visit_id, visit.room_id, visit.visitor_name) == (row.id, world.rooms[1].id, "预约客")
        with pytest.raises(VisitError):  # once
            expected.redeem(world.site, row.code, received_at=utcnow(), action_at=utcnow())
    with time_machine.travel(datetime(2026, 11, 23, 16, 0, tzinfo=UTC), tick=False):  # next local day
        with pytest.raises(VisitError):
            expected.redeemable(world.site, row.code, on=expected.local_date(world.site, utcnow()))


def test_expected_cancelled_codes_and_past_days_are_refused(world):
    today = date(2026, 11, 23)
    with pytest.raises(VisitError):
        expected.create(
            world.site,
            actor=world.users["receptionist"],
            day=today - timedelta(days=1),
            today=today,
            room=None,
            name="x",
            phone=None,
        )
    row = _expected_for(world, today)
    expected.cancel(row, actor=world.users["receptionist"], now=utcnow())
    with pytest.raises(VisitError):
        expected.redeemable(world.site, row.code, on=today)


def test_the_notifier_is_called_and_can_be_replaced(world, app):
    seen = []

    class Recorder:
        def visit_registered(self, visit):
            seen.append(visit.code)

    class Broken:
        def visit_registered(self, visit):
            raise RuntimeError("SMS gateway down")

    visit = _register(world)
    app.config["VISIT_NOTIFIER"] = Recorder()
    notify.visit_registered(visit)
    assert seen == [visit.code]
    app.config["VISIT_NOTIFIER"] = Broken()
    notify.visit_registered(visit)  # logged, never raised
    app.config.pop("VISIT_NOTIFIER")
    assert isinstance(notify.notifier(), notify.LogNotifier)
