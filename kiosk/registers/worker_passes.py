"""Decoration-worker passes (装修工人临时出入证, V7): tied to a room and a validity
period. At the kiosk a worker signs in with the pass code (or its QR) and goes up without
the host loop while the pass is valid; an expired or revoked pass is refused, and the
worker then registers as any visitor. Plain Python, no request.

A sign-in is a visit (purpose works, on site, floor of the room): the lobby's roll call
and the visitor log show it like every other visitor, and the watch list still applies.
A sign-in queued offline is judged by the day it was made (its action time).
"""

import hashlib
import secrets
from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from sqlalchemy.orm import joinedload

from kiosk import audit, paging, photos
from kiosk.extensions import db
from kiosk.models import Device, Outcome, Purpose, Room, Site, User, Visit, VisitStatus
from kiosk.models.registers import WorkerPass, WorkerSignIn
from kiosk.registers.common import Refused, random_code
from kiosk.visits import registration

MAX_DAYS = 180  # a decoration permit runs for months, not years
# The kiosk's offline list keeps passes that ended or were revoked this many days ago, so
# that offline it says "expired" or "no longer valid" rather than "no such pass".
OFFLINE_KEEPS_ENDED = timedelta(days=30)


def local_date(site: Site, moment: datetime) -> date:
    return moment.astimezone(ZoneInfo(site.timezone)).date()


def issue(
    room: Room,
    *,
    worker_name: str,
    phone: str,
    company: str,
    valid_from: date,
    valid_until: date,
    by: User,
    now: datetime,
    photo: bytes | None = None,
    photo_root: Path | None = None,
) -> WorkerPass:
    if room.site_id != by.site_id:
        raise Refused("room", "room")
    if valid_until < valid_from or (valid_until - valid_from).days > MAX_DAYS:
        raise Refused("worker_window", "valid_until")
    if valid_until < local_date(by.site, now):
        raise Refused("window_past", "valid_until")
    worker_pass = WorkerPass(
        site_id=room.site_id,
        code=_new_code(),
        room_id=room.id,
        worker_name=worker_name.strip(),
        phone=phone.strip(),
        company=company.strip() or None,
        valid_from=valid_from,
        valid_until=valid_until,
        created_at=now,
        created_by_id=by.id,
    )
    if photo:
        try:
            stored = photos.store(photo_root, room.site_id, photo)
        except photos.PhotoRejected as rejected:
            raise Refused("photo:" + rejected.reason, "photo") from rejected
        worker_pass.photo_path, worker_pass.photo_sha256 = stored.path, stored.sha256
    db.session.add(worker_pass)
    db.session.flush()
    audit.record(by, "worker_pass.issued", worker_pass)
    return worker_pass


def _new_code() -> str:
    for _ in range(20):
        code = "W" + random_code(7)
        if db.session.scalar(sa.select(WorkerPass.id).where(WorkerPass.code == code)) is None:
            return code
    raise RuntimeError("no free worker pass code")  # pragma: no cover


def revoke(worker_pass: WorkerPass, reason: str, by: User, now: datetime) -> None:
    if worker_pass.revoked_at is not None:
        return
    if not reason.strip():
        raise Refused("reason", "reason")
    worker_pass.revoked_at, worker_pass.revoked_by_id, worker_pass.revoke_reason = now, by.id, reason.strip()
    audit.record(by, "worker_pass.revoked", worker_pass, reason=reason.strip())


def state(worker_pass: WorkerPass, on: date) -> str:
    """valid, revoked, expired or not_yet on a site-local day."""
    if worker_pass.revoked_at is not None:
        return "revoked"
    if on > worker_pass.valid_until:
        return "expired"
    if on < worker_pass.valid_from:
        return "not_yet"
    return "valid"


def normalise_code(text: str | None) -> str:
    text = (text or "").strip().upper().rstrip("/")
    return "".join(ch for ch in text.rsplit("/", 1)[-1] if ch.isalnum())[:12]


def find(site_id: int, code: str | None) -> WorkerPass | None:
    return db.session.scalar(
        sa.select(WorkerPass)
        .options(joinedload(WorkerPass.room))
        .where(WorkerPass.site_id == site_id, WorkerPass.code == normalise_code(code))
    )


def usable(site: Site, code: str | None, on: date) -> WorkerPass:
    """The pass if it may be used on `on`; Refused("worker_<state>") says why not."""
    worker_pass = find(site.id, code)
    if worker_pass is None:
        raise Refused("worker_unknown", "code")
    verdict = state(worker_pass, on)
    if verdict != "valid":
        raise Refused("worker_" + verdict, "code")
    return worker_pass


def sign_in(
    site: Site,
    code: str | None,
    *,
    received_at: datetime,
    action_at: datetime,
    device: Device | None,
    replayed: bool = False,
) -> Visit:
    """V7: a worker with a valid pass goes up to the room's floor without the host loop.
    The registration follows the visit rules (V1, V2, the watch list: a match is held)."""
    worker_pass = usable(site, code, local_date(site, action_at))
    room = worker_pass.room
    visit = registration.register(
        site,
        registration.Registration(
            room=room, name=worker_pass.worker_name, phone=worker_pass.phone, party_size=1, purpose=Purpose.WORKS
        ),
        received_at=received_at,
        action_at=action_at,
        device=device,
        replayed=replayed,
    )
    if visit.status == VisitStatus.WAITING:
        visit.status, visit.outcome, visit.outcome_floor, visit.outcome_at = (
            VisitStatus.ON_SITE,
            Outcome.GO_UP,
            room.floor,
            action_at,
        )
    db.session.add(WorkerSignIn(site_id=site.id, pass_id=worker_pass.id, visit_id=visit.id, at=action_at))
    audit.record(device, "worker_pass.signed_in", worker_pass, site_id=site.id, details={"visit": visit.id})
    return visit


def book(site_id: int, *, cursor: str | None = None, size: int = 50) -> paging.Page:
    query = (
        sa.select(WorkerPass)
        .where(WorkerPass.site_id == site_id)
        .options(
            joinedload(WorkerPass.room).joinedload(Room.building), joinedload(WorkerPass.room).joinedload(Room.unit)
        )
    )
    return paging.keyset(query, WorkerPass.created_at, WorkerPass.id, cursor=cursor, size=size)


def load(site_id: int, pass_id: int) -> WorkerPass | None:
    row = db.session.get(WorkerPass, pass_id)
    return row if row is not None and row.site_id == site_id else None


def sign_ins(worker_pass: WorkerPass, limit: int = 30) -> list[WorkerSignIn]:
    return list(
        db.session.scalars(
            sa.select(WorkerSignIn)
            .where(WorkerSignIn.pass_id == worker_pass.id)
            .order_by(WorkerSignIn.at.desc())
            .limit(limit)
        )
    )


def valid_count(site_id: int, user=None) -> int:
    from kiosk.timeutil import utcnow

    site = db.session.get(Site, site_id)
    today = local_date(site, utcnow())
    return (
        db.session.scalar(
            sa.select(sa.func.count(WorkerPass.id)).where(
                WorkerPass.site_id == site_id,
                WorkerPass.revoked_at.is_(None),
                WorkerPass.valid_from <= today,
                WorkerPass.valid_until >= today,
            )
        )
        or 0
    )


def code_hash(salt: str, code: str | None) -> str:
    """What the kiosk's offline list holds instead of a code: SHA-256 of the list's salt
    and the normalised code (the kiosk hashes what is typed the same way)."""
    return hashlib.sha256(f"{salt}:{normalise_code(code)}".encode()).hexdigest()


def offline_list(site: Site, now: datetime) -> dict:
    """V7 offline: the passes the kiosk may judge without the server, as JSON data. No
    plain codes and no names or phones: a salted hash of each code (a new salt on every
    sync), its validity window (site-local dates), revoked or not, and the floor the worker
    goes to. Passes that ended or were revoked more than OFFLINE_KEEPS_ENDED ago are left
    out (the kiosk then says it does not know the code). One query for the site's passes."""
    today = local_date(site, now)
    oldest = today - OFFLINE_KEEPS_ENDED
    rows = db.session.execute(
        sa.select(WorkerPass.code, WorkerPass.valid_from, WorkerPass.valid_until, WorkerPass.revoked_at, Room.floor)
        .join(Room, Room.id == WorkerPass.room_id)
        .where(
            WorkerPass.site_id == site.id,
            WorkerPass.valid_until >= oldest,
            sa.or_(WorkerPass.revoked_at.is_(None), WorkerPass.revoked_at >= now - OFFLINE_KEEPS_ENDED),
        )
        .order_by(WorkerPass.id)
    ).all()
    salt = secrets.token_hex(16)
    return {
        "version": 1,
        "synced_at": now.isoformat(),
        "timezone": site.timezone,
        "salt": salt,
        "passes": [
            {
                "hash": code_hash(salt, row.code),
                "valid_from": row.valid_from.isoformat(),
                "valid_until": row.valid_until.isoformat(),
                "revoked": row.revoked_at is not None,
                "floor": row.floor,
            }
            for row in rows
        ],
    }
