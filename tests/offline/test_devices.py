"""Enrolling, authenticating and revoking kiosks and tablets (OFFLINE.md 6)."""

import re

import sqlalchemy as sa
from flask import g

from kiosk.access import DEVICE_COOKIE, DEVICE_HEADER, device
from kiosk.extensions import db
from kiosk.models import AuditEvent, Device, DeviceKind


def _create(client, name="Lobby kiosk 1", kind="kiosk"):
    client.login("supervisor")
    response = client.post_form("/devices/", {"name": name, "kind": kind})
    assert response.status_code == 303
    page = client.get(response.headers["Location"])
    path = re.search(r"(/devices/enroll/[A-Za-z0-9_-]+)", page.text).group(1)
    return path, page


def _enroll(client, path):
    token = client.csrf(path)
    return client.post(path, data={"csrf_token": token})


def test_a_supervisor_creates_a_one_time_link_shown_once(world, client):
    path, page = _create(client)
    assert "<svg" in page.text  # QR code of the link
    again = client.get(page.request.path)
    assert path not in again.text


def test_enrolling_sets_a_credential_and_ends_the_staff_session(world, client):
    path, _page = _create(client)
    response = _enroll(client, path)
    assert response.status_code == 303
    cookie = client.get_cookie(DEVICE_COOKIE)
    assert cookie is not None and cookie.http_only and cookie.same_site == "Strict"
    assert client.get("/console/").status_code == 302  # signed out
    device_row = db.session.scalar(sa.select(Device))
    assert device_row.enrolled_at is not None and device_row.enrollment_token_hash is None
    assert cookie.value not in (device_row.credential_hash or "")  # only a hash is stored


def test_an_enrollment_link_works_once(world, client):
    path, _page = _create(client)
    _enroll(client, path)
    assert _enroll(client, path).status_code == 410


def _device_app(app):
    def ping():
        return f"device {g.device.id}"

    def write():
        return "written", 201

    app.add_url_rule("/d/ping", "d_ping", device(DeviceKind.KIOSK)(ping))
    app.add_url_rule("/d/write", "d_write", device(DeviceKind.KIOSK)(write), methods=["POST"])


def test_device_routes_need_an_enrolled_device(app, world, client):
    _device_app(app)
    page = client.get("/d/ping?lang=en")
    assert page.status_code == 403
    assert "This device is not enrolled" in page.text
    path, _ = _create(client)
    _enroll(client, path)
    assert client.get("/d/ping").status_code == 200


def test_device_writes_need_the_header_and_same_origin_but_no_csrf(app, world, client):
    _device_app(app)
    path, _ = _create(client)
    _enroll(client, path)
    assert client.post("/d/write").status_code == 403  # no custom header
    cross = client.post("/d/write", headers={DEVICE_HEADER: "1", "Origin": "https://evil.example"})
    assert cross.status_code == 403
    ok = client.post("/d/write", headers={DEVICE_HEADER: "1", "Origin": "http://localhost"})
    assert ok.status_code == 201


def test_a_revoked_device_is_refused_at_once(app, world, client):
    _device_app(app)
    path, _ = _create(client)
    _enroll(client, path)
    credential = client.get_cookie(DEVICE_COOKIE).value
    staff = app.test_client()  # a second browser: the supervisor's console
    staff.login("supervisor")
    device_row = db.session.scalar(sa.select(Device))
    assert staff.post_form(f"/devices/{device_row.id}/revoke").status_code == 303
    client.set_cookie(DEVICE_COOKIE, credential)
    assert client.get("/d/ping").status_code == 403
    actions = db.session.scalars(sa.select(AuditEvent.action).where(AuditEvent.entity_type == "Device")).all()
    assert actions == ["device.enrollment_created", "device.enrolled", "device.revoked"]


def test_device_list_is_scoped_to_the_site(world, client):
    other = Device(site=world.other_site, kind=DeviceKind.KIOSK, name="Elsewhere kiosk")
    db.session.add(other)
    db.session.commit()
    client.login("supervisor")
    assert "Elsewhere kiosk" not in client.get("/devices/").text
    assert client.get(f"/devices/{other.id}/enrollment").status_code == 404
    assert client.post_form(f"/devices/{other.id}/revoke").status_code == 404


def test_device_name_is_required_with_a_message(world, client):
    client.login("supervisor")
    response = client.post_form("/devices/?lang=en", {"name": "", "kind": "kiosk"})
    assert response.status_code == 422
    assert "Please name the device" in response.text


def _devices_on_page(html):
    return re.findall(r'data-device="(\d+)"', html)


def test_device_list_is_paged_newest_first_and_its_poll_keeps_the_page(world, client):
    """A group with many kiosks and tablets: the polled list shows one bounded page at a time
    (keyset, newest first), the poll refreshes the page being looked at, and the statements
    sent do not grow with the number of devices."""
    from datetime import timedelta

    from kiosk.blueprints.devices.routes import PAGE_SIZE
    from kiosk.timeutil import utcnow
    from tests.statements import recorded_statements

    start = utcnow() - timedelta(days=30)

    def add(count, offset):
        for i in range(count):
            db.session.add(
                Device(
                    site=world.site,
                    kind=DeviceKind.TABLET,
                    name=f"平板 {offset + i:03d}",
                    created_at=start + timedelta(minutes=offset + i),
                )
            )
        db.session.commit()

    add(3, 0)
    client.login("supervisor")
    with recorded_statements() as few:
        client.get("/devices/")
    add(PAGE_SIZE + 2, 3)
    with recorded_statements() as many:
        first = client.get("/devices/").text
    assert len(many) == len(few)

    newest = db.session.scalars(sa.select(Device.id).order_by(Device.created_at.desc(), Device.id.desc())).all()
    shown = _devices_on_page(first)
    assert shown == [str(i) for i in newest[:PAGE_SIZE]]
    older = re.search(r'href="(/devices/\?cursor=[^"]+)"', first).group(1).replace("&amp;", "&")
    second = client.get(older).text
    assert _devices_on_page(second) == [str(i) for i in newest[PAGE_SIZE:]]
    assert "cursor=" in re.search(r'hx-get="(/devices/live[^"]*)"', second).group(1)
    live = client.get(re.search(r'hx-get="(/devices/live[^"]*)"', second).group(1).replace("&amp;", "&"))
    assert _devices_on_page(live.text) == _devices_on_page(second)
    assert client.get("/devices/?cursor=not-a-cursor").status_code == 404
