"""The file and its checklist (A1, A3), the list masked and keyset-paged (S3)."""

from datetime import timedelta

import time_machine

from kiosk.extensions import db
from kiosk.households import checklist, files
from kiosk.households.storage import vault_from
from kiosk.models import Role
from kiosk.models.households import HouseholdFile
from kiosk.timeutil import utcnow


def test_a1_owner_and_tenant_files_have_their_own_checklists(hh):
    owner, tenant = hh.files[0], hh.files[-1]
    assert [d.item for d in owner.documents] == list(checklist.OWNER_ITEMS)
    assert [d.item for d in tenant.documents] == ["lease", "tenant_id"]
    assert owner.missing_count == 8 and tenant.missing_count == 2
    assert {d.item for d in owner.documents if d.personal} == {"id_copy"}


def test_a1_one_file_per_household(hh):
    again = files.open_file(hh.households[0], hh.user(Role.SUPERVISOR))
    assert again.id == hh.files[0].id


def test_a3_ticking_an_item_updates_the_inventory(app, hh, client):
    file = hh.files[0]
    with time_machine.travel(utcnow() + timedelta(days=3), tick=False):
        later = utcnow()
        client.login("reception")
        response = client.post_form(
            f"/console/households/{file.id}/items/id_copy",
            {"present": "1", "version": file.version},
            page=f"/console/households/{file.id}",
        )
        assert response.status_code == 303
    db.session.expire_all()
    file = db.session.get(HouseholdFile, file.id)
    assert file.missing_count == 7
    assert file.inventory_at == later
    assert files.document_of(file, "id_copy").present


def test_a3_a_stale_checklist_form_changes_nothing(app, hh, client):
    file = hh.files[0]
    client.login("reception")
    page = f"/console/households/{file.id}"
    old = file.version
    assert client.post_form(f"{page}/items/lease", {"present": "1", "version": old}, page=page).status_code == 404
    assert client.post_form(f"{page}/items/id_copy", {"present": "1", "version": old}, page=page).status_code == 303
    response = client.post_form(
        f"{page}/items/purchase_contract", {"present": "1", "version": old}, page=page, follow_redirects=True
    )
    assert "Someone else changed this file" in response.get_data(as_text=True) or "有人" in response.get_data(
        as_text=True
    )
    db.session.expire_all()
    assert db.session.get(HouseholdFile, file.id).missing_count == 7


def test_s3_list_masks_phones_and_id_numbers(app, hh, client):
    file = hh.files[0]
    files.set_id_number(vault_from(app.config, app.instance_path), file, "110105199001011234", hh.user(Role.SUPERVISOR))
    db.session.commit()
    client.login("reception")
    body = client.get("/console/households/").get_data(as_text=True)
    assert "138****5678" in body and "13812345678" not in body
    assert "110105********1234" in body and "110105199001011234" not in body
    assert "赵六" not in body  # the other site's household


def test_s3_id_number_is_stored_sealed(app, hh):
    file = hh.files[0]
    files.set_id_number(vault_from(app.config, app.instance_path), file, "110105199001011234", hh.user(Role.SUPERVISOR))
    db.session.commit()
    assert "1990" not in file.id_number_sealed
    assert files.full_id_number(vault_from(app.config, app.instance_path), file) == "110105199001011234"


def test_list_pages_by_keyset(app, hh, client):
    client.login("supervisor")
    first = files.listing(hh.site.id, files.ListQuery(), cursor=None, size=2)
    assert len(first.items) == 2 and first.next_cursor
    second = files.listing(hh.site.id, files.ListQuery(), cursor=first.next_cursor, size=2)
    assert {f.id for f in first.items}.isdisjoint({f.id for f in second.items})
    assert len(second.items) == 2 and second.next_cursor is None
    assert client.get(f"/console/households/?cursor={first.next_cursor}").status_code == 200
    assert client.get("/console/households/?cursor=garbage").status_code == 400


def test_file_of_another_site_is_not_found(app, hh, client):
    import sqlalchemy as sa

    from kiosk.models import Household

    other = db.session.scalar(sa.select(Household).where(Household.site_id == hh.other_site.id))
    other_file = files.open_file(other, None)
    db.session.commit()
    client.login("manager")
    assert client.get(f"/console/households/{other_file.id}").status_code == 404


def test_supervisor_opens_files_for_households_without_one(app, hh, client):
    from kiosk.models import Household

    db.session.add(Household(site=hh.site, room=hh.rooms[1], name="新户", phone="13000000000"))
    db.session.commit()
    client.login("supervisor")
    assert client.post_form("/console/households/open-missing").status_code == 303
    assert db.session.query(HouseholdFile).filter_by(site_id=hh.site.id).count() == 5


def test_s3_id_number_entered_on_the_file_is_checked_and_listed_masked(app, hh, client):
    file = hh.files[0]
    client.login("reception")
    page = f"/console/households/{file.id}"
    bad = client.post_form(f"{page}/id-number", {"id_number": "110105199001011235"}, page=page)
    assert bad.status_code == 422 and "110105199001011235" in bad.get_data(as_text=True)  # input kept
    good = client.post_form(f"{page}/id-number", {"id_number": "11010519491231002x"}, page=page)
    assert good.status_code == 303
    db.session.expire_all()
    assert db.session.get(HouseholdFile, file.id).id_number_masked == "110105********002X"
    listing = client.get("/console/households/").get_data(as_text=True)
    assert "110105********002X" in listing and "11010519491231002X" not in listing
