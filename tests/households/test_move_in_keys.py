"""K6 end to end: the move-in's key step hands the room's key sets to the owner through the key
register (identity checked first, one drawn signature, "with the owner", a handover record each)."""

import pytest
import sqlalchemy as sa

from kiosk.extensions import db
from kiosk.households import identity
from kiosk.households import move_in as flow
from kiosk.keys import owners, register
from kiosk.models import Role
from kiosk.models.audit import AuditEvent
from kiosk.models.households import MoveIn
from kiosk.models.keys import KeySet, KeyState, OwnerHandover
from kiosk.timeutil import utcnow
from tests.keys import kit


def _started(hh, file, *, identity_checked=True):
    user = hh.user(Role.RECEPTIONIST)
    move_in = flow.start(file, user)
    if identity_checked:
        flow.record_identity(move_in, identity.verify(file.household, user, "id_card"))
    db.session.commit()
    return move_in


def _keys_step(client, file, move_in, signature=None):
    page = f"/console/households/{file.id}/move-in"
    db.session.expire_all()
    version = db.session.get(MoveIn, move_in.id).version
    return client.post_form(
        f"/console/households/move-ins/{move_in.id}/keys",
        {"version": version, "signature": signature or kit.signature_url()},
        page=page,
    )


def test_k6_move_in_hands_the_rooms_key_sets_to_the_owner_through_the_register(app, hh, client):
    file = hh.files[0]
    unit = kit.household_set(hh, room_index=0, pieces=3)
    mailbox = kit.household_set(hh, room_index=0, pieces=1)
    register.seal(mailbox, "F-0001", hh.user(Role.SUPERVISOR), utcnow())
    other_room = kit.household_set(hh, room_index=1)
    db.session.commit()
    move_in = _started(hh, file)
    client.login("reception")
    page = f"/console/households/{file.id}/move-in"
    before = client.get(page).get_data(as_text=True)
    assert unit.hook in before and mailbox.hook in before and other_room.hook not in before

    assert _keys_step(client, file, move_in).status_code == 303

    db.session.expire_all()
    row = db.session.get(MoveIn, move_in.id)
    handed = db.session.scalars(sa.select(OwnerHandover).order_by(OwnerHandover.id)).all()
    assert [h.key_set_id for h in handed] == [unit.id, mailbox.id]
    assert {h.household_id for h in handed} == {file.household_id}
    assert {h.signature_sha256 for h in handed} == {row.keys_signature_sha256} and row.keys_signed_at
    assert {h.handed_by_id for h in handed} == {hh.user(Role.RECEPTIONIST).id}
    assert [h.pieces for h in handed] == [3, 1]
    assert row.key_handover_ref == ",".join(f"KH-{h.id}" for h in handed)
    states = {s.id: (s.state, s.seal_number) for s in db.session.scalars(sa.select(KeySet))}
    assert states[unit.id] == (KeyState.WITH_OWNER, None)
    assert states[mailbox.id] == (KeyState.WITH_OWNER, None)  # the seal is broken for the owner
    assert states[other_room.id][0] == KeyState.IN_CABINET  # another room's keys stay put
    actions = db.session.scalars(sa.select(AuditEvent.action)).all()
    assert actions.count("keys.handed_to_owner") == 2 and "move_in.key_handover_linked" in actions
    after = client.get(page).get_data(as_text=True)
    assert f"KH-{handed[0].id}" in after and f"KH-{handed[1].id}" in after and "业主持有" in after
    # The key register shows the set with the owner.
    assert client.get(f"/console/keys/sets/{unit.id}").status_code == 200


def test_k6_move_in_keys_refused_while_a_set_of_the_room_is_on_loan(app, hh, client):
    file = hh.files[0]
    in_cabinet = kit.household_set(hh, room_index=0)
    out = kit.household_set(hh, room_index=0)
    kit.lend(hh, out, kit.at_local(0, 9), back_hour=23)  # on loan since 9:00, back by 23:00 (any clock)
    db.session.commit()
    move_in = _started(hh, file)
    client.login("reception")
    response = _keys_step(client, file, move_in)
    assert response.status_code == 422
    assert "请先收回" in response.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(MoveIn, move_in.id).keys_signed_at is None
    assert db.session.get(KeySet, in_cabinet.id).state == KeyState.IN_CABINET  # nothing handed
    assert db.session.scalar(sa.select(sa.func.count(OwnerHandover.id))) == 0


def test_k6_keys_not_handed_to_a_tenant(app, hh, client):
    tenant_file = hh.files[3]  # the tenant of room 0
    key_set = kit.household_set(hh, room_index=0)
    db.session.commit()
    move_in = _started(hh, tenant_file)
    client.login("reception")
    assert _keys_step(client, tenant_file, move_in).status_code == 422
    db.session.expire_all()
    assert db.session.get(KeySet, key_set.id).state == KeyState.IN_CABINET
    assert db.session.get(MoveIn, move_in.id).keys_signed_at is None


def test_k6_keys_need_the_identity_check_before_the_register_is_touched(app, hh):
    file = hh.files[0]
    key_set = kit.household_set(hh, room_index=0)
    move_in = _started(hh, file, identity_checked=False)
    with pytest.raises(flow.Incomplete) as incomplete:
        flow.sign_keys(move_in, file, kit.SIGNED, hh.user(Role.RECEPTIONIST))
    assert incomplete.value.steps == ["identity"]
    assert key_set.state == KeyState.IN_CABINET


def test_k6_a_room_without_sets_in_the_register_keeps_the_signature_on_the_move_in(app, hh):
    file = hh.files[2]
    move_in = _started(hh, file)
    assert flow.sign_keys(move_in, file, kit.SIGNED, hh.user(Role.RECEPTIONIST)) == []
    assert move_in.keys_signed_at and move_in.key_handover_ref is None


def test_k6_sets_already_with_the_owner_are_not_handed_twice(app, hh):
    file = hh.files[0]
    key_set = kit.household_set(hh, room_index=0)
    user = hh.user(Role.RECEPTIONIST)
    first = _started(hh, file)
    assert len(flow.sign_keys(first, file, kit.SIGNED, user)) == 1
    assert key_set.state == KeyState.WITH_OWNER
    assert owners.hand_room_to_owner(file.household, user, utcnow(), identity_checked=True, signature=kit.SIGNED) == []
    assert db.session.scalar(sa.select(sa.func.count(OwnerHandover.id))) == 1
