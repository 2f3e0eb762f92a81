"""Device enrollment and credentials (kiosks, patrol tablets; OFFLINE.md 6)."""

import hashlib
import secrets
from datetime import datetime, timedelta

import sqlalchemy as sa
from sqlalchemy.orm import joinedload

from kiosk import audit
from kiosk.extensions import db
from kiosk.models import Device, DeviceKind, Site, User

ENROLLMENT_VALID_FOR = timedelta(hours=24)


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def create_enrollment(
    site: Site, kind: DeviceKind, name: str, *, now: datetime, actor: User | None = None
) -> tuple[Device, str]:
    """A new device with a one-time enrollment token (returned once, stored hashed)."""
    token = secrets.token_urlsafe(24)
    device = Device(
        site=site,
        kind=kind,
        name=name,
        created_by_id=actor.id if actor else None,
        enrollment_token_hash=_digest(token),
        enrollment_expires_at=now + ENROLLMENT_VALID_FOR,
    )
    db.session.add(device)
    db.session.flush()
    audit.record(actor, "device.enrollment_created", device, site_id=site.id, details={"kind": str(kind)})
    return device, token


def enroll(token: str, *, now: datetime) -> tuple[Device, str] | None:
    """Redeem a one-time token: the device gets a long-lived credential (returned once)."""
    device = db.session.scalar(sa.select(Device).where(Device.enrollment_token_hash == _digest(token)))
    if (
        device is None
        or device.revoked_at is not None
        or device.enrollment_expires_at is None
        or device.enrollment_expires_at < now
    ):
        return None
    credential = secrets.token_urlsafe(32)
    device.credential_hash = _digest(credential)
    device.enrollment_token_hash = None
    device.enrollment_expires_at = None
    device.enrolled_at = now
    device.last_seen_at = now
    audit.record(device, "device.enrolled", device)
    return device, credential


def authenticate(credential: str | None) -> Device | None:
    """The enrolled, unrevoked device holding this credential, or None."""
    if not credential:
        return None
    device = db.session.scalar(
        sa.select(Device).options(joinedload(Device.site)).where(Device.credential_hash == _digest(credential))
    )
    if device is None or not device.is_usable:
        return None
    return device


def touch(device: Device, now: datetime) -> None:
    """Record contact, at most once a minute to keep writes low."""
    if device.last_seen_at is None or now - device.last_seen_at > timedelta(minutes=1):
        device.last_seen_at = now
        db.session.commit()


def revoke(device: Device, *, now: datetime, actor: User) -> None:
    device.revoked_at = now
    device.credential_hash = None
    device.enrollment_token_hash = None
    audit.record(actor, "device.revoked", device)


MAX_LISTED = 50  # a site's enrolled tablets or kiosks: a handful; the list is bounded all the same


def enrolled(site_id: int, kind: DeviceKind) -> list[Device]:
    """The site's usable (enrolled, not revoked) devices of `kind`, by name; one query."""
    return db.session.scalars(
        sa.select(Device)
        .where(
            Device.site_id == site_id,
            Device.kind == kind,
            Device.enrolled_at.is_not(None),
            Device.revoked_at.is_(None),
        )
        .order_by(Device.name, Device.id)
        .limit(MAX_LISTED)
    ).all()
