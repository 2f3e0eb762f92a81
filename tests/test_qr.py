"""QR codes (kiosk.qr): a short code is drawn as a full QR code, which phone cameras, WeChat and
hand-held scanners read, not as the Micro QR that segno picks for short text."""

import segno

from kiosk import qr


def test_a_short_code_is_a_full_qr_code_with_its_quiet_zone_not_micro_qr():
    assert segno.make("AB12CD34", error="m").is_micro  # what segno alone would draw
    svg = qr.svg("AB12CD34", scale=1, omitsize=False)
    assert svg.startswith('<svg width="29" height="29"')  # version 1: 21 modules, 4 on each side
