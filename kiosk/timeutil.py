"""Times are stored in UTC and shown in the site's time zone."""

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo


def utcnow() -> datetime:
    return datetime.now(UTC)


def to_local(dt: datetime | None, tz_name: str) -> datetime | None:
    if dt is None:
        return None
    if dt.tzinfo is None:
        dt = dt.replace(tzinfo=UTC)
    return dt.astimezone(ZoneInfo(tz_name))


# Dates people may type (searches, exports, expected visitors): a year outside these
# cannot be turned into an instant in every zone (year 1 at +08:00 is before year 1 UTC).
EARLIEST_DAY = date(1900, 1, 1)
LATEST_DAY = date(2999, 12, 31)


def plausible_day(day: date | None) -> bool:
    return day is None or EARLIEST_DAY <= day <= LATEST_DAY


def local_now(tz_name: str) -> datetime:
    return utcnow().astimezone(ZoneInfo(tz_name))


# A device's clock is trusted for the time of an action (OFFLINE.md 5) within these bounds:
# a little ahead of the server, and back as far as an outbox may plausibly hold an entry.
DEVICE_CLOCK_AHEAD = timedelta(minutes=5)
DEVICE_CLOCK_TRUST = timedelta(days=7)


def parse_instant(value: str | None) -> datetime | None:
    """An ISO 8601 instant from a browser (`Date.toISOString()`), as aware UTC; None when
    missing, unreadable or without a zone (a time without a zone could be anything)."""
    if not isinstance(value, str) or not value or len(value) > 40:
        return None
    try:
        parsed = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
        if parsed.tzinfo is None:
            return None
        # year 1 at +14:00 is before year 1 in UTC: OverflowError, as year 9999 at -12:00
        return parsed.astimezone(UTC)
    except (ValueError, OverflowError):
        return None


def device_time(raw: str | None, received_at: datetime) -> datetime:
    """The device's time of an action, or the receipt time when it is missing, unreadable,
    ahead of the server by more than DEVICE_CLOCK_AHEAD or older than DEVICE_CLOCK_TRUST.
    Never later than the receipt."""
    value = parse_instant(raw)
    if value is None or not received_at - DEVICE_CLOCK_TRUST <= value <= received_at + DEVICE_CLOCK_AHEAD:
        return received_at
    return min(value, received_at)
