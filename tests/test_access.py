"""The role matrix: every registered route, every role (rule S1: each route states who may use it)."""

import pytest
from werkzeug.routing import AnyConverter, IntegerConverter

from kiosk.access import access_of
from kiosk.models import Role
from tests.world import USERNAMES

LOGIN = "/auth/login"


def placeholder(converter, default="x"):
    """A value the converter builds: 1 for an integer, the first choice of an `any(...)`, else `default`."""
    if isinstance(converter, IntegerConverter):
        return 1
    if isinstance(converter, AnyConverter):
        return sorted(converter.items)[0]
    return default


def _routes(app):
    """(endpoint, method, path) for every rule; integer arguments 1, choices their first, others "x"."""
    adapter = app.url_map.bind("localhost")
    for rule in app.url_map.iter_rules():
        if rule.endpoint == "static" or rule.endpoint.endswith(".static"):
            continue
        args = {arg: placeholder(rule._converters[arg]) for arg in rule.arguments}
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            yield rule.endpoint, method, adapter.build(rule.endpoint, args, method=method)


def test_every_route_declares_who_may_use_it(app):
    undeclared = sorted({endpoint for endpoint, _m, _p in _routes(app) if access_of(endpoint) is None})
    assert undeclared == [], f"routes without an access declaration: {undeclared}"


def _request(client, method, path, token=None):
    headers = {"X-CSRFToken": token} if token else {}
    return client.open(path, method=method, headers=headers, follow_redirects=False)


@pytest.mark.parametrize("role", [None, *Role])
def test_role_matrix(app, world, client, role):
    """Anonymous: staff routes redirect to login. Wrong role: 403. Right role: neither."""
    token = None
    if role is not None:
        assert client.login(USERNAMES[role]).status_code == 303
        token = client.csrf("/console/")
    else:
        token = client.csrf(LOGIN)
    failures = []
    for endpoint, method, path in _routes(app):
        if endpoint == "auth.logout":
            continue  # would end the session the rest of the walk needs; tested on its own
        access = access_of(endpoint)
        response = _request(client, method, path, token)
        status, location = response.status_code, response.headers.get("Location", "")
        if access.kind == "public":
            ok = status not in (401, 403) or endpoint.startswith("devices.enroll")
        elif access.kind == "device":
            ok = status == 403  # no device credential in this browser
        elif role is None:
            ok = status == 302 and location.startswith(LOGIN)
        elif role in access.roles:
            ok = status != 403 and not location.startswith(LOGIN)
        else:
            ok = status == 403
        if not ok:
            failures.append(f"{method} {path} ({endpoint}) as {role}: {status} {location}")
    assert failures == []


def test_undeclared_route_is_refused(app, world, client):
    """Deny by default: a view that forgot its declaration answers 403 to everyone."""
    app.add_url_rule("/forgotten", "forgotten", lambda: "secret")
    client.login("manager")
    assert client.get("/forgotten").status_code == 403
