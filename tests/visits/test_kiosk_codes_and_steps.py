"""The kiosk as a new user met it (issue 12): the host's pre-registration code (预约码)
and the check-out code (签离码) named apart, a check-out code typed into the welcome
box offered check-out; each step's fields checked on that step (V1, V4)."""

import re

import pytest
import sqlalchemy as sa

from kiosk.extensions import db
from kiosk.models import Visit
from tests.kiosk_helpers import enroll_kiosk, new_key, post, visit_data

CODE = re.compile(r"data-visit-code>(\w+)<")


@pytest.fixture
def kiosk(app, world, client):
    client.device = enroll_kiosk(client, world.site)
    return client


def _registered_code(kiosk, world):
    page = post(kiosk, "/kiosk/visits?lang=zh_Hans_CN", visit_data(world.rooms[0].id))
    assert page.status_code == 200
    return CODE.search(page.text).group(1)


def test_v4_the_two_codes_are_named_apart_and_leaving_is_qian_li(kiosk, world):
    welcome = kiosk.get("/kiosk/?lang=zh_Hans_CN").text
    assert "预约码" in welcome and "访客码" not in welcome and "签离" in welcome
    code = _registered_code(kiosk, world)
    waiting = kiosk.get(f"/kiosk/visits/{code}?lang=zh_Hans_CN").text
    assert "签离码" in waiting and "访客码" not in waiting
    checkout = kiosk.get("/kiosk/checkout?lang=zh_Hans_CN").text
    assert "签离码" in checkout and "离开登记" not in checkout
    english = kiosk.get("/kiosk/?lang=en").text
    assert "pre-registration code" in english and "Check out" in english


def test_v4_a_check_out_code_in_the_welcome_box_offers_check_out(kiosk, world):
    code = _registered_code(kiosk, world)
    offer = post(
        kiosk, "/kiosk/expected?lang=zh_Hans_CN", {"code": code.lower(), "idempotency_key": new_key(), "action_at": ""}
    )
    assert offer.status_code == 200 and "这是签离码" in offer.text and "重新登记" not in offer.text
    assert f'name="code" value="{code}"' in offer.text
    done = post(kiosk, "/kiosk/checkout?lang=zh_Hans_CN", {"code": code, "idempotency_key": new_key(), "action_at": ""})
    assert done.status_code == 200 and "签离完成" in done.text
    visit = db.session.scalar(sa.select(Visit).where(Visit.code == code))
    assert visit.departed_at is not None
    # Once left, the same code is no longer offered: an unknown pre-registration code.
    again = post(
        kiosk, "/kiosk/expected?lang=zh_Hans_CN", {"code": code, "idempotency_key": new_key(), "action_at": ""}
    )
    assert again.status_code == 422 and "这是签离码" not in again.text and "未找到此预约码" in again.text


def test_v1_the_about_step_is_checked_on_that_step(kiosk, world):
    """A bad phone is caught on the contact step, with the registration's own message."""
    bad = post(kiosk, "/kiosk/visit/check?lang=zh_Hans_CN", visit_data(world.rooms[0].id, phone="12345", privacy=""))
    assert bad.status_code == 422
    errors = bad.get_json()["errors"]
    assert set(errors) == {"phone"} and errors["phone"]
    registration = post(kiosk, "/kiosk/visits?lang=zh_Hans_CN", visit_data(world.rooms[0].id, phone="12345"))
    assert registration.status_code == 422 and errors["phone"] in registration.text  # the same rule, the same words
    good = post(kiosk, "/kiosk/visit/check?lang=zh_Hans_CN", visit_data(world.rooms[0].id, privacy=""))
    assert good.status_code == 204
    empty = post(kiosk, "/kiosk/visit/check?lang=en", visit_data(world.rooms[0].id, name="", phone="", privacy=""))
    assert set(empty.get_json()["errors"]) == {"name", "phone"}
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Visit)) == 0  # nothing stored


def test_v1_the_step_check_needs_the_kiosk(client, world):
    assert client.post("/kiosk/visit/check", data={"phone": "1"}).status_code in (400, 403)
