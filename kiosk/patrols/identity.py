"""Who and when for tablet writes: the officer vouched for by a token bound to the
tablet (OFFLINE.md 6), and the device's action time, believed unless absurd (OFFLINE.md 5)."""

from itsdangerous import BadSignature, URLSafeTimedSerializer

from kiosk.extensions import db
from kiosk.models import Device, Role, User
from kiosk.timeutil import device_time  # noqa: F401 - patrols re-exports it

# A device's action time further off than this from its receipt time is not believed.
# An officer's sign-in on a tablet vouches for patrols started within this time.
OFFICER_TOKEN_MAX_AGE = 7 * 24 * 3600
PATROL_ROLES = frozenset({Role.OFFICER, Role.SUPERVISOR, Role.MANAGER, Role.DUTY_MANAGER})


class PatrolRefused(Exception):
    """The write cannot be accepted; `reason` names why (the view answers 4xx)."""

    def __init__(self, reason: str, status: int = 422):
        super().__init__(reason)
        self.reason = reason
        self.status = status


def _serializer(secret: str) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(secret, salt="patrol-officer")


def officer_token(secret: str, officer: User, device: Device) -> str:
    """Proof, signed by the server at sign-in, that this officer signed in on this device.
    Forms carry it so that a replay after the login expired is still attributed to the
    officer, and a token copied to another device is worthless."""
    return _serializer(secret).dumps({"u": officer.id, "d": device.id})


def officer_from_token(secret: str, token: str | None, device: Device) -> User:
    try:
        data = _serializer(secret).loads(token or "", max_age=OFFICER_TOKEN_MAX_AGE)
    except BadSignature:
        raise PatrolRefused("officer", 403)
    if data.get("d") != device.id:
        raise PatrolRefused("officer", 403)
    officer = db.session.get(User, data.get("u"))
    if officer is None or not officer.active or officer.site_id != device.site_id or officer.role not in PATROL_ROLES:
        raise PatrolRefused("officer", 403)
    return officer
