"""The handover's drawn signatures read from a live server, as the log page's <img> receives
them (over a socket, after the view has returned and its database session is gone): the
outgoing's and the incoming's signatures (H1), unchanged as signed (S2), each look audited."""

import base64
import hashlib
import io

import pytest
import sqlalchemy as sa
from PIL import Image

from kiosk import photos, signatures
from kiosk.extensions import db
from kiosk.handover import shifts
from kiosk.models import AuditEvent, Role
from tests.keys import kit
from tests.live import LiveClient, serving


def _drawn(row: int) -> str:
    """A signature as the pad posts it: a PNG data URL with one stroke at `row`."""
    image = Image.new("RGBA", (300, 120), (0, 0, 0, 0))
    for x in range(10, 250):
        for y in (row, row + 1, row + 2):
            image.putpixel((x, y), (17, 17, 17, 255))
    out = io.BytesIO()
    image.save(out, "PNG")
    return "data:image/png;base64," + base64.b64encode(out.getvalue()).decode()


def _signed(app, world, *, accepted: bool):
    """A log signed by the receptionist (and accepted by the duty manager), with real stored
    signatures; returns (log id, {who: StoredSignature})."""
    root = photos.root(app.config, app.instance_path)
    drawn = {
        who: signatures.store(root, world.site.id, _drawn(row)) for who, row in (("outgoing", 30), ("incoming", 80))
    }
    assert drawn["outgoing"].sha256 != drawn["incoming"].sha256  # two different drawings
    log = shifts.open_log(world.site.id, world.users[Role.RECEPTIONIST], kit.at_local(0, 8), kit.TZ)
    shifts.sign(log, world.users[Role.RECEPTIONIST], kit.at_local(0, 8, 30), signature=drawn["outgoing"])
    if accepted:
        shifts.accept(
            log,
            world.users[Role.DUTY_MANAGER],
            kit.at_local(0, 8, 40),
            kit.TZ,
            keys_counted=0,
            equipment_checked=True,
            signature=drawn["incoming"],
        )
    db.session.commit()
    return log.id, drawn


def _viewed():
    db.session.rollback()
    events = db.session.scalars(
        sa.select(AuditEvent).where(AuditEvent.action == "handover.signature_viewed").order_by(AuditEvent.id)
    ).all()
    return [(e.user_id, e.entity_type, e.entity_id, e.details) for e in events]


def test_h1_both_signatures_from_a_live_server_are_the_stored_pngs_and_each_look_is_audited(app, world):
    """H1, S2: /console/handover/logs/<id>/signatures/<outgoing|incoming>.png serve the stored
    PNGs byte for byte (their sha256 on the log), not cached; each look is audited (S1)."""
    log_id, drawn = _signed(app, world, accepted=True)
    root = photos.root(app.config, app.instance_path)
    with serving(app) as server:
        client = LiveClient(server.url)
        client.login("supervisor")
        page = client.get(f"/console/handover/logs/{log_id}")
        assert page.status == 200
        replies = {}
        for who in ("outgoing", "incoming"):
            url = f"/console/handover/logs/{log_id}/signatures/{who}.png"
            assert f'src="{url}"' in page.text  # what the log page's <img> asks for
            replies[who] = client.get(url)
    for who, reply in replies.items():
        assert reply.status == 200 and reply.headers["Content-Type"] == "image/png"
        assert reply.headers["Cache-Control"] == "private, no-store"
        assert int(reply.headers["Content-Length"]) == len(reply.body)
        assert reply.body == photos.open_path(root, drawn[who].path).read_bytes()
        assert hashlib.sha256(reply.body).hexdigest() == drawn[who].sha256
        image = Image.open(io.BytesIO(reply.body))
        assert image.format == "PNG" and image.size == (drawn[who].width, drawn[who].height)
        image.verify()
    supervisor = world.users[Role.SUPERVISOR].id
    assert _viewed() == [
        (supervisor, "ShiftLog", str(log_id), {"who": "outgoing"}),
        (supervisor, "ShiftLog", str(log_id), {"who": "incoming"}),
    ]


@pytest.mark.parametrize("user", ["reception", "elsewhere"])
def test_h1_a_signature_not_yet_drawn_or_of_another_site_is_a_404_and_not_audited(app, world, user):
    """H1, S1: before the incoming accepts there is no incoming signature; another site's desk
    gets neither; no look is audited for an image that was not shown."""
    log_id, _drawn = _signed(app, world, accepted=False)
    with serving(app) as server:
        client = LiveClient(server.url)
        client.login(user)
        incoming = client.get(f"/console/handover/logs/{log_id}/signatures/incoming.png")
        outgoing = client.get(f"/console/handover/logs/{log_id}/signatures/outgoing.png")
        unknown = client.get(f"/console/handover/logs/{log_id}/signatures/manager.png")
    assert incoming.status == 404 and unknown.status == 404
    if user == "elsewhere":
        assert outgoing.status == 404 and _viewed() == []
    else:
        assert outgoing.status == 200 and outgoing.headers["Content-Type"] == "image/png"
        assert [row[3] for row in _viewed()] == [{"who": "outgoing"}]
