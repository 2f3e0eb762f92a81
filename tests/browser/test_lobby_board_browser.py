"""The bounded lobby board in a browser (issue 11, section 4): an idle poll is answered
204 and htmx 2 leaves the board as it is (the same element, nothing re-drawn); a change
is swapped in. Screenshots of a busy board in both languages at desk and tablet width."""

from datetime import timedelta

from kiosk.extensions import db
from kiosk.models import Desk, VisitStatus
from kiosk.timeutil import utcnow
from tests.browser.conftest import screenshot, sign_in
from tests.visit_factory import make_visit

# htmx:beforeOnLoad, not afterRequest: after an outerHTML swap the old board is detached and
# its afterRequest never reaches the document, so a poll answered 200 would go unseen.
WATCH = """() => { window.POLLS = []; window.BOARD = document.querySelector('#board');
  if (window.WATCHING) return; window.WATCHING = true;
  document.addEventListener('htmx:beforeOnLoad', (e) => {
    if (e.detail.elt.matches && e.detail.elt.matches('[data-lobby-board]')) POLLS.push(e.detail.xhr.status);
  });
}"""
SEEN = "() => [window.POLLS, window.BOARD === document.querySelector('#board')]"


def _busy(world, n=40):
    start = utcnow() - timedelta(hours=2)
    for i in range(n):
        make_visit(
            world.site,
            room=world.rooms[i % 3],
            name=f"访客{i:02d}",
            at=start + timedelta(minutes=i),
            status=VisitStatus.WAITING,
            outcome=None,
            desk=Desk.RECEPTION if i % 4 else Desk.DUTY,
        )
    for i in range(6):
        make_visit(world.site, room=world.rooms[i % 3], name=f"在场{i}", status=VisitStatus.ON_SITE)
    db.session.commit()


def test_an_idle_poll_leaves_the_board_alone_and_a_change_is_swapped_in(new_page, world):
    _busy(world)
    desk = new_page("desktop", locale="en-US")
    sign_in(desk, "reception")
    desk.goto("/console/lobby/?lang=en&desk=all")
    for _attempt in range(2):  # a poll just as the minute turns is a change (minutes waited): try again
        desk.evaluate(WATCH)
        desk.wait_for_function("() => window.POLLS.length >= 2", timeout=30000)  # two polls
        polls, same = desk.evaluate(SEEN)
        if 200 not in polls:
            break
    assert polls and set(polls) == {204} and same  # answered "no change", and the board left as it was
    assert desk.locator("#board .waiting-item").count() == 25
    make_visit(world.site, room=world.rooms[0], name="刚到的访客", status=VisitStatus.ON_SITE, commit=True)
    desk.locator("#board", has_text="刚到的访客").wait_for(timeout=15000)
    assert desk.evaluate(SEEN)[1] is False  # swapped in


def test_screenshots_of_a_busy_board(new_page, world):
    _busy(world)
    for lang, locale in (("zh_Hans_CN", "zh-CN"), ("en", "en-US")):
        for size in ("desktop", "tablet"):
            page = new_page(size, locale=locale)
            sign_in(page, "reception")
            page.goto(f"/console/lobby/?lang={lang}&desk=all")
            assert page.locator("#board .more-link").count() == 1
            screenshot(page, f"lobby-board-busy-{size}-{lang}")
