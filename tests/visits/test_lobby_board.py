"""The lobby board stays small (issue 11, section 4): every list bounded (the oldest
waiting first, a count, a link to the whole list), and a poll that finds nothing new is
answered 204 without a body, which htmx 2 does not swap. Byte counts are measured over a
live server, headers included; the board's keyboard use (V4) is tested in the browser."""

import re
from datetime import timedelta

import time_machine

from kiosk.extensions import db
from kiosk.models import Desk, Outcome, VisitStatus
from kiosk.timeutil import utcnow
from kiosk.visits import lobby
from tests.live import LiveClient, serving
from tests.statements import recorded_statements
from tests.visit_factory import make_visit

HX = {"HX-Request": "true"}
VERSION = re.compile(r'data-board-version="([0-9a-f]+)"')


def _waiting(world, n, start=None, desk=Desk.RECEPTION):
    start = start or utcnow() - timedelta(hours=3)
    return [
        make_visit(
            world.site,
            room=world.rooms[i % 3],
            name=f"访客{i}",
            at=start + timedelta(seconds=i),
            status=VisitStatus.WAITING,
            outcome=None,
            desk=desk,
        )
        for i in range(n)
    ]


def _size(reply) -> int:
    return len(reply.body) + len(str(reply.headers).encode())


def _poll(client, version, desk="reception"):
    return client.get(f"/console/lobby/board?desk={desk}&since={version}", headers=HX)


def test_v4_an_unchanged_poll_is_204_under_1_kb_and_a_change_is_sent(app, world):
    with time_machine.travel(utcnow().replace(second=5), tick=False):
        _waiting(world, 3)
        db.session.commit()
        with serving(app) as server:
            desk = LiveClient(server.url)
            desk.login("reception")
            page = desk.get("/console/lobby/?desk=reception")
            version = VERSION.search(page.text).group(1)
            assert f"since={version}" in page.text  # the poll carries the version it shows
            idle = _poll(desk, version)
            assert idle.status == 204 and idle.body == b"" and _size(idle) <= 1024, _size(idle)
            assert "HX-Request" in idle.headers["Vary"]
            make_visit(
                world.site, room=world.rooms[0], name="新访客", status=VisitStatus.WAITING, outcome=None, commit=True
            )
            changed = _poll(desk, version)
            assert changed.status == 200 and "新访客" in changed.text
            newer = VERSION.search(changed.text).group(1)
            assert newer != version and _poll(desk, newer).status == 204


def test_v4_every_change_on_the_board_changes_its_version(app, world):
    now = utcnow().replace(second=5)
    site = world.site
    with time_machine.travel(now, tick=False):
        [first, second] = _waiting(world, 2)
        db.session.commit()
        versions = [lobby.board_version(site, utcnow(), now.date())]

        def changed():
            db.session.commit()
            versions.append(lobby.board_version(site, utcnow(), now.date()))
            return versions[-1] != versions[-2]

        assert not changed()  # nothing happened
        first.outcome, first.outcome_at, first.status = Outcome.COMING_DOWN, utcnow(), VisitStatus.ON_SITE
        assert changed()
        first.outcome, first.outcome_at = Outcome.WAIT_LOUNGE, utcnow() + timedelta(seconds=1)
        assert changed()
        first.status, first.departed_at = VisitStatus.LEFT, utcnow()
        assert changed()
        second.status = VisitStatus.HELD
        assert changed()
    with time_machine.travel(now + timedelta(minutes=1), tick=False):  # minutes waited move on
        assert lobby.board_version(site, utcnow(), now.date()) != versions[-1]


def test_a_board_with_500_waiting_stays_under_200_kb_oldest_first_with_a_link(app, world):
    visits = _waiting(world, 500)
    for i in range(60):
        make_visit(world.site, room=world.rooms[i % 3], name=f"在场{i}", status=VisitStatus.ON_SITE)
    db.session.commit()
    with serving(app) as server:
        desk = LiveClient(server.url)
        desk.login("reception")
        page = desk.get("/console/lobby/?desk=all&lang=en")
        fragment = desk.get("/console/lobby/board?desk=all&lang=en", headers=HX)
    for reply in (page, fragment):
        assert reply.status == 200 and _size(reply) <= 200 * 1024, _size(reply)
        shown = re.findall(r'id="visit-(\d+)"', reply.text)
        assert len(shown) == lobby.BOARD_LIMIT
        assert [int(i) for i in shown] == [v.id for v in visits[: lobby.BOARD_LIMIT]]  # the oldest first
        assert '<span class="count">500</span>' in reply.text and '<span class="count">60</span>' in reply.text
        assert "/console/visits/?status=waiting" in reply.text and "/console/visits/on-site" in reply.text


def test_the_board_reads_the_same_number_of_statements_for_5_or_300_waiting(world, client):
    client.login("reception")
    _waiting(world, 5)
    db.session.commit()
    client.get("/console/lobby/board?desk=all", headers=HX)
    with recorded_statements() as few:
        assert client.get("/console/lobby/board?desk=all", headers=HX).status_code == 200
    _waiting(world, 295, start=utcnow() - timedelta(hours=5))
    db.session.commit()
    with recorded_statements() as many:
        assert client.get("/console/lobby/board?desk=all", headers=HX).status_code == 200
    assert len(many) == len(few)
    version = lobby.board_version(
        world.site, utcnow(), __import__("kiosk.visits.expected", fromlist=["x"]).local_date(world.site, utcnow())
    )
    with recorded_statements() as idle:
        response = client.get(f"/console/lobby/board?desk=all&since={version}", headers=HX)
    if response.status_code == 204:  # unless the minute turned between the two lines
        assert len(idle) <= len(few) - 5
