"""Uploaded photos: type and size checked, metadata (GPS) stripped, at most 1600 px."""

import io

import pytest
from PIL import Image

from kiosk import photos
from tests.patrolkit import jpeg_bytes


def test_exif_and_gps_are_stripped():
    data = jpeg_bytes(exif_gps=True)
    assert Image.open(io.BytesIO(data)).getexif().get_ifd(0x8825)  # the input carries GPS
    cleaned, _w, _h = photos.clean_jpeg(data)
    image = Image.open(io.BytesIO(cleaned))
    assert not image.getexif() and "exif" not in image.info


def test_large_photos_are_downscaled_to_1600_px():
    _data, width, height = photos.clean_jpeg(jpeg_bytes(size=(4000, 3000)))
    assert (width, height) == (1600, 1200)


def test_png_with_transparency_becomes_jpeg():
    out = io.BytesIO()
    Image.new("RGBA", (20, 20), (0, 0, 0, 0)).save(out, "PNG")
    cleaned, _w, _h = photos.clean_jpeg(out.getvalue())
    assert Image.open(io.BytesIO(cleaned)).format == "JPEG"


@pytest.mark.parametrize(
    "data, reason",
    [
        (b"", "empty"),
        (b"<svg xmlns='http://www.w3.org/2000/svg'/>", "type"),
        (b"GIF89a" + b"\0" * 20, "type"),
        (b"\xff\xd8\xff" + b"\0" * (photos.MAX_BYTES + 1), "too_large"),
    ],
)
def test_wrong_type_or_size_is_refused(data, reason):
    with pytest.raises(photos.PhotoRejected) as refused:
        photos.clean_jpeg(data)
    assert refused.value.reason == reason


def test_gif_is_refused():
    out = io.BytesIO()
    Image.new("RGB", (5, 5)).save(out, "GIF")
    with pytest.raises(photos.PhotoRejected):
        photos.clean_jpeg(out.getvalue())


def test_store_writes_a_file_under_the_root(tmp_path):
    stored = photos.store(tmp_path, 7, jpeg_bytes())
    assert stored.path.startswith("7/") and (tmp_path / stored.path).exists()
    assert photos.open_path(tmp_path, stored.path).exists()
    with pytest.raises(FileNotFoundError):
        photos.open_path(tmp_path, "../../etc/passwd")
