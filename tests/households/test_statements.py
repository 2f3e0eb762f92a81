"""No N+1 on the household-file pages (S3 lists are bounded): the list, a file, the access
log, the inventory and the loans send as many SQL statements for many rows as for few."""

import itertools

from kiosk.extensions import db
from kiosk.households import files, loans, looks
from kiosk.households.storage import vault_from
from kiosk.models import Household, Role, Room
from tests.households.conftest import png_bytes
from tests.statements import recorded_statements

_numbers = itertools.count(100)


def _add_households(hh, n):
    for _ in range(n):
        k = next(_numbers)
        room = Room(
            site=hh.site, building=hh.rooms[0].building, unit=hh.rooms[0].unit, floor=k % 30, number=f"9{k:04d}"
        )
        household = Household(site=hh.site, room=room, name=f"住户{k}", phone=f"139{k:08d}")
        db.session.add_all([room, household])
        db.session.flush()
        file = files.open_file(household, None)
        looks.look(hh.user(Role.RECEPTIONIST), file)
        looks.look(hh.user(Role.DEPARTMENT), file)
        files.set_present(file, "purchase_contract", True, hh.user(Role.RECEPTIONIST))
        loans.request(file, hh.user(Role.RECEPTIONIST), "lend", ["purchase_contract"], "工程部", "核对")
    db.session.commit()


def _count(client, url):
    with recorded_statements() as statements:
        assert client.get(url).status_code == 200
    return len(statements)


def test_list_log_and_inventory_pages_send_a_constant_number_of_statements(app, hh, client):
    client.login("supervisor")
    urls = [
        "/console/households/",
        "/console/households/access-log",
        "/console/households/inventory",
        "/console/households/loans",
    ]
    _add_households(hh, 2)
    few = [_count(client, url) for url in urls]
    _add_households(hh, 25)
    many = [_count(client, url) for url in urls]
    assert few == many


def test_a_file_page_sends_a_constant_number_of_statements(app, hh, client):
    file = hh.files[0]
    vault = vault_from(app.config, app.instance_path)
    client.login("reception")
    files.attach(vault, file, "id_copy", "a.png", png_bytes(), hh.user(Role.RECEPTIONIST))
    db.session.commit()
    few = _count(client, f"/console/households/{file.id}")
    for item in ("purchase_contract", "registration_form", "management_covenant", "lease_x"):
        if item in {d.item for d in file.documents}:
            for _ in range(3):
                files.attach(vault, file, item, "b.png", png_bytes(), hh.user(Role.RECEPTIONIST))
    db.session.commit()
    assert _count(client, f"/console/households/{file.id}") == few


def test_list_fragment_for_htmx_varies_on_the_headers(app, hh, client):
    client.login("reception")
    response = client.htmx("get", "/console/households/?room=0101")
    body = response.get_data(as_text=True)
    assert response.status_code == 200 and "<html" not in body and 'id="file-results"' in body
    assert "HX-Request" in response.headers["Vary"]
