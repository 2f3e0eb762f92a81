"""What every checklist module shares: the departments' short names and `F`, an item with its finding."""

from kiosk.models import DepartmentKind as D
from kiosk.patrols.templates import ItemData as I

ENG, CLEAN, SEC, CS = D.ENGINEERING, D.CLEANING, D.SECURITY, D.CUSTOMER_SERVICE


def F(text_zh, text_en, fail_zh, fail_en, **kw) -> I:
    """An item with its finding when it fails (a rectification task's title, P7)."""
    return I(text_zh, text_en, fail_zh=fail_zh, fail_en=fail_en, **kw)
