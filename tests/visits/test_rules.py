"""Field rules of a registration (V1) and desk hours (V2): plain functions, no request."""

from datetime import UTC, datetime, time, timedelta, timezone

import pytest

from kiosk.models import Desk, Purpose, Site
from kiosk.visits import rules

UTC = UTC


@pytest.mark.parametrize(
    "raw, expected",
    [
        ("张三", "张三"),
        ("  Anna  Müller ", "Anna Müller"),
        ("𠮷野家", "𠮷野家"),  # a character outside the BMP counts as one
        ("A" * 50, "A" * 50),
        ("<script>alert(1)</script>", "<script>alert(1)</script>"),  # kept as text; escaped on output
    ],
)
def test_v1_names_of_any_script_up_to_50_characters(raw, expected):
    assert rules.check_name(raw).value == expected


@pytest.mark.parametrize("raw", ["", "   ", "\u200b", "A" * 51, "𠮷" * 51])
def test_v1_names_empty_or_too_long_are_refused(raw):
    assert rules.check_name(raw).error is not None


@pytest.mark.parametrize(
    "raw, country, expected",
    [
        ("13812345678", "+86", "+8613812345678"),
        ("138 1234 5678", "+86", "+8613812345678"),
        ("+86 138-1234-5678", "+86", "+8613812345678"),
        ("008613812345678", "+86", "+8613812345678"),
        ("07911 123456", "+44", "+447911123456"),
        ("+44 7911 123456", "+86", "+447911123456"),  # a typed code wins over the select
        ("91234567", "+852", "+85291234567"),
    ],
)
def test_v1_phones_are_stored_e164(raw, country, expected):
    assert rules.check_phone(raw, country).value == expected


@pytest.mark.parametrize(
    "raw, country",
    [
        ("", "+86"),
        ("1381234567", "+86"),
        ("01012345678", "+86"),  # a Beijing landline is not a mobile
        ("12345", "+44"),
        ("abc", "+86"),
    ],
)
def test_v1_bad_phones_are_refused(raw, country):
    assert rules.check_phone(raw, country).error is not None


def test_v1_mainland_and_foreign_phone_messages_differ():
    assert rules.check_phone("123", "+86").error == rules.MSG_PHONE_MAINLAND
    assert rules.check_phone("123", "+44").error == rules.MSG_PHONE_INVALID


@pytest.mark.parametrize(
    "raw, expected",
    [
        ("粤B12345", "粤B12345"),
        ("粤b·1234学", "粤B1234学"),
        ("京A 88888", "京A88888"),
        ("粤BD12345", "粤BD12345"),
        ("沪AF12345", "沪AF12345"),
        ("苏E12345D", "苏E12345D"),
        ("", None),
    ],
)
def test_v1_plates_ordinary_and_new_energy(raw, expected):
    checked = rules.check_plate(raw)
    assert checked.error is None and checked.value == expected


@pytest.mark.parametrize("raw", ["B12345", "粤I12345", "粤B1234", "粤B1234567", "ABC-123", "粤BD1234X"])
def test_v1_bad_plates_are_refused(raw):
    assert rules.check_plate(raw).error == rules.MSG_PLATE


def test_v1_id_number_only_when_asked_and_check_digit_verified():
    assert rules.check_id_number("", asked=False).value is None
    assert rules.check_id_number("", asked=True).error == rules.MSG_ID_REQUIRED
    assert rules.check_id_number("110105194912310021", asked=True).error == rules.MSG_ID_INVALID
    assert rules.check_id_number("11010519491231002x", asked=True).value == "11010519491231002X"


@pytest.mark.parametrize("raw, ok", [("1", True), ("20", True), ("", True), ("0", False), ("21", False), ("x", False)])
def test_v1_party_size_1_to_20(raw, ok):
    assert (rules.check_party_size(raw).error is None) is ok


def test_v1_purpose_must_be_known():
    assert rules.check_purpose("works").value == Purpose.WORKS
    assert rules.check_purpose("smuggling").error is not None


def _at(hour, minute=0):
    """A moment at this Shanghai local time (UTC+8)."""
    return datetime(2026, 11, 23, hour, minute, tzinfo=timezone(timedelta(hours=8))).astimezone(UTC)


@pytest.mark.parametrize(
    "hour, minute, desk",
    [
        (8, 0, Desk.RECEPTION),
        (12, 0, Desk.RECEPTION),
        (19, 59, Desk.RECEPTION),
        (20, 0, Desk.DUTY),
        (23, 30, Desk.DUTY),
        (0, 0, Desk.DUTY),
        (7, 59, Desk.DUTY),
    ],
)
def test_v2_duty_manager_from_20_to_8_in_the_sites_time_zone(hour, minute, desk):
    site = Site(code="x", name="x", timezone="Asia/Shanghai", desk_opens=time(8), desk_closes=time(20))
    assert rules.desk_for(site, _at(hour, minute)) == desk


def test_v2_desk_hours_are_per_site():
    site = Site(code="x", name="x", timezone="Asia/Shanghai", desk_opens=time(7), desk_closes=time(22))
    assert rules.desk_for(site, _at(21, 0)) == Desk.RECEPTION
    assert rules.desk_for(site, _at(22, 0)) == Desk.DUTY


def test_action_time_from_the_device_sanity_checked():
    now = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)
    assert rules.parse_action_at("2026-11-23T11:50:00.000Z", now) == now - timedelta(minutes=10)
    assert rules.parse_action_at("", now) == now
    assert rules.parse_action_at("yesterday", now) == now
    assert rules.parse_action_at("2026-11-23T11:50:00", now) == now  # no zone: not believed
    assert rules.parse_action_at("2026-11-23T13:00:00Z", now) == now  # in the future
    assert rules.parse_action_at("2020-01-01T00:00:00Z", now) == now  # implausibly old
    assert rules.was_offline(now - timedelta(minutes=3), now)
    assert not rules.was_offline(now - timedelta(seconds=30), now)
