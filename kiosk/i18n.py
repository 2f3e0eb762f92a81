"""Language and time-zone choice, and the message catalogues.

Language, first match wins: `?lang=` (then remembered in a cookie), the signed-in
user's saved preference, the browser's Accept-Language, the site's default, the app's.
Catalogues live per area: kiosk/translations/<area>/<locale>/LC_MESSAGES/messages.po.

A message that carries a value someone typed (a room number, a name) is built with
`escaped(...)` or `lazy_escaped(...)`, never `_(...)`/`_l(...)` with variables: Jinja
treats a lazy string as already safe markup, so a typed `<b hx-get=...>` would reach the
page as markup. These escape every value as it enters the translated text and return
Markup, which pages show as text and flash() keeps as it is.
"""

import os
from pathlib import Path

from flask import current_app, g, request
from flask_babel import gettext
from flask_babel.speaklater import LazyString
from flask_login import current_user
from markupsafe import Markup

TRANSLATIONS = Path(__file__).parent / "translations"
LANG_COOKIE = "lang"
_ALIASES = {
    "zh": "zh_Hans_CN",
    "zh_cn": "zh_Hans_CN",
    "zh-cn": "zh_Hans_CN",
    "zh_hans": "zh_Hans_CN",
    "zh-hans": "zh_Hans_CN",
    "zh_hans_cn": "zh_Hans_CN",
    "zh-hans-cn": "zh_Hans_CN",
    "en": "en",
    "en_us": "en",
    "en-us": "en",
    "en_gb": "en",
    "en-gb": "en",
}


def normalise(code: str | None) -> str | None:
    if not code:
        return None
    return _ALIASES.get(code.strip().lower())


def translation_directories() -> str:
    areas = sorted(p for p in TRANSLATIONS.iterdir() if p.is_dir()) if TRANSLATIONS.exists() else []
    return ";".join(str(p) for p in areas) or str(TRANSLATIONS)


def _site():
    if current_user and current_user.is_authenticated:
        return current_user.site
    device = g.get("device")
    return device.site if device is not None else None


def select_locale() -> str:
    for candidate in (request.args.get("lang"), request.cookies.get(LANG_COOKIE)):
        locale = normalise(candidate)
        if locale:
            return locale
    if current_user and current_user.is_authenticated:
        # Staff: their own saved preference, else the site's language (a Chinese-first
        # product: a browser set to English does not switch the console; issue 12).
        if normalise(current_user.locale):
            return normalise(current_user.locale)
        if normalise(current_user.site.default_locale):
            return normalise(current_user.site.default_locale)
        return current_app.config["BABEL_DEFAULT_LOCALE"]
    for code, _quality in request.accept_languages:
        locale = normalise(code) or normalise(code.split("-")[0])
        if locale:
            return locale
    site = _site()
    if site is not None and normalise(site.default_locale):
        return normalise(site.default_locale)
    return current_app.config["BABEL_DEFAULT_LOCALE"]


def select_timezone() -> str:
    site = _site()
    return site.timezone if site is not None else current_app.config["BABEL_DEFAULT_TIMEZONE"]


def remember_choice(response):
    """after_request: a `?lang=` choice is kept in a cookie for a year."""
    locale = normalise(request.args.get("lang"))
    if locale and request.cookies.get(LANG_COOKIE) != locale:
        response.set_cookie(
            LANG_COOKIE,
            locale,
            max_age=365 * 24 * 3600,
            samesite="Lax",
            secure=current_app.config["HTTPS"],
            httponly=True,
        )
    return response


def compile_catalogues() -> list[Path]:
    """Compile every messages.po to .mo when the .mo is missing or older."""
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    written = []
    for po in TRANSLATIONS.glob("*/*/LC_MESSAGES/messages.po"):
        mo = po.with_suffix(".mo")
        if mo.exists() and mo.stat().st_mtime >= po.stat().st_mtime:
            continue
        with po.open("rb") as f:
            catalog = read_po(f)
        partial = mo.with_name(f"messages.{os.getpid()}.mo.tmp")
        with partial.open("wb") as f:
            write_mo(f, catalog)
        os.replace(partial, mo)  # atomic: a parallel test worker never reads half a file
        written.append(mo)
    return written


def escaped(msgid: str, **values) -> Markup:
    """The translated message with every value escaped as it enters it (Markup)."""
    return Markup(gettext(msgid)) % values


def lazy_escaped(msgid: str, **values) -> LazyString:
    """`escaped`, translated when shown (for messages made outside a request's language)."""
    return LazyString(escaped, msgid, **values)
