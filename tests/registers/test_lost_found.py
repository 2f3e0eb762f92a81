"""Lost and found (V5): logged with where, when, by whom, a photo and the storage place;
leaves the desk claimed (identity checked, signed), to the police, or disposed of after
the keeping period, with who and when."""

from datetime import timedelta

import pytest
import sqlalchemy as sa
import time_machine

from kiosk.extensions import db
from kiosk.models import Role
from kiosk.models.registers import FoundItem, FoundStatus
from kiosk.registers import lost_found, pending
from kiosk.registers.common import Refused
from kiosk.timeutil import utcnow
from tests.registers.helpers import jpeg_bytes, signature_url

BASE = "/console/registers"


def _found(world, days_ago=0, description="黑色雨伞"):
    now = utcnow()
    item = lost_found.record(
        world.site.id,
        description=description,
        found_place="大堂沙发",
        found_at=now - timedelta(days=days_ago),
        found_by="保洁 王阿姨",
        storage_place="前台 2 号抽屉",
        by=world.user(Role.RECEPTIONIST),
        now=now,
    )
    db.session.commit()
    return item


def test_v5_a_found_item_is_logged_with_a_checked_photo(client, world):
    client.login("reception")
    from io import BytesIO

    local = (utcnow()).astimezone(__import__("zoneinfo").ZoneInfo(world.site.timezone)).strftime("%Y-%m-%dT%H:%M")
    data = {
        "description": "蓝色钱包",
        "found_place": "电梯厅",
        "found_at": local,
        "found_by": "保安 小李",
        "storage_place": "保险柜",
        "photo": (BytesIO(jpeg_bytes()), "wallet.jpg"),
    }
    response = client.post_form(f"{BASE}/found/new", data, content_type="multipart/form-data")
    assert response.status_code == 303
    item = db.session.scalars(sa.select(FoundItem)).one()
    assert item.photo_path and item.photo_sha256 and item.storage_place == "保险柜"
    photo = client.get(f"{BASE}/found/{item.id}/photo")
    assert photo.status_code == 200 and photo.mimetype == "image/jpeg"
    assert photo.headers["Cache-Control"] == "private, no-store"


def test_v5_an_upload_that_is_not_a_photo_is_refused_with_input_kept(client, world):
    from io import BytesIO

    client.login("reception")
    local = utcnow().astimezone(__import__("zoneinfo").ZoneInfo(world.site.timezone)).strftime("%Y-%m-%dT%H:%M")
    data = {
        "description": "蓝色钱包",
        "found_place": "电梯厅",
        "found_at": local,
        "found_by": "保安 小李",
        "storage_place": "保险柜",
        "photo": (BytesIO(b"<html>not a photo</html>"), "x.jpg"),
    }
    response = client.post_form(f"{BASE}/found/new", data, content_type="multipart/form-data")
    assert response.status_code == 422 and "蓝色钱包" in response.get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count(FoundItem.id))) == 0


def test_v5_a_claim_needs_the_identity_checked_and_a_signature(client, world):
    item = _found(world)
    client.login("reception")
    url = f"{BASE}/found/{item.id}/claim"
    unchecked = client.post_form(
        url, {"claimant_name": "赵先生", "id_number": "110105199001011234", "signature": signature_url()}
    )
    assert unchecked.status_code == 422 and "请先核验" in unchecked.get_data(as_text=True)
    unsigned = client.post_form(url, {"claimant_name": "赵先生", "id_number": "110105199001011234", "id_checked": "y"})
    assert unsigned.status_code == 422
    ok = client.post_form(
        url,
        {"claimant_name": "赵先生", "id_number": "110105199001011234", "id_checked": "y", "signature": signature_url()},
    )
    assert ok.status_code == 303
    db.session.refresh(item)
    assert item.status == FoundStatus.CLAIMED and item.claimant_id_masked == "110105********1234"
    assert item.signature_sha256 and item.closed_by_id == world.user(Role.RECEPTIONIST).id
    # S2: signed, it is not claimed again
    again = client.post_form(
        url,
        {"claimant_name": "别人", "id_number": "110105199001019999", "id_checked": "y", "signature": signature_url()},
    )
    assert again.status_code == 303
    db.session.refresh(item)
    assert item.claimant_name == "赵先生"


def test_v5_disposal_only_after_the_keeping_period_police_at_any_time(world):
    fresh, old, valuable = _found(world), _found(world, days_ago=100), _found(world, description="金项链")
    desk = world.user(Role.RECEPTIONIST)
    with pytest.raises(Refused) as refused:
        lost_found.close(fresh, FoundStatus.DISPOSED, "丢弃", desk, utcnow())
    assert refused.value.reason == "too_early"
    lost_found.close(old, FoundStatus.DISPOSED, "按规定报废", desk, utcnow())
    lost_found.close(valuable, FoundStatus.POLICE, "移交翠湖派出所，回执 0012", desk, utcnow())
    db.session.commit()
    assert (old.status, valuable.status) == (FoundStatus.DISPOSED, FoundStatus.POLICE)
    assert valuable.closed_by_id == desk.id and valuable.closed_at is not None
    with time_machine.travel(utcnow() + timedelta(days=91), tick=False):
        lost_found.close(fresh, FoundStatus.DISPOSED, "按规定报废", desk, utcnow())
    assert fresh.status == FoundStatus.DISPOSED


def test_v5_unclaimed_items_are_listed_by_age(client, world):
    newer, older = _found(world, days_ago=2, description="雨伞"), _found(world, days_ago=20, description="水杯")
    claimed = _found(world, days_ago=5, description="钥匙串")
    lost_found.close(claimed, FoundStatus.POLICE, "派出所", world.user(Role.RECEPTIONIST), utcnow())
    db.session.commit()
    assert [i.id for i in lost_found.unclaimed(world.site.id)] == [older.id, newer.id]
    client.login("reception")
    page = client.get(f"{BASE}/found/").get_data(as_text=True)
    assert page.index("水杯") < page.index("雨伞")
    assert [p.record_id for p in pending(world.site.id, utcnow()) if p.register == "found"] == [newer.id]
    client.login("elsewhere")
    assert client.get(f"{BASE}/found/{older.id}").status_code == 404
