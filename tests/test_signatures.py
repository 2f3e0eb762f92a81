"""Drawn signatures (K4, C4, V6, V8, H1): only a real drawing is stored, as a bare PNG."""

import base64
import io

import pytest
from PIL import Image, PngImagePlugin

from kiosk.signatures import SignatureRejected, clean_png, store


def _data_url(image: Image.Image, **save) -> str:
    out = io.BytesIO()
    image.save(out, "PNG", **save)
    return "data:image/png;base64," + base64.b64encode(out.getvalue()).decode()


def _drawing(strokes: int = 40) -> Image.Image:
    image = Image.new("RGBA", (300, 120), (0, 0, 0, 0))
    for x in range(10, 10 + strokes * 5):
        for y in (50, 51, 52):
            image.putpixel((x % 300, y), (17, 17, 17, 255))
    return image


def test_a_drawing_is_stored_as_a_bare_png_without_its_metadata(tmp_path):
    info = PngImagePlugin.PngInfo()
    info.add_text("Comment", "<script>alert(1)</script>")
    stored = store(tmp_path, 7, _data_url(_drawing(), pnginfo=info))
    kept = (tmp_path / stored.path).read_bytes()
    assert stored.path.startswith("7/signatures/") and stored.path.endswith(".png")
    with Image.open(io.BytesIO(kept)) as image:
        assert image.format == "PNG" and image.mode == "L" and (image.width, image.height) == (300, 120)
        assert "Comment" not in image.info
        assert image.getpixel((20, 51)) < 64 and image.getpixel((5, 5)) == 255  # ink on white


@pytest.mark.parametrize(
    "value, reason",
    [
        (None, "missing"),
        ("", "missing"),
        ("data:image/jpeg;base64,AAAA", "type"),
        ("data:image/png;base64,not base64!", "type"),
        ("data:image/png;base64," + base64.b64encode(b"GIF89a....").decode(), "type"),
        ("data:image/png;base64," + "A" * (800 * 1024), "too_large"),
    ],
)
def test_what_is_not_a_png_drawing_is_refused(value, reason):
    with pytest.raises(SignatureRejected) as refused:
        clean_png(value)
    assert refused.value.reason == reason


def test_a_tap_or_a_blank_pad_is_not_a_signature():
    with pytest.raises(SignatureRejected) as refused:
        clean_png(_data_url(_drawing(strokes=2)))
    assert refused.value.reason == "empty"
    with pytest.raises(SignatureRejected):
        clean_png(_data_url(Image.new("RGBA", (300, 120), (0, 0, 0, 0))))
