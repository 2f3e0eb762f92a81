"""What the kiosk and patrol faces use from the offline layer in their views.

- `@no_store`: a page that shows personal data (a visit code, a patrol's findings).
  The service worker caches only the faces' shell pages, and never a response marked
  `Cache-Control: no-store`; the header keeps the browser's own caches away too.
- `is_replay()`: the request is a replay from a device's outbox (it waited there).
- `WithoutCookies`: WSGI middleware; requests marked with a header get no Set-Cookie.
- `accept_tablet_form(scope, create)`: a tablet's queued form stored exactly once.
"""

from functools import wraps

from flask import g, make_response, request

from kiosk.offline.idempotency import accept_once
from kiosk.timeutil import device_time, utcnow

# Sent by the service worker: on its precache fetches, and on every replay from the outbox.
PRECACHE_HEADER = "X-Precache"
REPLAY_HEADER = "X-Outbox-Replay"


def is_replay() -> bool:
    return request.headers.get(REPLAY_HEADER) == "1"


def no_store(view):
    @wraps(view)
    def wrapper(*args, **kwargs):
        response = make_response(view(*args, **kwargs))
        response.headers["Cache-Control"] = "no-store"
        return response

    return wrapper


class WithoutCookies:
    """WSGI middleware: a request carrying `header: 1` gets its answer without any
    Set-Cookie (the session cookie is written after Flask's after_request hooks)."""

    def __init__(self, app, header: str):
        self.app = app
        self.key = "HTTP_" + header.upper().replace("-", "_")

    def __call__(self, environ, start_response):
        if environ.get(self.key) != "1":
            return self.app(environ, start_response)

        def start(status, headers, exc_info=None):
            return start_response(status, [(k, v) for k, v in headers if k.lower() != "set-cookie"], exc_info)

        return self.app(environ, start)


# Fields that carry a submission rather than say what it is: not part of the payload a key must match.
TRANSPORT_FIELDS = ("csrf_token", "action_at", "idempotency_key")


def accept_tablet_form(scope: str, create, extra: dict | None = None):
    """A form from a tablet's outbox (patrol answers, department work) stored exactly once
    (OFFLINE.md): `create(at, received)` runs for a new key, at the device's action time
    (bounded, kiosk.timeutil.device_time); the same key again returns the stored answer, a key
    reused for another payload raises KeyReused, a malformed one BadKey."""
    received = utcnow()
    at = device_time(request.form.get("action_at"), received)
    payload = {k: v for k, v in request.form.items() if k not in TRANSPORT_FIELDS}
    payload.update(extra or {})
    return accept_once(
        scope,
        request.form.get("idempotency_key"),
        payload,
        lambda: create(at, received),
        site_id=g.device.site_id,
        device_id=g.device.id,
    )
