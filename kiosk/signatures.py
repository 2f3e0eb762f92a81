"""Drawn signatures (keys K4/K6, callbacks C4, registers V6/V8, handover H1): the PNG that
js/signature.js puts in a form field as a data URL, checked, re-encoded without metadata and
stored as a file beside the photos. Plain Python, no request.

A signature is evidence that a person took or gave something: an empty or near-empty drawing
is refused, and the stored file's sha256 goes on the record so that it can be shown unchanged.
"""

import base64
import binascii
import hashlib
import io
import uuid
from dataclasses import dataclass
from pathlib import Path

from PIL import Image, UnidentifiedImageError

PREFIX = "data:image/png;base64,"
MAX_BYTES = 512 * 1024  # a drawn signature is a few KB; refuse anything much larger
MAX_SIDE = 4000  # a canvas at most this wide or high (device pixels)
MIN_INK_PIXELS = 40  # fewer drawn pixels than this is a tap, not a signature


class SignatureRejected(ValueError):
    """`reason` is one of: missing, type, too_large, empty."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class StoredSignature:
    path: str  # relative to the photo root
    sha256: str
    width: int
    height: int


def clean_png(data_url: str | None) -> tuple[bytes, int, int]:
    """The signature as a bare PNG (black on white, no metadata), with its size."""
    if not data_url:
        raise SignatureRejected("missing")
    if not data_url.startswith(PREFIX):
        raise SignatureRejected("type")
    encoded = data_url[len(PREFIX) :]
    if len(encoded) > MAX_BYTES * 4 // 3 + 4:
        raise SignatureRejected("too_large")
    try:
        raw = base64.b64decode(encoded, validate=True)
    except (binascii.Error, ValueError):
        raise SignatureRejected("type")
    try:
        with Image.open(io.BytesIO(raw)) as image:
            if image.format != "PNG":
                raise SignatureRejected("type")
            if image.width > MAX_SIDE or image.height > MAX_SIDE:
                raise SignatureRejected("too_large")
            image.load()
            rgba = image.convert("RGBA")
    except SignatureRejected:
        raise
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        raise SignatureRejected("type")
    alpha = rgba.getchannel("A")
    ink = sum(alpha.histogram()[32:])  # pixels drawn with some opacity
    if ink < MIN_INK_PIXELS:
        raise SignatureRejected("empty")
    flat = Image.new("RGB", rgba.size, "white")
    flat.paste(rgba, mask=alpha)
    bare = flat.convert("L")
    out = io.BytesIO()
    bare.save(out, "PNG", optimize=True)
    return out.getvalue(), bare.width, bare.height


def store(root: Path, site_id: int, data_url: str | None) -> StoredSignature:
    """Check the drawing and write it under root/<site>/signatures/<yyyymm>/<uuid>.png."""
    from kiosk.timeutil import utcnow

    png, width, height = clean_png(data_url)
    relative = Path(str(site_id)) / "signatures" / utcnow().strftime("%Y%m") / f"{uuid.uuid4().hex}.png"
    target = root / relative
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(png)
    from kiosk.photos import bind_to_transaction

    bind_to_transaction(target)  # deleted again unless the write that stores it commits
    return StoredSignature(path=relative.as_posix(), sha256=hashlib.sha256(png).hexdigest(), width=width, height=height)


def refusal(reason: str) -> str:
    """The message for a refused signature, in the reader's language."""
    from flask_babel import gettext as _

    return {
        "missing": _("Please sign in the box."),
        "empty": _("The signature is too small to be read. Please sign again."),
        "type": _("The signature could not be read. Please clear it and sign again."),
        "too_large": _("The signature could not be read. Please clear it and sign again."),
    }[reason]
