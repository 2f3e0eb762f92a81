"""The monthly inventory (A1), lending and copying (A2), destruction (A4)."""

import io
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import sqlalchemy as sa
import time_machine
from openpyxl import load_workbook

from kiosk.extensions import db
from kiosk.households import destruction, files, inventory, loans
from kiosk.households.storage import vault_from
from kiosk.models import Role
from kiosk.models.households import DestructionStatus, FileAttachment, LoanStatus
from kiosk.timeutil import utcnow
from tests.households.conftest import png_bytes


def _tick(hh, file, *items):
    for item in items:
        files.set_present(file, item, True, hh.user(Role.RECEPTIONIST))


# --- inventory (A1) -------------------------------------------------------------


def test_a1_monthly_inventory_against_hand_computed_data(app, hh):
    owner1, owner2, owner3, tenant = hh.files
    _tick(hh, owner1, *files.checklist.OWNER_ITEMS)  # complete
    _tick(hh, owner2, "move_in_notice", "id_copy")  # 6 missing
    _tick(hh, tenant, "lease")  # tenant_id missing
    owner3.household.active = False  # moved out: not in the inventory
    db.session.commit()
    report = inventory.build(hh.site, date(2026, 3, 1))
    assert report.files == 3
    assert [(r.room, r.missing) for r in report.rows] == [
        ("1-1-0101", ["tenant_id"]),
        (
            "1-1-0201",
            [
                "purchase_contract",
                "registration_form",
                "management_covenant",
                "decoration_agreement",
                "fire_safety_pledge",
                "handover_inspection",
            ],
        ),
    ]
    assert report.missing == 7 and report.by_item["tenant_id"] == 1 and report.by_item["purchase_contract"] == 1
    assert report.due == date(2026, 3, 5)


def test_a1_inventory_xlsx_is_formula_safe_and_holds_no_names(app, hh, client):
    hh.households[0].room.building.name = "=1+1"  # a label that would start a formula
    db.session.commit()
    client.login("supervisor")
    response = client.get("/console/households/inventory.xlsx")
    assert response.status_code == 200
    assert response.headers["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(response.data)).active
    values = [cell.value for row in sheet.iter_rows() for cell in row if cell.value is not None]
    assert not any(isinstance(v, str) and v.startswith("=") for v in values)
    assert "'=1+1-1-0101" in values
    assert "张三" not in values and "13812345678" not in values
    client.login("reception")
    assert client.get("/console/households/inventory.xlsx").status_code == 403


def test_a1_inventory_due_by_the_fifth_then_overdue(app, hh):
    """Frozen clock in the site's zone (Asia/Shanghai): due from the 1st to the 5th, overdue after."""
    local = utcnow().astimezone(ZoneInfo("Asia/Shanghai"))
    first = datetime(local.year, local.month, 1, 9, 0, tzinfo=ZoneInfo("Asia/Shanghai"))
    next_month = (first + timedelta(days=40)).replace(day=1)
    for day, due, late in ((1, 1, 0), (5, 1, 0), (6, 0, 1)):
        with time_machine.travel(next_month.replace(day=day), tick=False):
            assert (inventory.count_due(hh.site.id), inventory.count_late(hh.site.id)) == (due, late)
    with time_machine.travel(next_month.replace(day=6), tick=False):
        inventory.confirm(hh.site, inventory.month_of(hh.site), hh.user(Role.SUPERVISOR))
        db.session.commit()
        assert (inventory.count_due(hh.site.id), inventory.count_late(hh.site.id)) == (0, 0)


def test_a1_inventory_confirmed_once_a_month(app, hh, client):
    now = utcnow()
    assert inventory.count_due(hh.site.id) + inventory.count_late(hh.site.id) == 1
    client.login("supervisor")
    assert client.get("/console/households/inventory").status_code == 200
    assert (
        client.post_form("/console/households/inventory/confirm", page="/console/households/inventory").status_code
        == 303
    )
    assert inventory.count_due(hh.site.id) + inventory.count_late(hh.site.id) == 0
    check = inventory.confirmation(hh.site, inventory.month_of(hh.site))
    assert check.files == 4 and check.missing == 8 * 3 + 2
    with time_machine.travel(now + timedelta(days=40), tick=False):
        assert inventory.count_due(hh.site.id) + inventory.count_late(hh.site.id) == 1  # a new month needs its own


# --- lending and copying (A2) ------------------------------------------------------


def test_a2_lending_needs_supervisor_then_manager_and_never_the_requester(app, hh):
    file = hh.files[0]
    _tick(hh, file, "purchase_contract")
    desk, supervisor, manager = hh.user(Role.RECEPTIONIST), hh.user(Role.SUPERVISOR), hh.user(Role.MANAGER)
    loan = loans.request(file, supervisor, "lend", ["purchase_contract"], "工程部 孙涛", "核对房屋面积")
    with pytest.raises(loans.Refused, match="own"):
        loans.review(loan, supervisor, True)
    with pytest.raises(loans.Refused, match="state"):
        loans.approve(loan, manager, True)  # the manager only after the supervisor
    with pytest.raises(loans.Refused, match="role"):
        loans.review(loan, desk, True)
    other = loans.request(file, desk, "copy", ["purchase_contract"], "业主本人", "办理贷款")
    loans.review(other, supervisor, True)
    with pytest.raises(loans.Refused, match="state"):
        loans.hand_out(other, desk)
    loans.approve(other, manager, True)
    loans.hand_out(other, desk)
    assert other.status == LoanStatus.OUT


def test_a2_personal_documents_are_never_lent_or_copied(app, hh):
    file = hh.files[0]
    _tick(hh, file, "id_copy", "purchase_contract")
    for kind in ("lend", "copy"):
        with pytest.raises(loans.Refused, match="personal"):
            loans.request(file, hh.user(Role.RECEPTIONIST), kind, ["purchase_contract", "id_copy"], "x", "y")
    with pytest.raises(loans.Refused, match="not_present"):
        loans.request(file, hh.user(Role.RECEPTIONIST), "lend", ["decoration_agreement"], "x", "y")


def test_a2_a_loan_not_back_the_same_day_is_overdue(app, hh):
    file = hh.files[0]
    _tick(hh, file, "purchase_contract")
    desk = hh.user(Role.RECEPTIONIST)
    # 10:00 Shanghai time on some day from now: due at the next local midnight
    start = (utcnow() + timedelta(days=1)).replace(hour=2, minute=0, second=0, microsecond=0)
    with time_machine.travel(start, tick=False):
        loan = loans.request(file, desk, "lend", ["purchase_contract"], "工程部", "核对")
        loans.review(loan, hh.user(Role.SUPERVISOR), True)
        loans.approve(loan, hh.user(Role.MANAGER), True)
        loans.hand_out(loan, desk)
        db.session.commit()
        assert loan.due_at == start + timedelta(hours=14)
        assert loans.count_overdue(hh.site.id) == 0
    with time_machine.travel(start + timedelta(hours=13, minutes=59), tick=False):
        assert loans.count_overdue(hh.site.id) == 0
    with time_machine.travel(start + timedelta(hours=14, minutes=1), tick=False):
        assert loans.count_overdue(hh.site.id) == 1 and loans.is_overdue(loan)
        loans.give_back(loan, desk)
        db.session.commit()
        assert loans.count_overdue(hh.site.id) == 0


# --- destruction (A4) ---------------------------------------------------------------


def _old_file(app, hh):
    file = hh.files[0]
    vault = vault_from(app.config, app.instance_path)
    attachment = files.attach(vault, file, "id_copy", "id.png", png_bytes(), hh.user(Role.RECEPTIONIST))
    file.household.active = False
    file.inventory_at = utcnow() - timedelta(days=destruction.RETENTION_DAYS + 1)
    db.session.commit()
    return file, attachment, vault


def test_a4_destruction_needs_review_approval_and_two_different_people(app, hh):
    file, attachment, vault = _old_file(app, hh)
    blob = vault.path_of(attachment.stored_name)
    desk, officer = hh.user(Role.RECEPTIONIST), hh.user(Role.OFFICER)
    supervisor, manager = hh.user(Role.SUPERVISOR), hh.user(Role.MANAGER)
    record = destruction.request(file, desk, "业主迁出满三年", destruction.RETENTION_DAYS)
    with pytest.raises(destruction.Refused, match="own"):
        destruction.review(record, desk, True)
    with pytest.raises(destruction.Refused, match="state"):
        destruction.witness(record, officer)
    destruction.review(record, supervisor, True)
    destruction.approve(record, manager, True)
    with pytest.raises(destruction.Refused, match="own"):
        destruction.witness(record, desk)  # nobody confirms their own request
    assert destruction.witness(record, officer) is None
    with pytest.raises(destruction.Refused, match="same_witness"):
        destruction.witness(record, officer)
    assert blob.exists()
    names = destruction.witness(record, supervisor)
    db.session.commit()
    destruction.remove_blobs(vault, names)
    assert not blob.exists()
    assert db.session.get(FileAttachment, attachment.id).deleted_at is not None
    assert record.status == DestructionStatus.DESTROYED and record.attachments_removed == 1
    assert record.first_witness_id != record.second_witness_id


def test_a4_no_destruction_before_the_retention_period(app, hh):
    file = hh.files[1]
    file.household.active = False
    db.session.commit()
    with pytest.raises(destruction.Refused, match="retention"):
        destruction.request(file, hh.user(Role.RECEPTIONIST), "迁出", destruction.RETENTION_DAYS)
    with pytest.raises(destruction.Refused, match="retention"):  # still living there
        destruction.request(hh.files[2], hh.user(Role.RECEPTIONIST), "x", 0)


def test_a2_overdue_loan_shows_on_the_home_board_and_loan_list(app, hh, client):
    file = hh.files[0]
    _tick(hh, file, "purchase_contract")
    desk = hh.user(Role.RECEPTIONIST)
    past = utcnow() - timedelta(days=1)
    loan = loans.request(file, desk, "lend", ["purchase_contract"], "工程部 孙涛", "核对面积", now=past)
    loans.review(loan, hh.user(Role.SUPERVISOR), True, now=past)
    loans.approve(loan, hh.user(Role.MANAGER), True, now=past)
    loans.hand_out(loan, desk, now=past)
    db.session.commit()
    client.login("supervisor")
    home = client.get("/console/").get_data(as_text=True)
    assert "/console/households/loans" in home and "counter-urgent" in home
    listing = client.get("/console/households/loans").get_data(as_text=True)
    assert 'class="overdue"' in listing
    assert (
        client.post_form(f"/console/households/loans/{loan.id}/back", page="/console/households/loans").status_code
        == 303
    )
    db.session.expire_all()
    assert loans.count_overdue(hh.site.id) == 0


def test_a2_loan_requested_through_the_file_page_refuses_personal_documents(app, hh, client):
    file = hh.files[0]
    _tick(hh, file, "id_copy", "purchase_contract")
    db.session.commit()
    client.login("reception")
    page = f"/console/households/{file.id}"
    response = client.post_form(
        f"{page}/loans",
        {"kind": "copy", "items": ["id_copy"], "borrower": "业主", "purpose": "贷款"},
        page=page,
        follow_redirects=True,
    )
    assert "不得外借或复印" in response.get_data(as_text=True) or "never lent" in response.get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count(loans.FileLoan.id))) == 0
    response = client.post_form(
        f"{page}/loans",
        {"kind": "copy", "items": ["purchase_contract"], "borrower": "业主", "purpose": "贷款"},
        page=page,
    )
    assert response.status_code == 303
    assert db.session.scalar(sa.select(sa.func.count(loans.FileLoan.id))) == 1


def test_a4_destruction_through_the_console_with_two_people(app, hh, client):
    file, attachment, vault = _old_file(app, hh)
    blob = vault.path_of(attachment.stored_name)
    client.login("reception")
    page = f"/console/households/{file.id}"
    assert client.post_form(f"{page}/destruction", {"reason": "迁出满三年"}, page=page).status_code == 303
    record = db.session.scalar(sa.select(destruction.FileDestruction))
    for username, step in (
        ("supervisor", "review"),
        ("manager", "approve"),
        ("officer", "witness"),
        ("officer", "witness"),
        ("reception", "witness"),
    ):
        client.login(username)
        client.post_form(f"/console/households/destructions/{record.id}/{step}", page="/console/households/loans")
    db.session.expire_all()
    record = db.session.get(destruction.FileDestruction, record.id)
    assert record.status == DestructionStatus.APPROVED and blob.exists()  # same person twice, requester: refused
    client.login("manager")
    client.post_form(f"/console/households/destructions/{record.id}/witness", page="/console/households/loans")
    db.session.expire_all()
    assert db.session.get(destruction.FileDestruction, record.id).status == DestructionStatus.DESTROYED
    assert not blob.exists()
