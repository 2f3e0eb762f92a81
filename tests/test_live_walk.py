"""The guard against the probe's classes of defect (issue 11): the app served live, every
route walked as anonymous, as each staff role and as each kind of device, with real ids,
then with junk ids (negative, 2^63, non-ASCII digits), junk query strings and junk bodies.

- Nothing answers 5xx (a kiosk or tablet POST answered 500 is queued and retried for ever).
- Every route refuses whom its access declaration (kiosk/access.py) says it refuses:
  staff routes send anonymous visitors and devices to the sign-in page and answer 403 to
  the other roles; device routes answer 403 to everyone but their kind of device.

tests/test_access.py walks the same matrix in-process; this walk goes over a socket, as
a browser, a kiosk or the probe does. It is bounded: a few requests per route and
identity, in parallel per identity, well under a minute on two cores.
"""

import time
import urllib.parse
from concurrent.futures import ThreadPoolExecutor
from datetime import date, timedelta

import pytest
import sqlalchemy as sa
from werkzeug.routing import IntegerConverter

from kiosk.access import DEVICE_COOKIE, access_of
from kiosk.accounts import create_user
from kiosk.extensions import db
from kiosk.models import (
    DeviceKind,
    ExpectedVisit,
    Role,
    Visit,
    WatchEntry,
)
from kiosk.models.patrols import (
    ChecklistTemplate,
    Checkpoint,
    Occurrence,
    Patrol,
    Photo,
    Schedule,
    Task,
)
from kiosk.offline import devices
from kiosk.patrols import schedule as patrol_schedule
from kiosk.timeutil import utcnow
from kiosk.visits import expected, watchlist
from tests import patrolkit
from tests.live import LiveClient, serving
from tests.test_access import placeholder
from tests.visit_factory import make_visit
from tests.world import USERNAMES

LOGIN = "/auth/login"
JUNK_IDS = ["-1", str(2**63), "²", "١"]
JUNK_TEXT = [
    "²",
    "١٢",
    str(2**63),
    "-1",
    "0001-01-01",
    "9999-12-31",
    "0001-01-01T00:00:00+14:00",
    '<b hx-get="/x">X</b>',
    "=HYPERLINK(1)",
    "x" * 80,
]
JUNK_QUERY_EXTRA = "&_external=1&_scheme=javascript&_anchor=x&code=x&visit_id=x"
# Every field name a form or query string of the product reads, each given junk.
FIELDS = [
    "room",
    "room_number",
    "building",
    "floor",
    "party_size",
    "action_at",
    "checkpoint",
    "item",
    "department",
    "occurrence",
    "template",
    "patrol",
    "date_from",
    "date_to",
    "day",
    "month",
    "before",
    "cursor",
    "value",
    "field",
    "reason",
    "outcome",
    "decision",
    "note",
    "code",
    "phone",
    "name",
    "plate",
    "purpose",
    "status",
    "desk",
    "show",
    "format",
    "number",
    "result",
    "text",
    "idle_seconds",
    "retention_days",
    "closing_time",
    "role",
    "username",
    "password",
    "display_name",
    "kind",
    "next",
    "lang",
    "page",
    "q",
    "version",
    "since",
    "id_number",
    "aliases",
    "typed",
    "officer",
]
ID_MODELS = {
    "visit_id": Visit,
    "expected_id": ExpectedVisit,
    "entry_id": WatchEntry,
    "occurrence_id": Occurrence,
    "patrol_id": Patrol,
    "photo_id": Photo,
    "template_id": ChecklistTemplate,
    "checkpoint_id": Checkpoint,
    "schedule_id": Schedule,
    "task_id": Task,
}
SKIPPED = {"auth.logout"}  # ends the walk's own session; tested on its own
# Routes a role may use only with a grant a supervisor gives per record (A2: household files for
# the duty manager and department staff); without one they answer 403 with the way to ask.


def _junk_query(n: int) -> str:
    return urllib.parse.urlencode([(name, JUNK_TEXT[(i + n) % len(JUNK_TEXT)]) for i, name in enumerate(FIELDS)])


def _junk_form(n: int) -> dict:
    form = {name: JUNK_TEXT[(i + n) % len(JUNK_TEXT)] for i, name in enumerate(FIELDS)}
    form["idempotency_key"] = "6b1f2c1e-0000-4000-8000-%012d" % n
    form["occurrence"] = ["²", str(2**63), "1"]
    return form


def _nested(depth: int) -> bytes:
    return ("[" * depth + "]" * depth).encode()


HEARTBEATS = [
    _nested(100_000),
    b'{"dead_letters": {"id": 1}, "pending": 1e999}',
    b'{"clock": 12, "version": [1]}',
    b'{"clock": "0001-01-01T00:00:00+14:00"}',
    b"not json",
]


def _world(world, app):
    """Real rows of every kind a route takes an id of, plus a spare account and device for
    the routes that change them (so the walk never disables its own identities)."""
    pw = patrolkit.build(world)
    from tests.patrols.test_console import _patrol

    _patrol(pw, app)
    patrol_schedule.ensure_occurrences(world.site, utcnow())
    for i in range(3):
        make_visit(world.site, room=world.rooms[i], status="waiting" if i else "on_site", outcome=None)
    today = date.today()
    expected.create(
        world.site,
        actor=world.users[Role.RECEPTIONIST],
        day=today + timedelta(days=1),
        today=today,
        room=world.rooms[0],
        name="预约访客",
        phone="+8613900001111",
    )
    watchlist.add(world.site.id, actor=world.users[Role.SUPERVISOR], reason="测试", phone="+8613900009999")
    spare_user = create_user(world.site, "spare", "备用账号", Role.RECEPTIONIST, "pw")
    spare_device, token = devices.create_enrollment(world.site, DeviceKind.KIOSK, "备用", now=utcnow())
    kiosk, kiosk_token = devices.create_enrollment(world.site, DeviceKind.KIOSK, "大堂终端", now=utcnow())
    _kiosk, kiosk_credential = devices.enroll(kiosk_token, now=utcnow())
    db.session.commit()
    ids = {
        name: db.session.scalar(sa.select(model.id).where(model.site_id == world.site.id).order_by(model.id))
        for name, model in ID_MODELS.items()
    }
    ids.update(user_id=spare_user.id, device_id=spare_device.id)
    assert all(ids.values()), ids
    texts = {
        "visit_code": db.session.scalar(sa.select(Visit.code).order_by(Visit.id)),
        "checkpoint_code": db.session.scalar(sa.select(Checkpoint.code).order_by(Checkpoint.id)),
        "uuid": db.session.scalar(sa.select(Patrol.uuid)),
    }
    return ids, texts, {DeviceKind.KIOSK: kiosk_credential, DeviceKind.TABLET: pw.credential}


def _routes(app, ids, texts):
    """(endpoint, method, rule, {arg: value}) for every route, with real ids."""
    for rule in app.url_map.iter_rules():
        if rule.endpoint == "static" or rule.endpoint.endswith(".static") or rule.endpoint in SKIPPED:
            continue
        args = {}
        for arg in rule.arguments:
            if isinstance(rule._converters[arg], IntegerConverter):
                args[arg] = ids.get(arg, 1)  # areas without rows in this world: an id that may not exist
            elif arg == "code":
                args[arg] = texts["checkpoint_code" if rule.rule.startswith("/console/patrols") else "visit_code"]
            elif arg == "uuid":
                args[arg] = texts["uuid"]
            elif arg == "screen":
                args[arg] = "saved" if rule.rule.startswith("/patrol") else "visit"
            else:
                args[arg] = placeholder(rule._converters[arg], default="junk-token")
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            yield rule.endpoint, method, rule, args


def _path(app, rule, args, method, **replace):
    adapter = app.url_map.bind("localhost")
    path = adapter.build(rule.endpoint, args, method=method)
    for arg, junk in replace.items():  # a junk id in place of the real one, as typed in the address bar
        path = path.replace(f"/{args[arg]}", f"/{urllib.parse.quote(junk)}", 1)
    return path


def _first_allowed(access):
    if access.kind == "public":
        return None  # anonymous
    if access.kind == "device":
        return sorted(access.device_kinds)[0]
    return next(role for role in Role if role in access.roles)


def _junk_walkers(access):
    """Who sends junk to a route: the first and the last identity allowed (for staff
    routes the roles differ in scope: departments, officers, the duty manager)."""
    if access.kind != "staff":
        return {_first_allowed(access)}
    allowed = [role for role in Role if role in access.roles]
    return {allowed[0], allowed[-1]}


class Walker:
    def __init__(self, app, url, identity, credentials):
        self.app, self.identity = app, identity
        self.client = LiveClient(url, timeout=20)
        self.origin = url
        self.problems: list[str] = []
        self.count = 0
        if isinstance(identity, DeviceKind):
            host = urllib.parse.urlparse(url).hostname
            import http.cookiejar

            self.client.cookies.set_cookie(
                http.cookiejar.Cookie(
                    0,
                    DEVICE_COOKIE,
                    credentials[identity],
                    None,
                    False,
                    host,
                    False,
                    False,
                    "/",
                    True,
                    False,
                    None,
                    False,
                    None,
                    None,
                    {},
                )
            )
        if isinstance(identity, Role):
            self.client.login(USERNAMES[identity])
            self.token = self.client.csrf("/console/")
        else:
            self.token = self.client.csrf(LOGIN)

    def send(self, method, path, data=None, extra_headers=None):
        headers = {"X-CSRFToken": self.token, "X-Device-Request": "1", "Origin": self.origin, **(extra_headers or {})}
        if method == "GET":
            reply = self.client.request("GET", path, headers=headers)
        else:
            reply = self.client.request(method, path, data=data if data is not None else b"", headers=headers)
        self.count += 1
        if reply.status >= 500:
            self.problems.append(f"{self.identity}: {method} {path[:120]} answered {reply.status}")
        return reply

    def allowed(self, access) -> bool:
        if access.kind == "public":
            return True
        if access.kind == "device":
            return self.identity in access.device_kinds
        return isinstance(self.identity, Role) and self.identity in access.roles

    def check_refusal(self, endpoint, method, path, access, reply):
        status, location = reply.status, reply.headers.get("Location", "") or ""
        login = status == 302 and urllib.parse.urlparse(location).path == LOGIN
        if access.kind == "public":
            ok = status not in (401, 403) or endpoint.startswith("devices.enroll")
        elif access.kind == "device":
            ok = (status != 403) if self.allowed(access) else status == 403
        elif not isinstance(self.identity, Role):
            ok = login
        elif self.identity in access.roles:
            granted_only = endpoint.startswith("households.") and self.identity in (Role.DUTY_MANAGER, Role.DEPARTMENT)
            ok = (status != 403 or granted_only) and not login
        else:
            ok = status == 403
        if not ok:
            self.problems.append(f"{self.identity}: {method} {path} ({endpoint}) answered {status} {location}")

    def walk(self, routes):
        for n, (endpoint, method, rule, args) in enumerate(routes):
            access = access_of(endpoint)
            if isinstance(self.identity, DeviceKind) and access.kind == "staff" and n % 5:
                continue  # a device on a staff route is anonymous there: one route in five shows it
            path = _path(self.app, rule, args, method)
            reply = self.send(method, path, data={} if method != "GET" else None)
            self.check_refusal(endpoint, method, path, access, reply)
            if not self.allowed(access):
                continue
            # Each identity that may use the route: a junk query string or a junk body; the
            # first of them also junk ids (refused by routing, the same for every identity).
            if self.identity == _first_allowed(access):
                for arg in args:
                    if isinstance(rule._converters[arg], IntegerConverter):
                        for junk in JUNK_IDS:
                            self.send(method, _path(self.app, rule, args, method, **{arg: junk}))
            if self.identity not in _junk_walkers(access):
                continue
            junk_path = f"{path}?{_junk_query(n)}{JUNK_QUERY_EXTRA}"
            if method == "GET":
                self.send("GET", junk_path)
            elif endpoint == "offline.heartbeat":
                for body in HEARTBEATS:
                    self.send("POST", path, data=body, extra_headers={"Content-Type": "application/json"})
            else:
                self.send(method, junk_path, data=_junk_form(n))


@pytest.fixture
def walked(app, world):
    ids, texts, credentials = _world(world, app)
    with app.app_context():
        routes = list(_routes(app, ids, texts))
    identities = [None, *Role, DeviceKind.KIOSK, DeviceKind.TABLET]
    started = time.monotonic()
    with serving(app) as server:

        def run(identity):
            with app.app_context():
                walker = Walker(app, server.url, identity, credentials)
                walker.walk(routes)
                return walker

        with ThreadPoolExecutor(max_workers=4) as pool:
            walkers = list(pool.map(run, identities))
    return walkers, time.monotonic() - started, routes


def test_s1_every_route_live_refuses_whom_it_should_and_never_answers_5xx(walked):
    walkers, elapsed, routes = walked
    problems = [problem for walker in walkers for problem in walker.problems]
    assert problems == [], "\n".join(problems)
    assert len(routes) > 80 and sum(w.count for w in walkers) > 10 * len(routes)  # the walk covered them
    # How long it took is printed, never asserted: a timed assertion fails on a loaded machine
    # and proves nothing about speed (the benchmarks measure that).
    print(f"live walk: {sum(w.count for w in walkers)} requests in {elapsed:.1f} s")
