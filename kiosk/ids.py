"""Numbers typed or sent by people and devices, read safely.

A database key is a signed 64-bit integer (SQLite's INTEGER, PostgreSQL's BIGINT): a
larger number sent to the database is an overflow (SQLite) or a data error (PostgreSQL),
not a row that is missing. And `str.isdigit()` is true for "²" and "١", which `int()`
refuses or reads as another number: only ASCII digits 0-9 are a number here.

- `IdConverter` replaces Flask's `int` URL converter app-wide: ASCII digits only and at
  most MAX_ID, so every `/<int:...>` route answers 404 for anything else.
- `parse_id(text)` reads a key from a form or query string (None when it is not one).
- `is_number(text)` is the check to use instead of `str.isdigit()`.
"""

from werkzeug.routing import IntegerConverter

MAX_ID = 2**63 - 1


def is_number(text) -> bool:
    """Only ASCII digits 0-9 (at least one): what `int()` reads as the number it shows."""
    return isinstance(text, str) and text.isascii() and text.isdecimal()


def parse_id(text, *, maximum: int = MAX_ID) -> int | None:
    """A positive database key from text or a JSON value, or None when it is not one."""
    if isinstance(text, bool):
        return None
    if isinstance(text, int):
        value = text
    elif is_number(text.strip() if isinstance(text, str) else text):
        value = int(text.strip()) if len(text.strip()) <= 20 else maximum + 1
    else:
        return None
    return value if 0 < value <= maximum else None


def parse_ids(values) -> list[int]:
    """Every key among form or query values; anything else is left out."""
    return [value for value in (parse_id(v) for v in values) if value is not None]


def bounded_int(text, minimum: int, maximum: int) -> int | None:
    """A whole number (ASCII digits, an optional leading minus) within [minimum, maximum]."""
    if not isinstance(text, str):
        return None
    text = text.strip()
    digits = text[1:] if text.startswith("-") else text
    if not is_number(digits) or len(digits) > 20:
        return None
    value = int(text)
    return value if minimum <= value <= maximum else None


class IdConverter(IntegerConverter):
    """`<int:name>` in every route: ASCII digits, 0 < value <= MAX_ID; otherwise no match (404)."""

    regex = r"[0-9]{1,19}"

    def __init__(self, map, fixed_digits=0, min=1, max=MAX_ID, signed=False):  # noqa: A002 (werkzeug's names)
        super().__init__(map, fixed_digits=fixed_digits, min=min, max=max, signed=signed)


def register(app) -> None:
    """Before any blueprint is registered: every `<int:...>` becomes an IdConverter."""
    app.url_map.converters["int"] = IdConverter
