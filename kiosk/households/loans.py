"""Lending or copying a household file (A2): supervisor review and manager approval, never
by the one who asked; personal documents are never lent or copied; a file that goes out
comes back the same day (local), and an overdue one shows on the boards. Plain Python."""

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from sqlalchemy.orm import joinedload

from kiosk import audit
from kiosk.extensions import db
from kiosk.households import checklist
from kiosk.models import Household, Role, Room, Site, User
from kiosk.models.households import FileLoan, HouseholdFile, LoanKind, LoanStatus
from kiosk.timeutil import utcnow

OPEN = (LoanStatus.REQUESTED, LoanStatus.REVIEWED, LoanStatus.APPROVED, LoanStatus.OUT)


class Refused(ValueError):
    """`reason`: items, personal, not_present, own, role, state."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


def request(
    file: HouseholdFile,
    user: User,
    kind: LoanKind | str,
    items: list[str],
    borrower: str,
    purpose: str,
    now: datetime | None = None,
) -> FileLoan:
    items = [item for item in dict.fromkeys(items or [])]
    present = {d.item for d in file.documents if d.present}
    if not items or any(item not in checklist.items_for(file.household.kind) for item in items):
        raise Refused("items")
    if any(item in checklist.PERSONAL_ITEMS for item in items) or any(
        d.personal for d in file.documents if d.item in items
    ):
        raise Refused("personal")  # A2: personal documents are never lent or copied
    if any(item not in present for item in items):
        raise Refused("not_present")
    loan = FileLoan(
        site_id=file.site_id,
        file_id=file.id,
        kind=LoanKind(kind),
        items=items,
        borrower=borrower.strip()[:60],
        purpose=purpose.strip()[:200],
        requested_by_id=user.id,
        requested_at=now or utcnow(),
    )
    db.session.add(loan)
    db.session.flush()
    audit.record(user, "file_loan.requested", loan, details={"file": file.id, "kind": loan.kind.value, "items": items})
    return loan


def _decide(loan: FileLoan, user: User, role: Role, expected: LoanStatus):
    if user.id == loan.requested_by_id:
        raise Refused("own")
    if user.role != role or user.site_id != loan.site_id:
        raise Refused("role")
    if loan.status != expected:
        raise Refused("state")


def review(loan: FileLoan, supervisor: User, approve: bool, now: datetime | None = None) -> None:
    _decide(loan, supervisor, Role.SUPERVISOR, LoanStatus.REQUESTED)
    loan.reviewed_at, loan.reviewed_by_id = now or utcnow(), supervisor.id
    loan.status = LoanStatus.REVIEWED if approve else LoanStatus.REFUSED
    audit.record(supervisor, "file_loan.reviewed" if approve else "file_loan.refused", loan)


def approve(loan: FileLoan, manager: User, approve: bool, now: datetime | None = None) -> None:
    _decide(loan, manager, Role.MANAGER, LoanStatus.REVIEWED)
    loan.approved_at, loan.approved_by_id = now or utcnow(), manager.id
    loan.status = LoanStatus.APPROVED if approve else LoanStatus.REFUSED
    audit.record(manager, "file_loan.approved" if approve else "file_loan.refused", loan)


def end_of_local_day(moment: datetime, tz_name: str) -> datetime:
    zone = ZoneInfo(tz_name)
    local = moment.astimezone(zone)
    return datetime.combine(local.date() + timedelta(days=1), time(0, 0), tzinfo=zone).astimezone(moment.tzinfo)


def hand_out(loan: FileLoan, user: User, now: datetime | None = None) -> None:
    if loan.status != LoanStatus.APPROVED:
        raise Refused("state")
    now = now or utcnow()
    site = db.session.get(Site, loan.site_id)
    loan.status, loan.out_at = LoanStatus.OUT, now
    loan.due_at = end_of_local_day(now, site.timezone)  # back the same day (A2)
    audit.record(user, "file_loan.out", loan)


def give_back(loan: FileLoan, user: User, now: datetime | None = None) -> None:
    if loan.status != LoanStatus.OUT:
        raise Refused("state")
    loan.status, loan.returned_at, loan.returned_to_id = LoanStatus.RETURNED, now or utcnow(), user.id
    audit.record(user, "file_loan.returned", loan)


def is_overdue(loan: FileLoan, now: datetime | None = None) -> bool:
    return loan.status == LoanStatus.OUT and loan.due_at is not None and loan.due_at <= (now or utcnow())


def open_loans(site_id: int, limit: int = 200) -> list[FileLoan]:
    return list(
        db.session.scalars(
            sa.select(FileLoan)
            .where(FileLoan.site_id == site_id, FileLoan.status.in_(OPEN))
            .options(
                joinedload(FileLoan.requested_by),
                joinedload(FileLoan.file)
                .joinedload(HouseholdFile.household)
                .joinedload(Household.room)
                .joinedload(Room.building),
                joinedload(FileLoan.file)
                .joinedload(HouseholdFile.household)
                .joinedload(Household.room)
                .joinedload(Room.unit),
            )
            .order_by(FileLoan.requested_at.desc(), FileLoan.id.desc())
            .limit(limit)
        )
    )


def count_overdue(site_id: int, _user=None) -> int:
    return (
        db.session.scalar(
            sa.select(sa.func.count(FileLoan.id)).where(
                FileLoan.site_id == site_id, FileLoan.status == LoanStatus.OUT, FileLoan.due_at <= utcnow()
            )
        )
        or 0
    )


def count_waiting(site_id: int, user=None) -> int:
    """Loans waiting for this person's kind of answer: supervisors review, managers approve."""
    status = {Role.SUPERVISOR: LoanStatus.REQUESTED, Role.MANAGER: LoanStatus.REVIEWED}.get(getattr(user, "role", None))
    if status is None:
        return 0
    return (
        db.session.scalar(
            sa.select(sa.func.count(FileLoan.id)).where(FileLoan.site_id == site_id, FileLoan.status == status)
        )
        or 0
    )
