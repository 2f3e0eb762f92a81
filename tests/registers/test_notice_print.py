"""Printing a notice for posting (rule V9): an approved posting prints as an A4 sheet with
its title, text, the site's name, the date and the issuing centre, in the notice's
language; a draft (or a notice not yet approved) is refused; every print is audited. Tested
in-process and against a live server (the page read whole over a socket after the request)."""

from zoneinfo import ZoneInfo

import sqlalchemy as sa

from kiosk.extensions import db
from kiosk.models import AuditEvent, Role
from kiosk.models.registers import Channel
from kiosk.registers import notices
from kiosk.timeutil import utcnow
from tests.live import LiveClient, serving
from tests.registers.test_notices import _notice, _through

BASE = "/console/registers"
BODY_ZH = "本周三上午 2 号电梯保养，请走楼梯或 1 号电梯。"
BODY_EN = "Lift 2 is serviced on Wednesday morning; please use lift 1."


def _print_url(notice, language=None):
    return f"{BASE}/notices/{notice.id}/print" + (f"?language={language}" if language else "")


def _prints():
    db.session.rollback()
    return db.session.scalars(sa.select(AuditEvent).where(AuditEvent.action == "notice.printed")).all()


def test_v9_an_approved_posting_prints_as_an_a4_sheet_in_chinese(client, world):
    notice = _notice(world, channel=Channel.POSTING)
    _through(notice, world, publish=False)
    client.login("reception")
    # the console is in English; the sheet is in the notice's language
    response = client.get(_print_url(notice) + "?lang=en")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert '<html lang="zh-Hans-CN">' in page
    assert "电梯保养通知" in page and BODY_ZH in page and "测试花园" in page
    assert "测试花园物业客户服务中心" in page
    assert "notice-print.css" in page and 'class="sheet"' in page
    approved = notice.approved_at.astimezone(ZoneInfo("Asia/Shanghai"))
    assert f"{approved.year}年{approved.month}月{approved.day}日" in page
    assert "Lift maintenance" not in page
    assert [event.details["language"] for event in _prints()] == ["zh_Hans_CN"]
    assert "no-store" in response.headers["Cache-Control"]


def test_v9_the_english_version_prints_in_english(client, world):
    notice = _notice(world, channel=Channel.POSTING)
    _through(notice, world)  # published: still printable
    client.login("reception")
    page = client.get(_print_url(notice, "en")).get_data(as_text=True)
    assert '<html lang="en">' in page
    assert "Lift maintenance" in page and BODY_EN in page
    assert "测试花园 Customer Service Centre" in page and "电梯保养通知" not in page
    assert [event.details["language"] for event in _prints()] == ["en"]


def test_v9_the_print_stylesheet_sets_an_a4_page(client, world):
    css = client.get("/static/css/notice-print.css").get_data(as_text=True)
    assert "@page { size: A4 portrait" in css and "@media print" in css


def test_v9_a_draft_or_unapproved_notice_is_not_printed(client, world):
    notice = _notice(world, channel=Channel.POSTING)
    client.login("reception")
    for lang, message in (("zh_Hans_CN", "通知经审批后才能打印"), ("en", "Only an approved notice can be printed")):
        response = client.get(_print_url(notice) + f"?lang={lang}")
        assert response.status_code == 409
        page = response.get_data(as_text=True)
        assert message in page and 'class="sheet"' not in page
    notices.submit(notice, world.user(Role.RECEPTIONIST), utcnow())
    db.session.commit()
    assert client.get(_print_url(notice)).status_code == 409  # submitted, not approved
    assert _prints() == []


def test_v9_only_postings_print_and_only_in_their_languages(client, world):
    kiosk_notice = _notice(world, channel=Channel.KIOSK)
    _through(kiosk_notice, world)
    client.login("reception")
    assert client.get(_print_url(kiosk_notice)).status_code == 409
    posting = _notice(world, channel=Channel.POSTING)
    posting.title_en = posting.body_en = None
    db.session.commit()
    _through(posting, world)
    assert client.get(_print_url(posting, "en")).status_code == 409
    assert client.get(_print_url(posting, "fr")).status_code == 409
    assert _prints() == []


def test_v9_the_notice_page_offers_the_print_only_when_printable(client, world):
    notice = _notice(world, channel=Channel.POSTING)
    client.login("reception")
    page = client.get(f"{BASE}/notices/{notice.id}").get_data(as_text=True)
    assert _print_url(notice) not in page
    _through(notice, world)
    page = client.get(f"{BASE}/notices/{notice.id}").get_data(as_text=True)
    assert f'href="{_print_url(notice)}"' in page and f'href="{_print_url(notice, "en")}"' in page


def test_v9_another_sites_notice_and_other_roles(app, client, world):
    notice = _notice(world, channel=Channel.POSTING)
    _through(notice, world)
    client.login("elsewhere")
    assert client.get(_print_url(notice)).status_code == 404
    officer = app.test_client()
    officer.login("officer")
    assert officer.get(_print_url(notice)).status_code == 403
    assert _prints() == []


def test_v9_the_printed_page_from_a_live_server_is_whole(app, world):
    """Read over a socket after the view returned and its database session is gone."""
    notice = _notice(world, channel=Channel.POSTING)
    _through(notice, world)
    notice_id = notice.id
    with serving(app) as server:
        live = LiveClient(server.url)
        live.login("reception")
        zh = live.get(f"{BASE}/notices/{notice_id}/print")
        en = live.get(f"{BASE}/notices/{notice_id}/print?language=en")
        draft = _notice(world, channel=Channel.POSTING, title="草稿通知")
        refused = live.get(f"{BASE}/notices/{draft.id}/print?lang=en")
    assert zh.status == 200 and zh.headers["Content-Type"].startswith("text/html")
    assert "no-store" in zh.headers["Cache-Control"]
    for reply, title, body, issuer in (
        (zh, "电梯保养通知", BODY_ZH, "测试花园物业客户服务中心"),
        (en, "Lift maintenance", BODY_EN, "测试花园 Customer Service Centre"),
    ):
        text = reply.text
        assert reply.status == 200 and text.rstrip().endswith("</html>")
        assert title in text and body in text and issuer in text and "<time datetime=" in text
    assert refused.status == 409 and "Only an approved notice can be printed" in refused.text
    assert sorted(event.details["language"] for event in _prints()) == ["en", "zh_Hans_CN"]
