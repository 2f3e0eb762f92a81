"""Builders shared by the register tests."""

import base64
import io

from PIL import Image


def signature_url() -> str:
    """A drawn signature as the pad posts it."""
    image = Image.new("RGBA", (300, 120), (0, 0, 0, 0))
    for x in range(10, 260):
        for y in (50, 51, 52):
            image.putpixel((x, y), (17, 17, 17, 255))
    out = io.BytesIO()
    image.save(out, "PNG")
    return "data:image/png;base64," + base64.b64encode(out.getvalue()).decode()


def jpeg_bytes() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (64, 48), (200, 120, 40)).save(out, "JPEG")
    return out.getvalue()
