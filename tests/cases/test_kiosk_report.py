"""The kiosk's "report a repair or a problem" (C1): it lands in the intake log with channel
kiosk, exactly once however often the outbox replays it, never shows a resident (V3), and
the front desk opens the work order from it (C10)."""

import sqlalchemy as sa

from kiosk.extensions import db
from kiosk.models import IdempotencyKey
from kiosk.models.cases import Channel, Intake, IntakeStatus, WorkOrder
from tests.kiosk_helpers import enroll_kiosk, new_key, post


def _data(**overrides):
    data = {
        "kind": "repair",
        "room": "1-1-0201",
        "phone": "13900001234",
        "content": "卫生间漏水",
        "idempotency_key": new_key(),
        "action_at": "",
    }
    data.update(overrides)
    return data


def test_c1_kiosk_report_arrives_exactly_once_when_replayed(client, world):
    enroll_kiosk(client, world.site)
    form = client.get("/kiosk/report/")
    assert form.status_code == 200
    assert "李四" not in form.get_data(as_text=True)  # V3: no resident on the kiosk
    data = _data()
    for _ in range(3):  # a double tap, then the outbox replaying after the network came back
        response = post(client, "/kiosk/report/", data)
        assert response.status_code == 200
    entries = db.session.scalars(sa.select(Intake)).all()
    assert len(entries) == 1
    entry = entries[0]
    assert entry.channel == Channel.KIOSK and entry.status == IntakeStatus.OPEN
    assert entry.room_id == world.rooms[1].id and entry.received_by_id is None
    assert db.session.scalar(sa.select(sa.func.count(IdempotencyKey.id))) == 1
    changed = post(client, "/kiosk/report/", {**data, "content": "别的内容"})
    assert changed.status_code == 422  # the same key with other details is refused


def test_c1_kiosk_report_unknown_room_is_422_with_input_kept(client, world):
    enroll_kiosk(client, world.site)
    response = post(client, "/kiosk/report/", _data(room="9-9-9999"))
    assert response.status_code == 422 and "9-9-9999" in response.get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count(Intake.id))) == 0


def test_c1_kiosk_report_device_time_is_the_time_of_the_report(client, world):
    from datetime import timedelta

    from kiosk.timeutil import utcnow

    enroll_kiosk(client, world.site)
    made = utcnow() - timedelta(hours=2)
    post(client, "/kiosk/report/", _data(action_at=made.isoformat()))
    entry = db.session.scalar(sa.select(Intake))
    assert abs((entry.received_at - made).total_seconds()) < 1


def test_c10_front_desk_opens_the_work_order_from_a_kiosk_repair(client, world):
    enroll_kiosk(client, world.site)
    post(client, "/kiosk/report/", _data())
    entry = db.session.scalar(sa.select(Intake))
    client.cookie_jar.clear() if hasattr(client, "cookie_jar") else None
    client.login("reception")
    page = f"/console/cases/intake/{entry.id}"
    assert "13900001234" not in client.get(page).get_data(as_text=True)
    response = client.post_form(f"{page}/route", {"category": "plumbing"})
    assert response.status_code == 303
    order = db.session.scalar(sa.select(WorkOrder))
    assert order.intake_id == entry.id and order.room_id == world.rooms[1].id
    db.session.expire_all()
    assert db.session.get(Intake, entry.id).status == IntakeStatus.ROUTED
    again = client.post_form(f"{page}/route", {"category": "plumbing"})
    assert again.status_code == 422
