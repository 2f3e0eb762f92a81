"""Shift handover (H1): pending items gathered, refused then accepted, key count checked,
signed logs final (S2), the daily review."""

from datetime import timedelta

import pytest
import time_machine

from kiosk.extensions import db
from kiosk.handover import HandoverRefused, pending, shifts
from kiosk.models import Role, VisitStatus
from kiosk.models.handover import EntryKind, ShiftLog, ShiftStatus
from tests.keys import kit
from tests.visit_factory import make_visit

TZ = kit.TZ


def _world_with_pending(world, now):
    make_visit(world.site, room=world.rooms[0], status=VisitStatus.ON_SITE, at=now - timedelta(minutes=20))
    make_visit(
        world.site,
        room=world.rooms[1],
        status=VisitStatus.LEFT,
        at=now - timedelta(hours=2),
        departed_at=now - timedelta(hours=1),
    )
    kit.household_set(world, 2)
    kit.lend(world, kit.household_set(world, 0), now - timedelta(hours=4), back_hour=12)
    db.session.commit()


def test_h1_pending_items_are_gathered_from_the_registers(world):
    now = kit.at_local(0, 14)
    _world_with_pending(world, now)
    groups = {g["key"]: g for g in pending.gather(world.site.id, now)}
    assert groups["visitors"]["total"] == 1 and groups["visitors"]["items"][0]["text"] == "1-1-0101"
    assert groups["keys"]["total"] == 1 and groups["keys"]["items"][0]["late"] is True  # due 12:00
    assert groups["tasks"]["total"] == 0


def test_h1_a_later_register_adds_its_own_pending_provider(world, monkeypatch):
    monkeypatch.setattr(pending, "PROVIDERS", dict(pending.PROVIDERS))
    pending.add_provider(
        "parcels",
        "Parcels waiting",
        lambda site_id, now, limit: ([pending.PendingItem(text="1-1-0101", detail="顺丰")], 1),
        order=40,
    )
    keys = [g["key"] for g in pending.gather(world.site.id, kit.at_local(0, 14))]
    assert keys[:3] == ["visitors", "keys", "tasks"] and "parcels" in keys


def test_h1_the_registers_and_callbacks_due_are_on_the_handover(app, world):
    """H1 with V6: a goods pass in use is handed over; callbacks due have their own group."""
    from kiosk.timeutil import utcnow
    from tests.registers.test_goods_passes import _approved

    in_use = _approved(world, hours=(0, 3))
    with app.test_request_context():
        groups = {g["key"]: g for g in pending.gather(world.site.id, utcnow())}
        assert groups["registers"]["total"] == 1
        assert groups["registers"]["items"][0]["text"] == pending_label(in_use)
    assert groups["callbacks"]["total"] == 0


def pending_label(goods_pass):
    from kiosk.registers import pending as register_pending
    from kiosk.timeutil import utcnow

    return next(p.label for p in register_pending(goods_pass.site_id, utcnow()) if p.record_id == goods_pass.id)


def test_h1_handover_refused_then_accepted_with_the_pending_items_kept(world):
    now = kit.at_local(0, 14)
    _world_with_pending(world, now)
    outgoing, incoming = world.users[Role.RECEPTIONIST], world.users[Role.DUTY_MANAGER]
    log = shifts.open_log(world.site.id, outgoing, now, TZ)
    shifts.add_entry(log, outgoing, now, "3栋电梯困人，已通知工程部")
    with pytest.raises(HandoverRefused) as refused:
        shifts.sign(log, incoming, now, signature=kit.SIGNED)
    assert refused.value.reason == "not_outgoing"
    shifts.sign(log, outgoing, now + timedelta(hours=6), signature=kit.SIGNED)
    assert log.status == ShiftStatus.HANDED and log.keys_in_register == 1
    totals = {g["key"]: g["total"] for g in log.pending}
    assert totals == {"visitors": 1, "keys": 1, "tasks": 0, "registers": 0, "cases": 0, "callbacks": 0}
    with pytest.raises(HandoverRefused) as refused:
        shifts.accept(log, outgoing, now, TZ, signature=kit.SIGNED, equipment_checked=True, keys_counted=1)
    assert refused.value.reason == "same_person"

    shifts.refuse(log, incoming, now + timedelta(hours=6, minutes=5), "借出的钥匙谁在用？何时归还？")
    db.session.commit()
    assert log.status == ShiftStatus.REFUSED and log.refused_count == 1
    assert shifts.count_refused(world.site.id, world.users[Role.SUPERVISOR]) == 1  # the refusal goes to the supervisor
    assert shifts.count_refused(world.site.id, outgoing) == 0
    with pytest.raises(HandoverRefused):
        shifts.accept(
            log, incoming, now, TZ, signature=kit.SIGNED, equipment_checked=True, keys_counted=1
        )  # the outgoing must answer and sign again

    shifts.add_entry(log, outgoing, now, "工程部王工借用，明早归还，已报主管", EntryKind.ANSWER)
    shifts.sign(log, outgoing, now + timedelta(hours=6, minutes=10), signature=kit.SIGNED)
    with pytest.raises(HandoverRefused) as refused:
        shifts.accept(log, incoming, now, TZ, signature=kit.SIGNED, equipment_checked=False, keys_counted=1)
    assert refused.value.reason == "equipment_unchecked"
    with pytest.raises(HandoverRefused) as refused:
        shifts.accept(log, incoming, now, TZ, signature=kit.SIGNED, equipment_checked=True, keys_counted=3)
    assert refused.value.reason == "mismatch_unexplained"
    accepted_at = now + timedelta(hours=6, minutes=15)
    mine = shifts.accept(log, incoming, accepted_at, TZ, signature=kit.SIGNED, equipment_checked=True, keys_counted=1)
    db.session.commit()
    assert log.status == ShiftStatus.ACCEPTED and log.incoming_id == incoming.id and log.accepted_at == accepted_at
    assert log.signed_at is not None and log.outgoing_id == outgoing.id  # both names and times kept
    assert mine.outgoing_id == incoming.id and mine.status == ShiftStatus.OPEN
    assert shifts.count_refused(world.site.id, world.users[Role.SUPERVISOR]) == 0
    assert [e.kind for e in log.entries] == [EntryKind.EVENT, EntryKind.REFUSAL, EntryKind.ANSWER]


def test_h1_a_count_that_differs_from_the_register_is_accepted_only_when_explained(world):
    now = kit.at_local(0, 8)
    kit.household_set(world, 0)
    log = shifts.open_log(world.site.id, world.users[Role.DUTY_MANAGER], now, TZ)
    shifts.sign(log, world.users[Role.DUTY_MANAGER], now, signature=kit.SIGNED)
    shifts.accept(
        log,
        world.users[Role.RECEPTIONIST],
        now,
        TZ,
        signature=kit.SIGNED,
        equipment_checked=True,
        keys_counted=0,
        mismatch_note="A-1 挂钩空，正在查找",
    )
    assert log.keys_in_register == 1 and log.keys_counted == 0 and log.mismatch_note


def test_s2_a_signed_log_is_not_edited_and_remarks_are_appended(world):
    now = kit.at_local(0, 8)
    outgoing = world.users[Role.RECEPTIONIST]
    log = shifts.open_log(world.site.id, outgoing, now, TZ)
    shifts.add_entry(log, outgoing, now, "交接正常")
    shifts.sign(log, outgoing, now, signature=kit.SIGNED)
    for kind in (EntryKind.EVENT, EntryKind.NOTE):
        with pytest.raises(HandoverRefused) as refused:
            shifts.add_entry(log, outgoing, now, "补记", kind)
        assert refused.value.reason == "signed"
    with pytest.raises(HandoverRefused):
        shifts.sign(log, outgoing, now, signature=kit.SIGNED)
    shifts.add_entry(log, world.users[Role.SUPERVISOR], now, "已阅", EntryKind.REMARK)
    assert [e.text for e in log.entries] == ["交接正常", "已阅"]


def test_h1_only_one_shift_log_runs_at_a_time(world):
    now = kit.at_local(0, 8)
    shifts.open_log(world.site.id, world.users[Role.RECEPTIONIST], now, TZ)
    with pytest.raises(HandoverRefused) as refused:
        shifts.open_log(world.site.id, world.users[Role.DUTY_MANAGER], now, TZ)
    assert refused.value.reason == "already_open"


def test_h1_the_manager_or_duty_head_signs_each_day_and_unsigned_days_show(world):
    yesterday, today = kit.at_local(-1, 9), kit.at_local(0, 9)
    log = shifts.open_log(world.site.id, world.users[Role.RECEPTIONIST], yesterday, TZ)
    db.session.commit()
    assert shifts.unsigned_days(world.site.id, today.date()) == [yesterday.date()]
    with pytest.raises(HandoverRefused) as refused:
        shifts.sign_day(world.site.id, yesterday.date(), world.users[Role.MANAGER], today)
    assert refused.value.reason == "handover_running"
    shifts.sign(log, world.users[Role.RECEPTIONIST], yesterday, signature=kit.SIGNED)
    night = shifts.accept(
        log,
        world.users[Role.DUTY_MANAGER],
        yesterday + timedelta(hours=11),
        TZ,
        signature=kit.SIGNED,
        equipment_checked=True,
        keys_counted=0,
    )
    with pytest.raises(HandoverRefused) as refused:  # the night shift that began yesterday is still running
        shifts.sign_day(world.site.id, yesterday.date(), world.users[Role.MANAGER], today)
    assert refused.value.reason == "handover_running"
    shifts.sign(night, world.users[Role.DUTY_MANAGER], today - timedelta(hours=1), signature=kit.SIGNED)
    shifts.accept(
        night,
        world.users[Role.RECEPTIONIST],
        today - timedelta(hours=1),
        TZ,
        signature=kit.SIGNED,
        equipment_checked=True,
        keys_counted=0,
    )
    with pytest.raises(HandoverRefused) as refused:
        shifts.sign_day(world.site.id, yesterday.date(), world.users[Role.SUPERVISOR], today)
    assert refused.value.reason == "not_day_signer"
    shifts.sign_day(world.site.id, yesterday.date(), world.users[Role.DUTY_MANAGER], today, "已审")
    db.session.commit()
    assert shifts.unsigned_days(world.site.id, today.date()) == []
    with pytest.raises(HandoverRefused) as refused:
        shifts.sign_day(world.site.id, yesterday.date(), world.users[Role.MANAGER], today)
    assert refused.value.reason == "day_signed"


def test_h1_unsigned_days_counted_for_the_manager_only(world):
    with time_machine.travel(kit.at_local(0, 10), tick=False):
        log = shifts.open_log(world.site.id, world.users[Role.RECEPTIONIST], kit.at_local(-2, 9), TZ)
        log.day = kit.at_local(-2, 9).date()
        db.session.commit()
        assert shifts.count_unsigned_days(world.site.id, world.users[Role.MANAGER]) == 1
        assert shifts.count_unsigned_days(world.site.id, world.users[Role.RECEPTIONIST]) == 0
    assert db.session.query(ShiftLog).count() == 1


def test_h1_s2_signing_and_accepting_need_a_drawn_signature(world):
    """H1: the outgoing signs and the incoming accepts with their own drawn signatures, kept on the log."""
    now = kit.at_local(0, 8)
    outgoing, incoming = world.users[Role.RECEPTIONIST], world.users[Role.DUTY_MANAGER]
    log = shifts.open_log(world.site.id, outgoing, now, TZ)
    with pytest.raises(HandoverRefused) as refused:
        shifts.sign(log, outgoing, now, signature=None)
    assert refused.value.reason == "signature_required" and log.status == ShiftStatus.OPEN
    shifts.sign(log, outgoing, now, signature=kit.SIGNED)
    with pytest.raises(HandoverRefused) as refused:
        shifts.accept(log, incoming, now, TZ, equipment_checked=True, keys_counted=0, signature=None)
    assert refused.value.reason == "signature_required" and log.status == ShiftStatus.HANDED
    shifts.accept(log, incoming, now, TZ, equipment_checked=True, keys_counted=0, signature=kit.SIGNED)
    assert (log.outgoing_signature_path, log.incoming_signature_sha256) == (kit.SIGNED.path, kit.SIGNED.sha256)
