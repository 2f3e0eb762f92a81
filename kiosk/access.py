"""Who may use each route, declared on the view and enforced in one place.

Every view carries an `access` declaration:

    @bp.get("/board")
    @staff(*FRONT_DESK)          # these staff roles; @staff() = any signed-in staff
    def board(): ...

    @public                      # anyone (login page, health check)
    @device(DeviceKind.KIOSK)    # an enrolled, unrevoked device of that kind

`enforce` runs before every request. A view with no declaration is refused (403) and
the role-matrix test fails, so a new route cannot be left open by accident.
"""

from dataclasses import dataclass

from flask import abort, current_app, g, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, logout_user

from kiosk.extensions import csrf
from kiosk.htmx import is_htmx, set_redirect
from kiosk.models import DepartmentKind, DeviceKind, Role
from kiosk.offline import devices
from kiosk.timeutil import utcnow

FRONT_DESK = frozenset({Role.RECEPTIONIST, Role.DUTY_MANAGER, Role.SUPERVISOR, Role.MANAGER})
SUPERVISORS = frozenset({Role.SUPERVISOR, Role.MANAGER})
ALL_STAFF = frozenset(Role)

DEVICE_COOKIE = "kiosk_device"
# A custom header a browser never sends cross-site without a CORS preflight (which we
# never grant); the kiosk and patrol layouts send it with every htmx request.
DEVICE_HEADER = "X-Device-Request"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


@dataclass(frozen=True)
class Access:
    kind: str  # "public" | "staff" | "device"
    roles: frozenset = frozenset()
    device_kinds: frozenset = frozenset()
    passive: bool = False  # polling: does not count as activity for the idle timeout


def _declare(view, access: Access):
    view.access = access
    return view


def public(view):
    return _declare(view, Access("public"))


def staff(*roles: Role, passive: bool = False):
    allowed = frozenset(roles) if roles else ALL_STAFF

    def decorator(view):
        return _declare(view, Access("staff", roles=allowed, passive=passive))

    return decorator


def device(*kinds: DeviceKind):
    """An enrolled device of these kinds. Its writes are authenticated by the device
    credential cookie plus the DEVICE_HEADER and a same-origin Origin (OFFLINE.md 6), not
    by the session's CSRF token, so that a replay hours later is still accepted."""
    allowed = frozenset(kinds) if kinds else frozenset(DeviceKind)

    def decorator(view):
        csrf.exempt(view)
        return _declare(view, Access("device", device_kinds=allowed))

    return decorator


def access_of(endpoint: str | None) -> Access | None:
    if endpoint is None:
        return None
    if endpoint == "static" or endpoint.endswith(".static"):
        return Access("public")
    view = current_app.view_functions.get(endpoint)
    return getattr(view, "access", None)


SESSION_EPOCH = "epoch"  # the account's session epoch at sign-in
SESSION_BORN = "born"  # when the session was signed in (UTC timestamp)


def start_session(user) -> None:
    """A fresh console session for `user` (call after login_user)."""
    now = utcnow().timestamp()
    session[SESSION_EPOCH] = user.session_epoch
    session[SESSION_BORN] = now
    session["seen"] = now


def session_is_current(user) -> bool:
    """Server-side end of sessions: the session cookie is signed but kept by the browser,
    so a copy taken before a sign-out would otherwise live on. Sign-out, password change
    and deactivation raise the account's `session_epoch`; a session signed in at an older
    epoch is refused. Checked on the user row the request loads anyway (no extra query)."""
    return user.active and not user.awaiting_approval and session.get(SESSION_EPOCH) == user.session_epoch


def _lifetime_over() -> bool:
    """The absolute lifetime: a session ends SESSION_MAX_HOURS after sign-in, active or not."""
    born = session.get(SESSION_BORN)
    hours = current_app.config["SESSION_MAX_HOURS"]
    return not isinstance(born, (int, float)) or utcnow().timestamp() - born > hours * 3600


def _idle_expired() -> bool:
    minutes = current_app.config["IDLE_TIMEOUT_MINUTES"]
    seen = session.get("seen")
    now = utcnow().timestamp()
    if seen is not None and now - seen > minutes * 60:
        return True
    return False


def _to_login(message: str | None = None):
    from flask import flash

    if message:
        flash(message, "info")
    target = url_for("auth.login", next=request.full_path.rstrip("?") if request.method == "GET" else None)
    if is_htmx():
        return set_redirect(current_app.make_response(("", 204)), target)
    return redirect(target)


def enforce():
    """before_request: apply the view's declaration."""
    if request.endpoint is None:  # 404 / 405: let the error handler answer
        return None
    access = access_of(request.endpoint)
    if access is None:
        current_app.logger.error("route %s declares no access; refused", request.endpoint)
        abort(403)
    if access.kind == "public":
        return None
    if access.kind == "device":
        dev = devices.authenticate(request.cookies.get(DEVICE_COOKIE))
        if dev is None or dev.kind not in access.device_kinds:
            # What to do: on the tablet's pages, where the officer's tablets are and how one is enrolled.
            face = "tablet" if DeviceKind.TABLET in access.device_kinds else "kiosk"
            return render_template("devices/not_enrolled.html", face=face), 403
        if request.method not in SAFE_METHODS and not _device_write_allowed():
            abort(403)
        g.device = dev
        # A device face has no staff user: a console left signed in in this browser
        # must never face the public, so it ends here. Then current_user is settled
        # as anonymous before anything asks: Flask-Login would otherwise run its
        # session protection on the device's session (which holds no staff login)
        # and rewrite the cookie on every response, and a slow request could then
        # put back a session from before the officer signed in.
        if session.get("_user_id") is not None:
            logout_user()
            session.clear()
        g._login_user = current_app.login_manager.anonymous_user()
        devices.touch(dev, utcnow())
        return None
    # staff
    if not current_user.is_authenticated:
        return _to_login()
    if _idle_expired():
        minutes = current_app.config["IDLE_TIMEOUT_MINUTES"]
        logout_user()
        session.clear()
        return _to_login(_("You were signed out after %(minutes)s minutes without activity.", minutes=minutes))
    if _lifetime_over():
        logout_user()
        session.clear()
        return _to_login(
            _(
                "Your session has ended after %(hours)s hours. Please sign in again.",
                hours=current_app.config["SESSION_MAX_HOURS"],
            )
        )
    if not access.passive:
        session["seen"] = utcnow().timestamp()
    if current_user.role not in access.roles:
        abort(403)
    return None


def _device_write_allowed() -> bool:
    if request.headers.get(DEVICE_HEADER) != "1":
        return False
    origin = request.headers.get("Origin")
    if origin is None:  # browsers send Origin on every cross-origin and same-origin POST
        return request.headers.get("Sec-Fetch-Site") in (None, "same-origin")
    return origin.rstrip("/") == request.host_url.rstrip("/")


def current_site_id() -> int:
    """The signed-in user's or the device's site: every list is scoped by it."""
    if current_user.is_authenticated:
        return current_user.site_id
    dev = g.get("device")
    if dev is not None:
        return dev.site_id
    abort(403)


def get_in_site_or_404(model, ident):
    """A site-owned row by primary key, or 404 when it belongs to another site."""
    from kiosk.extensions import db

    row = db.session.get(model, ident)
    if row is None or row.site_id != current_site_id():
        abort(404)
    return row


HOME_ENDPOINTS = {
    # role -> the page a role lands on after sign-in; later features point these at
    # their own pages (the lobby board, the patrol list, the task list).
    Role.RECEPTIONIST: "lobby.board",
    Role.DUTY_MANAGER: "lobby.board",
}


def home_url_for(user) -> str:
    """The page a signed-in person lands on: by role; the security department's staff
    (the guard at the gate) land on the gate check (V6)."""
    if user.role == Role.DEPARTMENT and user.department is not None and user.department.kind == DepartmentKind.SECURITY:
        return url_for("registers.gate")
    return url_for(HOME_ENDPOINTS.get(user.role, "console.home"))
