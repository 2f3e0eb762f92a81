"""What is pending at the end of a shift, gathered from every register that exists (H1).

A register adds a provider once, at import time of its area or blueprint:

    from kiosk.handover.pending import PendingItem, add_provider
    add_provider("parcels", _l("Parcels waiting"), gather_parcels, endpoint="parcels.board", order=40)

    def gather_parcels(site_id: int, now: datetime, limit: int) -> tuple[list[PendingItem], int]:
        ...  # at most `limit` items (two bounded queries), and how many there are in all

The outgoing shift's signature keeps a snapshot of the gathered items on the log, so the
record shows what was handed over even after the registers moved on.
"""

from collections.abc import Callable
from dataclasses import asdict, dataclass
from datetime import datetime

ITEMS_PER_PROVIDER = 20


@dataclass(frozen=True)
class PendingItem:
    text: str  # what it is: a room, a key set, a task (no personal data beyond need)
    detail: str = ""
    text_en: str | None = None  # when the text itself has an English form (e.g. checkpoint names)
    since: str | None = None  # ISO instant
    due: str | None = None  # ISO instant or date
    late: bool = False


@dataclass(frozen=True)
class Provider:
    key: str
    label: object
    gather: Callable  # (site_id, now, limit) -> (list[PendingItem], total)
    endpoint: str | None = None
    order: int = 50


PROVIDERS: dict[str, Provider] = {}


def add_provider(key: str, label, gather: Callable, endpoint: str | None = None, order: int = 50) -> None:
    PROVIDERS.setdefault(key, Provider(key, label, gather, endpoint, order))


def gather(site_id: int, now: datetime, limit: int = ITEMS_PER_PROVIDER) -> list[dict]:
    """[{"key", "total", "items": [...]}] for every provider, in order; JSON-ready."""
    groups = []
    for provider in sorted(PROVIDERS.values(), key=lambda p: (p.order, p.key)):
        items, total = provider.gather(site_id, now, limit)
        groups.append({"key": provider.key, "total": total, "items": [asdict(item) for item in items[:limit]]})
    return groups


def label_of(key: str):
    provider = PROVIDERS.get(key)
    return provider.label if provider else key


def endpoint_of(key: str) -> str | None:
    provider = PROVIDERS.get(key)
    return provider.endpoint if provider else None
