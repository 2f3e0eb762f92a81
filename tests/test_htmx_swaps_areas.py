"""The htmx actions of the key register, the handover and the household files (STYLE 4): each
hx-get on these pages, followed as htmx sends it, gets only the fragment its target swaps in;
the same URL without htmx gets the whole page; bad input answers 422 with the fragment and a
message while the user's input stays. The URLs are read from the pages' own hx-get attributes.

The handover's pages have no htmx action (every form there posts and redirects, or answers a
422 page with the input kept: tests/handover/test_handover_console.py).
"""

import html
import re
from datetime import timedelta

import time_machine

from kiosk.extensions import db
from kiosk.models import Role
from tests.keys import kit

HX_GET = re.compile(r'hx-get="([^"]+)"')


def _hx_gets(page: str) -> list[str]:
    """The page's own htmx requests: not the console menu's badges (console/layout.html), which
    every console page fetches once and again on `nav-counts`."""
    return [html.unescape(url) for url in HX_GET.findall(page) if not url.startswith("/console/nav-counts")]


def _english(client, user):
    client.login(user)
    client.get("/console/?lang=en")  # remembered in a cookie


def _whole(body: str) -> bool:
    return "<html" in body and "</html>" in body


# --- keys: "More key sets" (K1, K2) -------------------------------------------------


def test_k2_more_key_sets_swaps_rows_into_the_register_and_is_a_whole_page_without_htmx(client, world, app):
    """K2: the register's next rows come as table rows only (hx-target="closest tr",
    outerHTML); the same link without htmx, or boosted, is the whole register."""
    app.config["PAGE_SIZE"] = 2
    made = [kit.public_set(world, floor=i) for i in range(5)]
    db.session.commit()
    _english(client, "reception")
    page = client.get("/console/keys/")
    assert page.status_code == 200 and _whole(page.text)
    (more,) = [url for url in _hx_gets(page.text) if url.startswith("/console/keys/?")]
    fragment = client.htmx("get", more)
    body = fragment.text
    assert fragment.status_code == 200 and not _whole(body) and "<h1" not in body
    assert body.lstrip().startswith("<tr>") and "<table" not in body
    assert made[2].tag_code in body and made[1].tag_code in body and made[4].tag_code not in body
    assert {"HX-Request", "HX-Boosted"} <= set(fragment.vary)
    follow = _hx_gets(body)  # the next "More" row replaces itself in turn
    assert follow and client.htmx("get", follow[0]).text.lstrip().startswith("<tr>")
    plain = client.get(more)
    assert plain.status_code == 200 and _whole(plain.text) and made[2].tag_code in plain.text
    boosted = client.htmx("get", more, headers={"HX-Boosted": "true"})
    assert _whole(boosted.text)


# --- keys: the board, polled every minute (K4, S1) ----------------------------------


def test_k4_key_board_poll_swaps_only_the_board_and_the_page_is_whole_without_htmx(client, world):
    """K4: the board's poll (innerHTML of #key-board) gets the list of loans only, not a
    second #key-board or the page around it; without htmx it is the whole board page."""
    key_set = kit.household_set(world, 0)
    kit.lend(world, key_set, kit.at_local(0, 9), purpose="换水表")
    db.session.commit()
    _english(client, "reception")
    page = client.get("/console/keys/board")
    assert page.status_code == 200 and _whole(page.text) and page.text.count('id="key-board"') == 1
    (poll,) = _hx_gets(page.text)
    fragment = client.htmx("get", poll)
    body = fragment.text
    assert fragment.status_code == 200 and not _whole(body)
    assert 'id="key-board"' not in body and "<h1" not in body and "tag-scanner" not in body
    assert "换水表" in body and "Out of the cabinet: 1" in body
    assert "HX-Request" in fragment.vary
    plain = client.get(poll)
    assert plain.status_code == 200 and _whole(plain.text) and "换水表" in plain.text


def test_s1_the_key_boards_poll_does_not_keep_an_idle_session_alive(client, world, app):
    """S1: a board left open on a shared desk polls every minute; those polls are not
    activity, so the idle timeout still signs the desk out (the whole page goes to sign-in)."""
    app.config["IDLE_TIMEOUT_MINUTES"] = 10
    with time_machine.travel("2026-11-23 09:00:00+00:00", tick=False) as clock:
        client.login("reception")
        page = client.get("/console/keys/board")
        (poll,) = _hx_gets(page.text)
        clock.shift(timedelta(minutes=6))
        assert client.htmx("get", poll).status_code == 200
        clock.shift(timedelta(minutes=6))  # 12 minutes since the last real activity
        expired = client.htmx("get", poll)
        assert expired.status_code == 204 and expired.headers["HX-Redirect"].startswith("/auth/login")


# --- households: the search of files (A1, A2, S3) -----------------------------------


def test_a1_file_search_swaps_the_results_section_and_is_a_whole_page_without_htmx(client, world):
    """A1: the search's answer replaces #file-results (outerHTML): the section itself, so the
    next search finds its target again; the search form is not in it, so what the user typed
    stays; without htmx the whole page with the form filled in."""
    from kiosk.households import files

    for household in world.households:
        files.open_file(household, world.user(Role.SUPERVISOR))
    db.session.commit()
    room = world.households[0].room.label
    _english(client, "reception")
    page = client.get("/console/households/")
    (search,) = _hx_gets(page.text)
    fragment = client.htmx("get", search, query_string={"room": room})
    body = fragment.text
    assert fragment.status_code == 200 and not _whole(body)
    assert body.lstrip().startswith('<section id="file-results"') and body.rstrip().endswith("</section>")
    assert "<form" not in body and room in body
    assert world.households[1].room.label not in body
    assert world.households[0].phone not in body  # masked (S3)
    plain = client.get(search, query_string={"room": room})
    assert plain.status_code == 200 and _whole(plain.text) and f'value="{room}"' in plain.text


def test_a1_a_bad_file_search_answers_422_with_the_results_fragment_and_a_message(client, world):
    """A1: a search htmx cannot run (a room longer than 30 characters) answers 422, which the
    layout's htmx config swaps: the results section with a message, the form (and what was
    typed) left as it is; without htmx, the whole page with the input kept and the reason."""
    typed = "1-1-" + "9" * 30
    _english(client, "reception")
    (search,) = _hx_gets(client.get("/console/households/").text)
    fragment = client.htmx("get", search, query_string={"room": typed})
    body = fragment.text
    assert fragment.status_code == 422 and not _whole(body)
    assert body.lstrip().startswith('<section id="file-results"') and "Please correct the search." in body
    assert "<form" not in body  # the typed input is not replaced
    plain = client.get(search, query_string={"room": typed})
    assert plain.status_code == 422 and _whole(plain.text)
    assert f'value="{typed}"' in plain.text and "At most 30 characters." in plain.text
    assert 'aria-invalid="true"' in plain.text


def test_a1_a_broken_page_cursor_answers_htmx_with_a_toast_not_a_page(client, world):
    """A1: an unreadable paging cursor is a 400; to htmx it is the one-line toast the layout
    shows (errors/_toast.html), never a whole error page swapped into the results."""
    _english(client, "reception")
    (search,) = _hx_gets(client.get("/console/households/").text)
    fragment = client.htmx("get", search, query_string={"cursor": "not-a-cursor"})
    assert fragment.status_code == 400 and not _whole(fragment.text) and "data-toast" in fragment.text
    plain = client.get(search, query_string={"cursor": "not-a-cursor"})
    assert plain.status_code == 400 and _whole(plain.text)
