"""Goods passes (携物出入门证, V6): hazardous goods refused with the reason, goods out
only with the owner's or signatory's consent, one move per lift slot, a printed pass
with its QR code, and the gate that marks it used once."""

from datetime import timedelta

import pytest
import sqlalchemy as sa
import time_machine

from kiosk.extensions import db
from kiosk.models import DepartmentKind, HouseholdKind, Role
from kiosk.models.registers import (
    Consent,
    Direction,
    GoodsPass,
    Hazard,
    LiftBooking,
    PassStatus,
    RequesterKind,
)
from kiosk.registers import goods_passes, pending
from kiosk.registers.common import Refused
from kiosk.timeutil import utcnow

BASE = "/console/registers"


def _request(
    world,
    direction=Direction.OUT,
    consent=Consent.OWNER,
    consent_by="张三",
    carrier="搬家师傅 老刘",
    lines=None,
    hours=(1, 5),
    requester=RequesterKind.HOUSEHOLD,
    company="",
    room_index=0,
):
    now = utcnow()
    req = goods_passes.Request(
        requester_kind=requester,
        carrier_name=carrier,
        direction=direction,
        valid_from=now + timedelta(hours=hours[0]),
        valid_until=now + timedelta(hours=hours[1]),
        lines=lines or [goods_passes.Line("冰箱", 1), goods_passes.Line("纸箱", 12)],
        room=world.rooms[room_index] if requester == RequesterKind.HOUSEHOLD else None,
        company_name=company,
        consent=consent,
        consent_by=consent_by,
    )
    return goods_passes.request(world.site.id, req, world.user(Role.RECEPTIONIST), now)


def _approved(world, **kw):
    goods_pass = _request(world, **kw)
    goods_passes.approve(goods_pass, world.user(Role.SUPERVISOR), utcnow())
    db.session.commit()
    return goods_pass


def test_v6_hazardous_goods_are_refused_with_the_reason_recorded(world):
    goods_pass = _request(
        world,
        lines=[goods_passes.Line("液化气罐", 2, Hazard.FLAMMABLE), goods_passes.Line("油漆稀释剂", 1, Hazard.TOXIC)],
    )
    db.session.commit()
    assert goods_pass.status == PassStatus.REFUSED
    assert goods_pass.refusal_reason == "hazardous:flammable,toxic"
    with pytest.raises(Refused):
        goods_passes.approve(goods_pass, world.user(Role.SUPERVISOR), utcnow())


def test_v6_goods_out_without_consent_is_refused(world):
    for kw, reason in [
        ({"consent": None, "consent_by": ""}, "consent_missing"),
        ({"consent": Consent.SEAL, "consent_by": ""}, "owner_consent"),  # a household needs its owner
        ({"consent_by": "搬家师傅 老刘"}, "self_consent"),  # the worker cannot self-approve
        ({"requester": RequesterKind.COMPANY, "company": "某某科技", "consent": Consent.OWNER}, "company_consent"),
    ]:
        with pytest.raises(Refused) as refused:
            _request(world, **kw)
        assert refused.value.reason == reason
    assert db.session.scalar(sa.select(sa.func.count(GoodsPass.id))) == 0
    # goods coming in need no consent; a company with its seal may take goods out
    assert _request(world, direction=Direction.IN, consent=None, consent_by="").status == PassStatus.REQUESTED
    assert (
        _request(world, requester=RequesterKind.COMPANY, company="某某科技", consent=Consent.SEAL, consent_by="").status
        == PassStatus.REQUESTED
    )


def test_v6_a_departing_tenant_cannot_consent_for_themselves(world):
    tenant = world.households[1]
    tenant.kind = HouseholdKind.TENANT
    db.session.commit()
    with pytest.raises(Refused) as refused:
        _request(world, room_index=1, consent_by=tenant.name, carrier="货拉拉司机")
    assert refused.value.reason == "tenant_self_consent"
    assert _request(world, room_index=1, consent_by="业主 周先生", carrier="货拉拉司机").status == PassStatus.REQUESTED


def test_v6_a_double_booked_moving_slot_is_refused(world):
    first, second = _request(world), _request(world, room_index=1, consent_by="李四")
    slot = first.valid_from.replace(minute=0, second=0, microsecond=0) + timedelta(hours=1)
    goods_passes.approve(first, world.user(Role.SUPERVISOR), utcnow(), lift="goods", slot_start=slot)
    db.session.commit()
    with pytest.raises(Refused) as refused:
        goods_passes.approve(second, world.user(Role.SUPERVISOR), utcnow(), lift="goods", slot_start=slot)
    assert refused.value.reason == "slot_taken"
    db.session.rollback()
    # the same hour on another lift is free; the database holds one booking per lift and hour
    goods_passes.approve(second, world.user(Role.SUPERVISOR), utcnow(), lift="1", slot_start=slot)
    db.session.commit()
    assert db.session.scalar(sa.select(sa.func.count(LiftBooking.id))) == 2


def test_v6_the_lift_slot_key_holds_even_past_the_check(world):
    """Two desks approving at once: the unique key refuses the second booking."""
    first = _approved(world)
    slot = first.valid_from.replace(minute=0, second=0, microsecond=0) + timedelta(hours=1)
    db.session.add(LiftBooking(site_id=world.site.id, lift="2", slot_start=slot, pass_id=first.id))
    db.session.commit()
    second = _request(world, room_index=1, consent_by="李四")
    db.session.commit()
    original = goods_passes.slot_taken
    try:
        goods_passes.slot_taken = lambda *a: False  # the check saw nothing: the race
        with pytest.raises(Refused) as refused:
            goods_passes.approve(second, world.user(Role.SUPERVISOR), utcnow(), lift="2", slot_start=slot)
    finally:
        goods_passes.slot_taken = original
    assert refused.value.reason == "slot_taken"


def test_v6_approval_over_the_console_with_a_taken_slot_says_so(client, world):
    first, second = _request(world), _request(world, room_index=1, consent_by="李四")
    db.session.commit()
    client.login("supervisor")
    slot_local = goods_passes_local(first, world, hours=2)
    assert (
        client.post_form(f"{BASE}/goods/{first.id}/approve", {"lift": "goods", "slot": slot_local}).status_code == 303
    )
    response = client.post_form(f"{BASE}/goods/{second.id}/approve", {"lift": "goods", "slot": slot_local})
    assert response.status_code == 422 and "已被其他搬运预约" in response.get_data(as_text=True)
    # a receptionist runs the book but does not approve
    client.login("reception")
    assert client.post_form(f"{BASE}/goods/{second.id}/approve", {}).status_code == 403


def goods_passes_local(goods_pass, world, hours):
    from zoneinfo import ZoneInfo

    at = (goods_pass.valid_from + timedelta(hours=hours)).astimezone(ZoneInfo(world.site.timezone))
    return at.replace(minute=0).strftime("%Y-%m-%dT%H:%M")


def test_v6_a_pass_scanned_twice_at_the_gate_says_it_was_used(client, world):
    goods_pass = _approved(world, hours=(0, 5))
    client.login("reception")
    first = client.get(f"{BASE}/gate", query_string={"code": goods_pass.code.lower()}).get_data(as_text=True)
    assert "有效：所列物品可以放行" in first and "冰箱" in first
    assert client.post_form(f"{BASE}/gate/{goods_pass.code}/use", {}, page=f"{BASE}/gate").status_code == 303
    db.session.refresh(goods_pass)
    assert goods_pass.status == PassStatus.USED and goods_pass.used_by_id == world.user(Role.RECEPTIONIST).id
    again = client.get(f"{BASE}/gate", query_string={"code": goods_pass.code}).get_data(as_text=True)
    assert "已使用" in again and "登记放行" not in again
    # marking it again changes nothing
    client.post_form(f"{BASE}/gate/{goods_pass.code}/use", {}, page=f"{BASE}/gate")
    with pytest.raises(Refused) as refused:
        goods_passes.mark_used(goods_pass, world.user(Role.RECEPTIONIST), utcnow())
    assert refused.value.reason == "used"


def test_v6_an_expired_pass_at_the_gate_says_so(client, world):
    goods_pass = _approved(world, hours=(0, 2))
    with time_machine.travel(utcnow() + timedelta(hours=3), tick=False):
        assert goods_passes.verdict(goods_pass, utcnow()) == "expired"
        client.login("reception")
        page = client.get(f"{BASE}/gate", query_string={"code": goods_pass.code}).get_data(as_text=True)
        assert "已过期" in page
        with pytest.raises(Refused):
            goods_passes.mark_used(goods_pass, world.user(Role.RECEPTIONIST), utcnow())


def test_v6_an_unapproved_or_unknown_pass_may_not_pass(client, world):
    goods_pass = _request(world, hours=(0, 3))
    db.session.commit()
    client.login("reception")
    assert "尚未批准" in client.get(f"{BASE}/gate", query_string={"code": goods_pass.code}).get_data(as_text=True)
    assert "没有此编号" in client.get(f"{BASE}/gate", query_string={"code": "GPNOSUCH"}).get_data(as_text=True)


def test_v6_security_staff_use_the_gate_other_departments_do_not(client, world):
    goods_pass = _approved(world, hours=(0, 3))
    engineer = world.user(Role.DEPARTMENT)
    client.login("engineer")
    page = client.get(f"{BASE}/gate", query_string={"code": goods_pass.code}).get_data(as_text=True)
    assert "冰箱" not in page and "保安部" in page
    client.post_form(f"{BASE}/gate/{goods_pass.code}/use", {}, page=f"{BASE}/gate")
    db.session.refresh(goods_pass)
    assert goods_pass.status == PassStatus.APPROVED
    engineer.department_id = world.departments[DepartmentKind.SECURITY].id
    db.session.commit()
    assert "冰箱" in client.get(f"{BASE}/gate", query_string={"code": goods_pass.code}).get_data(as_text=True)
    assert client.post_form(f"{BASE}/gate/{goods_pass.code}/use", {}, page=f"{BASE}/gate").status_code == 303
    db.session.refresh(goods_pass)
    assert goods_pass.status == PassStatus.USED
    # the security guard does not open the desk's registers
    assert client.get(f"{BASE}/goods/").status_code == 403


def test_v6_the_printed_pass_has_two_parts_and_a_qr_code(client, world):
    goods_pass = _approved(world)
    client.login("reception")
    page = client.get(f"{BASE}/goods/{goods_pass.id}/print").get_data(as_text=True)
    assert page.count("<svg") == 2 and page.count(goods_pass.code) >= 2
    # the gate's hand scanner reads a full QR code: 21 modules and the quiet zone at scale 5, not Micro QR
    assert page.count('<svg width="145" height="145"') == 2
    assert "第一联" in page and "第二联" in page


def test_v6_request_form_refuses_with_input_kept(client, world):
    from zoneinfo import ZoneInfo

    tomorrow = (utcnow() + timedelta(days=1)).astimezone(ZoneInfo(world.site.timezone)).strftime("%Y-%m-%d")
    client.login("reception")
    data = {
        "requester_kind": "household",
        "room": "1-1-0101",
        "carrier_name": "老刘",
        "direction": "out",
        "valid_from": f"{tomorrow}T09:00",
        "valid_until": f"{tomorrow}T12:00",
        "consent": "",
        "items-0-name": "沙发",
        "items-0-quantity": "1",
        "items-0-hazard": "none",
    }
    response = client.post_form(f"{BASE}/goods/new", data)
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "须经业主或授权签字人同意" in page and "沙发" in page and "老刘" in page
    ok = client.post_form(f"{BASE}/goods/new", {**data, "consent": "owner", "consent_by": "张三"})
    assert ok.status_code == 303
    hazard = client.post_form(
        f"{BASE}/goods/new",
        {
            **data,
            "consent": "owner",
            "consent_by": "张三",
            "items-1-name": "汽油",
            "items-1-quantity": "1",
            "items-1-hazard": "flammable",
        },
    )
    assert hazard.status_code == 303
    refused = db.session.scalars(sa.select(GoodsPass).where(GoodsPass.status == PassStatus.REFUSED)).one()
    assert "易燃物品" in client.get(f"{BASE}/goods/{refused.id}").get_data(as_text=True)


def test_v6_passes_in_use_are_on_the_handover(world):
    in_use = _approved(world, hours=(0, 3))
    later = _approved(world, hours=(50, 52))
    rows = [p for p in pending(world.site.id, utcnow()) if p.register == "goods_pass"]
    assert [p.record_id for p in rows] == [in_use.id]
    assert later.id not in {p.record_id for p in rows}


def test_v6_another_site_cannot_open_or_scan_a_pass(client, world):
    goods_pass = _approved(world, hours=(0, 3))
    client.login("elsewhere")
    assert client.get(f"{BASE}/goods/{goods_pass.id}").status_code == 404
    assert "没有此编号" in client.get(f"{BASE}/gate", query_string={"code": goods_pass.code}).get_data(as_text=True)
