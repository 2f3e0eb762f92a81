"""No cached personal data (issue 11, section 3: "Pages with personal data are cacheable"):
every console page and download answers `Cache-Control: no-store` (rule S1)."""

from kiosk.access import access_of
from kiosk.models import Role
from tests.test_access import _routes
from tests.world import USERNAMES


def _role_for(access) -> Role:
    return Role.MANAGER if Role.MANAGER in access.roles else sorted(access.roles)[0]


def test_every_console_route_answers_no_store(app, world, client):
    """Finding "Pages with personal data are cacheable": every staff route, every method,
    whatever it answers (page, fragment, download, redirect, 4xx), as a role that may use it."""
    by_role: dict[Role, list] = {}
    for endpoint, method, path in _routes(app):
        access = access_of(endpoint)
        if access.kind == "staff" and endpoint != "auth.logout":
            by_role.setdefault(_role_for(access), []).append((endpoint, method, path))
    assert sum(len(v) for v in by_role.values()) > 30
    failures = []
    for role, routes in by_role.items():
        browser = app.test_client()
        assert browser.login(USERNAMES[role]).status_code == 303
        token = browser.csrf("/console/")
        for endpoint, method, path in routes:
            response = browser.open(path, method=method, headers={"X-CSRFToken": token})
            if "no-store" not in response.headers.get("Cache-Control", ""):
                failures.append(
                    f"{method} {path} ({endpoint}) as {role}: {response.status_code} "
                    f"{response.headers.get('Cache-Control')}"
                )
    assert failures == []


def test_downloads_with_content_are_not_stored(app, world, client):
    """Finding "Pages with personal data are cacheable": a real download (the patrol
    export with staff names, a send_file answer whose default would be "no-cache")."""
    client.login("supervisor")
    response = client.get("/console/patrols/records/export.xlsx")
    assert response.status_code == 200 and response.mimetype.endswith("sheet")
    assert response.headers["Cache-Control"] == "no-store"


def test_sign_in_page_is_not_stored_but_static_assets_are_cacheable(app, world, client):
    """Finding "Pages with personal data are cacheable": static files keep their caching."""
    assert "no-store" in client.get("/auth/login").headers["Cache-Control"]
    asset = client.get("/static/css/app.css")
    assert asset.status_code == 200
    assert "no-store" not in asset.headers.get("Cache-Control", "")
