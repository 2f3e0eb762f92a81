"""The eight causes of the probe's 36 answers of 500 (issue 11), one test each. A kiosk
or tablet POST answered 500 is queued again and retried for ever (OFFLINE.md), so a bad
input must get a 4xx (or be ignored), never a 500. The live walk over every route is
tests/test_live_walk.py; these pin each cause down in-process."""

import json
from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa

from kiosk.extensions import db
from kiosk.ids import MAX_ID, bounded_int, is_number, parse_id
from kiosk.models import DeviceStatus, Visit
from kiosk.paging import BadCursor, decode_cursor, encode_cursor
from kiosk.timeutil import device_time, parse_instant, utcnow
from tests.kiosk_helpers import DEVICE_HEADERS, enroll_kiosk, post, visit_data
from tests.visit_factory import make_visit

BIG = str(2**63)
JUNK_DIGITS = ["²", "١", "١٢٠١", "²⁰¹", "-1", BIG, "9" * 40]
EARLY_OFFSET = "0001-01-01T00:00:00+14:00"


def test_numbers_are_ascii_digits_within_a_database_key():
    assert [is_number(t) for t in ("12", "²", "١", "", "-1", " 1")] == [True, False, False, False, False, False]
    assert [parse_id(t) for t in ("7", str(MAX_ID), BIG, "0", "²", "١", None, 3, True)] == [
        7,
        MAX_ID,
        None,
        None,
        None,
        None,
        None,
        3,
        None,
    ]
    assert [bounded_int(t, -5, 5) for t in ("-3", "6", "²", "١", "9" * 40)] == [-3, None, None, None, None]


def test_ids_of_2_63_and_non_ascii_digits_on_id_routes_are_404(world, client):
    """Cause 1: /<int:...> with 2^63 overflowed SQLite and was a data error on PostgreSQL."""
    visit = make_visit(world.site, commit=True)
    client.login("supervisor")
    assert client.get(f"/console/visits/{visit.id}").status_code == 200
    for junk in (BIG, "99999999999999999999", "²", "١", "-1", "0"):
        for path in (
            f"/console/visits/{junk}",
            f"/console/patrols/records/{junk}",
            f"/console/patrols/photos/{junk}",
            f"/console/lobby/visits/{junk}/contacts",
            f"/accounts/{junk}/active",
        ):
            method = client.post if path.endswith("active") else client.get
            assert method(path).status_code in (400, 404), path


@pytest.mark.parametrize("junk", JUNK_DIGITS)
def test_kiosk_room_building_and_check_out_take_no_unicode_digits(world, client, junk):
    """Cause 2: "²".isdigit() is true and int("²") fails (kiosk room, building, check-out)."""
    enroll_kiosk(client, world.site)
    registered = post(client, "/kiosk/visits?lang=en", visit_data(junk, building=junk, room_number=junk))
    assert registered.status_code == 422
    typed = post(client, "/kiosk/visits?lang=en", visit_data("", building=junk, room_number="0101"))
    assert typed.status_code in (200, 422)
    checkout = post(
        client,
        "/kiosk/checkout?lang=en",
        {
            "code": "",
            "phone": "13900001234",
            "phone_country": "+86",
            "room": junk,
            "room_number": junk,
            "idempotency_key": "6b1f2c1e-0000-4000-8000-00000000000a",
        },
    )
    assert checkout.status_code == 422
    assert db.session.scalar(sa.select(sa.func.count(Visit.id))) <= 1  # only the typed 0101, never the junk


@pytest.mark.parametrize("junk", JUNK_DIGITS)
def test_lobby_floor_and_patrol_ids_take_no_unicode_digits(world, client, junk):
    """Cause 2 at the desk (the floor a host comes down to) and in the supervisors' lists."""
    visit = make_visit(world.site, status="waiting", commit=True, outcome=None)
    client.login("reception")
    response = client.post_form(f"/console/lobby/visits/{visit.id}/outcome", {"outcome": "coming_down", "floor": junk})
    assert response.status_code < 500
    client.post("/auth/logout", data={"csrf_token": client.csrf("/console/")})
    client.login("supervisor")
    assert client.get(f"/console/patrols/tasks?before={junk}").status_code == 200
    assert (
        client.post_form(
            "/console/patrols/occurrences/acknowledge-missed", {"note": "x", "occurrence": [junk, "1"]}
        ).status_code
        == 303
    )


@pytest.mark.parametrize(
    "field, value",
    [("date_from", "0001-01-01"), ("date_to", "9999-12-31"), ("date_from", "9999-12-31"), ("date_to", "0001-01-01")],
)
def test_dates_in_year_1_or_9999_are_refused_in_the_log_and_its_export(world, client, field, value):
    """Cause 3: the visitor log's search and export turned them into instants (OverflowError)."""
    client.login("supervisor")
    search = client.get(f"/console/visits/?{field}={value}&lang=en")
    assert search.status_code in (200, 422) and "Please enter a date such as 2026-03-01." in search.text
    data = {"date_from": "2026-01-01", "date_to": "2026-01-02", "format": "csv", field: value}
    export = client.post_form("/console/visits/export?lang=en", data, page="/console/visits/")
    assert export.status_code == 422 and "Please enter a date such as 2026-03-01." in export.text


def test_an_expected_visitor_in_year_9999_is_refused(world, client):
    client.login("reception")
    data = {
        "room_number": "0101",
        "name": "王五",
        "phone_country": "+86",
        "phone": "13711112222",
        "party_size": "1",
        "purpose": "visit",
        "idempotency_key": "6b1f2c1e-0000-4000-8000-00000000000b",
    }
    for day in ("9999-12-31", "0001-01-01"):
        assert client.post_form("/console/lobby/expected?lang=en", {**data, "day": day}).status_code == 422


def test_action_at_in_year_1_at_plus_14_is_the_receipt_time():
    """Cause 4: year 1 at +14:00 is before year 1 in UTC (OverflowError in astimezone)."""
    now = utcnow()
    assert parse_instant(EARLY_OFFSET) is None and parse_instant("9999-12-31T23:59:59-12:00") is None
    assert parse_instant(12) is None and parse_instant(["x"]) is None
    assert device_time(EARLY_OFFSET, now) == now
    with pytest.raises(BadCursor):
        decode_cursor(encode_cursor(datetime(2026, 1, 1, tzinfo=UTC), 2**64))
    import base64

    raw = base64.urlsafe_b64encode(json.dumps([EARLY_OFFSET, 1]).encode()).decode().rstrip("=")
    with pytest.raises(BadCursor):
        decode_cursor(raw)


def test_a_kiosk_registration_with_action_at_in_year_1_is_accepted_at_receipt(world, client):
    enroll_kiosk(client, world.site)
    response = post(client, "/kiosk/visits?lang=en", visit_data(world.rooms[0].id, action_at=EARLY_OFFSET))
    assert response.status_code == 200
    visit = db.session.scalar(sa.select(Visit))
    assert abs(visit.action_at - utcnow()) < timedelta(minutes=1)


def test_a_patrol_write_with_action_at_in_year_1_is_not_an_error(tablet, pw):
    response = tablet.post(
        "/patrol/scan",
        data={
            "patrol": "6b1f2c1e-0000-4000-8000-00000000000c",
            "idempotency_key": "6b1f2c1e-0000-4000-8000-00000000000d",
            "action_at": EARLY_OFFSET,
            "code": "x",
        },
        headers={"X-Device-Request": "1", "HX-Request": "true"},
    )
    assert 400 <= response.status_code < 500


def _nested(depth):
    return "[" * depth + "]" * depth


@pytest.mark.parametrize(
    "body",
    [
        _nested(100_000),
        '{"pending": ' + _nested(50_000) + "}",
        '{"dead_letters": {"id": 1}}',
        '{"dead_letters": "abc"}',
        '{"dead_letters": 7}',
        '{"dead_letters": [{"id": [1, 2], "queued_at": 5}]}',
        '{"pending": 1e999, "dead": "1e999", "clock": 12, "version": {"a": 1}}',
        '{"pending": [1], "dead": {"x": 1}}',
        '{"clock": "0001-01-01T00:00:00+14:00"}',
        '{"clock": "9999-12-31T23:59:59-12:00"}',
        "[]",
        '"x"',
        "null",
    ],
)
def test_heartbeat_with_wrongly_typed_or_deeply_nested_json_is_not_an_error(world, client, body):
    """Cause 5: the heartbeat's JSON, typed wrongly or nested deeply (RecursionError)."""
    enroll_kiosk(client, world.site)
    response = client.post("/devices/heartbeat", data=body, content_type="application/json", headers={**DEVICE_HEADERS})
    assert response.status_code in (200, 400), response.status_code
    if response.status_code == 200:
        status = db.session.scalar(sa.select(DeviceStatus))
        assert abs(status.clock_skew_seconds) <= 10 * 366 * 24 * 3600


def test_a_query_argument_named_like_the_routes_own_is_not_an_error(world, client):
    """Found by the live walk: the language switch on every page passed `?visit_id=` and
    the route's own `visit_id` both to url_for (TypeError, and again on the error page)."""
    visit = make_visit(world.site, commit=True)
    client.login("supervisor")
    page = client.get(f"/console/visits/{visit.id}?visit_id=x&_external=1&_scheme=javascript&lang=en")
    assert page.status_code == 200 and f"/console/visits/{visit.id}?lang=zh_Hans_CN" in page.text
