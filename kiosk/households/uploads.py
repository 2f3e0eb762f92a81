"""Scanned documents as uploaded: checked by content, never by name or declared type.

Accepted: PDF (magic bytes, then parsed by pypdf; encrypted PDFs and PDFs carrying
scripts, launch actions or embedded files are refused) and photos/scans (JPEG, PNG,
WebP), which are re-encoded by kiosk.photos so that no metadata or active content
survives. Refused with a reason: an empty upload, a name that tries to be a path, a
file over the limit, any other type, an image whose pixel count is a decompression
bomb. Plain Python, no request.
"""

import io
import unicodedata
import warnings
from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
from PIL import Image, UnidentifiedImageError

from kiosk import photos

MAX_BYTES = 8 * 1024 * 1024
MAX_PAGES = 200
MAX_PIXELS = photos.MAX_PIXELS
PDF_MAGIC = b"%PDF-"
ACTIVE_KEYS = ("/OpenAction", "/AA", "/JavaScript", "/JS", "/Launch", "/EmbeddedFiles", "/XFA")

REASONS = {
    "empty": _l("The file is empty. Please choose the scanned document again."),
    "name": _l("The file name is not acceptable (it must not contain folders or start with a dot)."),
    "too_large": _l("The file is larger than 8 MB. Please scan at a lower resolution."),
    "type": _l("Only PDF files and photos (JPEG, PNG, WebP) can be attached."),
    "bomb": _l("The image is too large in pixels to be a scanned document; it was refused."),
    "pdf_broken": _l("The PDF could not be read. Please scan the document again."),
    "pdf_locked": _l("The PDF is password-protected. Please attach an unprotected scan."),
    "pdf_active": _l("The PDF contains scripts, actions or embedded files and was refused."),
}


class UploadRefused(ValueError):
    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason

    @property
    def message(self):
        return REASONS[self.reason]


@dataclass(frozen=True)
class CleanUpload:
    content_type: str  # application/pdf | image/jpeg
    data: bytes
    display_name: str


def safe_name(filename: str | None) -> str:
    """The client's name, for display only; a name that tries to be a path is refused."""
    name = unicodedata.normalize("NFKC", (filename or "").strip())
    if not name:
        return "scan"
    if "/" in name or "\\" in name or "\x00" in name or name.startswith(".") or ".." in name:
        raise UploadRefused("name")
    if any(unicodedata.category(ch).startswith("C") for ch in name):
        raise UploadRefused("name")
    return name[:120]


def check(filename: str | None, data: bytes) -> CleanUpload:
    name = safe_name(filename)
    if not data:
        raise UploadRefused("empty")
    if len(data) > MAX_BYTES:
        raise UploadRefused("too_large")
    if data.startswith(PDF_MAGIC):
        _check_pdf(data)
        return CleanUpload("application/pdf", data, name)
    return CleanUpload("image/jpeg", _clean_image(data), name)


def _check_pdf(data: bytes) -> None:
    from pypdf import PdfReader
    from pypdf.errors import PyPdfError

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            reader = PdfReader(io.BytesIO(data))
            if reader.is_encrypted:
                raise UploadRefused("pdf_locked")
            count = len(reader.pages)
            if count == 0 or count > MAX_PAGES:
                raise UploadRefused("pdf_broken")
            root = reader.trailer["/Root"]
            if _active(root) or _active(root.get("/Names")) or _active(root.get("/AcroForm")):
                raise UploadRefused("pdf_active")
            for page in reader.pages:
                if _active(page):
                    raise UploadRefused("pdf_active")
                for annot in page.get("/Annots") or ():
                    action = annot.get_object().get("/A")
                    if action is not None and action.get_object().get("/S") in ("/JavaScript", "/Launch"):
                        raise UploadRefused("pdf_active")
        except UploadRefused:
            raise
        except (PyPdfError, ValueError, KeyError, TypeError, AttributeError, RecursionError, OSError) as exc:
            raise UploadRefused("pdf_broken") from exc


def _active(dictionary) -> bool:
    if dictionary is None:
        return False
    dictionary = dictionary.get_object()
    return any(key in dictionary for key in ACTIVE_KEYS)


def _clean_image(data: bytes) -> bytes:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)  # our own limit below
            probe = Image.open(io.BytesIO(data))
        with probe:
            if probe.format not in photos.ACCEPTED_FORMATS:
                raise UploadRefused("type")
            if probe.width * probe.height > MAX_PIXELS:
                raise UploadRefused("bomb")
    except UploadRefused:
        raise
    except Image.DecompressionBombError as exc:
        raise UploadRefused("bomb") from exc
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as exc:
        raise UploadRefused("type") from exc
    try:
        jpeg, _width, _height = photos.clean_jpeg(data)
    except photos.PhotoRejected as refused:
        raise UploadRefused("too_large" if refused.reason == "too_large" else "type") from refused
    return jpeg
