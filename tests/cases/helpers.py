"""Shared builders for the cases tests."""

from kiosk.cases import intake
from kiosk.extensions import db
from kiosk.models import Role
from kiosk.models.cases import Channel, IntakeClass, RepairCategory


def call(world, kind, now, *, household=0, user=Role.RECEPTIONIST, category=RepairCategory.PLUMBING, **extra):
    entry = intake.log(
        world.site,
        intake.Call(
            channel=Channel.PHONE,
            kind=kind,
            content=extra.pop("content", "水管漏水"),
            read_back=True,
            household=world.households[household] if household is not None else None,
            category=category,
            **extra,
        ),
        user=world.user(user),
        now=now,
    )
    db.session.commit()
    return entry


__all__ = ["call", "IntakeClass"]
