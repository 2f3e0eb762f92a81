"""Notices (V9): drafted with a channel, approved by a supervisor (outage notices by the
centre's manager first), published; a kiosk notice shows on the kiosk's welcome screen in
the visitor's language only after approval and is gone after withdrawal or its end; a
posted notice is taken down by its poster, with a reminder; deliveries keep sign-offs."""

from datetime import timedelta

import pytest
import time_machine

from kiosk.extensions import db
from kiosk.models import Role
from kiosk.models.registers import Channel, NoticeStatus
from kiosk.registers import notices
from kiosk.registers.common import Refused
from kiosk.timeutil import utcnow
from tests.kiosk_helpers import enroll_kiosk
from tests.registers.helpers import signature_url

BASE = "/console/registers"


def _notice(world, channel=Channel.KIOSK, outage=False, days=3, title="电梯保养通知"):
    now = utcnow()
    notice = notices.draft(
        world.site.id,
        channel=channel,
        outage=outage,
        title_zh=title,
        body_zh="本周三上午 2 号电梯保养，请走楼梯或 1 号电梯。",
        title_en="Lift maintenance",
        body_en="Lift 2 is serviced on Wednesday morning; please use lift 1.",
        show_from=now - timedelta(minutes=5),
        show_until=now + timedelta(days=days),
        by=world.user(Role.RECEPTIONIST),
        now=now,
    )
    db.session.commit()
    return notice


def _through(notice, world, approver=Role.SUPERVISOR, publish=True):
    notices.submit(notice, world.user(Role.RECEPTIONIST), utcnow())
    notices.approve(notice, world.user(approver), utcnow())
    if publish:
        notices.publish(notice, world.user(Role.RECEPTIONIST), utcnow())
    db.session.commit()


@pytest.fixture
def kiosk(app, world, client):
    client.device = enroll_kiosk(client, world.site)
    return client


def test_v9_a_kiosk_notice_shows_only_after_approval_and_is_gone_after_withdrawal(kiosk, world):
    notice = _notice(world)
    assert "电梯保养通知" not in kiosk.get("/kiosk/?lang=zh_Hans_CN").text  # a draft
    notices.submit(notice, world.user(Role.RECEPTIONIST), utcnow())
    db.session.commit()
    assert "电梯保养通知" not in kiosk.get("/kiosk/?lang=zh_Hans_CN").text  # submitted, not approved
    notices.approve(notice, world.user(Role.SUPERVISOR), utcnow())
    notices.publish(notice, world.user(Role.RECEPTIONIST), utcnow())
    db.session.commit()
    assert "电梯保养通知" in kiosk.get("/kiosk/?lang=zh_Hans_CN").text
    english = kiosk.get("/kiosk/?lang=en").text
    assert "Lift maintenance" in english and "电梯保养通知" not in english  # the visitor's language
    notices.withdraw(notice, world.user(Role.SUPERVISOR), utcnow())
    db.session.commit()
    assert "电梯保养通知" not in kiosk.get("/kiosk/?lang=zh_Hans_CN").text


def test_v9_a_kiosk_notice_disappears_at_its_end(kiosk, world):
    notice = _notice(world, days=1)
    _through(notice, world)
    page = kiosk.get("/kiosk/?lang=zh_Hans_CN").text
    assert "电梯保养通知" in page and f'data-until="{notice.show_until.isoformat()}"' in page  # for the offline copy
    with time_machine.travel(utcnow() + timedelta(days=2), tick=False):
        assert "电梯保养通知" not in kiosk.get("/kiosk/?lang=zh_Hans_CN").text


def test_v9_an_outage_notice_goes_to_the_centres_manager_first(client, world):
    notice = _notice(world, channel=Channel.POSTING, outage=True, title="停水通知")
    notices.submit(notice, world.user(Role.RECEPTIONIST), utcnow())
    db.session.commit()
    assert notices.count_to_approve(world.site.id, world.user(Role.SUPERVISOR)) == 0
    assert notices.count_to_approve(world.site.id, world.user(Role.MANAGER)) == 1
    with pytest.raises(Refused) as refused:
        notices.approve(notice, world.user(Role.SUPERVISOR), utcnow())
    assert refused.value.reason == "notice_leaders"
    client.login("supervisor")
    client.post_form(f"{BASE}/notices/{notice.id}/approve", {})
    db.session.refresh(notice)
    assert notice.status == NoticeStatus.SUBMITTED
    client.login("manager")
    assert "停水通知" in client.get(f"{BASE}/notices/to-approve").get_data(as_text=True)
    assert client.post_form(f"{BASE}/notices/{notice.id}/approve", {}).status_code == 303
    db.session.refresh(notice)
    assert notice.status == NoticeStatus.APPROVED and notice.approved_by_id == world.user(Role.MANAGER).id
    client.login("reception")
    assert client.post_form(f"{BASE}/notices/{notice.id}/approve", {}).status_code == 403


def test_v9_whoever_posted_a_notice_takes_it_down_with_a_reminder_when_due(client, world):
    notice = _notice(world, channel=Channel.POSTING, days=1)
    _through(notice, world)
    assert notices.count_due_for_removal(world.site.id) == 0
    with time_machine.travel(utcnow() + timedelta(days=2), tick=False):
        assert notices.count_due_for_removal(world.site.id) == 1
        client.login("duty")  # not the poster
        client.post_form(f"{BASE}/notices/{notice.id}/step/take-down", {})
        db.session.refresh(notice)
        assert notice.removed_at is None
        client.login("reception")  # the poster
        assert "待撤下的张贴通知" in client.get(f"{BASE}/notices/").get_data(as_text=True)
        assert client.post_form(f"{BASE}/notices/{notice.id}/step/take-down", {}).status_code == 303
        db.session.refresh(notice)
        assert notice.removed_by_id == world.user(Role.RECEPTIONIST).id
        assert notices.count_due_for_removal(world.site.id) == 0


def test_v9_a_delivered_notice_keeps_each_households_sign_off(client, world):
    notice = _notice(world, channel=Channel.DELIVERY)
    _through(notice, world)
    client.login("reception")
    url = f"{BASE}/notices/{notice.id}/sign-offs"
    assert client.post_form(url, {"room": "1-1-0101", "signed_by": "张三"}).status_code == 422  # no signature
    assert (
        client.post_form(url, {"room": "1-1-0101", "signed_by": "张三", "signature": signature_url()}).status_code
        == 303
    )
    again = client.post_form(url, {"room": "1-1-0101", "signed_by": "张三", "signature": signature_url()})
    assert again.status_code == 422 and "已签收" in again.get_data(as_text=True)
    rows = notices.sign_offs(notice)
    assert len(rows) == 1 and rows[0].household_id == world.households[0].id and rows[0].signature_sha256


def test_v9_drafting_over_the_console_and_its_steps(client, world):
    client.login("reception")
    from zoneinfo import ZoneInfo

    local = utcnow().astimezone(ZoneInfo(world.site.timezone))
    data = {
        "channel": "kiosk",
        "title_zh": "消防演练",
        "body_zh": "周五下午消防演练。",
        "show_from": local.strftime("%Y-%m-%dT%H:%M"),
        "show_until": local.strftime("%Y-%m-%dT%H:%M"),
    }
    bad = client.post_form(f"{BASE}/notices/new", data)
    assert bad.status_code == 422 and "消防演练" in bad.get_data(as_text=True)
    data["show_until"] = (local + timedelta(days=2)).strftime("%Y-%m-%dT%H:%M")
    created = client.post_form(f"{BASE}/notices/new", data)
    assert created.status_code == 303
    notice_url = created.headers["Location"]
    notice_id = int(notice_url.rstrip("/").rsplit("/", 1)[-1])
    assert client.post_form(f"{BASE}/notices/{notice_id}/step/submit", {}).status_code == 303
    # publishing before approval is refused with a message, nothing changes
    client.post_form(f"{BASE}/notices/{notice_id}/step/publish", {})
    assert notices.load(world.site.id, notice_id).status == NoticeStatus.SUBMITTED
    assert client.post_form(f"{BASE}/notices/{notice_id}/step/nonsense", {}).status_code == 404
    client.login("elsewhere")
    assert client.get(notice_url).status_code == 404


def test_v9_a_posted_notice_due_to_come_down_is_on_the_handover(world):
    from kiosk.registers import pending

    notice = _notice(world, channel=Channel.POSTING, days=1)
    _through(notice, world)
    with time_machine.travel(utcnow() + timedelta(days=2), tick=False):
        rows = [p for p in pending(world.site.id, utcnow()) if p.register == "notice"]
        assert [p.record_id for p in rows] == [notice.id] and rows[0].urgent
