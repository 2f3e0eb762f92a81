"""Times are stored in UTC and shown in the site's time zone."""
from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo


def utcnow() -> datetime:
    return datetime.now(timezone.utc)


def to_local(dt: datetime | None, tz_name: str) -> datetime | None:
    if dt is None:
        return None
    if dt.tzinfo is None:
        dt = dt.replace(tzinfo=timezone.utc)
    return dt.astimezone(ZoneInfo(tz_name))


def local_now(tz_name: str) -> datetime:
    return utcnow().astimezone(ZoneInfo(tz_name))


# A device's clock is trusted for the time of an action (OFFLINE.md 5) within these bounds:
# a little ahead of the server, and back as far as an outbox may plausibly hold an entry.
DEVICE_CLOCK_AHEAD = timedelta(minutes=5)
DEVICE_CLOCK_TRUST = timedelta(days=7)


def parse_instant(value: str | None) -> datetime | None:
    """An ISO 8601 instant from a browser (`Date.toISOString()`), as aware UTC; None when
    missing, unreadable or without a zone (a time without a zone could be anything)."""
    if not value or len(value) > 40:
        return None
    try:
        parsed = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    except ValueError:
        return None
    if parsed.tzinfo is None:
        return None
    return parsed.astimezone(timezone.utc)


def device_time(raw: str | None, received_at: datetime) -> datetime:
    """The device's time of an action, or the receipt time when it is missing, unreadable,
    ahead of the server by more than DEVICE_CLOCK_AHEAD or older than DEVICE_CLOCK_TRUST.
    Never later than the receipt."""
    value = parse_instant(raw)
    if value is None or not received_at - DEVICE_CLOCK_TRUST <= value <= received_at + DEVICE_CLOCK_AHEAD:
        return received_at
    return min(value, received_at)
