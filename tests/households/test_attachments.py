"""Attachments: checked by content, encrypted at rest, served only through the access check
(A2, S3); bad uploads refused with a message, nothing stored touched."""

import io
from pathlib import Path

import pytest
import sqlalchemy as sa
from PIL import Image

from kiosk.extensions import db
from kiosk.households import files, uploads
from kiosk.households.storage import vault_from
from kiosk.models import Role
from kiosk.models.households import FileAttachment, HouseholdFile
from tests.households.conftest import pdf_bytes, png_bytes, upload


def _blobs(app) -> dict[Path, bytes]:
    root = Path(app.config["HOUSEHOLD_FILES_ROOT"])
    return {p: p.read_bytes() for p in root.rglob("*") if p.is_file()} if root.exists() else {}


def test_s3_stored_blob_is_encrypted_and_served_back_intact(app, hh, client):
    file = hh.files[0]
    data = pdf_bytes(2)
    client.login("reception")
    response = upload(client, file.id, "purchase_contract", data, "购房合同.pdf")
    assert response.status_code == 303
    attachment = db.session.scalar(sa.select(FileAttachment))
    blob = vault_from(app.config, app.instance_path).path_of(attachment.stored_name)
    stored = blob.read_bytes()
    assert stored != data and b"%PDF" not in stored  # not the uploaded bytes
    assert "购房合同" not in attachment.stored_name and attachment.display_name == "购房合同.pdf"
    assert not str(blob.resolve()).startswith(str(Path(app.root_path) / "static"))
    served = client.get(f"/console/households/{file.id}/attachments/{attachment.id}")
    assert served.status_code == 200 and served.data == data
    assert served.headers["Content-Type"] == "application/pdf"
    assert served.headers["Cache-Control"] == "no-store"
    db.session.expire_all()
    assert files.document_of(db.session.get(HouseholdFile, file.id), "purchase_contract").present  # A3


def test_images_are_re_encoded_without_metadata(app, hh, client):
    image = Image.new("RGB", (50, 40), (10, 120, 200))
    exif = Image.Exif()
    exif[0x010E] = "secret description"
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif)
    client.login("reception")
    assert upload(client, hh.files[0].id, "id_copy", out.getvalue(), "id.jpg").status_code == 303
    attachment = db.session.scalar(sa.select(FileAttachment))
    served = client.get(f"/console/households/{hh.files[0].id}/attachments/{attachment.id}").data
    assert served[:3] == b"\xff\xd8\xff" and b"secret description" not in served


BAD = [
    ("../../etc/passwd.pdf", pdf_bytes(), "name"),
    ("..\\win.pdf", pdf_bytes(), "name"),
    ("report.pdf", b"MZ\x90\x00 this is an executable", "type"),
    ("notes.pdf", b"<html><script>alert(1)</script></html>", "type"),
    ("big.pdf", b"%PDF-1.4\n" + b"0" * (uploads.MAX_BYTES + 1), "too_large"),
    ("empty.pdf", b"", "empty"),
    ("broken.pdf", b"%PDF-1.7\nthis is not really a pdf", "pdf_broken"),
    ("script.pdf", pdf_bytes(javascript=True), "pdf_active"),
]


@pytest.mark.parametrize("name,data,reason", BAD, ids=[b[2] + "-" + str(i) for i, b in enumerate(BAD)])
def test_bad_uploads_are_refused_with_a_message_and_nothing_stored_is_touched(app, hh, client, name, data, reason):
    file = hh.files[0]
    client.login("reception")
    assert upload(client, file.id, "registration_form", pdf_bytes(), "ok.pdf").status_code == 303
    before = _blobs(app)
    response = upload(client, file.id, "purchase_contract", data, name)
    assert response.status_code == 422
    from flask_babel import force_locale

    with app.test_request_context(), force_locale("zh_Hans_CN"):
        message = str(uploads.REASONS[reason])
    assert message in response.get_data(as_text=True)
    assert _blobs(app) == before  # nothing new written, nothing old changed
    assert db.session.scalar(sa.select(sa.func.count(FileAttachment.id))) == 1


def test_decompression_bomb_is_refused(app, hh, client):
    """A PNG that claims a huge pixel count is refused before it is decoded."""
    out = io.BytesIO()
    Image.new("1", (9000, 9000)).save(out, "PNG")  # 81 M pixels, a few KB compressed
    data = out.getvalue()
    assert len(data) < 200_000
    with pytest.raises(uploads.UploadRefused) as refused:
        uploads.check("bomb.png", data)
    assert refused.value.reason == "bomb"
    client.login("reception")
    assert upload(client, hh.files[0].id, "id_copy", data, "bomb.png").status_code == 422
    assert _blobs(app) == {}


def test_a2_attachment_is_served_only_through_the_access_check(app, hh, client):
    file = hh.files[0]
    vault = vault_from(app.config, app.instance_path)
    attachment = files.attach(vault, file, "id_copy", "id.png", png_bytes(), hh.user(Role.RECEPTIONIST))
    db.session.commit()
    client.login("engineer")
    response = client.get(f"/console/households/{file.id}/attachments/{attachment.id}")
    assert response.status_code == 403 and response.headers["Content-Type"].startswith("text/html")
    client.login("admin")
    assert client.get(f"/console/households/{file.id}/attachments/{attachment.id}").status_code == 403
    other = files.open_file(hh.households[1], None)
    db.session.commit()
    client.login("manager")
    assert client.get(f"/console/households/{other.id}/attachments/{attachment.id}").status_code == 404


def test_vault_never_reads_outside_its_root(app):
    vault = vault_from(app.config, app.instance_path)
    with pytest.raises(FileNotFoundError):
        vault.path_of("../../etc/passwd")


def test_a_body_far_over_the_limit_is_refused_before_it_is_parsed(app, hh, client):
    """MAX_CONTENT_LENGTH (the ground's setting) answers 413 for a body far over the limit; nothing stored."""
    client.login("reception")
    response = upload(client, hh.files[0].id, "id_copy", b"%PDF-" + b"0" * (uploads.MAX_BYTES * 2), "big.pdf")
    assert response.status_code == 413
    assert db.session.scalar(sa.select(sa.func.count(FileAttachment.id))) == 0
