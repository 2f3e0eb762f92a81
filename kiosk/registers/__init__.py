"""The front desk's registers beside the visitor book (V5, V6, V8): one module per
register (mail, goods_passes, lost_found), and `pending` for the shift handover (H1).

The handover calls:

    from kiosk.registers import pending
    for item in pending(site_id, utcnow()): item.register, item.label, item.since, item.urgent

Each register also has its own: mail.waiting_for_handover, goods_passes.in_use,
lost_found.unclaimed, notices.due_for_removal.
"""

from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True)
class Pending:
    register: str  # "mail" | "goods_pass" | "found" | "notice"
    record_id: int
    label: str  # no personal data: room label, kinds and counts, pass code
    since: datetime
    urgent: bool  # overdue parcel; pass window closing
    endpoint: str  # console page of the record
    args: dict


def pending(site_id: int, now: datetime, limit: int = 50) -> list[Pending]:
    """What the outgoing shift hands over from the registers, at most `limit` per register:
    parcels waiting past the site's N days, goods passes in use, items found this week
    still at the desk, posted notices due to be taken down."""
    from datetime import timedelta

    from kiosk.registers import goods_passes, lost_found, mail, notices

    rows: list[Pending] = []
    for item in mail.overdue(site_id, now, limit):
        rows.append(
            Pending(
                "mail",
                item.id,
                f"{item.room.label} · {item.kind.value} × {item.count}",
                item.received_at,
                True,
                "registers.mail_item",
                {"item_id": item.id},
            )
        )
    for goods_pass in goods_passes.in_use(site_id, now, limit):
        rows.append(
            Pending(
                "goods_pass",
                goods_pass.id,
                f"{goods_pass.code} · {goods_pass.direction.value}",
                goods_pass.valid_from,
                goods_pass.valid_until - now < timedelta(hours=1),
                "registers.goods_pass",
                {"pass_id": goods_pass.id},
            )
        )
    for found in lost_found.unclaimed(site_id, limit):
        if now - found.found_at <= timedelta(days=7):
            rows.append(
                Pending(
                    "found",
                    found.id,
                    found.storage_place,
                    found.found_at,
                    False,
                    "registers.found_item",
                    {"item_id": found.id},
                )
            )
    for notice in notices.due_for_removal(site_id, now, limit):
        rows.append(
            Pending(
                "notice",
                notice.id,
                notice.title_zh,
                notice.show_until,
                True,
                "registers.notice",
                {"notice_id": notice.id},
            )
        )
    return rows
