"""The console's navigation, grouped by area, and what each person's home page counts.

Blueprints declare their pages and counters when they are registered:

    add_link("lobby.board", _l("Lobby"), group="front_desk")
    add_counter("visits.waiting", _l("Visitors waiting"), "lobby.board", count_waiting,
                group="front_desk")

A link or a counter is shown only to the roles its endpoint's access declaration allows
(templating.can), so the menu of a role holds only the groups it may use. A counter's
`count(site_id, user)` runs one bounded query; the home page shows it as a number that
links to the list, and hides counters at 0 unless `always` is set. The console's top bar
shows each group's counters summed as a badge (`badges`), fetched after the page has
loaded and again whenever a page announces the `nav-counts` event (a live board that saw
a change): one request for all badges.
"""

from collections.abc import Callable
from dataclasses import dataclass

from flask_babel import lazy_gettext as _l

GROUPS: dict[str, object] = {
    "front_desk": _l("Front desk"),
    "cases": _l("Cases"),
    "patrols": _l("Patrols"),
    "keys": _l("Keys"),
    "households": _l("Households"),
    "registers": _l("Registers"),
    "admin": _l("Admin"),
}


@dataclass(frozen=True)
class Link:
    endpoint: str
    label: object
    group: str
    shown: Callable | None = None  # (user) -> bool: beyond the role, whom the link is for


@dataclass(frozen=True)
class Counter:
    key: str
    label: object
    endpoint: str
    count: Callable  # (site_id: int, user) -> int
    group: str
    always: bool = False
    urgent: bool = False
    args: tuple = ()  # query arguments of the list it links to, as (name, value) pairs


LINKS: list[Link] = []
COUNTERS: list[Counter] = []


def add_link(endpoint: str, label, group: str, shown: Callable | None = None) -> None:
    if group not in GROUPS:
        raise ValueError(f"unknown navigation group {group!r}")
    if all(link.endpoint != endpoint for link in LINKS):
        LINKS.append(Link(endpoint, label, group, shown))


def add_counter(
    key: str,
    label,
    endpoint: str,
    count: Callable,
    group: str,
    always: bool = False,
    urgent: bool = False,
    args: dict | None = None,
) -> None:
    if group not in GROUPS:
        raise ValueError(f"unknown navigation group {group!r}")
    if all(counter.key != key for counter in COUNTERS):
        COUNTERS.append(Counter(key, label, endpoint, count, group, always, urgent, tuple((args or {}).items())))


def menu(can: Callable[[str], bool], user=None) -> list[tuple[object, list[Link]]]:
    """[(group label, [links the user may open])] in the groups' order, empty groups left out."""
    return [(label, links) for _key, label, links in menu_groups(can, user)]


def menu_groups(can: Callable[[str], bool], user=None) -> list[tuple[str, object, list[Link]]]:
    """menu() with each group's key: [(key, label, links)] (the console's top bar, whose
    groups carry the badges of `badges`)."""
    grouped = []
    for key, label in GROUPS.items():
        links = [
            link
            for link in LINKS
            if link.group == key and can(link.endpoint) and (link.shown is None or link.shown(user))
        ]
        if links:
            grouped.append((key, label, links))
    return grouped


def attention(can: Callable[[str], bool], site_id: int, user) -> list[tuple[object, list[tuple[Counter, int]]]]:
    """[(group label, [(counter, n)])]: what needs this person now, by group."""
    grouped = []
    for key, label in GROUPS.items():
        rows = []
        for counter in COUNTERS:
            if counter.group != key or not can(counter.endpoint):
                continue
            n = counter.count(site_id, user)
            if n or counter.always:
                rows.append((counter, n))
        if rows:
            grouped.append((label, rows))
    return grouped


@dataclass(frozen=True)
class Badge:
    """What a menu group's badge shows: the sum of its counters, urgent when an urgent
    counter is not 0, and each counter for the badge's title."""

    n: int
    urgent: bool
    parts: tuple[tuple[Counter, int], ...]


def badges(can: Callable[[str], bool], site_id: int, user) -> dict[str, Badge]:
    """group key -> its badge, for the groups this person has counters in (each counter one
    bounded query, as on the home page)."""
    found: dict[str, list[tuple[Counter, int]]] = {}
    for counter in COUNTERS:
        if not can(counter.endpoint):
            continue
        n = counter.count(site_id, user)
        if n:
            found.setdefault(counter.group, []).append((counter, n))
    return {
        key: Badge(sum(n for _c, n in rows), any(c.urgent for c, _n in rows), tuple(rows))
        for key, rows in found.items()
    }
