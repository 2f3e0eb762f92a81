"""What every template can use: asset URLs, the page language, role checks, labels."""

import json
from datetime import UTC, date, datetime
from functools import lru_cache

from babel import Locale
from babel.dates import get_datetime_format, parse_pattern
from flask import current_app, render_template, request, url_for
from flask_babel import get_locale, get_timezone
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from markupsafe import Markup
from werkzeug.routing import BuildError

from kiosk import navigation
from kiosk.access import access_of
from kiosk.assets import asset_version
from kiosk.models import DepartmentKind, Role

ROLE_LABELS = {
    Role.RECEPTIONIST: _l("Receptionist"),
    Role.OFFICER: _l("Service officer"),
    Role.SUPERVISOR: _l("Supervisor"),
    Role.MANAGER: _l("Manager"),
    Role.DUTY_MANAGER: _l("Duty manager"),
    Role.DEPARTMENT: _l("Department staff"),
    Role.ADMIN: _l("Administrator"),
}

DEPARTMENT_LABELS = {
    DepartmentKind.CUSTOMER_SERVICE: _l("Customer service"),
    DepartmentKind.ENGINEERING: _l("Engineering"),
    DepartmentKind.CLEANING: _l("Cleaning"),
    DepartmentKind.SECURITY: _l("Security"),
    DepartmentKind.LANDSCAPING: _l("Landscaping"),
}


def htmx_config(*swap_codes: str) -> str:
    """The layout's htmx-config (STYLE.md 8): no history snapshots (no visitor data in
    localStorage), history restores fetch full pages, 422 (and any `swap_codes`) swap."""
    handling = [{"code": "204", "swap": False}, {"code": "[23]..", "swap": True}, {"code": "422", "swap": True}]
    handling += [{"code": code, "swap": True} for code in swap_codes]
    handling += [{"code": "[45]..", "swap": False, "error": True}, {"code": "...", "swap": False}]
    return json.dumps(
        {
            "historyCacheSize": 0,
            "refreshOnHistoryMiss": True,
            "includeIndicatorStyles": False,
            "allowEval": False,
            "allowScriptTags": False,
            "responseHandling": handling,
        },
        separators=(",", ":"),
    )


def asset_url(filename: str) -> str:
    return url_for("static", filename=filename, v=asset_version())


def html_lang() -> str:
    return "zh-Hans-CN" if str(get_locale()).startswith("zh") else "en"


# --- dates and times in the user's language and the site's time zone ------------------
# The same output as Flask-Babel's datetimeformat/dateformat/timeformat filters, about six
# times faster: each (locale, kind, format) pattern is parsed once, not on every call (a
# 50-row list formats 100 dates per page).
NAMED = ("full", "long", "medium", "short")


@lru_cache(maxsize=128)
def _pattern(locale_code: str, kind: str, fmt: str):
    locale = Locale.parse(locale_code)
    if fmt not in NAMED:
        return locale, parse_pattern(fmt)
    if kind == "date":
        return locale, locale.date_formats[fmt]
    if kind == "time":
        return locale, locale.time_formats[fmt]
    combined = (
        get_datetime_format(fmt, locale=locale)
        .replace("{0}", locale.time_formats[fmt].pattern)
        .replace("{1}", locale.date_formats[fmt].pattern)
    )
    return locale, parse_pattern(combined)


def _format(value, kind: str, fmt: str | None) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        value = (value if value.tzinfo else value.replace(tzinfo=UTC)).astimezone(get_timezone())
    elif not isinstance(value, date):
        return str(value)
    locale, pattern = _pattern(str(get_locale()), kind, fmt or "medium")
    return pattern.apply(value, locale)


def format_datetime(value, fmt: str | None = None) -> str:
    return _format(value, "datetime", fmt)


def format_date(value, fmt: str | None = None) -> str:
    return _format(value, "date", fmt)


def format_time(value, fmt: str | None = None) -> str:
    return _format(value, "time", fmt)


def can(endpoint: str) -> bool:
    """True if the signed-in user may open the endpoint (its access declaration)."""
    access = access_of(endpoint)
    if access is None or not current_user.is_authenticated:
        return False
    return access.kind == "public" or (access.kind == "staff" and current_user.role in access.roles)


NAV_HTML_KEPT = 2048


def console_nav_html() -> Markup:
    """The console's top menu as HTML, kept per app by (language, page, script root, the links
    the user may open): its links, labels and the current page's mark depend on nothing else,
    and drawing it (a url_for and a translation per link) was a fifth of a console page's time.
    A few hundred keys at most (languages x pages x role menus); cleared past the bound."""
    kept = current_app.extensions.setdefault("console_nav_html", {})
    groups = navigation.menu_groups(can, current_user)
    key = (
        str(get_locale()),
        request.endpoint,
        request.script_root,
        tuple((group, tuple(link.endpoint for link in links)) for group, _label, links in groups),
    )
    html = kept.get(key)
    if html is None:
        html = Markup(render_template("console/_nav.html", groups=groups))
        if len(kept) >= NAV_HTML_KEPT:
            kept.clear()
        kept[key] = html
    return html


def lang_url(code: str) -> str:
    """This page in another language. A query argument named like one of the route's own
    arguments (`/c/<code>?code=...`) or like url_for's options (`_external`, `_scheme`) is
    left out: it was a TypeError on every page, and again on its error page (the live
    walk found it)."""
    view_args = request.view_args or {}
    args = {k: v for k, v in request.args.items() if k not in view_args and not k.startswith("_")}
    args["lang"] = code
    try:
        return url_for(request.endpoint or "core.index", **view_args, **args)
    except (BuildError, ValueError, TypeError):  # an error page for a request that matched no route
        return url_for("core.index", lang=code)


def register(app) -> None:
    app.jinja_env.globals.update(
        asset_url=asset_url,
        htmx_config=htmx_config,
        console_menu=lambda: navigation.menu(can, current_user),
        console_nav_html=console_nav_html,
        html_lang=html_lang,
        can=can,
        lang_url=lang_url,
        role_label=lambda role: ROLE_LABELS.get(role, role),
        department_label=lambda kind: DEPARTMENT_LABELS.get(kind, kind),
    )
    app.jinja_env.policies["ext.i18n.trimmed"] = True
    # After Flask-Babel's init_app, so these replace its filters of the same names.
    app.jinja_env.filters.update(datetimeformat=format_datetime, dateformat=format_date, timeformat=format_time)
