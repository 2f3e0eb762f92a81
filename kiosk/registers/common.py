"""What every register shares: refusals with a reason, the site's settings, codes,
masked names and the one-step status change that two desks cannot both make."""

import secrets

import sqlalchemy as sa

from kiosk.extensions import db
from kiosk.models.registers import RegisterSettings

CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"  # no 0/O, 1/I/L: read aloud and typed at a gate


class Refused(ValueError):
    """A rule said no. `reason` is a key of labels.REFUSALS; `field` the form field it is about."""

    def __init__(self, reason: str, field: str | None = None):
        super().__init__(reason)
        self.reason = reason
        self.field = field


def settings(site_id: int) -> RegisterSettings:
    """The site's register settings (the defaults when the site has never saved any)."""
    row = db.session.get(RegisterSettings, site_id)
    if row is None:
        row = RegisterSettings(site_id=site_id, mail_overdue_days=3, found_keep_days=90)
    return row


def random_code(length: int, alphabet: str = CODE_ALPHABET) -> str:
    return "".join(secrets.choice(alphabet) for _ in range(length))


def mask_name(name: str | None) -> str:
    """张* / 王** / J*** : a name as staff lists show it (V8, S3); the first letter only."""
    if not name:
        return ""
    name = name.strip()
    return name[:1] + "*" * max(len(name) - 1, 1)


def move(model, ident: int, status_from, values: dict) -> bool:
    """Change a row's status from `status_from` in one conditional UPDATE. False when
    someone else moved it first (a double submit, another desk): never both."""
    result = db.session.execute(
        sa.update(model)
        .where(model.id == ident, model.status == status_from)
        .values(**values)
        .execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:
        return False
    row = db.session.get(model, ident)
    if row is not None:
        db.session.refresh(row)
    return True
