"""Key sets, drawn signatures and loans for the key and handover tests."""

import base64
import io
import itertools
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from PIL import Image

from kiosk.extensions import db
from kiosk.keys import loans, register
from kiosk.models import Building, Role
from kiosk.models.keys import BorrowerKind, KeyKind
from kiosk.signatures import StoredSignature

TZ = "Asia/Shanghai"
_hooks = itertools.count(1)


def signature_url() -> str:
    """A drawn signature as the pad posts it (a PNG data URL with a stroke)."""
    image = Image.new("RGBA", (300, 120), (0, 0, 0, 0))
    for x in range(10, 250):
        for y in (50, 51, 52):
            image.putpixel((x, y), (17, 17, 17, 255))
    out = io.BytesIO()
    image.save(out, "PNG")
    return "data:image/png;base64," + base64.b64encode(out.getvalue()).decode()


SIGNED = StoredSignature(path="t/sig.png", sha256="0" * 64, width=300, height=120)


def household_set(world, room_index=0, pieces=3, **extra):
    return register.create_set(
        world.site.id,
        world.users[Role.SUPERVISOR],
        datetime.now(ZoneInfo("UTC")),
        kind=KeyKind.HOUSEHOLD,
        hook=f"A-{next(_hooks)}",
        contents="防盗门, 单元门, 信箱",
        pieces=pieces,
        room=world.rooms[room_index],
        **extra,
    )


def public_set(world, floor=1):
    building = db.session.query(Building).filter_by(site_id=world.site.id).first()
    return register.create_set(
        world.site.id,
        world.users[Role.SUPERVISOR],
        datetime.now(ZoneInfo("UTC")),
        kind=KeyKind.PUBLIC,
        hook=f"P-{next(_hooks)}",
        contents="楼层门窗",
        pieces=2,
        building=building,
        floor=floor,
    )


def at_local(day_offset: int, hour: int, minute: int = 0) -> datetime:
    """A site-local wall time, `day_offset` days from today (computed from the real now)."""
    tz = ZoneInfo(TZ)
    today = datetime.now(tz).date() + timedelta(days=day_offset)
    return datetime.combine(today, time(hour, minute), tzinfo=tz)


def lend(world, key_set, now, back_hour=18, **extra):
    local = now.astimezone(ZoneInfo(TZ))
    expected = datetime.combine(local.date(), time(back_hour, 0), tzinfo=ZoneInfo(TZ))
    options = dict(
        borrower_kind=BorrowerKind.STAFF,
        borrower_user=world.users[Role.DEPARTMENT],
        purpose="检修水管",
        expected_back_at=expected,
        signature=SIGNED,
    )
    options.update(extra)
    return loans.lend(key_set, world.users[Role.RECEPTIONIST], now, TZ, **options)
