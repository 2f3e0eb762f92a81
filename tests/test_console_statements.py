"""No N+1 on the staff console's list pages outside the visitor log: the lobby board and its
polled fragment, expected visitors, the watch list, devices and staff accounts send as many
SQL statements for 30 rows as for 3."""

import itertools
from datetime import UTC, datetime, timedelta

import pytest
import time_machine

from kiosk.accounts import create_user
from kiosk.extensions import db
from kiosk.models import (
    DeadLetter,
    Departure,
    Desk,
    DeviceKind,
    DeviceStatus,
    ExpectedVisit,
    Role,
    VisitStatus,
    WatchEntry,
)
from kiosk.offline import devices
from kiosk.timeutil import utcnow
from kiosk.visits import expected
from tests.statements import recorded_statements
from tests.visit_factory import make_visit

NOON = datetime(2026, 11, 23, 4, 0, tzinfo=UTC)  # a Monday, 12:00 in Shanghai: no midnight in reach

_numbers = itertools.count(1)


def _statements_for(client, url, add_rows, n):
    add_rows(n)
    db.session.commit()
    with recorded_statements() as statements:
        assert client.get(url).status_code == 200
    return len(statements)


def _lobby_rows(world, n):
    """n of each: held (each by its own watch entry), waiting, on site, left today, and
    expected today (each with its arrived visit); desks and rooms alternate."""
    now, today = utcnow(), expected.local_date(world.site, utcnow())
    for i in range(n):
        k, room = next(_numbers), world.rooms[i % 3]
        entry = WatchEntry(
            site_id=world.site.id, name=f"关注{k}", reason="原因", created_by_id=world.users[Role.SUPERVISOR].id
        )
        announced = ExpectedVisit(
            site_id=world.site.id, code=f"EXP{k:05d}", room=room, day=today, visitor_name=f"预约{k}"
        )
        db.session.add_all([entry, announced])
        db.session.flush()
        make_visit(
            world.site,
            room=room,
            name=f"待定{k}",
            status=VisitStatus.HELD,
            watch_entry_id=entry.id,
            desk=Desk.DUTY if i % 2 else Desk.RECEPTION,
            at=now - timedelta(minutes=1),
        )
        make_visit(world.site, room=room, name=f"等候{k}", status=VisitStatus.WAITING, at=now - timedelta(minutes=2))
        make_visit(
            world.site,
            room=room,
            name=f"在场{k}",
            status=VisitStatus.ON_SITE,
            at=now - timedelta(minutes=3),
            expected_visit_id=announced.id,
        )
        make_visit(
            world.site,
            room=room,
            name=f"离开{k}",
            status=VisitStatus.LEFT,
            at=now - timedelta(minutes=4),
            departed_at=now - timedelta(minutes=1),
            departure=Departure.STAFF,
        )


@pytest.mark.parametrize(
    "url, username",
    [
        ("/console/lobby/", "reception"),
        ("/console/lobby/board", "reception"),  # the fragment the open board polls
        ("/console/lobby/?desk=all", "duty"),
        ("/console/lobby/expected", "reception"),
        ("/console/lobby/watch", "supervisor"),
    ],
)
@time_machine.travel(NOON, tick=True)  # the rows "left today" and "expected today" are today's
def test_lobby_pages_send_as_many_statements_for_30_visits_as_for_3(client, world, url, username):
    client.login(username)
    few = _statements_for(client, url, lambda n: _lobby_rows(world, n), 3)
    many = _statements_for(client, url, lambda n: _lobby_rows(world, n), 27)
    assert few == many


def _devices(world, n):
    """Enrolled kiosks and tablets, each with a heartbeat and a refused submission."""
    now = utcnow()
    for i in range(n):
        kind = DeviceKind.TABLET if i % 2 else DeviceKind.KIOSK
        device, token = devices.create_enrollment(world.site, kind, f"设备{next(_numbers)}", now=now)
        devices.enroll(token, now=now)
        db.session.add(DeviceStatus(device_id=device.id, reported_at=now, pending=1, dead=1))
        db.session.add(
            DeadLetter(
                site_id=world.site.id,
                device_id=device.id,
                entry_id="k1",
                method="POST",
                path="/kiosk/visits",
                status=422,
                first_reported_at=now,
                last_reported_at=now,
            )
        )


def test_devices_page_sends_as_many_statements_for_30_devices_as_for_3(client, world):
    client.login("supervisor")
    few = _statements_for(client, "/devices/", lambda n: _devices(world, n), 3)
    many = _statements_for(client, "/devices/", lambda n: _devices(world, n), 27)
    assert few == many


def _accounts(world, n):
    """Department staff spread over every department (each shown by name)."""
    departments = list(world.departments.values())
    for i in range(n):
        create_user(
            world.site,
            f"staff{next(_numbers)}",
            "部门员工",
            Role.DEPARTMENT,
            "pw",
            department_id=departments[i % len(departments)].id,
        )


def test_accounts_page_sends_as_many_statements_for_30_accounts_as_for_3(client, world):
    client.login("manager")
    few = _statements_for(client, "/accounts/", lambda n: _accounts(world, n), 3)
    many = _statements_for(client, "/accounts/", lambda n: _accounts(world, n), 27)
    assert few == many
