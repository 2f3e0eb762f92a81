"""QR codes as inline SVG (segno: drawn here, no network, no file).

Always a full QR code, never a Micro QR: segno's `make` picks Micro QR for short text (a visit
code, a goods pass's code), which phone cameras, WeChat and many hand-held scanners as set up out
of the box do not read. Error correction M; the quiet zone is the standard's 4 modules unless a
caller's card has its own white margin."""

import segno


def svg(text: str, *, scale: int, border: int = 4, omitsize: bool = True, dark: str = "#111") -> str:
    return segno.make_qr(text, error="m").svg_inline(scale=scale, border=border, omitsize=omitsize, dark=dark)
