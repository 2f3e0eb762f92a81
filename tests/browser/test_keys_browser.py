"""Keys and handover in a real browser at tablet size: a loan signed with mouse strokes on the
pad and its return (K4), and a handover between two accounts (H1); screenshots in zh and en."""

import pytest
import time_machine

from kiosk.extensions import db
from kiosk.models import Role
from kiosk.models.handover import ShiftLog, ShiftStatus
from kiosk.models.keys import KeyLoan, KeySet, KeyState
from tests.browser.conftest import draw_signature, image_widths, screenshot, sign_in
from tests.keys import kit


@pytest.mark.parametrize("locale, lang", [("zh-CN", "zh"), ("en-US", "en")])
def test_k4_loan_and_return_on_a_tablet_with_a_drawn_signature(new_page, world, locale, lang):
    """The server's clock runs from 10:00 today (site time), so that "back by 23:58 today" is always ahead."""
    with time_machine.travel(kit.at_local(0, 10), tick=True):
        _loan_and_return(new_page, world, locale, lang)


def _loan_and_return(new_page, world, locale, lang):
    key_set = kit.household_set(world)
    db.session.commit()
    page = new_page("tablet", locale)
    sign_in(page, "reception")
    page.goto(f"/console/keys/sets/{key_set.id}")
    page.click(f"a[href$='/sets/{key_set.id}/lend']")
    page.select_option("select[name=borrower_user]", str(world.users[Role.DEPARTMENT].id))
    page.fill("input[name=purpose]", "检修漏水")
    page.fill("input[name=expected_back]", "23:58")
    draw_signature(page)
    assert page.locator("input[name=signature]").input_value().startswith("data:image/png")
    screenshot(page, f"keys-lend-tablet-{lang}")
    page.click("form.loan-form button[type=submit]")
    page.wait_for_url(f"**/console/keys/sets/{key_set.id}")
    db.session.rollback()
    loan = db.session.query(KeyLoan).one()
    assert loan.signature_sha256 and db.session.get(KeySet, key_set.id).state == KeyState.ON_LOAN
    assert image_widths(page, "img.sig-thumb")[0] > 0
    page.goto("/console/keys/board")
    screenshot(page, f"keys-board-tablet-{lang}")
    page.click(f"a[href$='/loans/{loan.id}/return']")
    page.fill("input[name=pieces_back]", "3")
    page.click("form.loan-form button[type=submit]")
    page.wait_for_url(f"**/console/keys/sets/{key_set.id}")
    screenshot(page, f"keys-set-tablet-{lang}")
    db.session.rollback()
    assert db.session.get(KeySet, key_set.id).state == KeyState.IN_CABINET
    page.goto("/console/keys/")
    screenshot(page, f"keys-register-tablet-{lang}")


def test_h1_handover_between_two_accounts(new_page, world):
    kit.household_set(world, 0)
    db.session.commit()
    outgoing = new_page("tablet", "zh-CN")
    sign_in(outgoing, "reception")
    outgoing.goto("/console/handover/")
    outgoing.click("form[action$='/handover/open'] button")
    outgoing.fill("textarea[name=text]", "3栋电梯困人，已通知工程部")
    outgoing.click("form[action$='/entries'] button[type=submit]")
    outgoing.wait_for_selector("form[action$='/sign'] [data-testid=signature-canvas]")
    draw_signature(outgoing)  # the outgoing signs on the pad
    outgoing.click("form[action$='/sign'] button[type=submit]")
    outgoing.wait_for_selector(".badge-warn")
    assert image_widths(outgoing, "img.sig-thumb")[0] > 0
    screenshot(outgoing, "handover-signed-tablet-zh")

    incoming = new_page("tablet", "en-US")
    sign_in(incoming, "duty")
    incoming.goto("/console/handover/")
    assert "3栋电梯困人" in incoming.content()
    incoming.check("input[name=equipment_checked]")
    incoming.fill("input[name=keys_counted]", "1")
    draw_signature(incoming)  # the incoming accepts with their own signature
    screenshot(incoming, "handover-take-over-tablet-en")
    # (a full-page screenshot resizes the viewport for a moment: a click right after it can miss)
    incoming.locator("form[action$='/accept'] button[type=submit]").press("Enter")
    incoming.wait_for_url("**/console/handover/logs/*")
    db.session.rollback()
    first = db.session.query(ShiftLog).order_by(ShiftLog.id).first()
    assert first.status == ShiftStatus.ACCEPTED and first.incoming_id == world.users[Role.DUTY_MANAGER].id
    assert first.outgoing_signature_sha256 and first.incoming_signature_sha256
    incoming.goto(f"/console/handover/logs/{first.id}")
    assert incoming.locator("img.sig-thumb").count() == 2
    assert all(w > 0 for w in image_widths(incoming, "img.sig-thumb"))
    screenshot(incoming, "handover-accepted-tablet-en")
