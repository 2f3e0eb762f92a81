"""Household files' downloads read from a live server, as a browser receives them (over a
socket, after the view has returned and its database session is gone): an encrypted
attachment uploaded and served back as stored, its look logged (A2, S1, S3), and the monthly
inventory's XLSX (A1)."""

import hashlib
import io

import pytest
import sqlalchemy as sa
from openpyxl import load_workbook
from PIL import Image
from pypdf import PdfReader

from kiosk.extensions import db
from kiosk.households import files, inventory
from kiosk.households.storage import vault_from
from kiosk.models import AuditEvent, Role
from kiosk.models.households import FileAttachment, FileLook
from tests.households.conftest import pdf_bytes, png_bytes
from tests.live import LiveClient, serving


def _looks():
    db.session.rollback()
    return db.session.scalars(sa.select(FileLook).order_by(FileLook.id)).all()


def _audited(action):
    db.session.rollback()
    return db.session.scalars(sa.select(AuditEvent).where(AuditEvent.action == action).order_by(AuditEvent.id)).all()


UPLOADS = [
    ("购房合同.pdf", pdf_bytes(3), "application/pdf", "pdf"),
    ("身份证.png", png_bytes((64, 48)), "image/png", "jpg"),
]


@pytest.mark.parametrize("name,data,sent_type,extension", UPLOADS, ids=["pdf", "photo"])
def test_a2_attachment_uploaded_and_downloaded_live_is_the_stored_content_and_its_look_is_logged(
    app, hh, name, data, sent_type, extension
):
    """A2, S3: a document uploaded through the console is stored encrypted and served back over
    the socket byte for byte as its re-encoded stored content (inline, not cached, not sniffed);
    the look is in the access log (客户档案查阅登记表) and the audit trail, after the request."""
    file = hh.files[0]
    file_id = file.id
    with serving(app) as server:
        client = LiveClient(server.url)
        client.login("reception")
        page = f"/console/households/{file_id}"
        sent = client.post_multipart(
            f"{page}/attachments", {"item": "purchase_contract"}, {"upload": (name, data, sent_type)}, page=page
        )
        assert sent.status == 303
        attachment = db.session.scalar(sa.select(FileAttachment))
        attachment_id, stored_name, sha256 = attachment.id, attachment.stored_name, attachment.sha256
        before = len(_looks())
        reply = client.get(f"{page}/attachments/{attachment_id}")
    vault = vault_from(app.config, app.instance_path)
    stored = vault.get(stored_name)
    assert data not in vault.path_of(stored_name).read_bytes()  # encrypted at rest
    assert reply.status == 200
    assert reply.headers["Content-Type"] == ("application/pdf" if extension == "pdf" else "image/jpeg")
    assert reply.headers["Content-Disposition"] == f'inline; filename="document-{attachment_id}.{extension}"'
    assert reply.headers["Cache-Control"] == "no-store" and reply.headers["X-Content-Type-Options"] == "nosniff"
    assert int(reply.headers["Content-Length"]) == len(reply.body)
    assert reply.body == stored and hashlib.sha256(reply.body).hexdigest() == sha256
    if extension == "pdf":
        assert len(PdfReader(io.BytesIO(reply.body)).pages) == 3
    else:
        image = Image.open(io.BytesIO(reply.body))
        assert image.format == "JPEG" and image.size == (64, 48)
    looks = _looks()[before:]
    reception = hh.user(Role.RECEPTIONIST).id
    assert [(k.user_id, k.file_id, k.attachment_id, k.what, k.allowed) for k in looks] == [
        (reception, file_id, attachment_id, "attachment", True)
    ]
    events = _audited("household_file.look_attachment")
    assert [(e.user_id, e.entity_id, e.details) for e in events] == [
        (reception, str(file_id), {"attachment": attachment_id})
    ]


def test_a2_a_refused_attachment_look_over_a_live_server_sends_no_bytes_and_is_logged(app, hh):
    """A2: a department without the supervisor's permission gets the request page (403), never
    the document; the refused look is logged all the same."""
    file = hh.files[0]
    vault = vault_from(app.config, app.instance_path)
    attachment = files.attach(vault, file, "id_copy", "id.png", png_bytes(), hh.user(Role.RECEPTIONIST))
    db.session.commit()
    stored = vault.get(attachment.stored_name)
    file_id, attachment_id = file.id, attachment.id
    with serving(app) as server:
        client = LiveClient(server.url)
        client.login("engineer")
        reply = client.get(f"/console/households/{file_id}/attachments/{attachment_id}")
    assert reply.status == 403 and reply.headers["Content-Type"].startswith("text/html")
    assert stored not in reply.body and "Content-Disposition" not in reply.headers
    assert reply.text.rstrip().endswith("</html>")
    engineer = hh.user(Role.DEPARTMENT).id
    assert [(k.user_id, k.attachment_id, k.allowed) for k in _looks()] == [(engineer, attachment_id, False)]
    assert [e.user_id for e in _audited("household_file.look_refused")] == [engineer]


def _tick(hh, file, *items):
    for item in items:
        files.set_present(file, item, True, hh.user(Role.RECEPTIONIST))


def test_a1_inventory_xlsx_from_a_live_server_holds_the_files_the_test_made(app, hh):
    """A1: the month's inventory as XLSX, downloaded over a socket: one row per file that lacks
    something (room, owner or tenant, how many, which), then the count per document; no names
    or phones (S3); the export audited."""
    owner1, owner2, owner3, tenant = hh.files
    _tick(hh, owner1, *files.checklist.OWNER_ITEMS)  # complete: no row
    _tick(hh, owner2, "move_in_notice", "id_copy", "purchase_contract", "registration_form")
    _tick(hh, owner3, *[i for i in files.checklist.OWNER_ITEMS if i != "fire_safety_pledge"])
    _tick(hh, tenant)  # nothing: lease and tenant ID missing
    db.session.commit()
    rooms = {f: f.household.room.label for f in hh.files}
    month = inventory.month_of(hh.site)
    expected = sorted(
        [
            (
                rooms[owner2],
                "Owner",
                4,
                "Management covenant, Decoration agreement, Fire-safety pledge, Handover inspection",
            ),
            (rooms[owner3], "Owner", 1, "Fire-safety pledge"),
            (rooms[tenant], "Tenant", 2, "Lease, Tenant ID or business licence"),
        ],
        key=lambda row: [int(part) for part in row[0].split("-")],
    )
    with serving(app) as server:
        client = LiveClient(server.url)
        client.login("supervisor")
        reply = client.get("/console/households/inventory.xlsx?lang=en")
        refused = LiveClient(server.url)
        refused.login("reception")
        assert refused.get("/console/households/inventory.xlsx").status == 403
    assert reply.status == 200
    assert reply.headers["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert reply.headers["Content-Disposition"] == f'attachment; filename="file-inventory-{month:%Y-%m}.xlsx"'
    assert reply.headers["Cache-Control"] == "no-store"
    assert int(reply.headers["Content-Length"]) == len(reply.body)
    workbook = load_workbook(io.BytesIO(reply.body))
    sheet = workbook.active
    assert sheet.title == "Missing documents"
    lines = [line for line in sheet.iter_rows(values_only=True) if any(cell is not None for cell in line)]
    assert lines[0] == ("Room", "Owner or tenant", "Missing", "Missing documents")
    assert lines[1 : 1 + len(expected)] == expected
    counts = {line[0]: line[2] for line in lines[1 + len(expected) :]}
    assert counts == {
        "Management covenant": 1,
        "Decoration agreement": 1,
        "Fire-safety pledge": 2,
        "Handover inspection": 1,
        "Lease": 1,
        "Tenant ID or business licence": 1,
    }
    values = {str(cell) for line in lines for cell in line if cell is not None}
    for household in hh.households + [hh.tenant]:
        assert household.name not in values and household.phone not in values
    events = _audited("household_files.inventory_exported")
    assert [(e.user_id, e.details) for e in events] == [
        (hh.user(Role.SUPERVISOR).id, {"month": month.isoformat(), "rows": 3})
    ]
