"""What the kiosk and patrol faces use from the offline layer in their views.

- `@no_store`: a page that shows personal data (a visit code, a patrol's findings).
  The service worker caches only the faces' shell pages, and never a response marked
  `Cache-Control: no-store`; the header keeps the browser's own caches away too.
- `is_replay()`: the request is a replay from a device's outbox (it waited there).
- `WithoutCookies`: WSGI middleware; requests marked with a header get no Set-Cookie.
"""

from functools import wraps

from flask import make_response, request

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
