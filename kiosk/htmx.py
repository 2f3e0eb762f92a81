"""The one place that decides page or fragment, and the response-header helpers.

A fragment is rendered only for a genuine htmx partial request: not a boosted
navigation and not a history restore (those need the whole page). `Vary` names every
request header read here, so caches keep pages and fragments apart.
"""

import json

from flask import render_template, request
from jinja2_fragments.flask import render_block

VARY_HEADERS = ("HX-Request", "HX-Boosted", "HX-History-Restore-Request")


def is_htmx() -> bool:
    return request.headers.get("HX-Request") == "true"


def is_partial() -> bool:
    return (
        is_htmx()
        and request.headers.get("HX-Boosted") != "true"
        and request.headers.get("HX-History-Restore-Request") != "true"
    )


def render(template: str, block: str | None = None, *, status: int = 200, **context):
    """The whole page, or only `block` of the same template for a partial request."""
    if block is not None and is_partial():
        body = render_block(template, block, **context)
    else:
        body = render_template(template, **context)
    from flask import make_response

    response = make_response(body, status)
    add_vary(response)
    return response


def add_vary(response):
    for header in VARY_HEADERS:
        response.vary.add(header)
    return response


def trigger(response, event: str, detail=None, *, after: str | None = None):
    """Merge an event into HX-Trigger (or HX-Trigger-After-Settle/-Swap) as JSON."""
    name = {"settle": "HX-Trigger-After-Settle", "swap": "HX-Trigger-After-Swap"}.get(after, "HX-Trigger")
    existing = response.headers.get(name)
    events = {}
    if existing:
        try:
            events = json.loads(existing)
        except ValueError:
            events = {e.strip(): None for e in existing.split(",") if e.strip()}
    events[event] = detail
    response.headers[name] = json.dumps(events, ensure_ascii=True)
    return response


def set_redirect(response, url: str):
    response.headers["HX-Redirect"] = url
    return response


def set_location(response, url: str):
    response.headers["HX-Location"] = url
    return response


def retarget(response, selector: str, swap: str | None = None):
    response.headers["HX-Retarget"] = selector
    if swap:
        response.headers["HX-Reswap"] = swap
    return response
