"""All models, imported so that metadata (and Alembic) sees every table."""

# patrol tables (P1-P8), the key cabinet (K1-K6), shift handover (H1)
from kiosk.models import (  # noqa: F401
    case_complaints,  # noqa: F401  (complaints C2-C5)
    case_orders,  # noqa: F401  (work orders C10, C11)
    case_services,  # noqa: F401  (survey opinions C6, special services C7, the price list C10)
    cases,  # noqa: F401  (intake, callbacks, case events, coordination, household visits: C1, C4, C9, C12)
    handover,
    households,  # noqa: F401  (household files, rules A1-A5, K6)
    keys,
    patrols,  # noqa: F401  (patrol tables, rules P1-P8)
    registers,  # noqa: F401  (front-desk registers, rules V5-V8)
)
from kiosk.models.audit import AuditEvent
from kiosk.models.calendar import CalendarDay, CalendarYear, DayKind
from kiosk.models.devices import Device, DeviceKind
from kiosk.models.idempotency import IdempotencyKey
from kiosk.models.offline import DeadLetter, DeviceStatus
from kiosk.models.people import LoginAttempt, Role, User
from kiosk.models.places import (
    Building,
    Department,
    DepartmentKind,
    Household,
    HouseholdKind,
    Occupancy,
    Room,
    Site,
    Unit,
)
from kiosk.models.visits import (
    Departure,
    Desk,
    ExpectedVisit,
    LobbySettings,
    Outcome,
    Purpose,
    Visit,
    VisitCorrection,
    VisitStatus,
    WatchEntry,
)

__all__ = [
    "AuditEvent",
    "Building",
    "CalendarDay",
    "CalendarYear",
    "DayKind",
    "Department",
    "DepartmentKind",
    "Device",
    "DeviceKind",
    "Household",
    "HouseholdKind",
    "IdempotencyKey",
    "LoginAttempt",
    "Occupancy",
    "Role",
    "Room",
    "Site",
    "Unit",
    "User",
    "Departure",
    "Desk",
    "ExpectedVisit",
    "LobbySettings",
    "Outcome",
    "Purpose",
    "Visit",
    "VisitCorrection",
    "VisitStatus",
    "WatchEntry",
    "DeadLetter",
    "DeviceStatus",
]
