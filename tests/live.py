"""A plain HTTP client (standard library only) for tests against a live server
(tests/browser/conftest.py's LiveServer): what a browser or a kiosk's outbox receives,
read over a socket, after the request's database session is gone.

    with serving(app) as server:
        client = LiveClient(server.url)
        client.login("supervisor")
        reply = client.post_form("/console/visits/export", {...}, page="/console/visits/")
        reply.status, reply.headers, reply.body
"""

import contextlib
import http.client
import http.cookiejar
import urllib.error
import urllib.parse
import urllib.request
import uuid
from dataclasses import dataclass

from tests.browser.conftest import LiveServer
from tests.conftest import TOKEN


@contextlib.contextmanager
def serving(app):
    server = LiveServer(app).start()
    try:
        yield server
    finally:
        server.stop()


@dataclass
class Reply:
    status: int
    headers: http.client.HTTPMessage
    body: bytes

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", errors="replace")


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


class LiveClient:
    def __init__(self, base_url: str, timeout: float = 10):
        self.base_url = base_url
        self.timeout = timeout
        self.cookies = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.cookies), _NoRedirect)

    def request(self, method: str, path: str, data: bytes | dict | None = None, headers: dict | None = None) -> Reply:
        headers = dict(headers or {})
        if isinstance(data, dict):
            data = urllib.parse.urlencode(data, doseq=True).encode()
            headers.setdefault("Content-Type", "application/x-www-form-urlencoded")
        request = urllib.request.Request(self.base_url + path, data=data, method=method, headers=headers)
        try:
            with self.opener.open(request, timeout=self.timeout) as response:
                return Reply(response.status, response.headers, response.read())
        except urllib.error.HTTPError as error:
            with error:
                return Reply(error.code, error.headers, error.read())

    def get(self, path: str, **kwargs) -> Reply:
        return self.request("GET", path, **kwargs)

    def post(self, path: str, data=None, **kwargs) -> Reply:
        return self.request("POST", path, data=data if data is not None else b"", **kwargs)

    def csrf(self, page: str = "/auth/login") -> str:
        reply = self.get(page)
        match = TOKEN.search(reply.text)
        assert match, f"no CSRF token on {page} ({reply.status})"
        return match.group(1) or match.group(2)

    def login(self, username: str, password: str = "pw") -> Reply:
        token = self.csrf("/auth/login")
        reply = self.post("/auth/login", {"username": username, "password": password, "csrf_token": token})
        assert reply.status == 303, f"sign-in of {username} answered {reply.status}"
        return reply

    def post_form(self, path: str, data: dict, page: str = "/console/") -> Reply:
        data = {"csrf_token": self.csrf(page), **data}
        return self.post(path, data)

    def post_multipart(self, path: str, fields: dict, files: dict, page: str = "/console/") -> Reply:
        """A form with file uploads, as a browser sends it: files maps a field to (name, bytes, type)."""
        boundary = uuid.uuid4().hex
        parts = []
        for name, value in {"csrf_token": self.csrf(page), **fields}.items():
            parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode())
        for name, (filename, content, content_type) in files.items():
            head = (
                f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; filename="{filename}"\r\n'
                f"Content-Type: {content_type}\r\n\r\n"
            )
            parts.append(head.encode() + content + b"\r\n")
        body = b"".join(parts) + f"--{boundary}--\r\n".encode()
        return self.post(path, body, headers={"Content-Type": f"multipart/form-data; boundary={boundary}"})
