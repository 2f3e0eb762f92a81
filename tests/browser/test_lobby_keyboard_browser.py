"""The front desk by keyboard alone (V4): the board polls every few seconds and swaps
itself, which must not pull the focus from under a receptionist who is tabbing to a
visitor's outcome; the outcome is then recorded with Enter."""

import sqlalchemy as sa

from kiosk.extensions import db
from kiosk.models import Outcome, Purpose, Visit
from kiosk.timeutil import utcnow
from kiosk.visits import registration as visits
from kiosk.visits.registration import Registration
from tests.browser.conftest import screenshot, sign_in

NEXT_POLL = """() => new Promise((resolve) => {
  document.addEventListener("htmx:beforeRequest", function once(evt) {
    if (!evt.detail.elt.matches("[data-lobby-board]")) return;
    document.removeEventListener("htmx:beforeRequest", once);
    setTimeout(() => resolve(evt.defaultPrevented), 0);
  });
})"""


def test_v4_the_desk_records_an_outcome_by_keyboard_while_the_board_polls(new_page, world):
    now = utcnow()
    visit = visits.register(
        world.site,
        Registration(room=world.rooms[0], name="李访客", phone="+8613900001234", party_size=1, purpose=Purpose.VISIT),
        received_at=now,
        action_at=now,
        user=world.users["receptionist"],
    )
    db.session.commit()
    desk = new_page("desktop", locale="en-US")
    sign_in(desk, "reception")
    desk.goto("/console/lobby/?lang=en&desk=all")
    item = desk.locator(f"#visit-{visit.id}")
    not_in = item.get_by_role("button", name="Host not in")
    # Reach the button from the one before it with the keyboard, as a person would.
    item.get_by_role("button", name="Host's phones").focus()
    for _ in range(12):
        desk.keyboard.press("Tab")
        if not_in.evaluate("b => b === document.activeElement"):
            break
    assert not_in.evaluate("b => b === document.activeElement && b.matches(':focus-visible')")
    screenshot(desk, "lobby-board-keyboard-focus-en")

    assert desk.evaluate(NEXT_POLL) is True  # the poll gave way to the keyboard
    assert not_in.evaluate("b => b === document.activeElement")

    desk.keyboard.press("Enter")
    desk.locator("#board .flash").wait_for()
    db.session.rollback()
    assert db.session.scalar(sa.select(Visit.outcome).where(Visit.id == visit.id)) == Outcome.NOT_IN

    desk.locator("#board .flash").click()  # a mouse user: the board polls again
    assert desk.evaluate(NEXT_POLL) is False
