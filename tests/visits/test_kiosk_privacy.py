"""V3: to an outsider only room numbers may be given about residents. Every kiosk
screen and fragment, walked with the demo data loaded, names no resident and shows no
resident's phone."""

import re

import sqlalchemy as sa

from kiosk import demo
from kiosk.extensions import db
from kiosk.models import ExpectedVisit, Household, Room, Site, Visit
from tests.kiosk_helpers import enroll_kiosk, new_key, post, visit_data

CODE = re.compile(r"data-visit-code>(\w+)<")


def test_v3_no_kiosk_response_contains_a_residents_name_or_phone(app, client):
    demo.seed("pw")
    site = db.session.scalar(sa.select(Site).where(Site.code == demo.DEMO_SITE_CODE))
    households = db.session.scalars(sa.select(Household).where(Household.site_id == site.id)).all()
    secrets = {h.name for h in households} | {h.phone for h in households} | {h.phone2 for h in households if h.phone2}
    assert len(secrets) > 300
    room = db.session.get(Room, households[0].room_id)
    enroll_kiosk(client, site)
    staff = app.test_client()
    staff.login("reception", "pw")
    responses = []

    def seen(response):
        assert response.status_code < 500, response.status_code
        responses.append(response.get_data(as_text=True))
        return response

    for lang in ("zh_Hans_CN", "en"):
        for path in ("/kiosk/", "/kiosk/visit", "/kiosk/checkout", "/kiosk/expected"):
            seen(client.get(f"{path}?lang={lang}"))
            seen(client.get(f"{path}?lang={lang}", headers={"HX-Request": "true"}))
        seen(post(client, f"/kiosk/visit?lang={lang}", visit_data(room.id, step="about")))
        seen(client.get(f"/kiosk/rooms?number={room.label}&lang={lang}"))
        seen(client.get(f"/kiosk/rooms?number=9999&lang={lang}"))
        seen(post(client, f"/kiosk/visits?lang={lang}", visit_data(room.id, name="")))
        seen(post(client, f"/kiosk/visits?lang={lang}", visit_data("", room_number=room.number)))
        for outcome in ("coming_down", "go_up", "wait_lounge", "not_in"):
            waiting = seen(post(client, f"/kiosk/visits?lang={lang}", visit_data(room.id)))
            code = CODE.search(waiting.get_data(as_text=True)).group(1)
            seen(client.get(f"/kiosk/visits/{code}?lang={lang}", headers={"HX-Request": "true"}))
            visit = db.session.scalar(sa.select(Visit).where(Visit.code == code))
            staff.post_form(f"/console/lobby/visits/{visit.id}/outcome", {"outcome": outcome})
            seen(client.get(f"/kiosk/visits/{code}?lang={lang}", headers={"HX-Request": "true"}))
            seen(client.get(f"/kiosk/visits/{code}?lang={lang}"))
        seen(post(client, f"/kiosk/checkout?lang={lang}", {"code": code, "idempotency_key": new_key()}))
        seen(
            post(
                client,
                f"/kiosk/checkout?lang={lang}",
                {"phone": "13912345678", "room_number": room.label, "idempotency_key": new_key()},
            )
        )
        seen(
            post(
                client,
                f"/kiosk/checkout?lang={lang}",
                {"phone": "13800000000", "room_number": "9-9-9999", "idempotency_key": new_key()},
            )
        )
        seen(post(client, f"/kiosk/expected?lang={lang}", {"code": "ZZZZZZ", "idempotency_key": new_key()}))
    for row in db.session.scalars(sa.select(ExpectedVisit).where(ExpectedVisit.site_id == site.id)):
        seen(post(client, "/kiosk/expected", {"code": row.code, "idempotency_key": new_key()}))

    assert len(responses) > 50
    leaks = sorted({secret for secret in secrets for text in responses if secret in text})
    assert leaks == [], f"resident data on the kiosk: {leaks[:5]}"
    assert room.label in responses[-1] or any(room.label in text for text in responses)  # rooms only
