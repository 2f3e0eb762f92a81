"""The document checklist of a household file (A1): owners and tenants have different items."""

from flask_babel import lazy_gettext as _l

from kiosk.models import HouseholdKind

OWNER_ITEMS = (
    "move_in_notice",
    "id_copy",
    "purchase_contract",
    "registration_form",
    "management_covenant",
    "decoration_agreement",
    "fire_safety_pledge",
    "handover_inspection",
)
TENANT_ITEMS = ("lease", "tenant_id")

# Documents holding personal information: never lent or copied (A2).
PERSONAL_ITEMS = frozenset({"id_copy", "tenant_id"})

LABELS = {
    "move_in_notice": _l("Move-in notice"),
    "id_copy": _l("ID copy"),
    "purchase_contract": _l("Purchase contract"),
    "registration_form": _l("Registration form"),
    "management_covenant": _l("Management covenant"),
    "decoration_agreement": _l("Decoration agreement"),
    "fire_safety_pledge": _l("Fire-safety pledge"),
    "handover_inspection": _l("Handover inspection"),
    "lease": _l("Lease"),
    "tenant_id": _l("Tenant ID or business licence"),
}


def items_for(kind: HouseholdKind) -> tuple[str, ...]:
    return TENANT_ITEMS if kind == HouseholdKind.TENANT else OWNER_ITEMS


def label(item: str):
    return LABELS.get(item, item)
