"""The key console: register, tags, lend with a drawn signature, return, board, counters (K1-K5)."""

import re
from datetime import timedelta

import pytest
import time_machine

from kiosk.extensions import db
from kiosk.models import Role
from kiosk.models.keys import KeyAnomaly, KeyLoan, KeySet, KeyState
from tests.keys import kit
from tests.statements import recorded_statements


def _signed_in(client, username="reception"):
    assert client.login(username).status_code == 303
    return client


def test_k1_new_set_by_room_label_and_its_tag_opens_it(client, world):
    _signed_in(client, "supervisor")
    page = "/console/keys/new"
    response = client.post_form(
        page,
        {
            "kind": "household",
            "room": "1-1-0201",
            "building": "0",
            "contents": "防盗门, 信箱",
            "pieces": "2",
            "hook": "A-07",
        },
        page=page,
    )
    assert response.status_code == 303
    key_set = db.session.query(KeySet).one()
    assert key_set.room_id == world.rooms[1].id and key_set.tag_code.startswith("KEY-")
    opened = client.get(f"/console/keys/tag/{key_set.tag_code}")
    assert opened.status_code == 302 and opened.headers["Location"].endswith(f"/console/keys/sets/{key_set.id}")
    tags = client.get(f"/console/keys/tags?set={key_set.id}").get_data(as_text=True)
    assert "<svg" in tags and key_set.tag_code in tags and "1-1-0201" in tags


def test_k1_new_set_with_an_unknown_room_is_refused_with_input_kept(client, world):
    _signed_in(client, "supervisor")
    page = "/console/keys/new"
    response = client.post_form(
        page,
        {"kind": "household", "room": "9-9-9999", "building": "0", "contents": "防盗门", "pieces": "2", "hook": "A-07"},
        page=page,
    )
    assert response.status_code == 422
    body = response.get_data(as_text=True)
    assert "9-9-9999" in body and "A-07" in body
    assert db.session.query(KeySet).count() == 0


def test_k4_lend_with_a_drawn_signature_then_return_with_a_damaged_key(client, world):
    """At 10:00 (site time, frozen and ticking) "back by 23:58" is later today."""
    with time_machine.travel(kit.at_local(0, 10), tick=True):
        _lend_and_return(client, world)


def _lend_and_return(client, world):
    key_set = kit.household_set(world)
    db.session.commit()
    _signed_in(client)
    page = f"/console/keys/sets/{key_set.id}/lend"
    form = {
        "borrower_kind": "staff",
        "borrower_user": str(world.users[Role.DEPARTMENT].id),
        "borrower_name": "",
        "company": "",
        "purpose": "检修漏水",
        "expected_back": "23:58",
    }
    missing = client.post_form(page, form, page=page)
    assert missing.status_code == 422 and "检修漏水" in missing.get_data(as_text=True)
    assert "请在框内签名" in missing.get_data(as_text=True) or "sign in the box" in missing.get_data(as_text=True)
    response = client.post_form(page, {**form, "signature": kit.signature_url()}, page=page)
    assert response.status_code == 303
    loan = db.session.query(KeyLoan).one()
    assert loan.signature_sha256 and loan.borrower_user_id == world.users[Role.DEPARTMENT].id
    image = client.get(f"/console/keys/loans/{loan.id}/signature.png")
    assert image.status_code == 200 and image.mimetype == "image/png"
    board = client.get("/console/keys/board").get_data(as_text=True)
    assert "检修漏水" in board
    back = f"/console/keys/loans/{loan.id}/return"
    response = client.post_form(back, {"pieces_back": "3", "damaged": "y", "note": "单元门钥匙断了"}, page=back)
    assert response.status_code == 303
    assert db.session.get(KeySet, key_set.id).state == KeyState.IN_CABINET
    assert db.session.query(KeyAnomaly).one().note == "单元门钥匙断了"
    again = client.post_form(back, {"pieces_back": "3"}, page=f"/console/keys/sets/{key_set.id}")
    assert again.status_code == 303  # a double submit is not a crash
    assert db.session.query(KeyAnomaly).count() == 1


def test_k4_overdue_loan_on_the_front_desk_and_supervisor_home_with_a_frozen_clock(client, world):
    key_set = kit.household_set(world)
    morning = kit.at_local(0, 9)
    with time_machine.travel(morning, tick=False):
        kit.lend(world, key_set, morning, back_hour=17)
        db.session.commit()
    with time_machine.travel(kit.at_local(0, 17, 30), tick=False):
        for username in ("supervisor", "manager"):
            _signed_in(client, username)
            home = client.get("/console/").get_data(as_text=True)
            assert "/console/keys/board" in home
            assert re.search(r'counter-n">\s*1\s*<', home), home
        _signed_in(client, "reception")
        board = client.get("/console/keys/board").get_data(as_text=True)
        assert "loan-late" in board and "badge-danger" in board


def test_k4_not_overdue_before_the_expected_time(client, world):
    key_set = kit.household_set(world)
    morning = kit.at_local(0, 9)
    with time_machine.travel(morning, tick=False):
        kit.lend(world, key_set, morning, back_hour=17)
        db.session.commit()
        _signed_in(client)
        assert "loan-late" not in client.get("/console/keys/board").get_data(as_text=True)


def test_k4_emergency_loan_from_the_console(client, world):
    key_set = kit.household_set(world)
    db.session.commit()
    _signed_in(client, "duty")
    page = f"/console/keys/sets/{key_set.id}/emergency"
    response = client.post_form(
        page,
        {
            "reason": "burst_pipe",
            "approved_by": str(world.users[Role.MANAGER].id),
            "borrower_kind": "staff",
            "borrower_user": str(world.users[Role.DEPARTMENT].id),
            "purpose": "",
        },
        page=page,
    )
    assert response.status_code == 303
    loan = db.session.query(KeyLoan).one()
    assert loan.emergency and loan.approved_by_id == world.users[Role.MANAGER].id and loan.paperwork_owed
    paper = f"/console/keys/loans/{loan.id}/paperwork"
    assert (
        client.post_form(paper, {"purpose": "楼上爆管", "signature": kit.signature_url()}, page=paper).status_code
        == 303
    )
    assert not db.session.get(KeyLoan, loan.id).paperwork_owed


def test_k2_k5_key_sets_are_scoped_to_the_site(client, world):
    key_set = kit.household_set(world)
    db.session.commit()
    client.login("elsewhere")
    assert client.get(f"/console/keys/sets/{key_set.id}").status_code == 404
    assert client.get(f"/console/keys/tag/{key_set.tag_code}").status_code == 404
    assert key_set.tag_code not in client.get("/console/keys/").get_data(as_text=True)


def test_officers_and_departments_do_not_use_the_key_console(client, world):
    for username in ("officer", "engineer"):
        client.login(username)
        assert client.get("/console/keys/board").status_code == 403


def _statements(client, url):
    with recorded_statements() as statements:
        assert client.get(url).status_code == 200
    return len(statements)


@pytest.mark.parametrize(
    "url",
    [
        "/console/keys/",
        "/console/keys/board",
        "/console/keys/anomalies",
        "/console/keys/tags",
        "/console/keys/requests?show=all",
        "/console/keys/audits",
        "/console/keys/audits/new",
        "/console/keys/anomalies?show=all",
    ],
)
def test_key_lists_send_as_many_statements_for_many_rows_as_for_few(client, world, url):
    now = kit.at_local(0, 9)

    def add(n):
        for i in range(n):
            key_set = kit.household_set(world, i % 3) if i % 2 else kit.public_set(world, floor=i)
            loan = kit.lend(world, key_set, now, back_hour=23)
            loans_module.receive(loan, world.users[Role.RECEPTIONIST], now, pieces_back=1, damaged=False, note="少")
            kit.lend(world, key_set, now, back_hour=23)
            requests.request(
                key_set, world.users[Role.RECEPTIONIST], now, kind=RequestKind.COPY, pieces=1, reason="备用"
            )
        kit.household_set(world, 0)
        audits.record(world.site.id, world.users[Role.OFFICER], now, now, {})
        db.session.commit()

    from kiosk.keys import audits, requests
    from kiosk.keys import loans as loans_module
    from kiosk.models.keys import RequestKind

    with time_machine.travel(now + timedelta(minutes=5), tick=False):
        _signed_in(client, "supervisor")
        add(2)
        few = _statements(client, url)
        add(10)
        many = _statements(client, url)
    assert few == many


def test_more_key_sets_come_as_an_htmx_fragment_of_the_register(client, world, app):
    app.config["PAGE_SIZE"] = 2
    made = [kit.public_set(world, floor=i) for i in range(5)]
    db.session.commit()
    client.login("reception")
    page = client.get("/console/keys/")
    assert page.status_code == 200 and "<html" in page.get_data(as_text=True)
    before = made[-2].id
    fragment = client.htmx("get", f"/console/keys/?before={before}")
    body = fragment.get_data(as_text=True)
    assert fragment.status_code == 200 and "<html" not in body and "<tr>" in body
    assert "HX-Request" in fragment.headers.get("Vary", "")


def test_k1_a_scanned_tag_url_or_typed_code_opens_its_set(client, world):
    key_set = kit.household_set(world)
    db.session.commit()
    client.login("reception")
    for q in (key_set.tag_code, key_set.tag_code.lower(), f"http://desk.example/console/keys/tag/{key_set.tag_code}"):
        response = client.get("/console/keys/", query_string={"q": q})
        assert response.status_code == 302 and response.headers["Location"].endswith(f"/sets/{key_set.id}")
    assert client.get("/console/keys/", query_string={"q": "KEY-NOPE"}).status_code == 200


def test_k6_keys_handed_to_the_owner_from_the_console(client, world):
    from kiosk.models.keys import OwnerHandover

    key_set = kit.household_set(world, 0)
    db.session.commit()
    client.login("reception")
    page = f"/console/keys/sets/{key_set.id}/owner"
    body = client.get(page).get_data(as_text=True)
    assert "张三" in body and "13812345678" not in body  # the phone is masked
    form = {
        "household": str(world.households[0].id),
        "id_number": "440305199001011234",
        "signature": kit.signature_url(),
    }
    unchecked = client.post_form(page, form, page=page)
    assert unchecked.status_code == 422 and db.session.get(KeySet, key_set.id).state == KeyState.IN_CABINET
    other = client.post_form(
        page, {**form, "identity_checked": "y", "household": str(world.households[1].id)}, page=page
    )
    assert other.status_code == 422
    assert client.post_form(page, {**form, "identity_checked": "y"}, page=page).status_code == 303
    assert db.session.get(KeySet, key_set.id).state == KeyState.WITH_OWNER
    assert db.session.query(OwnerHandover).one().id_number_masked != "440305199001011234"
