"""Keeping the message catalogues complete: which msgids the code uses and which are missing.

Used by `flask --app kiosk translations ...` and by the test that fails when a catalogue
entry is missing. Every user-visible string is an English msgid; each area's catalogue
(kiosk/translations/<area>/) holds a Chinese and an English translation for it.
"""

from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po, write_po

PACKAGE = Path(__file__).parent
TRANSLATIONS = PACKAGE / "translations"
LOCALES = ("zh_Hans_CN", "en")
METHODS = [("**/templates/**.html", "jinja2"), ("**.py", "python")]
OPTIONS = {"**/templates/**.html": {"trimmed": "true", "extensions": "jinja2.ext.i18n"}}
KEYWORDS = {
    "_": None,
    "gettext": None,
    "ngettext": (1, 2),
    "lazy_gettext": None,
    "_l": None,
    "escaped": None,
    "lazy_escaped": None,
}  # kiosk.i18n: messages that carry typed values


def _extracted():
    for filename, _lineno, message, _comments, _context in extract_from_dir(
        str(PACKAGE), METHODS, OPTIONS, keywords=KEYWORDS
    ):
        if "migrations" not in filename and message and (message[0] if isinstance(message, tuple) else message):
            yield filename, message


def used_msgids() -> dict[str, str]:
    """msgid -> first file that uses it, for every translatable string in the package
    (a plural message by its singular msgid)."""
    found: dict[str, str] = {}
    for filename, message in _extracted():
        found.setdefault(message[0] if isinstance(message, tuple) else message, filename)
    return found


def used_plurals() -> dict[str, str]:
    """singular msgid -> plural msgid, for every message used through ngettext."""
    return {message[0]: message[1] for _f, message in _extracted() if isinstance(message, tuple)}


def _po(area: str, locale: str) -> Path:
    return TRANSLATIONS / area / locale / "LC_MESSAGES" / "messages.po"


def _read(path: Path, locale: str) -> Catalog:
    if not path.exists():
        return Catalog(locale=locale)
    with path.open("rb") as f:
        return read_po(f, locale=locale)


def translated(locale: str) -> dict[str, str]:
    """msgid -> translation over all areas (empty translations left out)."""
    result: dict[str, str] = {}
    for po in sorted(TRANSLATIONS.glob(f"*/{locale}/LC_MESSAGES/messages.po")):
        for message in _read(po, locale):
            if message.id and message.string:
                result[message.id if isinstance(message.id, str) else message.id[0]] = message.string
    return result


def conflicts(locale: str) -> dict[str, dict[str, str]]:
    """msgid -> {area: translation} where areas translate one msgid differently. The
    areas' catalogues are merged into one at run time, the last area winning, so such
    a msgid would show one area's words in another's pages."""
    seen: dict[str, dict[str, str]] = {}
    for po in sorted(TRANSLATIONS.glob(f"*/{locale}/LC_MESSAGES/messages.po")):
        area = po.parts[-4]
        for message in _read(po, locale):
            if message.id and message.string:
                msgid = message.id if isinstance(message.id, str) else message.id[0]
                seen.setdefault(msgid, {})[area] = str(message.string)
    return {msgid: areas for msgid, areas in seen.items() if len(set(areas.values())) > 1}


def translated_plurals(locale: str) -> set[str]:
    """Singular msgids that some catalogue holds as plural entries (msgid_plural)."""
    found = set()
    for po in sorted(TRANSLATIONS.glob(f"*/{locale}/LC_MESSAGES/messages.po")):
        found |= {m.id[0] for m in _read(po, locale) if isinstance(m.id, tuple) and any(m.string)}
    return found


def missing() -> dict[str, list[str]]:
    """locale -> msgids used in code that no catalogue translates. A message used through
    ngettext needs a plural entry: gettext never finds it under a singular one, and the
    page would show the English text whatever the language."""
    used = used_msgids()
    plurals = set(used_plurals())
    return {
        locale: sorted((set(used) - plurals - set(translated(locale))) | (plurals - translated_plurals(locale)))
        for locale in LOCALES
    }


def add_missing(area: str) -> dict[str, int]:
    """Append every untranslated msgid to `area`'s catalogues: English filled with the
    msgid itself, Chinese left empty for a person to translate (the test fails until then)."""
    used = used_msgids()
    counts = {}
    for locale in LOCALES:
        path = _po(area, locale)
        catalog = _read(path, locale)
        have = set(translated(locale)) | {m.id for m in catalog if m.id}
        added = 0
        plurals = used_plurals()
        for msgid in sorted(set(used) - have):
            if msgid in plurals:
                ids = (msgid, plurals[msgid])
                catalog.add(ids, ids if locale == "en" else ("",), locations=[(used[msgid], 0)])
            else:
                catalog.add(msgid, msgid if locale == "en" else "", locations=[(used[msgid], 0)])
            added += 1
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("wb") as f:
            write_po(f, catalog, width=0, omit_header=False, include_lineno=False, sort_output=True)
        counts[locale] = added
    return counts


def fill(area: str, locale: str, strings: dict[str, str]) -> int:
    """Set translations in an area's catalogue (adding entries as needed); returns how many."""
    path = _po(area, locale)
    catalog = _read(path, locale)
    for msgid, text in strings.items():
        if msgid in catalog:
            catalog[msgid].string = text
        else:
            catalog.add(msgid, text)
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("wb") as f:
        write_po(f, catalog, width=0, include_lineno=False, sort_output=True)
    return len(strings)
