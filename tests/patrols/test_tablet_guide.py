"""The way from the console to the patrol tablet (issue 12; P1: patrols are walked on an
enrolled tablet): the officer's home links to a console page that lists the site's
enrolled tablets and gives the tablet's start page as a link and a QR code; a plain
browser at /patrol/ is told what to do, in zh and en."""

import pytest

from kiosk.access import DEVICE_COOKIE
from kiosk.extensions import db
from kiosk.models import DeviceKind, Role
from kiosk.offline import devices
from kiosk.timeutil import utcnow
from tests import patrolkit
from tests.statements import recorded_statements

TEXT = {
    "zh": {"home": "如何在平板上打开巡查", "none": "本项目尚未登记巡检平板", "plain": "此浏览器不是已登记的巡检平板"},
    "en": {
        "home": "How to open patrols on the tablet",
        "none": "No tablet is enrolled at this site yet",
        "plain": "This browser is not an enrolled patrol tablet",
    },
}


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_p1_the_officers_home_leads_to_the_tablet_page(client, world, lang):
    client.login("officer")
    home = client.get(f"/console/?lang={lang}").get_data(as_text=True)
    assert "data-to-tablet" in home and 'href="/console/patrols/tablet"' in home
    assert TEXT[lang]["home"] in home


def test_p1_only_the_officers_home_features_it_though_the_menu_offers_it_to_patrol_roles(client, world):
    client.login("reception")
    assert "data-to-tablet" not in client.get("/console/").get_data(as_text=True)
    assert client.get("/console/patrols/tablet").status_code == 403
    client.login("supervisor")
    home = client.get("/console/", follow_redirects=True).get_data(as_text=True)
    assert "data-to-tablet" not in home and 'href="/console/patrols/tablet"' in home


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_p1_the_tablet_page_lists_the_sites_enrolled_tablets_and_the_start_page(client, world, lang):
    now = utcnow()
    mine, _credential = patrolkit.enroll_tablet(world.site, name="巡检平板 A", now=now)
    waiting, _token = devices.create_enrollment(world.site, DeviceKind.TABLET, "巡检平板 未启用", now=now)
    revoked, _c = patrolkit.enroll_tablet(world.site, name="巡检平板 已停用", now=now)
    devices.revoke(revoked, now=now, actor=world.users[Role.ADMIN])
    kiosk, _k = patrolkit.enroll_tablet(world.site, name="大堂终端", now=now)
    kiosk.kind = DeviceKind.KIOSK
    elsewhere, _e = patrolkit.enroll_tablet(world.other_site, name="别处平板", now=now)
    db.session.commit()
    client.login("officer")
    client.get(f"/console/?lang={lang}")
    with recorded_statements() as statements:
        page = client.get("/console/patrols/tablet")
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert f'data-device="{mine.id}"' in text and "巡检平板 A" in text
    for other in (waiting, revoked, kiosk, elsewhere):
        assert f'data-device="{other.id}"' not in text
    assert 'href="http://localhost/patrol/"' in text  # the full address, to type or tap
    assert "<svg" in text and "data-tablet-qr" in text
    assert TEXT[lang]["none"] not in text
    assert len(statements) <= 8  # whatever the number of tablets: no N+1


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_p1_without_an_enrolled_tablet_the_page_says_who_enrolls_one(client, world, lang):
    client.login("officer")
    client.get(f"/console/?lang={lang}")
    text = client.get("/console/patrols/tablet").get_data(as_text=True)
    assert TEXT[lang]["none"] in text and "data-tablets" not in text


@pytest.mark.parametrize("lang", ["zh_Hans_CN", "en"])
def test_p1_a_plain_browser_at_the_tablet_page_is_told_what_to_do(client, world, lang):
    page = client.get(f"/patrol/?lang={lang}")
    assert page.status_code == 403
    text = page.get_data(as_text=True)
    assert TEXT[lang[:2]]["plain"] in text
    assert 'href="/console/patrols/tablet"' in text
    assert 'data-face="tablet"' in text
    kiosk = client.get(f"/kiosk/?lang={lang}")
    assert kiosk.status_code == 403 and 'data-face="kiosk"' in kiosk.get_data(as_text=True)


def test_p1_a_tablet_enrolled_for_another_kind_is_told_too(client, world):
    kiosk, credential = patrolkit.enroll_tablet(world.site, name="大堂终端")
    kiosk.kind = DeviceKind.KIOSK
    db.session.commit()
    client.set_cookie(DEVICE_COOKIE, credential)
    page = client.get("/patrol/")
    assert page.status_code == 403 and 'data-face="tablet"' in page.get_data(as_text=True)
