"""The handover console between two accounts (H1), signed logs refused edits (S2), lists."""

import pytest

from kiosk.extensions import db
from kiosk.models import Role
from kiosk.models.handover import ShiftEntry, ShiftLog, ShiftStatus
from tests.keys import kit
from tests.statements import recorded_statements


def _current(client):
    return client.get("/console/handover/")


def test_h1_handover_between_two_accounts_refused_then_accepted(client, world):
    kit.household_set(world, 0)
    db.session.commit()
    assert client.login("reception").status_code == 303
    assert client.post_form("/console/handover/open").status_code == 303
    log = db.session.query(ShiftLog).one()
    page = f"/console/handover/logs/{log.id}"
    assert (
        client.post_form(f"{page}/entries", {"kind": "event", "text": "快递柜故障，已报修"}, page=page).status_code
        == 303
    )
    empty = client.post_form(f"{page}/entries", {"kind": "event", "text": ""}, page=page)
    assert empty.status_code == 422
    unsigned = client.post_form(f"{page}/sign", page=page)  # H1: the outgoing signs on the pad
    assert unsigned.status_code == 422 and "请在框内签名" in unsigned.get_data(as_text=True)
    assert db.session.get(ShiftLog, log.id).status == ShiftStatus.OPEN
    assert client.post_form(f"{page}/sign", {"signature": kit.signature_url()}, page=page).status_code == 303
    refused_edit = client.post_form(f"{page}/entries", {"kind": "event", "text": "补记一条"}, page=page)
    assert refused_edit.status_code == 422 and "补记一条" in refused_edit.get_data(as_text=True)  # S2, input kept
    assert db.session.query(ShiftEntry).count() == 1
    client.post_form("/auth/logout", page=page)

    assert client.login("duty").status_code == 303
    body = client.get(page).get_data(as_text=True)
    assert "快递柜故障" in body and "keys_counted" in body
    assert client.post_form(f"{page}/refuse", {"questions": "钥匙柜钥匙数量不对？"}, page=page).status_code == 303
    assert db.session.get(ShiftLog, log.id).status == ShiftStatus.REFUSED
    client.post_form("/auth/logout", page=page)

    assert client.login("supervisor").status_code == 303
    assert "/console/handover/logs" in client.get("/console/").get_data(
        as_text=True
    )  # refusal on the supervisor's home
    client.post_form("/auth/logout", page=page)

    assert client.login("reception").status_code == 303
    assert client.post_form(f"{page}/answer", {"text": "已核对，共1套"}, page=page).status_code == 303
    assert client.post_form(f"{page}/sign", {"signature": kit.signature_url()}, page=page).status_code == 303
    client.post_form("/auth/logout", page=page)

    assert client.login("duty").status_code == 303
    unchecked = client.post_form(f"{page}/accept", {"keys_counted": "1"}, page=page)
    assert unchecked.status_code == 422  # equipment not checked together
    mismatch = client.post_form(
        f"{page}/accept", {"equipment_checked": "y", "keys_counted": "2", "mismatch_note": ""}, page=page
    )
    assert mismatch.status_code == 422
    unsigned = client.post_form(f"{page}/accept", {"equipment_checked": "y", "keys_counted": "1"}, page=page)
    assert unsigned.status_code == 422 and "请在框内签名" in unsigned.get_data(as_text=True)
    assert 'name="keys_counted"' in unsigned.get_data(as_text=True)  # input kept
    accepted = {"equipment_checked": "y", "keys_counted": "1", "signature": kit.signature_url()}
    assert client.post_form(f"{page}/accept", accepted, page=page).status_code == 303
    log = db.session.get(ShiftLog, log.id)
    assert log.status == ShiftStatus.ACCEPTED and log.incoming_id == world.users[Role.DUTY_MANAGER].id
    # Both drawn signatures stored, shown on the log and served back (each look audited).
    assert log.outgoing_signature_sha256 and log.incoming_signature_sha256
    body = client.get(page).get_data(as_text=True)
    for who in ("outgoing", "incoming"):
        assert f"{page}/signatures/{who}.png" in body
        image = client.get(f"{page}/signatures/{who}.png")
        assert image.status_code == 200 and image.mimetype == "image/png"
        assert image.headers["Cache-Control"] == "private, no-store"
    from kiosk.models.audit import AuditEvent

    assert db.session.query(AuditEvent).filter_by(action="handover.signature_viewed").count() == 2
    assert client.post_form(f"{page}/remarks", {"text": "经理已阅"}, page=page).status_code == 303
    assert (
        db.session.query(ShiftLog).filter_by(status=ShiftStatus.OPEN).one().outgoing_id
        == world.users[Role.DUTY_MANAGER].id
    )


def test_h1_handover_pages_are_scoped_to_the_site(client, world):
    from kiosk.handover import shifts

    log = shifts.open_log(world.site.id, world.users[Role.RECEPTIONIST], kit.at_local(0, 9), kit.TZ)
    db.session.commit()
    client.login("elsewhere")
    assert client.get(f"/console/handover/logs/{log.id}").status_code == 404
    assert "open_shift" not in _current(client).get_data(as_text=True)


def test_h1_only_the_manager_or_duty_head_signs_a_day(client, world):
    client.login("supervisor")
    day = kit.at_local(-1, 9).date().isoformat()
    assert client.post_form(f"/console/handover/days/{day}/sign").status_code == 403
    client.login("manager")
    assert client.get("/console/handover/days").status_code == 200


@pytest.mark.parametrize("url", ["/console/handover/logs", "/console/handover/days", "/console/handover/"])
def test_handover_lists_send_as_many_statements_for_many_logs_as_for_few(client, world, url):
    from kiosk.handover import shifts

    users = [world.users[Role.RECEPTIONIST], world.users[Role.DUTY_MANAGER]]

    def add(n):
        for i in range(n):
            log = shifts.current_log(world.site.id) or shifts.open_log(
                world.site.id, users[i % 2], kit.at_local(-i % 5, 9), kit.TZ
            )
            shifts.add_entry(log, db.session.get(type(users[0]), log.outgoing_id), kit.at_local(0, 9), f"记录{i}")
            shifts.sign(log, db.session.get(type(users[0]), log.outgoing_id), kit.at_local(0, 9), signature=kit.SIGNED)
            incoming = users[0] if log.outgoing_id == users[1].id else users[1]
            shifts.accept(
                log, incoming, kit.at_local(0, 9), kit.TZ, signature=kit.SIGNED, equipment_checked=True, keys_counted=0
            )
        db.session.commit()

    client.login("manager")
    add(2)
    with recorded_statements() as few:
        assert client.get(url).status_code == 200
    add(10)
    with recorded_statements() as many:
        assert client.get(url).status_code == 200
    assert len(few) == len(many)
