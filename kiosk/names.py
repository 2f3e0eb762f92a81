"""People's names and phone numbers as the front desk searches and shows them.

Plain Python: used by visit registration (to fill the search columns), the visitor log
search and the watch list. Nothing here knows about HTTP.
"""

import re
import unicodedata

from pypinyin import lazy_pinyin

_SPACES = re.compile(r"\s+")


def normalise_name(name: str | None) -> str:
    """Full/half width folded (NFKC), case folded, all spaces removed: "张 三", "张三"
    and "ＺＨＡＮＧ san" compare as written by one hand. Used for watch-list matching."""
    if not name:
        return ""
    return _SPACES.sub("", unicodedata.normalize("NFKC", name)).casefold()


def pinyin_of(name: str | None) -> tuple[str, str]:
    """("zhang san", "zs") for 张三: the full pinyin (syllables separated by spaces) and
    the initials, for searching by pinyin. Letters in other scripts pass through folded;
    characters without a reading (rare ones outside the BMP) are kept as they are."""
    name = unicodedata.normalize("NFKC", name or "").strip()
    if not name:
        return "", ""
    syllables = [part.strip().casefold() for part in lazy_pinyin(name, errors="default")]
    syllables = [word for part in syllables for word in part.split() if word]
    initials = "".join(word[0] for word in syllables)
    return " ".join(syllables), initials


def mask_phone(phone: str | None) -> str:
    """138****5678 for lists; the full number only on the record, to roles that need it."""
    if not phone:
        return ""
    digits = phone[3:] if phone.startswith("+86") else phone
    if len(digits) <= 7:
        return digits[:2] + "*" * max(len(digits) - 4, 0) + digits[-2:]
    return digits[:3] + "*" * (len(digits) - 7) + digits[-4:]


def mask_id_number(number: str | None) -> str:
    """110105********1234: the ID number as it may be stored and shown (V-rules, S3)."""
    if not number:
        return ""
    number = number.strip().upper()
    if len(number) <= 8:
        return number[:1] + "*" * (len(number) - 2) + number[-1:]
    return number[:6] + "*" * (len(number) - 10) + number[-4:]
