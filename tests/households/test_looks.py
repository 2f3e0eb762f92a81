"""Who may look (A2, A5, S1, S3): customer service opens files, others ask a supervisor and
get time-limited access; every look is logged, refused ones too."""

from datetime import timedelta

import sqlalchemy as sa
import time_machine

from kiosk.extensions import db
from kiosk.households import files, looks
from kiosk.households.storage import vault_from
from kiosk.models import Role
from kiosk.models.households import AccessGrant, FileLook, GrantStatus
from kiosk.timeutil import utcnow
from tests.households.conftest import png_bytes


def _looks(**where):
    return list(db.session.scalars(sa.select(FileLook).filter_by(**where).order_by(FileLook.id)))


def test_a2_customer_service_roles_open_a_file_and_the_look_is_logged(app, hh, client):
    file = hh.files[0]
    for username, role in (
        ("reception", Role.RECEPTIONIST),
        ("officer", Role.OFFICER),
        ("supervisor", Role.SUPERVISOR),
        ("manager", Role.MANAGER),
    ):
        client.login(username)
        assert client.get(f"/console/households/{file.id}").status_code == 200
        look = _looks(user_id=hh.user(role).id)[-1]
        assert (look.allowed, look.what, look.file_id, look.why) == (True, "file", file.id, looks.WORK_REASON)


def test_a2_a_look_without_permission_is_refused_and_logged(app, hh, client):
    file = hh.files[0]
    for username, role in (("engineer", Role.DEPARTMENT), ("duty", Role.DUTY_MANAGER)):
        client.login(username)
        response = client.get(f"/console/households/{file.id}")
        assert response.status_code == 403
        assert "13812345678" not in response.get_data(as_text=True)  # no household data on the refusal
        look = _looks(user_id=hh.user(role).id)[-1]
        assert (look.allowed, look.what, look.household_id) == (False, "file", file.household_id)
    client.login("admin")
    assert client.get(f"/console/households/{file.id}").status_code == 403  # no business data at all


def test_a2_granted_access_expires(app, hh, client):
    """Frozen clock: a two-hour grant opens the file until it expires, then it is refused again."""
    file = hh.files[0]
    engineer = hh.user(Role.DEPARTMENT)
    start = utcnow()
    with time_machine.travel(start, tick=False):
        client.login("engineer")
        response = client.post_form(
            f"/console/households/{file.id}/access-requests",
            {"reason": "漏水维修，需联系业主"},
            page="/console/households/",
        )
        assert response.status_code == 303
        grant = db.session.scalar(sa.select(AccessGrant))
        assert grant.status == GrantStatus.PENDING
        assert client.get(f"/console/households/{file.id}").status_code == 403
        client.login("supervisor")
        assert client.get("/console/households/access-requests").status_code == 200
        response = client.post_form(
            f"/console/households/access-requests/{grant.id}", {"decision": "grant", "hours": "2"}
        )
        assert response.status_code == 303
    with time_machine.travel(start + timedelta(hours=1, minutes=59), tick=False):
        client.login("engineer")
        assert client.get(f"/console/households/{file.id}").status_code == 200
        look = _looks(user_id=engineer.id)[-1]
        assert look.allowed and look.why == "漏水维修，需联系业主" and look.grant_id == grant.id
    with time_machine.travel(start + timedelta(hours=2, minutes=1), tick=False):
        client.login("engineer")
        assert client.get(f"/console/households/{file.id}").status_code == 403
        assert not _looks(user_id=engineer.id)[-1].allowed
    # the grant was for that one file only
    with time_machine.travel(start + timedelta(minutes=30), tick=False):
        assert not looks.decide(engineer, hh.files[1]).allowed


def test_a2_a_refused_request_gives_no_access(app, hh):
    grant = looks.request_access(hh.user(Role.DUTY_MANAGER), hh.files[0], "夜间急修")
    looks.answer(grant, hh.user(Role.MANAGER), approve=False)
    db.session.commit()
    assert not looks.decide(hh.user(Role.DUTY_MANAGER), hh.files[0]).allowed


def test_a2_a_request_needs_a_reason(app, hh, client):
    client.login("engineer")
    response = client.post_form(
        f"/console/households/{hh.files[0].id}/access-requests", {"reason": " "}, page="/console/households/"
    )
    assert response.status_code == 422
    assert db.session.scalar(sa.select(sa.func.count(AccessGrant.id))) == 0


def test_s1_attachment_and_whole_id_number_looks_are_logged(app, hh, client):
    file = hh.files[0]
    vault = vault_from(app.config, app.instance_path)
    attachment = files.attach(vault, file, "id_copy", "id.png", png_bytes(), hh.user(Role.RECEPTIONIST))
    files.set_id_number(vault, file, "110105199001011234", hh.user(Role.RECEPTIONIST))
    db.session.commit()
    client.login("officer")
    page = client.get(f"/console/households/{file.id}").get_data(as_text=True)
    assert "110105199001011234" not in page and "110105********1234" in page
    assert client.get(f"/console/households/{file.id}/attachments/{attachment.id}").status_code == 200
    shown = client.post_form(f"/console/households/{file.id}/id-number/show", page=f"/console/households/{file.id}")
    assert "110105199001011234" in shown.get_data(as_text=True)
    whats = [(look.what, look.attachment_id) for look in _looks(user_id=hh.user(Role.OFFICER).id)]
    assert ("attachment", attachment.id) in whats and ("id_number", None) in whats
    client.login("engineer")
    assert client.get(f"/console/households/{file.id}/attachments/{attachment.id}").status_code == 403
    refused = _looks(user_id=hh.user(Role.DEPARTMENT).id)[-1]
    assert (refused.what, refused.attachment_id, refused.allowed) == ("attachment", attachment.id, False)


def test_a2_nobody_answers_their_own_request(app, hh):
    supervisor = hh.user(Role.SUPERVISOR)
    grant = AccessGrant(
        site_id=hh.site.id, file_id=hh.files[0].id, user_id=supervisor.id, reason="x", requested_at=utcnow()
    )
    db.session.add(grant)
    db.session.flush()
    import pytest

    with pytest.raises(looks.NotAllowed):
        looks.answer(grant, supervisor, approve=True)
    with pytest.raises(looks.NotAllowed):
        looks.answer(grant, hh.user(Role.RECEPTIONIST), approve=True)


def test_a2_access_log_filters_by_person_and_household(app, hh, client):
    client.login("reception")
    client.get(f"/console/households/{hh.files[0].id}")
    client.get(f"/console/households/{hh.files[1].id}")
    client.login("engineer")
    client.get(f"/console/households/{hh.files[0].id}")
    client.login("supervisor")
    everyone = client.get("/console/households/access-log").get_data(as_text=True)
    assert everyone.count("<tr>") == 1 + 3
    engineer = hh.user(Role.DEPARTMENT).id
    by_person = client.get(f"/console/households/access-log?user={engineer}").get_data(as_text=True)
    assert by_person.count("<tr>") == 1 + 1
    household = hh.files[0].household_id
    by_household = client.get(f"/console/households/access-log?household={household}").get_data(as_text=True)
    assert by_household.count("<tr>") == 1 + 2
    both = client.get(f"/console/households/access-log?household={household}&user={engineer}").get_data(as_text=True)
    assert both.count("<tr>") == 1 + 1
    page = looks.access_log(hh.site.id, size=2)
    rest = looks.access_log(hh.site.id, size=2, cursor=page.next_cursor)
    assert len(page.items) == 2 and len(rest.items) == 1  # keyset paged
    client.login("reception")
    assert client.get("/console/households/access-log").status_code == 403
