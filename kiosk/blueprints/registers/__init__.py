"""The front desk's registers in the staff console (/console/registers/): mail and
parcels (V8), goods passes and the gate (V6), lost and found (V5)."""

from flask import Blueprint
from flask_babel import lazy_gettext as _l

from kiosk.navigation import add_counter, add_link
from kiosk.registers import goods_passes, lost_found, mail, notices

bp = Blueprint("registers", __name__)
add_link("registers.mail", _l("Mail and parcels"), group="registers")
add_link("registers.goods", _l("Goods passes"), group="registers")
add_link("registers.gate", _l("Gate check"), group="registers", shown=goods_passes.works_the_gate)
add_link("registers.found", _l("Lost and found"), group="registers")
add_link("registers.workers", _l("Decoration-worker passes"), group="registers")
add_link("registers.notices", _l("Notices"), group="registers")
add_link("registers.signatories", _l("Company signatories"), group="registers")
add_link("registers.settings", _l("Register settings"), group="registers")
add_counter(
    "registers.mail_overdue",
    _l("Mail waiting too long"),
    "registers.mail_overdue",
    mail.count_overdue,
    group="registers",
    urgent=True,
)
add_counter(
    "registers.mail_waiting", _l("Mail waiting at the desk"), "registers.mail", mail.count_waiting, group="registers"
)
add_counter(
    "registers.goods_requested",
    _l("Goods passes to decide"),
    "registers.goods",
    goods_passes.count_requested,
    group="registers",
)
add_counter(
    "registers.notices_to_approve",
    _l("Notices to approve"),
    "registers.notice_approve_list",
    notices.count_to_approve,
    group="registers",
    urgent=True,
)
add_counter(
    "registers.notices_due",
    _l("Posted notices to take down"),
    "registers.notices",
    notices.count_due_for_removal,
    group="registers",
)
add_counter(
    "registers.found_unclaimed",
    _l("Found items at the desk"),
    "registers.found",
    lost_found.count_unclaimed,
    group="registers",
)


@bp.context_processor
def _helpers():
    from kiosk.names import mask_phone
    from kiosk.registers import labels
    from kiosk.registers.common import mask_name

    return {
        "labels": labels,
        "reg_label": labels.label,
        "hazard_reason": labels.hazard_reason,
        "mask_name": mask_name,
        "mask_phone": mask_phone,
    }


from kiosk.blueprints.registers import (  # noqa: E402,F401
    found_routes,
    goods_routes,
    hand_out_routes,
    mail_routes,
    notice_routes,
    signatory_routes,
    worker_routes,
)
