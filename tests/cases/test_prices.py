"""The paid-repair price list (C10): kept by managers per site, every change audited; a work
order carries an item from it with its fee, or "priced on site", and an appointment time."""

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest
import sqlalchemy as sa
import time_machine

from kiosk.cases import Refused, orders, prices
from kiosk.extensions import db
from kiosk.models import AuditEvent, Role
from kiosk.models.case_orders import OrderStatus, RepairCategory, WorkOrder
from kiosk.models.case_services import PriceItem
from kiosk.models.cases import IntakeClass
from kiosk.timeutil import utcnow
from tests.cases.helpers import call
from tests.statements import recorded_statements

SHANGHAI = ZoneInfo("Asia/Shanghai")


def _item(world, name="更换水龙头", fee_cents=3500, site=None, unit="个"):
    item = prices.add(
        site or world.site,
        world.user(Role.MANAGER),
        name=name,
        category=RepairCategory.PLUMBING,
        fee_cents=fee_cents,
        unit=unit,
        now=utcnow(),
    )
    db.session.commit()
    return item


def _order_of(entry) -> WorkOrder:
    return db.session.scalar(sa.select(WorkOrder).where(WorkOrder.intake_id == entry.id))


def test_c10_only_managers_keep_the_price_list_and_every_change_is_audited(world):
    with pytest.raises(Refused) as refused:
        prices.add(
            world.site,
            world.user(Role.SUPERVISOR),
            name="疏通下水道",
            category=RepairCategory.PLUMBING,
            fee_cents=5000,
            unit=None,
            now=utcnow(),
        )
    assert refused.value.reason == "managers_only"
    item = _item(world)
    with pytest.raises(Refused) as refused:  # a double submit, or the same item twice
        _item(world)
    assert refused.value.reason == "duplicate_item"
    with pytest.raises(Refused) as refused:
        _item(world, name="天价", fee_cents=-1)
    assert refused.value.reason == "fee_out_of_range"
    prices.change(
        item,
        world.user(Role.MANAGER),
        name=item.name,
        category=item.category,
        fee_cents=4000,
        unit="个",
        active=True,
    )
    db.session.commit()
    events = db.session.scalars(
        sa.select(AuditEvent).where(AuditEvent.entity_type == "PriceItem").order_by(AuditEvent.id)
    ).all()
    assert [e.action for e in events] == ["price_item.created", "price_item.changed"]
    assert events[1].details["before"]["fee_cents"] == 3500 and events[1].details["after"]["fee_cents"] == 4000
    assert events[1].user_id == world.user(Role.MANAGER).id


def test_c10_repair_from_the_list_carries_item_and_fee_else_priced_on_site(world):
    item = _item(world)
    listed = call(world, IntakeClass.REPAIR, utcnow(), price_item=item)
    order = _order_of(listed)
    assert order.price_item_id == item.id and order.fee_cents == 3500
    on_site = _order_of(call(world, IntakeClass.REPAIR, utcnow(), category=RepairCategory.ELECTRICAL))
    assert on_site.price_item_id is None and on_site.fee_cents is None  # priced on site
    prices.change(
        item, world.user(Role.MANAGER), name=item.name, category=item.category, fee_cents=9900, unit=None, active=False
    )
    db.session.commit()
    assert order.fee_cents == 3500  # the fee agreed with the customer stays
    assert prices.listed(world.site.id) == []  # retired items are not offered
    with pytest.raises(Refused) as refused:
        prices.for_order(world.site.id, item.id)
    assert refused.value.reason == "price_item_unknown"
    elsewhere = _item(world, name="别处的项目", site=world.other_site)
    with pytest.raises(Refused):
        prices.for_order(world.site.id, elsewhere.id)  # another site's list (scoping)


def test_c10_appointment_and_fee_agreed_on_an_open_order(world):
    """No one free at once: an appointment is agreed; the item changes the fee, "priced on site" clears it."""
    item = _item(world)
    with time_machine.travel(datetime(2026, 3, 2, 9, 0, tzinfo=SHANGHAI), tick=False):
        order = _order_of(call(world, IntakeClass.REPAIR, utcnow()))
        at = utcnow().replace(hour=7)  # 15:00 in Shanghai
        orders.set_terms(order, world.user(Role.RECEPTIONIST), appointment_at=at, price_item=item, now=utcnow())
        assert order.appointment_at == at and order.fee_cents == 3500
        orders.set_terms(order, world.user(Role.RECEPTIONIST), appointment_at=at, price_item=None, now=utcnow())
        assert order.fee_cents is None and order.price_item_id is None
        orders.void(order, world.user(Role.SUPERVISOR), "重复登记", utcnow())
        with pytest.raises(Refused):
            orders.set_terms(order, world.user(Role.RECEPTIONIST), appointment_at=None, price_item=None, now=utcnow())


def test_c10_price_list_pages_roles_and_bad_input(client, world):
    client.login("supervisor")
    assert client.get("/console/cases/prices").status_code == 200
    form = {"name": "更换灯管", "category": "electrical", "fee": "20", "unit": "根"}
    assert client.post_form("/console/cases/prices", form).status_code == 403  # managers keep it
    client.login("manager")
    bad = client.post_form("/console/cases/prices", {**form, "fee": "二十"})
    assert bad.status_code == 422 and "更换灯管" in bad.get_data(as_text=True)  # nothing typed is lost
    assert client.post_form("/console/cases/prices", form).status_code == 303
    again = client.post_form("/console/cases/prices", form)
    assert again.status_code == 422  # a double submit adds no second item
    item = db.session.scalar(sa.select(PriceItem))
    assert item.fee_cents == 2000 and db.session.scalar(sa.select(sa.func.count(PriceItem.id))) == 1
    page = f"/console/cases/prices/{item.id}"
    assert client.get(page).status_code == 200
    stale = str(item.version)
    changed = client.post_form(page, {**form, "fee": "25.50", "active": "y", "version": stale})
    assert changed.status_code == 303
    conflict = client.post_form(page, {**form, "fee": "30", "active": "y", "version": stale})
    assert conflict.status_code == 409
    db.session.expire_all()
    assert db.session.get(PriceItem, item.id).fee_cents == 2550
    client.login("reception")
    assert client.get(page).status_code == 403
    body = client.get("/console/cases/new").get_data(as_text=True)
    assert "更换灯管 · ¥25.50 / 根" in body


def test_c10_receptionist_writes_the_order_with_item_and_appointment(client, world):
    item = _item(world)
    client.login("reception")
    response = client.post_form(
        "/console/cases/new",
        {
            "channel": "phone",
            "household": str(world.households[1].id),
            "content": "厨房水龙头坏了",
            "kind": "repair",
            "category": "plumbing",
            "price_item": str(item.id),
            "appointment_at": "2026-03-02T15:30",
            "importance": "normal",
            "read_back": "y",
            "department": "0",
        },
        page="/console/cases/new",
    )
    assert response.status_code == 303
    order = db.session.scalar(sa.select(WorkOrder))
    assert order.fee_cents == 3500 and order.status == OrderStatus.LOGGED
    assert order.appointment_at == datetime(2026, 3, 2, 7, 30, tzinfo=UTC)  # 15:30 in Shanghai
    client.login("reception")
    page = f"/console/cases/orders/{order.id}"
    body = client.get(page).get_data(as_text=True)
    assert "更换水龙头" in body and "¥35.00" in body
    stale = str(order.version)
    moved = client.post_form(
        page + "/terms", {"version": stale, "price_item": "0", "appointment_at": "2026-03-03T09:00"}
    )
    assert moved.status_code == 303
    conflict = client.post_form(page + "/terms", {"version": stale, "price_item": str(item.id)})
    assert conflict.status_code == 409
    db.session.expire_all()
    order = db.session.get(WorkOrder, order.id)
    assert order.fee_cents is None and order.appointment_at == datetime(2026, 3, 3, 1, 0, tzinfo=UTC)


def test_c10_price_list_sends_as_many_statements_for_30_items_as_for_3(client, world):
    """C10: the price list the desk reads on every repair call (items on the list and retired
    ones, each with its fee and unit) sends the same statements for 33 items as for 3."""
    counts, made = [], []
    with time_machine.travel(datetime(2026, 3, 2, 9, 0, tzinfo=SHANGHAI), tick=False):
        client.login("manager")
        for n in (3, 30):
            for i in range(len(made), len(made) + n):
                item = _item(world, name=f"维修项目{i:02d}", fee_cents=1000 + i, unit="次" if i % 2 else None)
                if i % 3 == 2:
                    prices.change(
                        item,
                        world.user(Role.MANAGER),
                        name=item.name,
                        category=item.category,
                        fee_cents=item.fee_cents,
                        unit=item.unit,
                        active=False,
                    )
                made.append(item)
            db.session.commit()
            with recorded_statements() as statements:
                response = client.get("/console/cases/prices")
            assert response.status_code == 200
            body = response.get_data(as_text=True)
            assert all(f'/console/cases/prices/{item.id}"' in body for item in made)  # every item listed
            counts.append(len(statements))
    assert counts[0] == counts[1]
