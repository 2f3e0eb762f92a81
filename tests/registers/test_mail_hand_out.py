"""Handing out a room's mail at once (rule V8): every item waiting for the room, the chosen
ones handed out against ONE signature or pickup code, each recorded as collected with the
same collector, time and signature; refused as a whole when the collector may not collect;
a double submit or another desk's hand-out never collects an item twice."""

import sqlalchemy as sa

from kiosk.extensions import db
from kiosk.models import AuditEvent, Role
from kiosk.models.registers import CollectionMethod, MailItem, MailKind, MailStatus
from kiosk.registers import mail, mail_batch
from kiosk.registers.common import Refused
from kiosk.timeutil import utcnow
from tests.registers.helpers import signature_url

BASE = "/console/registers"


def _receive(world, room_index=0, kind=MailKind.PARCEL):
    desk = world.user(Role.RECEPTIONIST)
    item = mail.receive(world.rooms[room_index], kind, 1, "顺丰", desk, utcnow())
    db.session.commit()
    return item


def _three(world):
    return [_receive(world, kind=kind) for kind in (MailKind.PARCEL, MailKind.LETTER, MailKind.REGISTERED)]


def _url(world, room_index=0):
    return f"{BASE}/mail/rooms/{world.rooms[room_index].id}/hand-out"


def _signed(ids, **extra):
    return {
        "items": [str(i) for i in ids],
        "collector": "household",
        "collector_name": "张三",
        "method": "signature",
        "signature": signature_url(),
        **extra,
    }


def _statuses(items):
    db.session.rollback()
    return [db.session.get(MailItem, item.id).status for item in items]


def _collected_events():
    return db.session.scalars(sa.select(AuditEvent).where(AuditEvent.action == "mail.collected")).all()


def test_v8_the_page_lists_every_item_waiting_for_the_room_all_chosen(client, world):
    items = _three(world)
    elsewhere = _receive(world, room_index=1)
    client.login("reception")
    page = client.get(_url(world)).get_data(as_text=True)
    for item in items:
        assert f'name="items" value="{item.id}" id="item-{item.id}" checked' in page
    assert f'value="{elsewhere.id}"' not in page
    assert "张三" in page and 'name="csrf_token"' in page
    # the look names the household: traceable (S1)
    assert db.session.scalar(sa.select(AuditEvent).where(AuditEvent.action == "mail.room_viewed")) is not None


def test_v8_the_mail_book_leads_to_the_rooms_hand_out(client, world):
    _receive(world)
    client.login("reception")
    page = client.get(f"{BASE}/mail/?lang=en").get_data(as_text=True)
    assert f'href="{_url(world)}"' in page and "Hand out for this room" in page


def test_v8_one_signature_hands_out_every_chosen_item_with_the_same_record(client, world):
    items = _three(world)
    client.login("reception")
    response = client.post_form(_url(world), _signed([i.id for i in items]))
    assert response.status_code == 303
    assert response.headers["Location"].endswith(f"/mail/rooms/{world.rooms[0].id}")
    rows = [db.session.get(MailItem, item.id) for item in items]
    assert {row.status for row in rows} == {MailStatus.COLLECTED}
    assert len({(r.collector_name, r.collected_at, r.signature_path, r.signature_sha256) for r in rows}) == 1
    assert rows[0].collector_name == "张三" and rows[0].signature_sha256
    assert rows[0].collected_by_id == world.user(Role.RECEPTIONIST).id
    # audited like a single collection: one event per item
    events = _collected_events()
    assert sorted(int(e.entity_id) for e in events) == sorted(i.id for i in items)
    assert all(e.details["batch"] == 3 and e.details["method"] == "signature" for e in events)


def test_v8_only_the_chosen_items_are_handed_out(client, world):
    items = _three(world)
    client.login("reception")
    assert client.post_form(_url(world), _signed([items[0].id, items[2].id])).status_code == 303
    assert _statuses(items) == [MailStatus.COLLECTED, MailStatus.WAITING, MailStatus.COLLECTED]


def test_v8_nothing_chosen_is_refused_with_the_choice_kept(client, world):
    items = _three(world)
    client.login("reception")
    response = client.post_form(_url(world) + "?lang=en", _signed([]))
    assert response.status_code == 422
    assert "Please choose at least one item waiting for this room." in response.get_data(as_text=True)
    assert _statuses(items) == [MailStatus.WAITING] * 3


def test_v8_an_unauthorised_collector_is_refused_as_a_whole(client, world):
    items = _three(world)
    other_household = mail.authorise(world.households[1], "王五", None, None, world.user(Role.RECEPTIONIST))
    db.session.commit()
    client.login("reception")
    for data, lang, message in (
        ({"collector": "other", "collector_name": "路人甲"}, "zh_Hans_CN", "书面授权"),
        ({"collector": "authorised", "authorisation": str(other_household.id)}, "en", "authorised in writing"),
    ):
        chosen = [items[0].id, items[1].id]
        response = client.post_form(_url(world) + f"?lang={lang}", {**_signed(chosen), **data})
        assert response.status_code == 422
        page = response.get_data(as_text=True)
        assert message in page
        # the input is kept: the choice of items and the name typed
        assert f'value="{items[0].id}" id="item-{items[0].id}" checked' in page
        assert f'value="{items[2].id}" id="item-{items[2].id}">' in page
        if data["collector"] == "other":
            assert "路人甲" in page
    assert _statuses(items) == [MailStatus.WAITING] * 3
    assert _collected_events() == []


def test_v8_an_authorisation_must_cover_every_chosen_item(world, tmp_path):
    """An item kept for the room's previous household is not covered by the new household's
    authorisation: the whole hand-out is refused, nothing changes."""
    items = _three(world)
    desk = world.user(Role.RECEPTIONIST)
    auth = mail.authorise(world.households[0], "保姆 刘姐", None, None, desk)
    items[1].household_id = world.households[1].id  # arrived for another household
    db.session.commit()
    collector = mail.Collector("authorised", authorisation_id=auth.id)
    try:
        mail_batch.hand_out(
            world.rooms[0],
            [i.id for i in items],
            collector,
            CollectionMethod.SIGNATURE,
            desk,
            utcnow(),
            signature=signature_url(),
            photo_root=tmp_path,
        )
    except Refused as refused:
        assert refused.reason == "not_authorised"
    else:
        raise AssertionError("refused expected")
    db.session.rollback()
    assert _statuses(items) == [MailStatus.WAITING] * 3
    handed = mail_batch.hand_out(
        world.rooms[0],
        [items[0].id, items[2].id],
        collector,
        CollectionMethod.SIGNATURE,
        desk,
        utcnow(),
        signature=signature_url(),
        photo_root=tmp_path,
    )
    assert {i.authorisation_id for i in handed} == {auth.id} and {i.collector_name for i in handed} == {"保姆 刘姐"}


def test_v8_one_pickup_code_of_the_chosen_slips_confirms_the_hand_out(client, world):
    items = _three(world)
    client.login("reception")
    codes = {i.pickup_code for i in items}
    wrong = next(c for c in ("000000", "111111", "222222", "333333") if c not in codes)
    data = {**_signed([i.id for i in items]), "method": "code", "signature": ""}
    response = client.post_form(_url(world) + "?lang=en", {**data, "code": wrong})
    assert response.status_code == 422 and "The pickup code does not match." in response.get_data(as_text=True)
    assert _statuses(items) == [MailStatus.WAITING] * 3
    # a code of an item left out does not confirm the others
    response = client.post_form(_url(world), {**data, "items": [str(items[0].id)], "code": items[1].pickup_code})
    assert response.status_code == 422
    assert client.post_form(_url(world), {**data, "code": items[1].pickup_code}).status_code == 303
    rows = [db.session.get(MailItem, i.id) for i in items]
    assert {(r.status, r.method) for r in rows} == {(MailStatus.COLLECTED, CollectionMethod.CODE)}


def test_v8_a_double_submit_collects_nothing_twice(client, world):
    items = _three(world)
    client.login("reception")
    data = _signed([i.id for i in items])
    assert client.post_form(_url(world), data).status_code == 303
    again = client.post_form(_url(world), {**data, "collector_name": "别人"})
    assert again.status_code == 303  # a replay is no error: it is done already
    rows = [db.session.get(MailItem, i.id) for i in items]
    assert {r.collector_name for r in rows} == {"张三"}
    assert len(_collected_events()) == 3


def test_v8_a_hand_out_at_another_desk_meanwhile_gets_a_clear_message(client, world):
    items = _three(world)
    client.login("reception")
    page = client.get(_url(world))
    assert page.status_code == 200
    # another desk hands out the letter between this desk's page and its submit
    mail.collect(
        db.session.get(MailItem, items[1].id),
        mail.Collector("household", "张三"),
        CollectionMethod.CODE,
        world.user(Role.SUPERVISOR),
        utcnow(),
        code=items[1].pickup_code,
    )
    db.session.commit()
    response = client.post_form(_url(world) + "?lang=en", _signed([i.id for i in items]))
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "handed out meanwhile, at another desk" in page
    assert f'value="{items[1].id}"' not in page  # the list is fresh: the letter is gone
    assert _statuses(items) == [MailStatus.WAITING, MailStatus.COLLECTED, MailStatus.WAITING]
    assert len(_collected_events()) == 1


def test_v8_the_conditional_update_refuses_a_concurrent_hand_out(world, tmp_path, monkeypatch):
    """The race itself: the rows read as waiting, but another desk's UPDATE lands first."""
    items = _three(world)
    desk = world.user(Role.RECEPTIONIST)
    db.session.execute(
        sa.update(MailItem)
        .where(MailItem.id == items[2].id)
        .values(status=MailStatus.COLLECTED)
        .execution_options(synchronize_session=False)
    )  # the loaded rows are not refreshed: they still say "waiting"
    try:
        mail_batch.hand_out(
            world.rooms[0],
            [i.id for i in items],
            mail.Collector("household", "张三"),
            CollectionMethod.SIGNATURE,
            desk,
            utcnow(),
            signature=signature_url(),
            photo_root=tmp_path,
        )
    except Refused as refused:
        assert refused.reason == "collected_meanwhile"
    else:
        raise AssertionError("refused expected")


def test_v8_another_sites_room_does_not_exist_and_only_the_desk_hands_out(app, client, world):
    _receive(world)
    client.login("elsewhere")
    assert client.get(_url(world)).status_code == 404
    officer = app.test_client()
    officer.login("officer")
    assert officer.get(_url(world)).status_code == 403
