"""The demo site shows every register with a few weeks of history; every page renders in
both languages; the lists keep a constant number of statements per page (V5, V6, V8)."""

import pytest
import sqlalchemy as sa

from kiosk import demo
from kiosk.extensions import db
from kiosk.models import Site
from kiosk.models.registers import FoundItem, GoodsPass, MailItem, MailStatus, PassStatus
from kiosk.registers import mail, pending
from kiosk.timeutil import utcnow

BASE = "/console/registers"


@pytest.fixture
def demo_site(app):
    demo.seed("pw")
    return db.session.scalar(sa.select(Site).where(Site.code == demo.DEMO_SITE_CODE))


def test_v8_v6_v5_the_demo_has_history_in_every_register(demo_site):
    site_id = demo_site.id
    count = lambda model, *where: db.session.scalar(
        sa.select(sa.func.count(model.id)).where(model.site_id == site_id, *where)
    )
    assert count(MailItem) > 60 and count(MailItem, MailItem.status == MailStatus.WAITING) > 5
    assert mail.overdue(site_id, utcnow())  # some have waited too long
    assert count(GoodsPass, GoodsPass.status == PassStatus.USED) > 5
    assert count(GoodsPass, GoodsPass.status == PassStatus.REFUSED) >= 1
    assert count(FoundItem) >= 9
    assert pending(site_id, utcnow())


@pytest.mark.parametrize("lang", ["zh_Hans_CN", "en"])
def test_every_register_page_renders_in_both_languages(demo_site, client, lang):
    client.login("supervisor", "pw")
    item = db.session.scalars(sa.select(MailItem).where(MailItem.site_id == demo_site.id).limit(1)).one()
    goods_pass = (
        db.session.scalars(sa.select(GoodsPass).where(GoodsPass.status == PassStatus.APPROVED).limit(1)).first()
        or db.session.scalars(sa.select(GoodsPass).limit(1)).one()
    )
    found = db.session.scalars(sa.select(FoundItem).limit(1)).one()
    pages = [
        "/mail/",
        "/mail/?all=1",
        "/mail/overdue",
        "/mail/receive",
        f"/mail/{item.id}",
        f"/mail/{item.id}/slip",
        f"/mail/households/{item.household_id}/authorisations",
        f"/mail/rooms/{item.room_id}",
        "/goods/",
        "/goods/?status=requested",
        "/goods/new",
        f"/goods/{goods_pass.id}",
        f"/goods/{goods_pass.id}/print",
        f"/gate?code={goods_pass.code}",
        "/found/",
        "/found/new",
        f"/found/{found.id}",
        "/settings",
        "/workers/",
        "/workers/new",
        "/workers/1",
        "/workers/1/print",
        "/notices/",
        "/notices/new",
        "/notices/to-approve",
        "/notices/1",
        "/notices/2",
        "/notices/4",
    ]
    for path in pages:
        response = client.get(BASE + path + ("&" if "?" in path else "?") + "lang=" + lang, follow_redirects=True)
        assert response.status_code == 200, path
        text = response.get_data(as_text=True)
        assert f'<html lang="{"en" if lang == "en" else "zh-Hans-CN"}">' in text, path


def test_register_lists_run_a_constant_number_of_statements(demo_site, client):
    from tests.statements import recorded_statements

    client.login("reception", "pw")
    counts = {}
    for path in ("/mail/?all=1", "/goods/", "/found/", "/mail/overdue", "/workers/", "/notices/"):
        client.get(BASE + path)  # warm up
        with recorded_statements() as statements:
            assert client.get(BASE + path).status_code == 200
        counts[path] = len(statements)
    assert all(n <= 16 for n in counts.values()), counts


def test_settings_are_for_supervisors_and_check_their_input(client, world):
    client.login("reception")
    assert client.get(f"{BASE}/settings").status_code == 403
    client.login("supervisor")
    bad = client.post_form(f"{BASE}/settings", {"mail_overdue_days": "0", "found_keep_days": "90"})
    assert bad.status_code == 422
    assert client.post_form(f"{BASE}/settings", {"mail_overdue_days": "5", "found_keep_days": "60"}).status_code == 303
    assert mail.settings(world.site.id).mail_overdue_days == 5


def test_v8_the_mail_book_pages_as_an_htmx_fragment(demo_site, client):
    client.login("reception", "pw")
    page = client.get(f"{BASE}/mail/?all=1")
    assert "<html" in page.get_data(as_text=True)
    fragment = client.htmx("get", f"{BASE}/mail/?all=1")
    text = fragment.get_data(as_text=True)
    assert fragment.status_code == 200 and "<html" not in text and 'id="mail-results"' in text
    assert "HX-Request" in fragment.headers["Vary"]
    import re

    cursor = re.search(r'cursor=([^"&]+)', text).group(1)
    older = client.htmx("get", f"{BASE}/mail/?cursor={cursor}&all=1").get_data(as_text=True)
    assert 'id="mail-results"' in older
    assert client.get(f"{BASE}/mail/?cursor=not-a-cursor").status_code == 400
