"""A request size limit (issue 11, section 3: "No request size limit"): MAX_CONTENT_LENGTH
sized for the largest legitimate upload, 413 with a message in the user's language, and
the patrol photo's own limit checked on chunked uploads too."""

import http.client
import io
from urllib.parse import urlsplit

import pytest

from kiosk import photos
from kiosk.access import DEVICE_COOKIE
from tests import patrolkit
from tests.browser.conftest import LiveServer

HEADERS = {"X-Device-Request": "1", "HX-Request": "true"}
TOO_BIG = 10 * 1024 * 1024


@pytest.fixture
def live(app):
    server = LiveServer(app).start()
    yield server
    server.stop()


def test_the_limit_fits_the_largest_legitimate_upload(app):
    """Finding "No request size limit": one photo of photos.MAX_BYTES with its form fits."""
    limit = app.config["MAX_CONTENT_LENGTH"]
    assert photos.MAX_BYTES + 256 * 1024 <= limit <= 16 * 1024 * 1024


def test_a_task_photo_over_the_limit_is_refused_before_it_is_read(world, client):
    """Finding "No request size limit": 413 and a page in the user's language."""
    client.login("supervisor")
    token = client.csrf("/console/")
    data = {"csrf_token": token, "photo": (io.BytesIO(b"\xff" * TOO_BIG), "big.jpg")}
    response = client.post("/console/patrols/tasks/1/photo", data=data, content_type="multipart/form-data")
    assert response.status_code == 413
    assert "照片最大 8 MB" in response.text and "<html" in response.text
    english = client.post(
        "/console/patrols/tasks/1/photo?lang=en",
        data={"csrf_token": token, "photo": (io.BytesIO(b"\xff" * TOO_BIG), "big.jpg")},
        content_type="multipart/form-data",
    )
    assert "a photo may be at most 8 MB" in english.text


def test_an_htmx_request_over_the_limit_gets_a_toast(world, client):
    """Finding "No request size limit": an htmx request gets the fragment, not a page."""
    client.login("supervisor")
    response = client.htmx(
        "post",
        "/console/patrols/tasks/1/photo?lang=en",
        data={"photo": (io.BytesIO(b"\xff" * TOO_BIG), "big.jpg")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 413
    assert "<html" not in response.text and "toast" in response.text and "at most 8 MB" in response.text


def test_a_tablet_photo_over_the_limit_is_a_dead_letter_not_a_retry(client, pw):
    """Finding "No request size limit": the tablet's outbox retries 5xx, 409 and 429 and
    keeps any other 4xx as a dead letter (static/js/sw-outbox.js): 413 is one."""
    client.set_cookie(DEVICE_COOKIE, pw.credential)
    response = client.post(
        "/patrol/photo",
        data={"patrol": "x", "idempotency_key": "k", "photo": (io.BytesIO(b"\xff" * TOO_BIG), "big.jpg")},
        headers=HEADERS,
        content_type="multipart/form-data",
    )
    assert response.status_code == 413
    outbox = open("kiosk/static/js/sw-outbox.js", encoding="utf-8").read()
    assert 'response.status >= 500 || response.status === 409 || response.status === 429) return "retry"' in outbox


def _chunked_post(server, path, headers, body_parts):
    url = urlsplit(server.url)
    conn = http.client.HTTPConnection(url.hostname, url.port, timeout=30)
    try:
        conn.putrequest("POST", path)
        for name, value in headers.items():
            conn.putheader(name, value)
        conn.putheader("Transfer-Encoding", "chunked")
        conn.endheaders()
        for part in body_parts:
            conn.send(f"{len(part):x}\r\n".encode() + part + b"\r\n")
        conn.send(b"0\r\n\r\n")
        response = conn.getresponse()
        return response.status, response.read().decode("utf-8", "replace")
    finally:
        conn.close()


def _multipart(boundary: str, photo: bytes) -> list[bytes]:
    head = (
        f'--{boundary}\r\nContent-Disposition: form-data; name="patrol"\r\n\r\nx\r\n'
        f'--{boundary}\r\nContent-Disposition: form-data; name="photo"; filename="p.jpg"\r\n'
        "Content-Type: image/jpeg\r\n\r\n"
    ).encode()
    parts = [head] + [photo[i : i + 256 * 1024] for i in range(0, len(photo), 256 * 1024)]
    return parts + [f"\r\n--{boundary}--\r\n".encode()]


def test_a_chunked_tablet_photo_cannot_skip_the_size_check(live, pw):
    """Finding "No request size limit": a chunked upload has no Content-Length; a photo
    above photos.MAX_BYTES (within the request limit) is still refused with 413, served live."""
    boundary = "kioskboundary"
    photo = patrolkit.jpeg_bytes() + b"\0" * (photos.MAX_BYTES + 100 * 1024)
    headers = {
        "Cookie": f"{DEVICE_COOKIE}={pw.credential}",
        "X-Device-Request": "1",
        "Origin": live.url,
        "Content-Type": f"multipart/form-data; boundary={boundary}",
        "Accept-Language": "en",
    }
    status, _body = _chunked_post(live, "/patrol/photo", headers, _multipart(boundary, photo))
    assert status == 413


def test_a_console_upload_over_the_limit_answers_413_live(live, world):
    """Finding "No request size limit": served live with a Content-Length over the limit,
    the answer is 413 with the message, before the body is read."""
    url = urlsplit(live.url)
    conn = http.client.HTTPConnection(url.hostname, url.port, timeout=30)
    try:
        conn.putrequest("POST", "/console/patrols/tasks/1/photo?lang=en")
        conn.putheader("Content-Type", "multipart/form-data; boundary=b")
        conn.putheader("Content-Length", str(50 * 1024 * 1024))
        conn.endheaders()
        conn.send(b"--b\r\n")  # the rest is never sent: the server must not wait for it
        response = conn.getresponse()
        assert response.status == 413
        assert "a photo may be at most 8 MB" in response.read().decode()
    finally:
        conn.close()
