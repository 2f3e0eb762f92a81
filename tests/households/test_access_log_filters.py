"""The access log (客户档案查阅登记表, A2, S1) filtered by room and by site-local days: keyset paged
with the filters kept, a constant number of statements, bad filters refused (422, input kept),
and every look at the log itself audited."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import sqlalchemy as sa
import time_machine

from kiosk.extensions import db
from kiosk.households import looks
from kiosk.models import Role
from kiosk.models.audit import AuditEvent
from kiosk.models.households import FileLook
from tests.statements import recorded_statements

SHANGHAI = ZoneInfo("Asia/Shanghai")
# Looks on three site-local days; the first just after midnight Shanghai (still the day before in UTC).
DAY1 = datetime(2026, 3, 9, 0, 30, tzinfo=SHANGHAI)
DAY2 = DAY1 + timedelta(days=1, hours=12)
DAY3 = DAY1 + timedelta(days=2, hours=23)


def _looks(hh):
    reception, engineer = hh.user(Role.RECEPTIONIST), hh.user(Role.DEPARTMENT)
    for at, user, file in [
        (DAY1, reception, hh.files[0]),
        (DAY1, reception, hh.files[1]),
        (DAY2, reception, hh.files[0]),
        (DAY2, engineer, hh.files[0]),  # refused: no grant
        (DAY3, reception, hh.files[2]),
        (DAY3, reception, hh.files[3]),  # the tenant of room 0
    ]:
        with time_machine.travel(at, tick=False):
            try:
                looks.look(user, file)
            except looks.NotAllowed:
                pass
    db.session.commit()


def _rows(client, query: str) -> int:
    response = client.get(f"/console/households/access-log?{query}")
    assert response.status_code == 200, response.get_data(as_text=True)
    return response.get_data(as_text=True).count("<tr>") - 1


def test_a2_access_log_filters_by_room_and_by_days(app, hh, client):
    _looks(hh)
    assert db.session.scalar(sa.select(sa.func.count(FileLook.id))) == 6
    client.login("supervisor")
    room0 = hh.rooms[0].label
    assert _rows(client, "") == 6
    assert _rows(client, f"room={room0}") == 4  # the owner's file (3 looks) and the tenant's (1)
    assert _rows(client, f"room={hh.rooms[0].number}") == 4  # the number alone, when unique
    assert _rows(client, "day_from=2026-03-09&day_to=2026-03-09") == 2  # 00:30 Shanghai counts as the 9th
    assert _rows(client, "day_from=2026-03-10") == 4
    assert _rows(client, "day_to=2026-03-10") == 4
    assert _rows(client, f"room={room0}&day_from=2026-03-10&day_to=2026-03-10") == 2
    engineer = hh.user(Role.DEPARTMENT).id
    assert _rows(client, f"room={room0}&day_from=2026-03-10&user={engineer}") == 1


def test_a2_access_log_filters_are_kept_across_keyset_pages(app, hh, client):
    _looks(hh)
    page = looks.access_log(hh.site.id, room_id=hh.rooms[0].id, day_from=DAY2.date(), size=1)
    rest = looks.access_log(hh.site.id, room_id=hh.rooms[0].id, day_from=DAY2.date(), size=1, cursor=page.next_cursor)
    last = looks.access_log(hh.site.id, room_id=hh.rooms[0].id, day_from=DAY2.date(), size=1, cursor=rest.next_cursor)
    assert [len(p.items) for p in (page, rest, last)] == [1, 1, 1] and last.next_cursor is None
    assert {p.items[0].id for p in (page, rest, last)} == {
        look.id for look in db.session.scalars(sa.select(FileLook)) if look.at >= DAY2.replace(hour=0, minute=0)
    } - {look.id for look in db.session.scalars(sa.select(FileLook)) if look.file_id == hh.files[2].id}
    client.login("supervisor")
    body = client.get(f"/console/households/access-log?room={hh.rooms[0].label}&day_from=2026-03-10").get_data(
        as_text=True
    )
    assert "day_from=2026-03-10" in body and "room=" in body  # the person/household links keep the filters


def test_a2_s1_each_look_at_the_access_log_is_audited_with_its_filters(app, hh, client):
    _looks(hh)
    client.login("supervisor")
    client.get(f"/console/households/access-log?room={hh.rooms[1].label}&day_from=2026-03-09")
    event = db.session.scalars(sa.select(AuditEvent).where(AuditEvent.action == "households.access_log_viewed")).one()
    assert event.user_id == hh.user(Role.SUPERVISOR).id
    assert event.details == {"room_id": hh.rooms[1].id, "day_from": "2026-03-09"}


def test_a2_bad_access_log_filters_are_refused_with_a_message_and_kept(app, hh, client):
    client.login("supervisor")
    for query, message, kept in [
        ("room=9-9-9999", "没有房间 9-9-9999", 'value="9-9-9999"'),
        ("day_from=2026-03-10&day_to=2026-03-09", "结束日期早于开始日期", 'value="2026-03-10"'),
        ("day_from=2026-13-45", "", 'value="2026-13-45"'),
    ]:
        response = client.get(f"/console/households/access-log?{query}")
        body = response.get_data(as_text=True)
        assert response.status_code == 422, query
        assert message in body and kept in body and 'class="error"' in body
    assert db.session.scalar(sa.select(sa.func.count(AuditEvent.id)).where(AuditEvent.action.like("%access_log%"))) == 0


def test_a2_filtered_access_log_sends_a_constant_number_of_statements(app, hh, client):
    client.login("supervisor")
    query = f"/console/households/access-log?room={hh.rooms[0].label}&day_from=2026-03-01&day_to=2026-03-31"

    def count():
        db.session.expire_all()
        with recorded_statements() as statements:
            assert client.get(query).status_code == 200
        return len(statements)

    _looks(hh)
    few = count()
    for k in range(20):
        with time_machine.travel(DAY2 + timedelta(minutes=k), tick=False):
            looks.look(hh.user(Role.RECEPTIONIST if k % 2 else Role.OFFICER), hh.files[0 if k % 3 else 3])
    db.session.commit()
    assert count() == few
