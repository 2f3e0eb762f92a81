"""Caller identity (A5) and the move-in checklist (K6, A1): paused and resumed, completed
with documents missing (they stay on the file's checklist)."""

from datetime import timedelta

import pytest
import sqlalchemy as sa
import time_machine

from kiosk.extensions import db
from kiosk.households import identity
from kiosk.households import move_in as flow
from kiosk.models import Role
from kiosk.models.households import HouseholdFile, IdentityCheck, IdentityMethod, MoveIn, MoveInStatus
from kiosk.signatures import StoredSignature
from kiosk.timeutil import utcnow
from tests.households.conftest import pdf_bytes, upload

SIGNED = StoredSignature(path="t/sig.png", sha256="0" * 64, width=300, height=120)


def _signature() -> str:
    import base64
    import io

    from PIL import Image, ImageDraw

    image = Image.new("RGBA", (300, 120), (0, 0, 0, 0))
    ImageDraw.Draw(image).line([(10, 60), (90, 20), (160, 100), (290, 30)], fill=(0, 0, 0, 255), width=6)
    out = io.BytesIO()
    image.save(out, "PNG")
    return "data:image/png;base64," + base64.b64encode(out.getvalue()).decode()


def test_a5_identity_check_records_the_method(app, hh, client):
    file = hh.files[0]
    client.login("reception")
    page = f"/console/households/{file.id}"
    response = client.post_form(
        f"{page}/identity", {"method": "callback", "note": "回拨档案号码", "next": page}, page=page
    )
    assert response.status_code == 303 and response.headers["Location"].endswith(page)
    check = db.session.scalar(sa.select(IdentityCheck))
    assert (check.method, check.checked_by_id, check.household_id) == (
        IdentityMethod.CALLBACK,
        hh.user(Role.RECEPTIONIST).id,
        file.household_id,
    )
    assert identity.recent(file.household, hh.user(Role.RECEPTIONIST)) == check
    assert identity.recent(file.household, hh.user(Role.OFFICER)) is None  # one person's check


def test_a5_identity_check_needs_a_method_and_expires(app, hh, client):
    file = hh.files[0]
    client.login("reception")
    page = f"/console/households/{file.id}"
    client.post_form(f"{page}/identity", {"method": "", "next": "//evil.example/"}, page=page)
    assert db.session.scalar(sa.select(sa.func.count(IdentityCheck.id))) == 0
    now = utcnow()
    check = identity.verify(file.household, hh.user(Role.RECEPTIONIST), "id_card", now=now)
    db.session.commit()
    with time_machine.travel(now + timedelta(minutes=identity.VALID_MINUTES - 1), tick=False):
        assert identity.recent(file.household, hh.user(Role.RECEPTIONIST)) == check
    with time_machine.travel(now + timedelta(minutes=identity.VALID_MINUTES + 1), tick=False):
        assert identity.recent(file.household, hh.user(Role.RECEPTIONIST)) is None


def test_k6_keys_only_after_the_identity_check(app, hh):
    user = hh.user(Role.RECEPTIONIST)
    move_in = flow.start(hh.files[0], user)
    with pytest.raises(flow.Incomplete) as incomplete:
        flow.sign_keys(move_in, hh.files[0], SIGNED, user)
    assert incomplete.value.steps == ["identity"]


def _walk(client, file, *, pause_after_identity=False):
    page = f"/console/households/{file.id}/move-in"
    assert client.post_form(page, page=page).status_code == 303
    move_in = db.session.scalar(sa.select(MoveIn).where(MoveIn.file_id == file.id))

    def step(name, **data):
        db.session.expire_all()
        row = db.session.get(MoveIn, move_in.id)
        return client.post_form(
            f"/console/households/move-ins/{move_in.id}/{name}", {"version": row.version, **data}, page=page
        )

    assert (
        client.post_form(
            f"/console/households/{file.id}/identity", {"method": "id_card", "next": page}, page=page
        ).status_code
        == 303
    )
    if pause_after_identity:
        assert step("pause").status_code == 303
        db.session.expire_all()
        assert db.session.get(MoveIn, move_in.id).status == MoveInStatus.PAUSED
        assert "继续办理入住" in client.get(page).get_data(as_text=True)
        assert step("resume").status_code == 303
    assert upload(client, file.id, "move_in_notice", pdf_bytes(), "notice.pdf", back="move_in").status_code == 303
    assert step("keys", signature=_signature()).status_code == 303
    assert step("fees", fees="owed", note="物业费未交").status_code == 303
    assert step("decoration").status_code == 303
    return move_in, step


def test_k6_a1_move_in_completed_with_missing_documents_on_the_checklist(app, hh, client):
    file = hh.files[0]
    client.login("reception")
    move_in, step = _walk(client, file)
    assert step("complete").status_code == 303
    db.session.expire_all()
    done = db.session.get(MoveIn, move_in.id)
    assert done.status == MoveInStatus.COMPLETED and done.keys_signature_sha256 and done.identity_check_id
    assert done.fees == "owed"
    file = db.session.get(HouseholdFile, file.id)
    missing = [d.item for d in file.documents if not d.present]
    assert "move_in_notice" not in missing and len(missing) == 7 and file.missing_count == 7
    assert step("pause").status_code == 303  # completed: nothing changes it
    db.session.expire_all()
    assert db.session.get(MoveIn, move_in.id).status == MoveInStatus.COMPLETED


def test_k6_move_in_paused_and_resumed_keeps_what_was_done(app, hh, client):
    file = hh.files[1]
    client.login("reception")
    move_in, step = _walk(client, file, pause_after_identity=True)
    db.session.expire_all()
    row = db.session.get(MoveIn, move_in.id)
    assert row.identity_check_id and row.keys_signed_at and row.status == MoveInStatus.OPEN


def test_k6_move_in_cannot_complete_without_keys_fees_and_rules(app, hh, client):
    file = hh.files[2]
    client.login("reception")
    page = f"/console/households/{file.id}/move-in"
    client.post_form(page, page=page)
    move_in = db.session.scalar(sa.select(MoveIn))
    response = client.post_form(
        f"/console/households/move-ins/{move_in.id}/complete", {"version": move_in.version}, page=page
    )
    assert response.status_code == 422
    db.session.expire_all()
    assert db.session.get(MoveIn, move_in.id).status == MoveInStatus.OPEN


def test_move_in_signature_refused_with_a_message(app, hh, client):
    file = hh.files[0]
    user = hh.user(Role.RECEPTIONIST)
    move_in = flow.start(file, user)
    flow.record_identity(move_in, identity.verify(file.household, user, "id_card"))
    db.session.commit()
    client.login("reception")
    page = f"/console/households/{file.id}/move-in"
    response = client.post_form(
        f"/console/households/move-ins/{move_in.id}/keys", {"version": move_in.version, "signature": ""}, page=page
    )
    assert response.status_code == 422
    db.session.expire_all()
    assert db.session.get(MoveIn, move_in.id).keys_signed_at is None


def test_k6_key_register_hook_links_a_handover(app, hh):
    user = hh.user(Role.RECEPTIONIST)
    move_in = flow.start(hh.files[0], user)
    flow.link_key_handover(move_in, "KH-0042", user)
    db.session.commit()
    assert db.session.get(MoveIn, move_in.id).key_handover_ref == "KH-0042"
