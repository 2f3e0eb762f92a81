"""Notices (信息发布, V9): drafted with a channel, approved by a supervisor (an outage
notice, 停水停电, by the centre's manager: the leaders see it first), then published.
A posted notice is taken down by whoever posted it, with a reminder when it is due; a
delivered notice keeps each household's sign-off; a kiosk notice shows on the kiosk's
welcome screen in the visitor's language from approval and publication until it is
withdrawn or expires. Plain Python, no request.
"""

from datetime import datetime, timedelta
from pathlib import Path

import sqlalchemy as sa

from kiosk import audit, paging, signatures
from kiosk.extensions import db
from kiosk.models import Household, Role, User
from kiosk.models.registers import Channel, Notice, NoticeSignOff, NoticeStatus
from kiosk.registers.common import Refused, move

KIOSK_MAX = 3
MAX_DAYS = 90
LEADERS = frozenset({Role.MANAGER})  # the centre's leaders: outage notices go to them first


def draft(
    site_id: int,
    *,
    channel: Channel,
    outage: bool,
    title_zh: str,
    body_zh: str,
    title_en: str = "",
    body_en: str = "",
    show_from: datetime,
    show_until: datetime,
    by: User,
    now: datetime,
) -> Notice:
    if show_until <= show_from or show_until - show_from > timedelta(days=MAX_DAYS):
        raise Refused("notice_window", "show_until")
    notice = Notice(
        site_id=site_id,
        channel=channel,
        outage=outage,
        title_zh=title_zh.strip(),
        body_zh=body_zh.strip(),
        title_en=title_en.strip() or None,
        body_en=body_en.strip() or None,
        show_from=show_from,
        show_until=show_until,
        created_at=now,
        created_by_id=by.id,
    )
    db.session.add(notice)
    db.session.flush()
    audit.record(by, "notice.drafted", notice, details={"channel": channel.value, "outage": outage})
    return notice


def submit(notice: Notice, by: User, now: datetime) -> None:
    if not move(Notice, notice.id, NoticeStatus.DRAFT, {"status": NoticeStatus.SUBMITTED}):
        raise Refused("notice_state")
    audit.record(by, "notice.submitted", notice)


def may_approve(notice: Notice, user: User) -> bool:
    """V9: a supervisor approves; an outage notice goes to the centre's leaders first."""
    if notice.outage:
        return user.role in LEADERS
    return user.role in (Role.SUPERVISOR, Role.MANAGER)


def approve(notice: Notice, by: User, now: datetime) -> None:
    if not may_approve(notice, by):
        raise Refused("notice_leaders" if notice.outage else "notice_supervisor")
    if not move(
        Notice,
        notice.id,
        NoticeStatus.SUBMITTED,
        {"status": NoticeStatus.APPROVED, "approved_at": now, "approved_by_id": by.id},
    ):
        raise Refused("notice_state")
    audit.record(by, "notice.approved", notice)


def publish(notice: Notice, by: User, now: datetime) -> None:
    if not move(
        Notice,
        notice.id,
        NoticeStatus.APPROVED,
        {"status": NoticeStatus.PUBLISHED, "published_at": now, "published_by_id": by.id},
    ):
        raise Refused("notice_state")
    audit.record(by, "notice.published", notice)


def withdraw(notice: Notice, by: User, now: datetime) -> None:
    for status in (NoticeStatus.PUBLISHED, NoticeStatus.APPROVED, NoticeStatus.SUBMITTED, NoticeStatus.DRAFT):
        if notice.status == status and move(
            Notice, notice.id, status, {"status": NoticeStatus.WITHDRAWN, "withdrawn_at": now, "withdrawn_by_id": by.id}
        ):
            audit.record(by, "notice.withdrawn", notice)
            return
    raise Refused("notice_state")


def take_down(notice: Notice, by: User, now: datetime) -> None:
    """V9: whoever posted a notice takes it down (a supervisor may record it for them)."""
    if notice.channel != Channel.POSTING or notice.published_at is None or notice.removed_at is not None:
        raise Refused("notice_state")
    if by.id != notice.published_by_id and by.role not in (Role.SUPERVISOR, Role.MANAGER):
        raise Refused("notice_poster")
    notice.removed_at, notice.removed_by_id = now, by.id
    audit.record(by, "notice.taken_down", notice)


def sign_off(
    notice: Notice,
    household: Household,
    signed_by: str,
    signature: str | None,
    by: User,
    now: datetime,
    photo_root: Path,
) -> NoticeSignOff:
    """V9: a delivered notice keeps the household's sign-off (drawn signature)."""
    if notice.channel != Channel.DELIVERY or notice.status != NoticeStatus.PUBLISHED:
        raise Refused("notice_state")
    if household.site_id != notice.site_id:
        raise Refused("room", "room")
    if db.session.scalar(
        sa.select(NoticeSignOff.id).where(
            NoticeSignOff.notice_id == notice.id, NoticeSignOff.household_id == household.id
        )
    ):
        raise Refused("notice_signed", "room")
    if not signed_by.strip():
        raise Refused("collector_name", "signed_by")
    try:
        stored = signatures.store(photo_root, notice.site_id, signature)
    except signatures.SignatureRejected as rejected:
        raise Refused("signature:" + rejected.reason, "signature") from rejected
    row = NoticeSignOff(
        site_id=notice.site_id,
        notice_id=notice.id,
        household_id=household.id,
        signed_by=signed_by.strip(),
        signed_at=now,
        recorded_by_id=by.id,
        signature_path=stored.path,
        signature_sha256=stored.sha256,
    )
    db.session.add(row)
    db.session.flush()
    audit.record(by, "notice.signed_off", notice, details={"household": household.id})
    return row


def sign_offs(notice: Notice, limit: int = 500) -> list[NoticeSignOff]:
    return list(
        db.session.scalars(
            sa.select(NoticeSignOff)
            .where(NoticeSignOff.notice_id == notice.id)
            .order_by(NoticeSignOff.signed_at)
            .limit(limit)
        )
    )


def for_kiosk(site_id: int, now: datetime) -> list[Notice]:
    """What the kiosk's welcome screen shows: published kiosk notices in their window."""
    return list(
        db.session.scalars(
            sa.select(Notice)
            .where(
                Notice.site_id == site_id,
                Notice.channel == Channel.KIOSK,
                Notice.status == NoticeStatus.PUBLISHED,
                Notice.show_from <= now,
                Notice.show_until > now,
            )
            .order_by(Notice.outage.desc(), Notice.show_from.desc())
            .limit(KIOSK_MAX)
        )
    )


def due_for_removal(site_id: int, now: datetime, limit: int = 100) -> list[Notice]:
    return list(
        db.session.scalars(
            sa.select(Notice)
            .where(
                Notice.site_id == site_id,
                Notice.channel == Channel.POSTING,
                Notice.published_at.is_not(None),
                Notice.removed_at.is_(None),
                Notice.show_until <= now,
            )
            .order_by(Notice.show_until)
            .limit(limit)
        )
    )


def count_due_for_removal(site_id: int, user=None) -> int:
    from kiosk.timeutil import utcnow

    return (
        db.session.scalar(
            sa.select(sa.func.count(Notice.id)).where(
                Notice.site_id == site_id,
                Notice.channel == Channel.POSTING,
                Notice.published_at.is_not(None),
                Notice.removed_at.is_(None),
                Notice.show_until <= utcnow(),
            )
        )
        or 0
    )


def count_to_approve(site_id: int, user) -> int:
    """Notices this person may approve now (outage ones only for the leaders)."""
    query = sa.select(sa.func.count(Notice.id)).where(
        Notice.site_id == site_id, Notice.status == NoticeStatus.SUBMITTED
    )
    if user.role not in LEADERS:
        query = query.where(Notice.outage.is_(False))
    return db.session.scalar(query) or 0


def book(site_id: int, *, cursor: str | None = None, size: int = 50) -> paging.Page:
    return paging.keyset(
        sa.select(Notice).where(Notice.site_id == site_id), Notice.created_at, Notice.id, cursor=cursor, size=size
    )


def load(site_id: int, notice_id: int) -> Notice | None:
    row = db.session.get(Notice, notice_id)
    return row if row is not None and row.site_id == site_id else None


def submitted(site_id: int, limit: int = 100) -> list[Notice]:
    return list(
        db.session.scalars(
            sa.select(Notice)
            .where(Notice.site_id == site_id, Notice.status == NoticeStatus.SUBMITTED)
            .order_by(Notice.outage.desc(), Notice.created_at)
            .limit(limit)
        )
    )


PRINTABLE = frozenset({NoticeStatus.APPROVED, NoticeStatus.PUBLISHED})


def print_languages(notice: Notice) -> list[str]:
    """The languages the notice is written in: Chinese always, English when it has both
    an English title and text."""
    return ["zh_Hans_CN", "en"] if notice.title_en and notice.body_en else ["zh_Hans_CN"]


def print_copy(notice: Notice, language: str, by: User, now: datetime) -> None:
    """V9: a notice for posting (张贴) is printed as an A4 sheet once a supervisor (an outage
    notice: the manager) has approved it; a published one stays printable. Each print is
    audited: who printed which notice, in which language."""
    if notice.channel != Channel.POSTING:
        raise Refused("notice_not_posting")
    if notice.status not in PRINTABLE or notice.approved_at is None:
        raise Refused("notice_not_approved")
    if language not in print_languages(notice):
        raise Refused("notice_language")
    audit.record(by, "notice.printed", notice, details={"language": language})
