"""Household files for the test world: one file per household, a tenant, and upload samples."""

import io

import pytest
from PIL import Image

from kiosk.extensions import db
from kiosk.households import files
from kiosk.models import Household, HouseholdKind, Role


@pytest.fixture
def hh(world):
    """The world with a file for each of its three owner households plus one tenant's file."""
    tenant = Household(
        site=world.site, room=world.rooms[0], name="钱七", phone="13655556666", kind=HouseholdKind.TENANT
    )
    db.session.add(tenant)
    db.session.flush()
    opened = [files.open_file(h, world.user(Role.SUPERVISOR)) for h in [*world.households, tenant]]
    db.session.commit()
    world.files = opened
    world.tenant = tenant
    return world


def pdf_bytes(pages: int = 1, javascript: bool = False) -> bytes:
    from pypdf import PdfWriter

    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(width=595, height=842)
    if javascript:
        from pypdf.generic import DictionaryObject, NameObject, TextStringObject

        writer._root_object[NameObject("/OpenAction")] = DictionaryObject(
            {NameObject("/S"): NameObject("/JavaScript"), NameObject("/JS"): TextStringObject("app.alert(1)")}
        )
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def png_bytes(size=(40, 30), color=(200, 30, 30)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, color).save(out, "PNG")
    return out.getvalue()


def upload(client, file_id: int, item: str, data: bytes, name: str = "scan.pdf", **extra):
    token = client.csrf(f"/console/households/{file_id}")
    return client.post(
        f"/console/households/{file_id}/attachments",
        data={"csrf_token": token, "item": item, "upload": (io.BytesIO(data), name), **extra},
        content_type="multipart/form-data",
    )
