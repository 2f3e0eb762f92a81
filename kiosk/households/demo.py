"""Demo history for household files: every household of the demo site has a file, most with
some documents in, a few scans (encrypted like real ones), ID numbers, looks by the desk,
a pending and an expired access request, a paused and a completed move-in. Deterministic
(seeded random), computed from now; called from kiosk.demo.seed."""

import io
import random
from datetime import UTC, datetime, time, timedelta

import sqlalchemy as sa
from flask import current_app
from PIL import Image, ImageDraw

from kiosk.extensions import db
from kiosk.households import destruction, files, identity, inventory, loans, looks, storage
from kiosk.models import Household, Role, Site, User
from kiosk.models.households import (
    AccessGrant,
    FeeState,
    FileLook,
    GrantStatus,
    InventoryCheck,
    MoveIn,
    MoveInStatus,
)
from kiosk.timeutil import utcnow

AREA_CODES = ("110105", "310104", "440305", "320102", "330106", "510107")


def _scan(rng: random.Random, title: str) -> bytes:
    image = Image.new("RGB", (620, 860), (250, 250, 246))
    draw = ImageDraw.Draw(image)
    draw.rectangle([30, 30, 590, 830], outline=(90, 90, 90), width=3)
    draw.text((60, 60), title, fill=(20, 20, 20))
    for y in range(120, 800, 28):
        draw.line([(60, y), (60 + rng.randrange(300, 520), y)], fill=(150, 150, 150), width=2)
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()


def _id_number(rng: random.Random) -> str:
    born = f"{rng.randrange(1955, 2000)}{rng.randrange(1, 13):02d}{rng.randrange(1, 28):02d}"
    return rng.choice(AREA_CODES) + born + f"{rng.randrange(1000):03d}" + rng.choice("0123456789X")


def seed(site: Site, rng: random.Random) -> None:
    now = utcnow()
    users = {u.role: u for u in db.session.scalars(sa.select(User).where(User.site_id == site.id))}
    desk = users.get(Role.RECEPTIONIST)
    if desk is None:
        return
    vault = storage.vault_from(current_app.config, current_app.instance_path)
    households = db.session.scalars(
        sa.select(Household).where(Household.site_id == site.id).order_by(Household.id)
    ).all()
    opened = []
    for n, household in enumerate(households):
        file = files.open_file(household, users.get(Role.SUPERVISOR), now=now - timedelta(days=60))
        for document in file.documents:
            if rng.random() < 0.78:
                document.present = True
                document.updated_at = now - timedelta(days=rng.randrange(5, 60))
                document.updated_by_id = desk.id
        file.missing_count = sum(1 for d in file.documents if not d.present)
        file.inventory_at = now - timedelta(days=rng.randrange(0, 40), minutes=rng.randrange(600))
        if rng.random() < 0.7:
            number = _id_number(rng)
            file.id_number_sealed, file.id_number_masked = vault.seal_text(number), files.mask_id_number(number)
        opened.append(file)
        if n < 6:  # a few real scans, encrypted on disk like any upload
            item = "lease" if household.kind == "tenant" else "id_copy"
            files.attach(
                vault,
                file,
                item,
                f"{item}.png",
                _scan(rng, f"{household.room.label} {item}"),
                desk,
                now=now - timedelta(days=rng.randrange(1, 30)),
            )
    db.session.flush()
    _looks(rng, site, users, opened, now)
    _move_ins(rng, users, opened, now)
    _records(site, users, opened, now)


def _records(site, users, opened, now) -> None:
    """Last month's inventory confirmed, a loan overdue and one waiting for the manager,
    a moved-out household's old file waiting for the destruction review."""
    desk, supervisor, manager = users[Role.RECEPTIONIST], users.get(Role.SUPERVISOR), users.get(Role.MANAGER)
    if supervisor is None or manager is None:
        return
    last_month = (inventory.month_of(site, now) - timedelta(days=1)).replace(day=1)
    db.session.add(
        InventoryCheck(
            site_id=site.id,
            month=last_month,
            confirmed_by_id=supervisor.id,
            confirmed_at=datetime.combine(last_month.replace(day=3), time(2, 0), tzinfo=UTC),
            files=len(opened),
            missing=sum(f.missing_count for f in opened),
        )
    )
    lendable = [f for f in opened[8:40] if any(d.present and not d.personal for d in f.documents)]
    for file, out in zip(lendable[:2], (True, False), strict=False):
        item = next(d.item for d in file.documents if d.present and not d.personal)
        when = now - timedelta(days=1, hours=4) if out else now - timedelta(hours=2)
        loan = loans.request(
            file,
            desk,
            "lend" if out else "copy",
            [item],
            "工程部 孙涛" if out else "业主本人",
            "核对房屋面积" if out else "办理银行贷款",
            now=when,
        )
        loans.review(loan, supervisor, True, now=when + timedelta(minutes=20))
        if out:
            loans.approve(loan, manager, True, now=when + timedelta(minutes=40))
            loans.hand_out(loan, desk, now=when + timedelta(hours=1))
    old = opened[5]
    old.household.active = False
    old.inventory_at = now - timedelta(days=destruction.RETENTION_DAYS + 200)
    destruction.request(old, desk, "业主迁出已满保管期限", destruction.RETENTION_DAYS, now=now - timedelta(hours=6))


def _looks(rng, site, users, opened, now) -> None:
    staff = [users[r] for r in (Role.RECEPTIONIST, Role.OFFICER, Role.SUPERVISOR, Role.MANAGER) if r in users]
    for _ in range(60):
        file = rng.choice(opened)
        user = rng.choice(staff)
        db.session.add(
            FileLook(
                site_id=site.id,
                at=now - timedelta(days=rng.randrange(0, 21), minutes=rng.randrange(900)),
                file_id=file.id,
                household_id=file.household_id,
                user_id=user.id,
                what="file",
                why=looks.WORK_REASON,
                allowed=True,
            )
        )
    engineer, duty, supervisor = users.get(Role.DEPARTMENT), users.get(Role.DUTY_MANAGER), users.get(Role.SUPERVISOR)
    if engineer is None or supervisor is None:
        return
    expired = AccessGrant(
        site_id=site.id,
        file_id=opened[3].id,
        user_id=engineer.id,
        reason="厨房漏水维修，需联系业主确认入户时间",
        requested_at=now - timedelta(days=4, hours=3),
        status=GrantStatus.GRANTED,
        decided_at=now - timedelta(days=4, hours=2),
        decided_by_id=supervisor.id,
        expires_at=now - timedelta(days=4),
    )
    db.session.add(expired)
    db.session.flush()
    db.session.add(
        FileLook(
            site_id=site.id,
            at=now - timedelta(days=4, hours=1),
            file_id=opened[3].id,
            household_id=opened[3].household_id,
            user_id=engineer.id,
            what="file",
            why=expired.reason,
            allowed=True,
            grant_id=expired.id,
        )
    )
    db.session.add(
        FileLook(
            site_id=site.id,
            at=now - timedelta(days=1, hours=2),
            file_id=opened[7].id,
            household_id=opened[7].household_id,
            user_id=engineer.id,
            what="file",
            why="no permission",
            allowed=False,
        )
    )
    if duty is not None:
        db.session.add(
            AccessGrant(
                site_id=site.id,
                file_id=opened[7].id,
                user_id=duty.id,
                reason="夜间报警，需联系该户业主",
                requested_at=now - timedelta(hours=5),
            )
        )


def _move_ins(rng, users, opened, now) -> None:
    desk = users[Role.RECEPTIONIST]
    done_file, paused_file = opened[-1], opened[-2]
    check = identity.verify(done_file.household, desk, "id_card", now=now - timedelta(days=9))
    done = MoveIn(
        site_id=done_file.site_id,
        file_id=done_file.id,
        started_at=now - timedelta(days=9, minutes=40),
        started_by_id=desk.id,
        updated_at=now - timedelta(days=9),
        identity_check_id=check.id,
        keys_signed_at=now - timedelta(days=9, minutes=10),
        fees=FeeState.PAID,
        fees_note="物业费已缴至年底",
        decoration_rules_at=now - timedelta(days=9, minutes=5),
        status=MoveInStatus.COMPLETED,
        completed_at=now - timedelta(days=9),
    )
    check2 = identity.verify(paused_file.household, desk, "callback", now=now - timedelta(days=1, hours=3))
    paused = MoveIn(
        site_id=paused_file.site_id,
        file_id=paused_file.id,
        started_at=now - timedelta(days=1, hours=3),
        started_by_id=desk.id,
        updated_at=now - timedelta(days=1, hours=2),
        identity_check_id=check2.id,
        fees=FeeState.OWED,
        fees_note="装修押金待缴",
        status=MoveInStatus.PAUSED,
    )
    db.session.add_all([done, paused])
