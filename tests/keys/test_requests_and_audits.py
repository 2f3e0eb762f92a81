"""Copy and replacement requests (K5) and the weekly audit (K3)."""

from datetime import timedelta

import pytest
import time_machine

from kiosk.accounts import create_user
from kiosk.extensions import db
from kiosk.keys import KeyRefused, audits, loans, requests
from kiosk.models import Role
from kiosk.models.keys import AnomalyKind, AuditResult, KeyAnomaly, KeyRequest, KeyState, RequestKind, RequestStatus
from tests.keys import kit


def test_k5_a_copy_refused_by_the_manager_changes_nothing(world):
    key_set = kit.household_set(world, pieces=2)
    now = kit.at_local(0, 9)
    row = requests.request(
        key_set, world.users[Role.RECEPTIONIST], now, kind=RequestKind.COPY, pieces=1, reason="业主委托多配一把"
    )
    with pytest.raises(KeyRefused) as refused:
        requests.decide(row, world.users[Role.MANAGER], now, approve=True, note=None)
    assert refused.value.reason == "request_state"  # the supervisor reviews first
    requests.review(row, world.users[Role.SUPERVISOR], now, support=True, note="情况属实")
    with pytest.raises(KeyRefused) as refused:
        requests.decide(row, world.users[Role.MANAGER], now, approve=False, note="")
    assert refused.value.reason == "reason_required"
    requests.decide(row, world.users[Role.MANAGER], now, approve=False, note="请业主本人到场办理")
    assert row.status == RequestStatus.REFUSED and key_set.pieces == 2
    with pytest.raises(KeyRefused):
        requests.complete(row, world.users[Role.RECEPTIONIST], now)


def test_k5_a_copy_approved_changes_the_register(world):
    key_set = kit.household_set(world, pieces=2)
    now = kit.at_local(0, 9)
    row = requests.request(key_set, world.users[Role.RECEPTIONIST], now, kind=RequestKind.COPY, pieces=1, reason="磨损")
    with pytest.raises(KeyRefused) as refused:
        requests.request(key_set, world.users[Role.RECEPTIONIST], now, kind=RequestKind.COPY, pieces=1, reason="再配")
    assert refused.value.reason == "request_open"
    requests.review(row, world.users[Role.SUPERVISOR], now, support=True, note=None)
    requests.decide(row, world.users[Role.MANAGER], now, approve=True, note=None)
    assert key_set.pieces == 2  # approved, not yet cut
    requests.complete(row, world.users[Role.RECEPTIONIST], now + timedelta(days=1))
    assert row.status == RequestStatus.DONE and key_set.pieces == 3


def test_k5_a_replacement_restores_a_lost_set(world):
    key_set = kit.household_set(world, pieces=2)
    now = kit.at_local(0, 9)
    loans.receive(
        kit.lend(world, key_set, now),
        world.users[Role.RECEPTIONIST],
        now,
        pieces_back=0,
        damaged=False,
        note="全部遗失",
    )
    assert key_set.state == KeyState.LOST
    row = requests.request(
        key_set, world.users[Role.SUPERVISOR], now, kind=RequestKind.REPLACE, pieces=2, reason="遗失补配"
    )
    second = create_user(world.site, "supervisor2", "主管二", Role.SUPERVISOR, "pw")
    requests.review(row, second, now, support=True, note=None)
    requests.decide(row, world.users[Role.MANAGER], now, approve=True, note=None)
    requests.complete(row, world.users[Role.RECEPTIONIST], now)
    assert key_set.state == KeyState.IN_CABINET and key_set.pieces == 2


def test_k5_nobody_approves_their_own_request(world):
    key_set = kit.household_set(world)
    now = kit.at_local(0, 9)
    boss, manager = world.users[Role.SUPERVISOR], world.users[Role.MANAGER]
    own = requests.request(key_set, boss, now, kind=RequestKind.COPY, pieces=1, reason="备用")
    with pytest.raises(KeyRefused) as refused:
        requests.review(own, boss, now, support=True, note=None)
    assert refused.value.reason == "own_request"
    with pytest.raises(KeyRefused) as refused:
        requests.review(own, world.users[Role.RECEPTIONIST], now, support=True, note=None)
    assert refused.value.reason == "not_reviewer"
    # the manager who reviewed cannot also approve
    requests.review(own, manager, now, support=True, note=None)
    with pytest.raises(KeyRefused) as refused:
        requests.decide(own, manager, now, approve=True, note=None)
    assert refused.value.reason == "own_review"
    by_manager = requests.request(
        kit.household_set(world, 1), manager, now, kind=RequestKind.COPY, pieces=1, reason="备用"
    )
    requests.review(by_manager, boss, now, support=True, note=None)
    with pytest.raises(KeyRefused) as refused:
        requests.decide(by_manager, manager, now, approve=True, note=None)
    assert refused.value.reason == "own_request"


def test_k5_self_approval_refused_from_the_console(client, world):
    key_set = kit.household_set(world)
    db.session.commit()
    client.login("supervisor")
    page = f"/console/keys/sets/{key_set.id}/request"
    assert client.post_form(page, {"kind": "copy", "pieces": "1", "reason": "备用"}, page=page).status_code == 303
    row = db.session.query(KeyRequest).one()
    response = client.post_form(
        f"/console/keys/requests/{row.id}/review", {"decision": "yes"}, page="/console/keys/requests"
    )
    assert response.status_code == 303
    assert db.session.get(KeyRequest, row.id).status == RequestStatus.REQUESTED
    client.login("manager")
    assert (
        client.post_form(
            f"/console/keys/requests/{row.id}/review", {"decision": "yes"}, page="/console/keys/requests"
        ).status_code
        == 303
    )
    assert db.session.get(KeyRequest, row.id).status == RequestStatus.REVIEWED
    client.login("reception")
    assert (
        client.post_form(
            f"/console/keys/requests/{row.id}/decide", {"decision": "yes"}, page="/console/keys/requests"
        ).status_code
        == 403
    )


def test_k3_weekly_audit_with_an_anomaly_and_the_next_due_a_week_later(world):
    present, missing, wrong = kit.household_set(world, 0), kit.household_set(world, 1), kit.household_set(world, 2)
    kit.public_set(world)
    now = kit.at_local(0, 10)
    with time_machine.travel(now, tick=False):
        assert audits.count_overdue(world.site.id) == 1  # never audited
        with pytest.raises(KeyRefused) as refused:
            audits.record(world.site.id, world.users[Role.OFFICER], now, now, {wrong.id: (AuditResult.MISMATCH, "")})
        assert refused.value.reason == "note_required"
        row = audits.record(
            world.site.id,
            world.users[Role.OFFICER],
            now - timedelta(minutes=20),
            now,
            {
                present.id: (AuditResult.PRESENT, None),
                wrong.id: (AuditResult.MISMATCH, "挂错挂钩，在A-9"),
            },
        )
        db.session.commit()
        assert (row.expected, row.found, row.anomalies) == (4, 1, 3)
        kinds = {a.key_set_id: a.kind for a in db.session.query(KeyAnomaly)}
        assert kinds[missing.id] == AnomalyKind.NOT_FOUND and kinds[wrong.id] == AnomalyKind.MISMATCH
        assert audits.next_due(world.site.id) == now + timedelta(days=7)
        assert audits.count_overdue(world.site.id) == 0
    with time_machine.travel(now + timedelta(days=7, minutes=1), tick=False):
        assert audits.count_overdue(world.site.id) == 1


def test_k3_the_officer_audits_on_the_tablet(client, world):
    present, missing = kit.household_set(world, 0), kit.household_set(world, 1)
    db.session.commit()
    client.login("officer")
    page = "/console/keys/audits/new"
    sheet = client.get(page).get_data(as_text=True)
    assert f"result-{present.id}" in sheet and f"result-{missing.id}" in sheet
    response = client.post_form(
        page,
        {f"result-{present.id}": "present", f"result-{missing.id}": "mismatch", f"note-{missing.id}": ""},
        page=page,
    )
    assert response.status_code == 422 and 'value="mismatch" checked' in response.get_data(as_text=True)
    response = client.post_form(page, {f"result-{present.id}": "present"}, page=page)
    assert response.status_code == 303
    client.login("manager")
    assert "/console/keys/anomalies" in client.get("/console/").get_data(as_text=True)  # anomalies reach the manager
    assert client.get(response.headers["Location"]).status_code == 200


def test_k3_officers_may_not_lend_keys(client, world):
    key_set = kit.household_set(world)
    db.session.commit()
    client.login("officer")
    assert client.get(f"/console/keys/sets/{key_set.id}/lend").status_code == 403
    assert client.get("/console/keys/audits").status_code == 200
