"""Monthly household visits (C12): the plan, the record, coverage, and an opinion raised on a
visit becoming an intake record with channel visit in one step (C1)."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import sqlalchemy as sa
import time_machine

from kiosk.cases import Refused
from kiosk.cases import household_visits as visits
from kiosk.extensions import db
from kiosk.models import Household, Role, Room
from kiosk.models.case_complaints import Complaint
from kiosk.models.cases import Channel, Intake, IntakeClass, VisitPlanEntry
from kiosk.timeutil import to_local, utcnow
from tests.statements import recorded_statements


def _plan(world):
    month = visits.month_of(utcnow().date())
    entries = visits.plan(
        world.site,
        user=world.user(Role.SUPERVISOR),
        month=month,
        households=world.households,
        officer=world.user(Role.OFFICER),
    )
    db.session.commit()
    return month, entries


def test_c12_plan_and_coverage(world):
    month, entries = _plan(world)
    assert len(entries) == 3 and visits.coverage(world.site.id, month) == (0, 3)
    again = visits.plan(
        world.site,
        user=world.user(Role.SUPERVISOR),
        month=month,
        households=world.households[:1],
        officer=world.user(Role.OFFICER),
    )
    assert again == []  # already planned
    visits.record(
        world.site,
        entries[0],
        user=world.user(Role.OFFICER),
        met="业主本人",
        findings="家中无异常",
        opinion=None,
        opinion_class=IntakeClass.SUGGESTION,
        now=utcnow(),
    )
    assert visits.coverage(world.site.id, month) == (1, 3)
    assert visits.count_my_visits_due(world.site.id, world.user(Role.OFFICER)) == 2
    with pytest.raises(Refused):
        visits.record(
            world.site,
            entries[0],
            user=world.user(Role.OFFICER),
            met="x",
            findings=None,
            opinion=None,
            opinion_class=IntakeClass.SUGGESTION,
            now=utcnow(),
        )


def test_c12_an_opinion_becomes_an_intake_record_with_channel_visit(world):
    _month, entries = _plan(world)
    visit = visits.record(
        world.site,
        entries[1],
        user=world.user(Role.OFFICER),
        met="业主李四",
        findings=None,
        opinion="楼道灯经常不亮，希望尽快处理",
        opinion_class=IntakeClass.COMPLAINT,
        now=utcnow(),
    )
    db.session.commit()
    entry = db.session.get(Intake, visit.intake_id)
    assert entry.channel == Channel.VISIT and entry.kind == IntakeClass.COMPLAINT
    assert entry.household_id == world.households[1].id
    assert db.session.scalar(sa.select(Complaint).where(Complaint.intake_id == entry.id)) is not None


def test_c12_only_supervisors_plan(world):
    with pytest.raises(Refused):
        visits.plan(
            world.site,
            user=world.user(Role.OFFICER),
            month=utcnow().date(),
            households=world.households,
            officer=world.user(Role.OFFICER),
        )


def test_c12_through_the_pages(client, world):
    client.login("supervisor")
    response = client.post_form(
        "/console/cases/visits", {"officer": str(world.user(Role.OFFICER).id), "rooms": "1-1-0101, 1-1-0201"}
    )
    assert response.status_code == 303
    bad = client.post_form("/console/cases/visits", {"officer": str(world.user(Role.OFFICER).id), "rooms": "9-9-9999"})
    assert bad.status_code == 422 and "9-9-9999" in bad.get_data(as_text=True)
    entry = db.session.scalars(sa.select(VisitPlanEntry).order_by(VisitPlanEntry.id)).first()
    client.login("officer")
    done = client.post_form(
        f"/console/cases/visits/{entry.id}",
        {"met": "业主张三", "opinion": "建议增加快递柜", "opinion_class": "suggestion"},
    )
    assert done.status_code == 303 and "/intake/" in done.headers["Location"]
    assert "1-1-0101" in client.get("/console/cases/visits").get_data(as_text=True)


def test_c12_visit_plan_page_sends_as_many_statements_for_30_households_as_for_3(client, world):
    """C12: the month's plan (each household with its room, officer and, once visited, the
    record and the opinion logged from it) sends the same statements for 33 households as
    for 3: no query per household."""
    first = world.rooms[0]
    extra = []
    for i in range(30):
        room = Room(site=world.site, building=first.building, unit=first.unit, floor=10 + i, number=f"{10 + i:02d}01")
        extra.append(Household(site=world.site, room=room, name=f"住户{i}", phone=f"1380000{i:04d}"))
    db.session.add_all(extra)
    db.session.commit()
    counts = []
    with time_machine.travel(datetime(2026, 3, 10, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai")), tick=False):
        month = visits.month_of(to_local(utcnow(), world.site.timezone).date())
        client.login("supervisor")
        for households in (world.households, extra):
            entries = visits.plan(
                world.site,
                user=world.user(Role.SUPERVISOR),
                month=month,
                households=households,
                officer=world.user(Role.OFFICER),
            )
            for i, entry in enumerate(entries):
                if i % 2:
                    visits.record(
                        world.site,
                        entry,
                        user=world.user(Role.OFFICER),
                        met="业主本人",
                        findings=None,
                        opinion="楼道灯不亮" if i % 4 == 1 else None,
                        opinion_class=IntakeClass.SUGGESTION,
                        now=utcnow(),
                    )
            db.session.commit()
            with recorded_statements() as statements:
                response = client.get("/console/cases/visits")
            assert response.status_code == 200
            body = response.get_data(as_text=True)
            planned = db.session.scalars(sa.select(VisitPlanEntry).where(VisitPlanEntry.month == month)).all()
            assert all(f"<td>{e.household.room.label}</td>" in body for e in planned)  # every household listed
            assert "/console/cases/intake/" in body
            counts.append(len(statements))
    assert len(planned) == 33 and counts[0] == counts[1]
