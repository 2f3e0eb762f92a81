"""Offline kiosks and tablets: what the service worker keeps and what devices report
(OFFLINE.md). Plain Python, no request.

- The *shell* of each face (kiosk, patrol) is the set of pages the service worker
  precaches in both languages: pages without personal data only (the visit form with
  building and room numbers, never a visit). Faces add pages with `add_shell_page`.
- A queued submission is answered with its face's *queued screen*; `QUEUED_SCREEN_FOR`
  names the screen of a write whose answer is not the face's default one.
- A *heartbeat* tells the server a device's outbox: pending and dead-lettered counts,
  the dead letters themselves (where and why, never what), and the device's clock.

A record's action and receipt times are the face's (kiosk.visits.rules.parse_action_at);
the service worker marks every replay with the header `X-Outbox-Replay: 1`, and a visit
that came that way, or long after its action, is marked registered offline.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from kiosk.extensions import db
from kiosk.models import DeadLetter, Device, DeviceKind, DeviceStatus
from kiosk.timeutil import parse_instant

# URL prefix of each face: the service worker handles only these (and /static/).
FACE_PREFIX = {DeviceKind.KIOSK: "/kiosk/", DeviceKind.TABLET: "/patrol/"}
# Pages (GET endpoints without arguments) precached per face, in every language. The
# face's start page (devices.START_ENDPOINTS) and its queued screens are added too;
# an endpoint the app does not have (a face not installed) is left out.
SHELL_PAGES: dict[DeviceKind, list[str]] = {
    DeviceKind.KIOSK: ["kiosk.visit_form", "kiosk.checkout_form", "kiosk.expected_form"],
    DeviceKind.TABLET: [],
}
# Write endpoint -> the queued screen that answers it when it has to wait (default:
# the face's first screen; a form may also ask with data-queued-screen).
QUEUED_SCREEN_FOR = {"kiosk.checkout": "checkout", "cases_kiosk.report": "report"}

OFFLINE_AFTER = timedelta(minutes=3)  # no contact for this long: shown as offline
SKEW_LIMIT = timedelta(minutes=3)  # a device clock off by more is flagged (OFFLINE.md 5)
MAX_DEAD_LETTERS = 100  # per heartbeat
MAX_SKEW = 10 * 366 * 24 * 3600  # seconds kept of a clock that is years off


def add_shell_page(kind: DeviceKind, endpoint: str) -> None:
    """Precache `endpoint` (a GET page without arguments) for devices of `kind`."""
    if endpoint not in SHELL_PAGES[kind]:
        SHELL_PAGES[kind].append(endpoint)


# --- heartbeat ----------------------------------------------------------------------


@dataclass(frozen=True)
class Report:
    """A heartbeat, parsed and bounded (see `parse_report`)."""

    pending: int
    dead: int
    clock: datetime | None
    oldest_pending_at: datetime | None
    asset_version: str | None
    persisted: bool | None
    dead_letters: tuple[dict, ...]


def _count(value) -> int:
    """A count a device reported: a number (or its text), clamped; anything else is 0."""
    if isinstance(value, bool) or not isinstance(value, (int, float, str)):
        return 0
    try:
        return max(0, min(int(value), 1_000_000))
    except (TypeError, ValueError, OverflowError):  # "x", 1e999 (inf), NaN
        return 0


def _text(value, limit: int) -> str:
    """A short text a device reported; a structure (list, object) is not a text."""
    if isinstance(value, (dict, list)):
        return ""
    return str(value)[:limit]


def parse_report(data: dict) -> Report:
    """Whatever a device sends is bounded here: counts, short strings, at most
    MAX_DEAD_LETTERS entries, each with an id, a method, a path and a status."""
    letters, seen = [], set()
    listed = data.get("dead_letters")
    for item in (listed if isinstance(listed, list) else [])[:MAX_DEAD_LETTERS]:
        if not isinstance(item, dict) or not _text(item.get("id") or "", 64) or _text(item["id"], 64) in seen:
            continue
        seen.add(_text(item["id"], 64))
        letters.append(
            {
                "entry_id": _text(item["id"], 64),
                "method": (_text(item.get("method") or "POST", 8) or "POST").upper(),
                "path": _text(item.get("path") or "", 200),
                "status": _count(item.get("status")),
                "queued_at": parse_instant(item.get("queued_at")),
                "failed_at": parse_instant(item.get("failed_at")),
            }
        )
    persisted = data.get("persisted")
    return Report(
        pending=_count(data.get("pending")),
        dead=_count(data.get("dead")),
        clock=parse_instant(data.get("clock")),
        oldest_pending_at=parse_instant(data.get("oldest_pending_at")),
        asset_version=_text(data["version"], 20) or None if data.get("version") else None,
        persisted=persisted if isinstance(persisted, bool) else None,
        dead_letters=tuple(letters),
    )


def record_heartbeat(device: Device, report: Report, *, now: datetime) -> DeviceStatus:
    """Keep the device's latest report and its dead letters; commit."""
    status = _status_row(device, now)
    status.reported_at = now
    status.device_clock_at = report.clock
    skew = int((report.clock - now).total_seconds()) if report.clock else 0
    status.clock_skew_seconds = max(-MAX_SKEW, min(skew, MAX_SKEW))  # a 32-bit column; a clock in year 1 is far enough
    status.pending = report.pending
    status.dead = report.dead
    status.oldest_pending_at = report.oldest_pending_at
    status.asset_version = report.asset_version
    status.storage_persisted = report.persisted
    device.last_seen_at = now
    _record_dead_letters(device, report.dead_letters, now)
    db.session.commit()
    return status


def _status_row(device: Device, now: datetime) -> DeviceStatus:
    """The device's status row, made if it has none, and held by this transaction to its end.
    Two heartbeats of one device at once (two of its pages open, a page and its service
    worker) then take turns: both inserting the first row was a 500, and both adding the
    same dead letter would be another."""
    insert = pg_insert if db.session.get_bind().dialect.name == "postgresql" else sqlite_insert
    db.session.execute(
        insert(DeviceStatus)
        .values(device_id=device.id, reported_at=now)
        .on_conflict_do_nothing(index_elements=["device_id"])
    )
    return db.session.scalar(
        sa.select(DeviceStatus)
        .where(DeviceStatus.device_id == device.id)
        .with_for_update()
        .execution_options(populate_existing=True)
    )


def _record_dead_letters(device: Device, letters: tuple[dict, ...], now: datetime) -> None:
    known = {
        row.entry_id: row for row in db.session.scalars(sa.select(DeadLetter).where(DeadLetter.device_id == device.id))
    }
    listed = set()
    for letter in letters:
        listed.add(letter["entry_id"])
        row = known.get(letter["entry_id"])
        if row is None:
            row = DeadLetter(site_id=device.site_id, device_id=device.id, first_reported_at=now, **letter)
            db.session.add(row)
            known[row.entry_id] = row
        row.last_reported_at = now
        row.cleared_at = None
    for entry_id, row in known.items():
        if entry_id not in listed and row.cleared_at is None:
            row.cleared_at = now  # staff removed it on the device


# --- the console's view ------------------------------------------------------------


@dataclass(frozen=True)
class DeviceState:
    last_contact: datetime | None
    offline: bool
    pending: int
    dead: int
    skew_seconds: int
    skewed: bool
    reported_at: datetime | None
    dead_letters: tuple[DeadLetter, ...]


def device_states(devices: list[Device], *, now: datetime) -> dict[int, DeviceState]:
    """device id -> its state, in two queries whatever the number of devices."""
    ids = [d.id for d in devices]
    statuses = (
        {s.device_id: s for s in db.session.scalars(sa.select(DeviceStatus).where(DeviceStatus.device_id.in_(ids)))}
        if ids
        else {}
    )
    letters: dict[int, list[DeadLetter]] = {}
    if ids:
        rows = db.session.scalars(
            sa.select(DeadLetter)
            .where(DeadLetter.device_id.in_(ids), DeadLetter.cleared_at.is_(None))
            .order_by(DeadLetter.device_id, DeadLetter.id)
        )
        for row in rows:
            letters.setdefault(row.device_id, []).append(row)
    states = {}
    for device in devices:
        status = statuses.get(device.id)
        contacts = [t for t in (device.last_seen_at, status.reported_at if status else None) if t]
        last = max(contacts) if contacts else None
        skew = status.clock_skew_seconds if status else 0
        states[device.id] = DeviceState(
            last_contact=last,
            offline=device.is_usable and (last is None or now - last > OFFLINE_AFTER),
            pending=status.pending if status else 0,
            dead=status.dead if status else 0,
            skew_seconds=skew,
            skewed=abs(skew) > SKEW_LIMIT.total_seconds(),
            reported_at=status.reported_at if status else None,
            dead_letters=tuple(letters.get(device.id, ())),
        )
    return states
