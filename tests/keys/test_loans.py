"""Loans and returns (K4), emergencies (K4), engineering-held keys (K5), seals (K2)."""

from datetime import timedelta

import pytest
import time_machine

from kiosk.extensions import db
from kiosk.keys import KeyRefused, loans, register
from kiosk.models import Occupancy, Role
from kiosk.models.keys import AnomalyKind, BorrowerKind, KeyAnomaly, KeyKind, KeyLoan, KeyState
from tests.keys import kit


def test_k4_loan_and_return_with_a_missing_key_is_an_anomaly_for_the_supervisor(world):
    key_set = kit.household_set(world, pieces=3)
    now = kit.at_local(0, 9)
    loan = kit.lend(world, key_set, now)
    assert key_set.state == KeyState.ON_LOAN and loan.pieces_out == 3
    with pytest.raises(KeyRefused) as refused:
        loans.receive(loan, world.users[Role.RECEPTIONIST], now + timedelta(hours=2), pieces_back=2, damaged=False)
    assert refused.value.reason == "note_required"  # a missing key must be described
    found = loans.receive(
        loan,
        world.users[Role.RECEPTIONIST],
        now + timedelta(hours=2),
        pieces_back=2,
        damaged=False,
        note="信箱钥匙未归还",
    )
    db.session.commit()
    assert [a.kind for a in found] == [AnomalyKind.MISSING]
    assert key_set.state == KeyState.IN_CABINET and loan.returned_at is not None
    assert loans.count_open_anomalies(world.site.id) == 1
    loans.resolve(found[0], world.users[Role.SUPERVISOR], now + timedelta(hours=3), "已找回")
    assert loans.count_open_anomalies(world.site.id) == 0
    with pytest.raises(KeyRefused):
        loans.receive(loan, world.users[Role.RECEPTIONIST], now, pieces_back=3, damaged=False)


def test_k4_a_damaged_key_is_an_anomaly_and_none_back_means_lost(world):
    first, second = kit.household_set(world, 0), kit.household_set(world, 1)
    now = kit.at_local(0, 9)
    found = loans.receive(
        kit.lend(world, first, now), world.users[Role.RECEPTIONIST], now, pieces_back=3, damaged=True, note="钥匙弯了"
    )
    assert [a.kind for a in found] == [AnomalyKind.DAMAGED]
    loans.receive(
        kit.lend(world, second, now), world.users[Role.RECEPTIONIST], now, pieces_back=0, damaged=False, note="全部丢失"
    )
    assert second.state == KeyState.LOST


def test_k4_a_loan_needs_borrower_purpose_signature_and_same_day_return(world):
    key_set = kit.household_set(world)
    now = kit.at_local(0, 9)
    for changes, reason in [
        (dict(signature=None), "signature_required"),
        (dict(purpose=" "), "purpose_required"),
        (dict(borrower_user=None), "borrower_required"),
        (dict(borrower_user=world.other_user), "borrower_required"),
        (dict(back_hour=8), "same_day"),
    ]:
        hour = changes.pop("back_hour", 18)
        with pytest.raises(KeyRefused) as refused:
            kit.lend(world, key_set, now, back_hour=hour, **changes)
        assert refused.value.reason == reason
    tomorrow = kit.at_local(1, 10)
    with pytest.raises(KeyRefused) as refused:
        kit.lend(world, key_set, now, expected_back_at=tomorrow)
    assert refused.value.reason == "same_day"
    loan = kit.lend(
        world,
        key_set,
        now,
        borrower_kind=BorrowerKind.CONTRACTOR,
        borrower_user=None,
        borrower_name="李师傅",
        company="顺达水电",
    )
    assert loan.borrower_name == "李师傅" and loan.company == "顺达水电"
    with pytest.raises(KeyRefused) as refused:
        kit.lend(world, key_set, now)
    assert refused.value.reason == "not_in_cabinet"  # it is out already


def test_k4_default_return_is_the_same_day(world):
    from datetime import time

    morning, late = kit.at_local(0, 9), kit.at_local(0, 21)
    assert loans.default_expected_back(morning, kit.TZ, time(20, 0)).astimezone(morning.tzinfo).hour == 20
    evening = loans.default_expected_back(late, kit.TZ, time(20, 0)).astimezone(late.tzinfo)
    assert evening.date() == late.date() and (evening.hour, evening.minute) == (23, 59)


def test_k4_overdue_loan_counted_with_a_frozen_clock(world):
    key_set = kit.household_set(world)
    morning = kit.at_local(0, 9)
    with time_machine.travel(morning, tick=False):
        kit.lend(world, key_set, morning, back_hour=18)
        db.session.commit()
        assert loans.count_overdue(world.site.id, None) == 0
    with time_machine.travel(kit.at_local(0, 18, 1), tick=False):
        assert loans.count_overdue(world.site.id, None) == 1
    with time_machine.travel(kit.at_local(1, 8), tick=False):
        assert loans.count_overdue(world.site.id, None) == 1  # not back by the end of the day


def test_k4_emergency_use_needs_a_manager_and_leaves_paperwork_owed(world):
    key_set = kit.household_set(world)
    now = kit.at_local(0, 3)
    desk = world.users[Role.DUTY_MANAGER]
    for approver in (None, world.users[Role.SUPERVISOR], desk):
        with pytest.raises(KeyRefused) as refused:
            loans.lend_emergency(
                key_set,
                desk,
                now,
                kit.TZ,
                reason="burst_pipe",
                approved_by=approver,
                borrower_kind=BorrowerKind.STAFF,
                borrower_user=world.users[Role.DEPARTMENT],
            )
        assert refused.value.reason == "manager_approval"
    loan = loans.lend_emergency(
        key_set,
        desk,
        now,
        kit.TZ,
        reason="burst_pipe",
        approved_by=world.users[Role.MANAGER],
        borrower_kind=BorrowerKind.STAFF,
        borrower_user=world.users[Role.DEPARTMENT],
    )
    db.session.commit()
    assert loan.emergency and loan.paperwork_owed and loan.signature_path is None
    assert key_set.state == KeyState.ON_LOAN
    assert loans.count_paperwork_owed(world.site.id) == 1
    with pytest.raises(KeyRefused):
        loans.complete_paperwork(loan, desk, now, purpose="楼上爆管", signature=None)
    loans.complete_paperwork(loan, desk, now + timedelta(hours=1), purpose="楼上爆管", signature=kit.SIGNED)
    assert not loan.paperwork_owed and loans.count_paperwork_owed(world.site.id) == 0


def test_k5_equipment_keys_held_by_engineering_are_not_lent_from_the_cabinet(world):
    now = kit.at_local(0, 9)
    with pytest.raises(KeyRefused) as refused:
        register.create_set(
            world.site.id,
            world.users[Role.SUPERVISOR],
            now,
            kind=KeyKind.HOUSEHOLD,
            hook="X",
            contents="门",
            pieces=1,
            room=world.rooms[0],
            engineering_held=True,
        )
    assert refused.value.reason == "engineering_equipment_only"
    pump = register.create_set(
        world.site.id,
        world.users[Role.SUPERVISOR],
        now,
        kind=KeyKind.EQUIPMENT,
        hook="E-1",
        contents="水泵房",
        pieces=1,
        place="水泵房",
        engineering_held=True,
    )
    with pytest.raises(KeyRefused) as refused:
        kit.lend(world, pump, now)
    assert refused.value.reason == "engineering_held"
    assert register.state_counts(world.site.id) == {"engineering": 1}
    assert register.cabinet_count(world.site.id) == 0


def test_k2_keys_of_a_vacant_unit_are_sealed_and_sealed_again_on_return(world):
    vacant = world.rooms[3]
    assert vacant.occupancy == Occupancy.ENTRUSTED
    with pytest.raises(KeyRefused) as refused:
        kit.household_set(world, 3)
    assert refused.value.reason == "seal_required"
    key_set = kit.household_set(world, 3, seal_number="S-0001")
    assert key_set.state == KeyState.SEALED and register.cabinet_count(world.site.id) == 1
    now = kit.at_local(0, 9)
    loan = kit.lend(world, key_set, now)
    with pytest.raises(KeyRefused) as refused:
        loans.receive(loan, world.users[Role.RECEPTIONIST], now, pieces_back=3, damaged=False)
    assert refused.value.reason == "seal_required"
    loans.receive(loan, world.users[Role.RECEPTIONIST], now, pieces_back=3, damaged=False, seal_number="S-0002")
    assert key_set.state == KeyState.SEALED and key_set.seal_number == "S-0002"


def test_k1_each_kind_names_its_place(world):
    now = kit.at_local(0, 9)
    boss = world.users[Role.SUPERVISOR]
    for kind, reason in [
        (KeyKind.HOUSEHOLD, "room_required"),
        (KeyKind.PUBLIC, "floor_required"),
        (KeyKind.EQUIPMENT, "place_required"),
    ]:
        with pytest.raises(KeyRefused) as refused:
            register.create_set(world.site.id, boss, now, kind=kind, hook="H", contents="门", pieces=1)
        assert refused.value.reason == reason
    assert register.label(kit.household_set(world, 1)) == "1-1-0201"
    assert register.label(kit.public_set(world, floor=5)) == "1#5F"
    assert db.session.query(KeyLoan).count() == 0 and db.session.query(KeyAnomaly).count() == 0


def test_k6_keys_go_to_the_owner_after_the_identity_check_signed_for(world):
    from kiosk.keys import owners
    from kiosk.models import HouseholdKind

    key_set = kit.household_set(world, 0)
    owner, other = world.households[0], world.households[1]
    now = kit.at_local(0, 10)
    desk = world.users[Role.RECEPTIONIST]
    options = dict(identity_checked=True, id_number="440305199001011234", signature=kit.SIGNED)
    for household, changes, reason in [
        (owner, dict(identity_checked=False), "identity_required"),
        (owner, dict(signature=None), "signature_required"),
        (other, {}, "not_this_room"),
    ]:
        with pytest.raises(KeyRefused) as refused:
            owners.hand_to_owner(key_set, desk, now, household=household, **{**options, **changes})
        assert refused.value.reason == reason
    owner.kind = HouseholdKind.TENANT
    with pytest.raises(KeyRefused) as refused:
        owners.hand_to_owner(key_set, desk, now, household=owner, **options)
    assert refused.value.reason == "owner_only"
    owner.kind = HouseholdKind.OWNER
    row = owners.hand_to_owner(key_set, desk, now, household=owner, **options)
    assert key_set.state == KeyState.WITH_OWNER and row.id_number_masked.endswith("1234")
    assert "19900101" not in row.id_number_masked
    assert register.cabinet_count(world.site.id) == 0
