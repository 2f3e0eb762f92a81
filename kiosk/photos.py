"""Uploaded photos: checked for type and size, re-encoded as JPEG without any metadata
(EXIF, GPS location, XMP, comments), at most 1600 px on the long side, stored as files
under instance/photos/. Plain Python, no request.

Tablets shrink photos before upload (OFFLINE.md 7); the server does it again because a
client can send anything.

A stored file belongs to the unit of work that stores it (`bind_to_transaction`): when
the database transaction is rolled back or closed without a commit (a refused write, a
replayed key, an error), the files it stored are deleted, so that no file is left on
disk without its row. Signatures (kiosk/signatures.py) use the same rule.
"""

import hashlib
import io
import uuid
from dataclasses import dataclass
from pathlib import Path

import sqlalchemy as sa
from PIL import Image, ImageOps, UnidentifiedImageError
from sqlalchemy.orm import Session

MAX_BYTES = 8 * 1024 * 1024  # what we accept from a client
MAX_SIDE = 1600  # what we keep
MAX_PIXELS = 40_000_000  # refuse decompression bombs before decoding
ACCEPTED_FORMATS = {"JPEG", "PNG", "WEBP"}
JPEG_QUALITY = 82


class PhotoRejected(ValueError):
    """The upload is not a photo we accept; `reason` is one of the REASONS keys."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class StoredPhoto:
    path: str  # relative to the photo root
    width: int
    height: int
    size: int
    sha256: str

    def columns(self) -> dict:
        """The stored file's columns, as every photo model names them."""
        return {"path": self.path, "width": self.width, "height": self.height, "size": self.size, "sha256": self.sha256}


def clean_jpeg(data: bytes) -> tuple[bytes, int, int]:
    """Check and re-encode: (jpeg bytes without metadata, width, height)."""
    if not data:
        raise PhotoRejected("empty")
    if len(data) > MAX_BYTES:
        raise PhotoRejected("too_large")
    try:
        with Image.open(io.BytesIO(data)) as probe:
            if probe.format not in ACCEPTED_FORMATS:
                raise PhotoRejected("type")
            if probe.width * probe.height > MAX_PIXELS:
                raise PhotoRejected("too_large")
            probe.verify()
        with Image.open(io.BytesIO(data)) as image:
            image.load()
            image = ImageOps.exif_transpose(image)  # keep the orientation, drop the tag
            if image.mode not in ("RGB", "L"):
                background = Image.new("RGB", image.size, "white")
                rgba = image.convert("RGBA")
                background.paste(rgba, mask=rgba.getchannel("A"))
                image = background
            image.thumbnail((MAX_SIDE, MAX_SIDE), Image.Resampling.LANCZOS)
            # A new image from the pixels only: no info dict, no EXIF, no ICC, no XMP.
            bare = Image.new(image.mode, image.size)
            bare.paste(image)
            out = io.BytesIO()
            bare.save(out, "JPEG", quality=JPEG_QUALITY, optimize=True)
            return out.getvalue(), bare.width, bare.height
    except PhotoRejected:
        raise
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        raise PhotoRejected("type")


def store(root: Path, site_id: int, data: bytes) -> StoredPhoto:
    """Clean the photo and write it under root/<site>/<yy><mm>/<uuid>.jpg."""
    jpeg, width, height = clean_jpeg(data)
    from kiosk.timeutil import utcnow

    folder = Path(str(site_id)) / utcnow().strftime("%Y%m")
    relative = folder / f"{uuid.uuid4().hex}.jpg"
    target = root / relative
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(jpeg)
    bind_to_transaction(target)
    return StoredPhoto(
        path=relative.as_posix(),
        width=width,
        height=height,
        size=len(jpeg),
        sha256=hashlib.sha256(jpeg).hexdigest(),
    )


_PENDING = "kiosk.stored_files"


def bind_to_transaction(path: Path, session=None) -> None:
    """Keep the file only if the current database transaction commits; delete it otherwise.
    Outside an application (a script, a unit test of the file itself) there is no unit of
    work: the file stays."""
    if session is None:
        from flask import has_app_context

        if not has_app_context():
            return
        from kiosk.extensions import db

        session = db.session()
    session.info.setdefault(_PENDING, []).append(Path(path))


@sa.event.listens_for(Session, "after_commit")
def _keep_stored_files(session) -> None:
    session.info.pop(_PENDING, None)


@sa.event.listens_for(Session, "after_transaction_end")
def _remove_unkept_files(session, transaction) -> None:
    if transaction.parent is not None or transaction.nested:
        return  # a savepoint: the outer transaction decides
    for path in session.info.pop(_PENDING, ()):
        path.unlink(missing_ok=True)


def open_path(root: Path, relative: str) -> Path:
    """The file of a stored photo; never outside the root."""
    path = (root / relative).resolve()
    if root.resolve() not in path.parents:
        raise FileNotFoundError(relative)
    return path


def root(config, instance_path: str) -> Path:
    """Where photos live: PHOTO_ROOT, or instance/photos."""
    return Path(config.get("PHOTO_ROOT") or Path(instance_path) / "photos")
