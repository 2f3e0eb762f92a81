"""Error pages in the user's language, for pages and for htmx partial requests."""

from flask import render_template, request
from flask_babel import gettext
from flask_babel import lazy_gettext as _l
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import OperationalError
from werkzeug.exceptions import HTTPException, InternalServerError, RequestEntityTooLarge, ServiceUnavailable

from kiosk import photos
from kiosk.extensions import db
from kiosk.htmx import add_vary, is_partial

MESSAGES = {
    400: (_l("Bad request"), _l("The request could not be understood. Please go back and try again.")),
    403: (_l("Not allowed"), _l("Your account may not open this page. Ask a supervisor if you need it.")),
    404: (_l("Not found"), _l("This page or record does not exist, or it belongs to another site.")),
    405: (_l("Not allowed"), _l("This action is not available here.")),
    413: (_l("Too large"), _l("What was sent is too large. Nothing was saved.")),
    422: (_l("Please check your input"), _l("Some of what was entered could not be accepted.")),
    429: (_l("Too many requests"), _l("Please wait a moment and try again.")),
    500: (_l("Something went wrong"), _l("The error has been logged. Nothing was half-saved; please try again.")),
    503: (
        _l("Service unavailable"),
        _l("The database cannot be reached right now. Nothing was saved; please try again in a minute."),
    ),
}
CSRF_MESSAGE = _l(
    "This form has expired or was not sent from this site. Please reload the page and submit it again; nothing was saved."
)


def _render(code: int, message=None):
    title, default = MESSAGES.get(code, MESSAGES[500])
    template = "errors/_toast.html" if is_partial() else "errors/error.html"
    response = render_template(template, code=code, title=title, message=message or default)
    from flask import make_response

    return add_vary(make_response(response, code))


def handle_http(error: HTTPException):
    if error.code is None or error.code < 400:
        return error
    db.session.rollback()
    message = CSRF_MESSAGE if isinstance(error, CSRFError) else None
    if error.code == RequestEntityTooLarge.code:
        message = too_large_message()
    return _render(error.code, message)


def too_large_message() -> str:
    """413: what the limit is, in the user's language. A patrol tablet's outbox files a
    413 as a dead letter (static/js/sw-outbox.js: any 4xx but 409 and 429), so a
    too-large photo is shown to staff once instead of being retried for ever."""
    return gettext(
        "What was sent is too large: a photo may be at most %(mb)s MB. Nothing was saved; please send a smaller photo.",
        mb=photos.MAX_BYTES // (1024 * 1024),
    )


def handle_database_down(error: OperationalError):
    db.session.rollback()
    from flask import current_app

    current_app.logger.error("database unavailable on %s: %s", request.path, error)
    return _render(ServiceUnavailable.code)


def handle_unexpected(error: Exception):
    db.session.rollback()
    from flask import current_app

    current_app.logger.exception("unhandled error on %s", request.path)
    return _render(InternalServerError.code)


def register(app):
    app.register_error_handler(HTTPException, handle_http)
    app.register_error_handler(OperationalError, handle_database_down)
    app.register_error_handler(Exception, handle_unexpected)
