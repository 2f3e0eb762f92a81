"""Who may look at a household file, permission requests, and the access log (A2, S1).

Customer-service roles open files for their work. Anyone else (the duty manager, the
departments) asks a supervisor for one file, with a reason, and may look until the grant
expires. Every opening of a file, an attachment or the whole ID number is logged, and so is
every refused look (客户档案查阅登记表). Plain Python, no request: the caller commits.
"""

from dataclasses import asdict, dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from sqlalchemy.orm import joinedload

from kiosk import audit, paging
from kiosk.extensions import db
from kiosk.models import Household, Role, Room, User
from kiosk.models.households import AccessGrant, FileAttachment, FileLook, GrantStatus, HouseholdFile
from kiosk.timeutil import utcnow

CUSTOMER_SERVICE = frozenset({Role.RECEPTIONIST, Role.OFFICER, Role.SUPERVISOR, Role.MANAGER})
MUST_ASK = frozenset({Role.DUTY_MANAGER, Role.DEPARTMENT})
APPROVERS = frozenset({Role.SUPERVISOR, Role.MANAGER})
GRANT_HOURS = (1, 2, 4, 8)
WORK_REASON = "customer service"


class NotAllowed(Exception):
    pass


@dataclass(frozen=True)
class Decision:
    allowed: bool
    why: str
    grant: AccessGrant | None = None


def active_grant(user: User, file: HouseholdFile, now: datetime) -> AccessGrant | None:
    return db.session.scalar(
        sa.select(AccessGrant)
        .where(
            AccessGrant.file_id == file.id,
            AccessGrant.user_id == user.id,
            AccessGrant.status == GrantStatus.GRANTED,
            AccessGrant.expires_at > now,
        )
        .order_by(AccessGrant.expires_at.desc())
        .limit(1)
    )


def decide(user: User, file: HouseholdFile, now: datetime | None = None) -> Decision:
    """A2: customer service may look; others only with an unexpired grant for this file."""
    if user.site_id != file.site_id:
        return Decision(False, "other site")
    if user.role in CUSTOMER_SERVICE:
        return Decision(True, WORK_REASON)
    if user.role in MUST_ASK:
        grant = active_grant(user, file, now or utcnow())
        if grant is not None:
            return Decision(True, grant.reason, grant)
    return Decision(False, "no permission")


def look(
    user: User,
    file: HouseholdFile,
    what: str = "file",
    attachment: FileAttachment | None = None,
    now: datetime | None = None,
) -> Decision:
    """Decide and log the look, allowed or refused (A2, S1)."""
    now = now or utcnow()
    decision = decide(user, file, now)
    db.session.add(
        FileLook(
            site_id=file.site_id,
            at=now,
            file_id=file.id,
            household_id=file.household_id,
            attachment_id=attachment.id if attachment is not None else None,
            user_id=user.id,
            what=what,
            why=decision.why[:200],
            allowed=decision.allowed,
            grant_id=decision.grant.id if decision.grant is not None else None,
        )
    )
    audit.record(
        user,
        f"household_file.look_{what}" if decision.allowed else "household_file.look_refused",
        file,
        reason=decision.why[:200],
        details={"attachment": attachment.id} if attachment is not None else None,
    )
    return decision


def request_access(user: User, file: HouseholdFile, reason: str, now: datetime | None = None) -> AccessGrant:
    reason = (reason or "").strip()
    if not reason:
        raise ValueError("reason")
    now = now or utcnow()
    pending = db.session.scalar(
        sa.select(AccessGrant).where(
            AccessGrant.file_id == file.id, AccessGrant.user_id == user.id, AccessGrant.status == GrantStatus.PENDING
        )
    )
    if pending is not None:  # a double submit asks once
        return pending
    grant = AccessGrant(site_id=file.site_id, file_id=file.id, user_id=user.id, reason=reason[:200], requested_at=now)
    db.session.add(grant)
    db.session.flush()
    audit.record(user, "household_file.access_requested", file, reason=grant.reason)
    return grant


def answer(
    grant: AccessGrant, supervisor: User, approve: bool, hours: int = 2, now: datetime | None = None
) -> AccessGrant:
    """A supervisor grants (for `hours`) or refuses; nobody answers their own request."""
    if supervisor.role not in APPROVERS or supervisor.site_id != grant.site_id:
        raise NotAllowed("role")
    if supervisor.id == grant.user_id:
        raise NotAllowed("own request")
    if grant.status != GrantStatus.PENDING:
        return grant  # already answered (a second click, or another supervisor)
    if hours not in GRANT_HOURS:
        raise ValueError("hours")
    now = now or utcnow()
    grant.status = GrantStatus.GRANTED if approve else GrantStatus.REFUSED
    grant.decided_at, grant.decided_by_id = now, supervisor.id
    grant.expires_at = now + timedelta(hours=hours) if approve else None
    audit.record(
        supervisor,
        "household_file.access_granted" if approve else "household_file.access_refused",
        grant,
        details={"file": grant.file_id, "hours": hours if approve else None},
    )
    return grant


def pending_requests(site_id: int, limit: int = 100) -> list[AccessGrant]:
    return list(
        db.session.scalars(
            sa.select(AccessGrant)
            .where(AccessGrant.site_id == site_id, AccessGrant.status == GrantStatus.PENDING)
            .options(
                joinedload(AccessGrant.user),
                joinedload(AccessGrant.file)
                .joinedload(HouseholdFile.household)
                .joinedload(Household.room)
                .joinedload(Room.building),
                joinedload(AccessGrant.file)
                .joinedload(HouseholdFile.household)
                .joinedload(Household.room)
                .joinedload(Room.unit),
            )
            .order_by(AccessGrant.requested_at)
            .limit(limit)
        )
    )


def count_pending(site_id: int, _user=None) -> int:
    return (
        db.session.scalar(
            sa.select(sa.func.count(AccessGrant.id)).where(
                AccessGrant.site_id == site_id, AccessGrant.status == GrantStatus.PENDING
            )
        )
        or 0
    )


def my_grants(user: User, limit: int = 20) -> list[AccessGrant]:
    return list(
        db.session.scalars(
            sa.select(AccessGrant)
            .where(AccessGrant.user_id == user.id)
            .options(joinedload(AccessGrant.file).joinedload(HouseholdFile.household))
            .order_by(AccessGrant.requested_at.desc())
            .limit(limit)
        )
    )


def find_room(site_id: int, label: str) -> Room | None:
    """A room of the site by its label ("1-1-0101", "1-0101") or, when unique, its number."""
    parts = [part for part in (label or "").strip().replace("—", "-").replace("－", "-").split("-") if part]
    if not parts:
        return None
    rooms = db.session.scalars(
        sa.select(Room)
        .where(Room.site_id == site_id, Room.number == parts[-1])
        .options(joinedload(Room.building), joinedload(Room.unit))
        .limit(50)
    ).all()
    if len(parts) == 1:
        return rooms[0] if len(rooms) == 1 else None
    return next((room for room in rooms if room.label == "-".join(parts)), None)


@dataclass(frozen=True)
class LogFilter:
    """The access log's filters (A2): a person, a household or a room, site-local days."""

    user_id: int | None = None
    household_id: int | None = None
    room_id: int | None = None
    day_from: date | None = None
    day_to: date | None = None

    def details(self) -> dict:
        """For the audit trail: ids and days only."""
        return {key: (str(value) if isinstance(value, date) else value) for key, value in asdict(self).items() if value}


def access_log(
    site_id: int,
    *,
    user_id: int | None = None,
    household_id: int | None = None,
    room_id: int | None = None,
    day_from: date | None = None,
    day_to: date | None = None,
    tz_name: str = "Asia/Shanghai",
    cursor: str | None = None,
    size: int = 50,
) -> paging.Page:
    """The register of looks, newest first, filterable by person, household, room and site-local
    days (`day_from`..`day_to`, both included); keyset paged, the same statements for any page."""
    statement = (
        sa.select(FileLook)
        .where(FileLook.site_id == site_id)
        .options(
            joinedload(FileLook.user),
            joinedload(FileLook.attachment),
            joinedload(FileLook.household).joinedload(Household.room).joinedload(Room.building),
            joinedload(FileLook.household).joinedload(Household.room).joinedload(Room.unit),
        )
    )
    if user_id:
        statement = statement.where(FileLook.user_id == user_id)
    if household_id:
        statement = statement.where(FileLook.household_id == household_id)
    if room_id:
        statement = statement.where(
            FileLook.household_id.in_(
                sa.select(Household.id).where(Household.site_id == site_id, Household.room_id == room_id)
            )
        )
    tz = ZoneInfo(tz_name)
    if day_from:
        statement = statement.where(FileLook.at >= datetime.combine(day_from, time(0), tzinfo=tz).astimezone(UTC))
    if day_to:
        end = datetime.combine(day_to + timedelta(days=1), time(0), tzinfo=tz).astimezone(UTC)
        statement = statement.where(FileLook.at < end)
    return paging.keyset(statement, FileLook.at, FileLook.id, cursor=cursor, size=size)


def log_viewed(user: User, site_id: int, filters: LogFilter) -> None:
    """S1: looking at the register of looks is itself on the audit trail (with its filters)."""
    audit.record(user, "households.access_log_viewed", None, details=filters.details(), site_id=site_id)
