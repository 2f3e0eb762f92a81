"""The demo site shows what household files are for (A1, A2, K6)."""

import sqlalchemy as sa

from kiosk import demo
from kiosk.extensions import db
from kiosk.models import Household
from kiosk.models.households import FileAttachment, FileLook, HouseholdFile, MoveIn


def test_demo_seeds_files_looks_and_move_ins(app, client):
    demo.seed("pw")
    households = db.session.scalar(sa.select(sa.func.count(Household.id)))
    assert db.session.scalar(sa.select(sa.func.count(HouseholdFile.id))) == households
    assert db.session.scalar(sa.select(sa.func.count(FileAttachment.id))) == 6
    assert db.session.scalar(sa.select(sa.func.count(FileLook.id))) > 50
    assert {m.status for m in db.session.scalars(sa.select(MoveIn))} == {"completed", "paused"}
    from kiosk.households import loans
    from kiosk.models import Site

    site = db.session.scalar(sa.select(Site).where(Site.code == "demo"))
    assert loans.count_overdue(site.id) == 1
    client.login("supervisor", "pw")
    assert client.get("/console/households/loans").status_code == 200
    assert client.get("/console/households/inventory").status_code == 200
    assert client.get("/console/households/").status_code == 200
    assert client.get("/console/households/access-log").status_code == 200
    assert "夜间报警" in client.get("/console/households/access-requests").get_data(as_text=True)
    attachment = db.session.scalar(sa.select(FileAttachment).order_by(FileAttachment.id))
    served = client.get(f"/console/households/{attachment.file_id}/attachments/{attachment.id}")
    assert served.status_code == 200 and served.data[:3] == b"\xff\xd8\xff"
