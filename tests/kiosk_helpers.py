"""Helpers for the kiosk and lobby tests: an enrolled kiosk client, device headers."""

import uuid

from kiosk.access import DEVICE_COOKIE
from kiosk.extensions import db
from kiosk.models import DeviceKind
from kiosk.offline import devices
from kiosk.timeutil import utcnow

DEVICE_HEADERS = {"X-Device-Request": "1", "Origin": "http://localhost", "HX-Request": "true"}


def enroll_kiosk(client, site, name="Lobby kiosk"):
    """Enroll a kiosk for `site` and put its credential in `client`; returns the Device."""
    device, token = devices.create_enrollment(site, DeviceKind.KIOSK, name, now=utcnow())
    device, credential = devices.enroll(token, now=utcnow())
    db.session.commit()
    client.set_cookie(DEVICE_COOKIE, credential)
    return device


def new_key() -> str:
    return str(uuid.uuid4())


def visit_data(room_id, **overrides):
    data = {
        "room": str(room_id),
        "room_number": "",
        "building": "",
        "name": "访客甲",
        "phone_country": "+86",
        "phone": "13900001234",
        "party_size": "1",
        "purpose": "visit",
        "plate": "",
        "privacy": "accepted",
        "idempotency_key": new_key(),
        "action_at": "",
    }
    data.update(overrides)
    return data


def post(client, url, data, **headers):
    return client.post(url, data=data, headers={**DEVICE_HEADERS, **headers})
