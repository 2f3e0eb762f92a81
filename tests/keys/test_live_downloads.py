"""The key register's prints and images read from a live server, as a browser receives them
(over a socket, after the view has returned and its database session is gone): the sheet of
printable tags with their QR codes (K1) and a borrower's drawn signature (K4, its look
audited, S1)."""

import hashlib
import io
import re
import xml.etree.ElementTree as ET

import segno
import sqlalchemy as sa
from PIL import Image

from kiosk import photos, signatures
from kiosk.extensions import db
from kiosk.models import AuditEvent, Role
from tests.keys import kit
from tests.live import LiveClient, serving

SVG = re.compile(r"<svg\b.*?</svg>", re.S)


def _qr_matrix(svg: str) -> list[list[bool]]:
    """The dark modules drawn by segno's SVG path (M/m moves, h runs of dark modules, one
    stroke per row), read back into a matrix without the quiet zone."""
    root = ET.fromstring(svg)
    width = int(root.get("width")) // 4  # scale=4
    path = root.find("path")
    dark: set[tuple[int, int]] = set()
    x = y = 0.0
    for op, number in re.findall(r"([MmHhVv])\s*(-?[\d.]+(?:[ ,]-?[\d.]+)?)", path.get("d")):
        values = [float(v) for v in re.split(r"[ ,]", number)]
        if op in "Mm":
            dx, dy = values
            x, y = (dx, dy) if op == "M" else (x + dx, y + dy)
        elif op in "hH":
            end = values[0] + (x if op == "h" else 0)
            for column in range(int(min(x, end)), int(max(x, end))):
                dark.add((column, int(y)))
            x = end
    size = width
    return [[(c, r) in dark for c in range(size)] for r in range(size)]


def _matrix_of(url: str) -> list[list[bool]]:
    qr = segno.make_qr(url, error="m")
    return [[bool(cell) for cell in row] for row in qr.matrix_iter(scale=1, border=4)]


def test_k1_tag_sheet_from_a_live_server_is_a_whole_page_with_a_qr_per_set(app, world):
    """K1: each printed tag names building-unit-room (or floor) and carries a QR code that is a
    well-formed SVG of the tag's own URL; the URL opens the set on the live server."""
    household = kit.household_set(world, 0)
    public = kit.public_set(world, floor=3)
    db.session.commit()
    sets = {household.tag_code: household.id, public.tag_code: public.id}
    with serving(app) as server:
        client = LiveClient(server.url)
        client.login("reception")
        reply = client.get("/console/keys/tags?lang=en")
        assert reply.status == 200 and reply.headers["Content-Type"] == "text/html; charset=utf-8"
        assert reply.headers["Cache-Control"] == "no-store"
        assert int(reply.headers["Content-Length"]) == len(reply.body)
        text = reply.text
        assert text.lstrip().lower().startswith("<!doctype html>") and text.rstrip().endswith("</html>")
        assert text.count('<figure class="key-tag">') == 2 and "1-1-0101" in text
        drawn = SVG.findall(text)
        assert len(drawn) == 2
        for code, svg in zip(sets, drawn, strict=True):  # in register order
            assert code in text
            root = ET.fromstring(svg)  # well-formed XML
            assert root.tag == "svg" and root.get("width") == root.get("height")  # inline: HTML gives the namespace
            url = f"{server.url}/console/keys/tag/{code}"
            assert _qr_matrix(svg) == _matrix_of(url)  # the code holds exactly the tag's URL
            opened = client.get(url[len(server.url) :])
            assert opened.status == 302 and opened.headers["Location"].endswith(f"/console/keys/sets/{sets[code]}")
            page = client.get(f"/console/keys/sets/{sets[code]}")
            assert page.status == 200 and code in page.text
        one = client.get(f"/console/keys/tags?set={public.id}")
        assert one.status == 200 and one.text.count('<figure class="key-tag">') == 1
        assert public.tag_code in one.text and household.tag_code not in one.text
        assert client.get("/console/keys/tag/KEY-NOPE").status == 404


def test_k4_loan_signature_from_a_live_server_is_the_stored_png_and_its_look_is_audited(app, world):
    """K4: the borrower's drawn signature comes back byte for byte as stored (its sha256 on the
    loan), as a PNG that is not cached; each look is in the audit trail (S1)."""
    key_set = kit.household_set(world, 0)
    root = photos.root(app.config, app.instance_path)
    stored = signatures.store(root, world.site.id, kit.signature_url())
    loan = kit.lend(world, key_set, kit.at_local(0, 9), signature=stored)
    db.session.commit()
    loan_id = loan.id
    with serving(app) as server:
        client = LiveClient(server.url)
        client.login("reception")
        reply = client.get(f"/console/keys/loans/{loan_id}/signature.png")
    assert reply.status == 200 and reply.headers["Content-Type"] == "image/png"
    assert reply.headers["Cache-Control"] == "private, no-store"
    assert int(reply.headers["Content-Length"]) == len(reply.body)
    assert reply.body == photos.open_path(root, stored.path).read_bytes()
    assert hashlib.sha256(reply.body).hexdigest() == stored.sha256
    image = Image.open(io.BytesIO(reply.body))
    assert image.format == "PNG" and image.size == (stored.width, stored.height)
    image.verify()
    db.session.rollback()
    events = db.session.scalars(sa.select(AuditEvent).where(AuditEvent.action == "keys.signature_viewed")).all()
    assert [(e.user_id, e.entity_type, e.entity_id) for e in events] == [
        (world.users[Role.RECEPTIONIST].id, "KeyLoan", str(loan_id))
    ]


def test_k4_a_missing_stored_signature_or_another_sites_loan_gives_a_404_not_a_broken_image(app, world):
    """K4, S1: a signature whose file is gone answers 404 (no half-sent body, no audit of a
    look that did not happen); another site's desk sees nothing."""
    key_set = kit.household_set(world, 0)
    loan = kit.lend(world, key_set, kit.at_local(0, 9), signature=kit.SIGNED)  # no file behind it
    db.session.commit()
    with serving(app) as server:
        client = LiveClient(server.url)
        client.login("elsewhere")
        assert client.get(f"/console/keys/loans/{loan.id}/signature.png").status == 404
        client = LiveClient(server.url)
        client.login("reception")
        reply = client.get(f"/console/keys/loans/{loan.id}/signature.png")
    assert reply.status == 404 and reply.headers["Content-Type"].startswith("text/html")
    db.session.rollback()
    assert db.session.scalar(sa.select(sa.func.count()).where(AuditEvent.action == "keys.signature_viewed")) == 0
