"""The visitor log's search (kiosk/visitor_log.py): V1 records searched, S3 scoped to the site."""

from datetime import UTC, date, datetime, timedelta

import pytest
import sqlalchemy as sa

from kiosk.extensions import db
from kiosk.models import Departure, Purpose, Room, Site, User, Visit, VisitStatus
from kiosk.visits import corrections
from kiosk.visits import log as visitor_log
from kiosk.visits.log import LogQuery
from tests.statements import recorded_statements
from tests.visit_factory import make_visit

T0 = datetime(2026, 3, 1, 2, 0, tzinfo=UTC)  # 10:00 in Shanghai


@pytest.fixture
def log(world):
    """张三 in 1-1-0101 by car, 李四 in 1-1-0201 delivering, 王小明 left, 张三 at the other site."""
    rooms = world.rooms
    visits = {
        "zhang": make_visit(world.site, room=rooms[0], name="张三", phone="+8613812345678", plate="粤B12345", at=T0),
        "li": make_visit(
            world.site,
            room=rooms[1],
            name="李四",
            phone="+8613987654321",
            at=T0 + timedelta(hours=1),
            purpose=Purpose.DELIVERY,
            status=VisitStatus.WAITING,
        ),
        "wang": make_visit(
            world.site,
            room=rooms[2],
            name="王小明",
            phone="+8615011112222",
            at=T0 + timedelta(hours=2),
            status=VisitStatus.LEFT,
        ),
        "elsewhere": make_visit(world.other_site, name="张三", phone="+8613812345678", at=T0),
    }
    db.session.commit()
    return visits


def _found(world, **criteria):
    return {v.visitor_name for v in visitor_log.search(world.site, LogQuery(**criteria)).items}


def test_everything_of_the_site_and_nothing_of_another_site(world, log):
    page = visitor_log.search(world.site, LogQuery())
    assert [v.visitor_name for v in page.items] == ["王小明", "李四", "张三"]
    assert log["elsewhere"].id not in {v.id for v in page.items}


def test_name_by_characters_or_pinyin_initials_or_pinyin_prefix(world, log):
    for text in ["张三", "三", "zs", "z", "ZS", "zhang", "Zhang", "zhangsan", "zhang s", "zhangs", "ｚｓ"]:
        assert _found(world, name=text) == {"张三"}, text


def test_name_does_not_match_loosely(world, log):
    for text in ["zx", "san", "hang", "%", "_", "赵"]:
        assert _found(world, name=text) == set(), text


def test_pinyin_prefix_of_a_longer_name(world, log):
    assert _found(world, name="wxm") == {"王小明"}
    assert _found(world, name="wangxiao") == {"王小明"}
    assert _found(world, name="小明") == {"王小明"}


def test_phone_full_or_last_four(world, log):
    for text in ["13812345678", "138 1234 5678", "+86 138-1234-5678", "8613812345678", "5678", "５６７８"]:
        assert _found(world, phone=text) == {"张三"}, text


def test_phone_partial_numbers_do_not_match(world, log):
    assert _found(world, phone="1381234") == set()
    assert _found(world, phone="678") == set()


def test_plate_room_purpose_status(world, log):
    assert _found(world, plate="粤b 123") == {"张三"}
    assert _found(world, room="1-1-0201") == {"李四"}
    assert _found(world, room="0301") == {"王小明"}
    assert _found(world, room="301") == {"王小明"}
    assert _found(world, room="2-1-0101") == set()
    assert _found(world, purpose=Purpose.DELIVERY) == {"李四"}
    assert _found(world, status=VisitStatus.LEFT) == {"王小明"}
    assert _found(world, name="zs", purpose=Purpose.DELIVERY) == set()


def test_dates_are_site_local_days(world):
    # 23:30 on 1 March and 00:10 on 2 March in Shanghai are 15:30 and 16:10 UTC on 1 March
    late = make_visit(world.site, name="晚到", at=datetime(2026, 3, 1, 15, 30, tzinfo=UTC))
    after_midnight = make_visit(world.site, name="凌晨", at=datetime(2026, 3, 1, 16, 10, tzinfo=UTC))
    db.session.commit()
    assert _found(world, date_from=date(2026, 3, 2), date_to=date(2026, 3, 2)) == {after_midnight.visitor_name}
    assert _found(world, date_to=date(2026, 3, 1)) == {late.visitor_name}
    assert _found(world, date_from=date(2026, 3, 1), date_to=date(2026, 3, 2)) == {"晚到", "凌晨"}


def test_v1_a_corrected_value_is_found_as_well_as_the_original(world, log):
    corrections.correct(log["li"], "visitor_name", "李思", "typed wrongly at the kiosk", world.users["receptionist"])
    corrections.correct(log["li"], "visitor_phone", "13900001234", "wrong number", world.users["receptionist"])
    db.session.commit()
    assert _found(world, name="李思") == {"李四"}
    assert _found(world, name="李四") == {"李四"}
    assert _found(world, phone="1234") == {"李四"}
    assert _found(world, phone="13900001234") == {"李四"}


def _count_search_statements(site_id, n):
    site, clerk = db.session.get(Site, site_id), db.session.scalar(sa.select(User).where(User.username == "reception"))
    rooms = db.session.scalars(sa.select(Room).where(Room.site_id == site_id).order_by(Room.id)).all()
    for i in range(n):
        visit = make_visit(site, room=rooms[i % 3], name=f"访客{i}", at=T0 - timedelta(minutes=i))
        if i % 2:
            corrections.correct(visit, "party_size", "3", "two more came", clerk)
    db.session.commit()
    db.session.expunge_all()  # nothing cached: every attribute the page reads must be loaded
    site = db.session.get(Site, site_id)
    with recorded_statements() as statements:
        page = visitor_log.search(site, LogQuery(), size=50)
        for visit in page.items:  # what the page template reads
            visit.room and visit.room.label
            corrections.effective(visit)
    return len(statements), len(page.items)


def test_query_count_is_flat_as_rows_grow(world):
    site_id = world.site.id
    few, shown_few = _count_search_statements(site_id, 5)
    many, shown_many = _count_search_statements(site_id, 55)
    assert (shown_few, shown_many) == (5, 50)
    assert few == many <= 3


def test_the_demo_has_a_visitor_log_that_searches_by_pinyin(runner, client):
    assert runner.invoke(args=["seed-demo", "--password", "secret-1"]).exit_code == 0
    count = db.session.scalar(sa.select(sa.func.count(Visit.id)))
    assert count >= 40
    assert db.session.scalar(sa.select(sa.func.count(Visit.id)).where(Visit.departure == Departure.AUTO)) >= 1
    client.login("reception", "secret-1")
    first = db.session.scalar(sa.select(Visit).order_by(Visit.id))
    page = client.get(f"/console/visits/?name={first.name_initials}")
    assert page.status_code == 200 and first.visitor_name in page.text
