"""Demo history of the lobby kiosk's reports (C1): a few repairs and problems reported on
the kiosk over three weeks, most with a photo, the older ones closed by the front desk
(called from kiosk.demo.seed with the demo's kiosk). Deterministic for a given random
generator; computed from now."""

import io
from datetime import timedelta
from pathlib import Path

import sqlalchemy as sa
from PIL import Image, ImageDraw

from kiosk import photos
from kiosk.cases import intake
from kiosk.extensions import db
from kiosk.models import Role, Room, User
from kiosk.models.cases import IntakeClass

# (class, what, days back, closed by the desk): problems in the estate verified and closed;
# the recent repairs still open for the desk to open their work orders (C10), which keeps
# the work orders' numbers in time order (C11).
REPORTS = [
    (IntakeClass.ISSUE, "5栋门口的路灯不亮了", 19, True, (40, 50, 80)),
    (IntakeClass.ISSUE, "儿童游乐区滑梯有一处裂口", 15, True, (200, 120, 60)),
    (IntakeClass.ISSUE, "地库B区排水沟盖板松动", 11, True, None),  # one without a photo
    (IntakeClass.ISSUE, "2栋楼道窗户玻璃有裂纹", 6, False, (150, 170, 190)),
    (IntakeClass.REPAIR, "卫生间吊顶渗水，有水渍", 1, False, (120, 140, 160)),
    (IntakeClass.REPAIR, "入户门闭门器漏油", 0, False, (90, 80, 70)),
]


def _photo(color, rng) -> bytes:
    """A stand-in for a resident's photo: a surface with a mark on it."""
    image = Image.new("RGB", (1200, 900), color)
    draw = ImageDraw.Draw(image)
    x, y = rng.randint(200, 800), rng.randint(200, 500)
    draw.ellipse((x, y, x + 300, y + 220), outline=(30, 30, 30), width=12)
    out = io.BytesIO()
    image.save(out, "JPEG", quality=80)
    return out.getvalue()


def seed(site, device, root: Path, rng, now) -> None:
    reception = db.session.scalar(
        sa.select(User).where(User.site_id == site.id, User.role == Role.RECEPTIONIST).order_by(User.id)
    )
    rooms = list(db.session.scalars(sa.select(Room).where(Room.site_id == site.id).order_by(Room.id).limit(40)))
    if reception is None or not rooms:
        return
    for kind, content, back, closed, color in REPORTS:
        at = now - timedelta(days=back, hours=rng.randint(1, 6))
        stored = photos.store(root, site.id, _photo(color, rng)) if color else None
        entry = intake.from_kiosk(
            site,
            device,
            room=rng.choice(rooms),
            phone=f"139{rng.randint(10000000, 99999999)}",
            content=content,
            kind=kind,
            action_at=at,
            received_at=at,
            photo=stored,
        )
        if closed:
            intake.close(entry, reception, "已转交相关部门核实并处理完毕", at + timedelta(hours=5))
    db.session.flush()
