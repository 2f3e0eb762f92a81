"""The kiosk's "report a repair or a problem" (C1): it lands in the intake log with channel
kiosk, exactly once however often the outbox replays it, never shows a resident (V3), and
the front desk opens the work order from it (C10)."""

import sqlalchemy as sa

from kiosk.extensions import db
from kiosk.models import IdempotencyKey, Role
from kiosk.models.case_orders import WorkOrder
from kiosk.models.cases import Channel, Intake, IntakeStatus
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


# --- the optional photo (C1, V3, OFFLINE.md 4 and 7) -----------------------------------


def _jpeg(size=(2400, 1800), color=(200, 40, 40)) -> bytes:
    import io

    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", size, color).save(out, "JPEG")
    return out.getvalue()


def _with_photo(data: dict, photo: bytes, name="photo.jpg", mimetype="image/jpeg") -> dict:
    import io

    return {**data, "photo": (io.BytesIO(photo), name, mimetype)}


def test_c1_kiosk_report_with_a_photo_lands_once_when_replayed(client, world, app):
    """The same key sent twice (a double tap, then the outbox's replay) is one intake with
    one stored photo; the same key with another photo is refused (OFFLINE.md 4)."""
    from pathlib import Path

    from kiosk import photos

    enroll_kiosk(client, world.site)
    data, picture = _data(), _jpeg()
    for _ in range(2):
        response = post(client, "/kiosk/report/", _with_photo(data, picture))
        assert response.status_code == 200
        assert "received" in response.get_data(as_text=True) or "收到" in response.get_data(as_text=True)
    entries = db.session.scalars(sa.select(Intake)).all()
    assert len(entries) == 1 and entries[0].photo_path and entries[0].photo_sha256
    root = photos.root(app.config, app.instance_path)
    stored = [p for p in Path(root).rglob("*.jpg")]
    assert len(stored) == 1  # the replay stored no second file
    assert stored[0].read_bytes()[:2] == b"\xff\xd8"
    from PIL import Image

    with Image.open(stored[0]) as image:
        assert max(image.size) <= photos.MAX_SIDE  # the server shrinks again (photos.py)
    other = _jpeg(color=(10, 200, 10))
    changed = post(client, "/kiosk/report/", _with_photo(data, other))
    assert changed.status_code == 422
    assert db.session.scalar(sa.select(sa.func.count(Intake.id))) == 1
    assert len(list(Path(root).rglob("*.jpg"))) == 1  # the refused photo's file is gone


def test_c1_kiosk_report_refuses_a_non_image_or_an_oversize_photo_keeping_the_text(client, world):
    from kiosk import photos

    enroll_kiosk(client, world.site)
    data = _data(content="阳台灯坏了")
    not_image = post(
        client, "/kiosk/report/", _with_photo(data, b"%PDF-1.4 not a photo", "scan.pdf", "application/pdf")
    )
    page = not_image.get_data(as_text=True)
    assert not_image.status_code == 422
    assert "阳台灯坏了" in page and "13900001234" in page and "1-1-0201" in page  # nothing typed is lost
    assert "JPEG" in page  # the message names what is accepted
    assert 'data-current-step="what"' in page  # the form opens on the photo's step
    too_big = post(client, "/kiosk/report/", _with_photo(data, b"\xff\xd8" + b"0" * (photos.MAX_BYTES + 10)))
    assert too_big.status_code == 422 and "8 MB" in too_big.get_data(as_text=True)
    assert "阳台灯坏了" in too_big.get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count(Intake.id))) == 0


def test_c1_kiosk_report_bad_phone_reopens_the_first_step(client, world):
    """The phone is checked by the same rule on the step (the input's pattern) and on the server."""
    from kiosk.blueprints.cases_kiosk.forms import PHONE_PATTERN

    enroll_kiosk(client, world.site)
    form = client.get("/kiosk/report/").get_data(as_text=True)
    assert f'pattern="{PHONE_PATTERN}"' in form and 'enctype="multipart/form-data"' in form
    response = post(client, "/kiosk/report/", _data(phone="12ab", step="what"))
    page = response.get_data(as_text=True)
    assert response.status_code == 422 and 'data-current-step="where"' in page and "卫生间漏水" in page


def test_v3_kiosk_report_pages_show_no_resident(client, world):
    """V3: the form, its language switch, the thank-you and the queued screen name no resident."""
    enroll_kiosk(client, world.site)
    pages = [
        client.get("/kiosk/report/?lang=zh_Hans_CN"),
        client.get("/kiosk/report/?lang=en"),
        post(client, "/kiosk/report/relang?lang=en", _data()),
        client.get("/kiosk/queued/report?lang=zh_Hans_CN"),
        post(client, "/kiosk/report/", _data()),
    ]
    for response in pages:
        assert response.status_code == 200
        text = response.get_data(as_text=True)
        for household in world.households:
            assert household.name not in text and household.phone not in text
    relang = pages[2].get_data(as_text=True)
    assert "卫生间漏水" in relang and "Send the report" in relang  # the switch keeps what was typed
    assert "queued" in client.get("/kiosk/queued/report?lang=en").get_data(as_text=True)


def test_c1_intake_photo_is_shown_to_staff_audited_and_refused_elsewhere(client, world, app):
    from kiosk.models import AuditEvent

    enroll_kiosk(client, world.site)
    post(client, "/kiosk/report/", _with_photo(_data(), _jpeg()))
    entry = db.session.scalar(sa.select(Intake))
    url = f"/console/cases/intake/{entry.id}/photo"
    anonymous = app.test_client()
    assert anonymous.get(url).status_code in (302, 401, 403)
    client.login("reception")
    detail = client.get(f"/console/cases/intake/{entry.id}").get_data(as_text=True)
    assert f'src="{url}"' in detail
    photo = client.get(url)
    assert photo.status_code == 200 and photo.mimetype == "image/jpeg"
    assert "no-store" in photo.headers["Cache-Control"]
    views = db.session.scalars(sa.select(AuditEvent).where(AuditEvent.action == "intake.photo_viewed")).all()
    assert len(views) == 1 and views[0].entity_id == str(entry.id)
    assert views[0].user_id == world.users[Role.RECEPTIONIST].id
    client.get(url)
    assert (
        db.session.scalar(sa.select(sa.func.count(AuditEvent.id)).where(AuditEvent.action == "intake.photo_viewed"))
        == 2
    )
    elsewhere = app.test_client()
    elsewhere.login("elsewhere")
    assert elsewhere.get(url).status_code == 404
