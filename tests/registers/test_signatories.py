"""V6: a company's goods going out need its seal or a signatory on file. Supervisors and
managers keep the list of signatories (every change audited); the desk looks it up; a
goods pass naming someone not on file, or taken off file, is refused."""

from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest
import sqlalchemy as sa

from kiosk.extensions import db
from kiosk.models import AuditEvent, Role
from kiosk.models.registers import CompanySignatory, Consent, Direction, GoodsPass, RequesterKind
from kiosk.registers import goods_passes, signatories
from kiosk.registers.common import Refused
from kiosk.timeutil import utcnow

BASE = "/console/registers"


def _company_out(world, consent_by, company="某某科技有限公司", site_id=None):
    now = utcnow()
    req = goods_passes.Request(
        requester_kind=RequesterKind.COMPANY,
        carrier_name="搬家师傅 老刘",
        direction=Direction.OUT,
        valid_from=now + timedelta(hours=1),
        valid_until=now + timedelta(hours=4),
        lines=[goods_passes.Line("服务器", 2)],
        company_name=company,
        consent=Consent.SIGNATORY,
        consent_by=consent_by,
    )
    return goods_passes.request(site_id or world.site.id, req, world.user(Role.RECEPTIONIST), now)


def test_v6_a_company_signatory_must_be_on_file(world):
    with pytest.raises(Refused) as refused:
        _company_out(world, "王经理")
    assert (refused.value.reason, refused.value.field) == ("signatory_not_on_file", "consent_by")
    signatories.add("某某科技有限公司", "王经理", "13800001111", world.user(Role.SUPERVISOR), utcnow())
    db.session.commit()
    # names compared as written by one hand: spaces and full width folded
    assert _company_out(world, "王 经理", company="某某科技有限公司 ").id
    with pytest.raises(Refused):  # on file for another company only
        _company_out(world, "王经理", company="别的公司")


def test_v6_a_signatory_taken_off_file_can_no_longer_consent_and_the_removal_is_kept(world):
    row = signatories.add("某某科技有限公司", "王经理", None, world.user(Role.SUPERVISOR), utcnow())
    db.session.commit()
    assert signatories.remove(row, "已离职", world.user(Role.MANAGER), utcnow())
    assert not signatories.remove(row, "再次", world.user(Role.MANAGER), utcnow())  # a double submit: nothing
    db.session.commit()
    with pytest.raises(Refused):
        _company_out(world, "王经理")
    db.session.refresh(row)
    assert row.removed_by_id == world.user(Role.MANAGER).id and row.remove_reason == "已离职"
    actions = db.session.scalars(
        sa.select(AuditEvent.action).where(AuditEvent.entity_type == "CompanySignatory").order_by(AuditEvent.id)
    ).all()
    assert actions == ["company_signatory.added", "company_signatory.removed"]


def test_v6_another_sites_signatory_does_not_count(world):
    signatories.add("某某科技有限公司", "王经理", None, world.user(Role.SUPERVISOR), utcnow())
    db.session.commit()
    with pytest.raises(Refused):
        _company_out(world, "王经理", site_id=world.other_site.id)


def test_v6_supervisors_manage_the_list_the_desk_only_reads_it(client, world):
    client.login("reception")
    page = client.get(f"{BASE}/signatories/?lang=en")
    assert page.status_code == 200 and "Put a signatory on file" not in page.text
    data = {"company_name": "某某科技有限公司", "person_name": "王经理", "phone": "13800001111"}
    assert client.post_form(f"{BASE}/signatories/", data).status_code == 403
    client.get("/auth/logout")
    client.login("supervisor")
    assert client.post_form(f"{BASE}/signatories/", data).status_code == 303
    page = client.get(f"{BASE}/signatories/").text
    assert "王经理" in page and "13800001111" not in page and "138****1111" in page  # the phone masked
    duplicate = client.post_form(f"{BASE}/signatories/", data)
    assert duplicate.status_code == 422 and "This person is already on file for this company." in duplicate.text
    empty = client.post_form(f"{BASE}/signatories/", {"company_name": "某某科技有限公司", "person_name": ""})
    assert empty.status_code == 422 and "Please enter the signatory" in empty.text and "某某科技有限公司" in empty.text
    row = db.session.scalars(sa.select(CompanySignatory)).one()
    no_reason = client.post_form(f"{BASE}/signatories/{row.id}/remove", {"reason": ""})
    assert no_reason.status_code == 422 and "Please give the reason." in no_reason.text
    assert client.post_form(f"{BASE}/signatories/{row.id}/remove", {"reason": "已离职"}).status_code == 303
    assert db.session.get(CompanySignatory, row.id).removed_at is not None
    client.get("/auth/logout")
    client.login("elsewhere")
    assert "王经理" not in client.get(f"{BASE}/signatories/").text
    assert client.post_form(f"{BASE}/signatories/{row.id}/remove", {"reason": "x"}).status_code == 403


def test_v6_the_request_form_refuses_a_signatory_not_on_file_with_input_kept(client, world):
    tomorrow = (utcnow() + timedelta(days=1)).astimezone(ZoneInfo(world.site.timezone)).strftime("%Y-%m-%d")
    client.login("reception")
    data = {
        "requester_kind": "company",
        "company_name": "某某科技有限公司",
        "carrier_name": "老刘",
        "direction": "out",
        "valid_from": f"{tomorrow}T09:00",
        "valid_until": f"{tomorrow}T12:00",
        "consent": "signatory",
        "consent_by": "王经理",
        "items-0-name": "服务器",
        "items-0-quantity": "2",
        "items-0-hazard": "none",
    }
    refused = client.post_form(f"{BASE}/goods/new?lang=en", data)
    assert refused.status_code == 422 and "not on file as a signatory of this company" in refused.text
    assert "服务器" in refused.text and db.session.scalar(sa.select(sa.func.count(GoodsPass.id))) == 0
    signatories.add("某某科技有限公司", "王经理", None, world.user(Role.SUPERVISOR), utcnow())
    db.session.commit()
    assert client.post_form(f"{BASE}/goods/new", data).status_code == 303
