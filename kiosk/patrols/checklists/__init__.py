"""The checklists of the rules, in both languages: data for seeding a site's templates.

Public-area patrol: the areas of P1, the standards A-H of P2; vacant-unit inspection
A-E (P3); vacant-unit monthly cleaning (P4); commercial outlets monthly (P5); restaurant
hygiene, garbage room and waste sorting, and the contractors' quarterly septic-tank and
grease-trap cleaning, signed off on completion (P8). Wording follows the source documents.
"""

from kiosk.patrols.checklists.public_area import PUBLIC_AREA
from kiosk.patrols.checklists.units import OUTLET, RESTAURANT, VACANT_CLEANING, VACANT_UNIT
from kiosk.patrols.checklists.waste import CONTRACTOR_CLEANING, GARBAGE_ROOM

TEMPLATES = [PUBLIC_AREA, VACANT_UNIT, VACANT_CLEANING, OUTLET, RESTAURANT, GARBAGE_ROOM, CONTRACTOR_CLEANING]
