"""Patrol defects found by the probe of the served app (issue 11): other departments'
photos, refused uploads that left files on disk, formula injection in the month export."""

import io
import uuid
from pathlib import Path

import sqlalchemy as sa
from openpyxl import load_workbook

from kiosk import spreadsheets
from kiosk.extensions import db
from kiosk.models import Role
from kiosk.models.patrols import Answer, Photo, Task, TaskStatus, TemplateVersion
from kiosk.timeutil import utcnow
from tests import patrolkit
from tests.patrols.test_console import TZ, _patrol

HEADERS = {"X-Device-Request": "1", "HX-Request": "true"}


def _files(app) -> list[Path]:
    root = Path(app.config["PHOTO_ROOT"])
    return sorted(p for p in root.rglob("*") if p.is_file()) if root.exists() else []


def test_p7_department_staff_see_only_their_departments_photos(client, pw, app):
    """/console/patrols/photos/<id> follows the task pages' rule: a department sees the
    photos of its own tasks (the failed answer's and the after photos), not another's."""
    _patrol(pw, app, item_index=0)  # A clean -> the cleaning department's task, with a photo
    photo_id = db.session.scalar(sa.select(Photo.id))
    client.login("engineer")  # engineering
    assert client.get(f"/console/patrols/photos/{photo_id}").status_code == 404
    client.post("/auth/logout", data={"csrf_token": client.csrf("/console/")})
    client.login("supervisor")
    image = client.get(f"/console/patrols/photos/{photo_id}")
    assert image.status_code == 200
    image.close()
    task = db.session.scalar(sa.select(Task))
    task.department_id = pw.world.user(Role.DEPARTMENT).department_id  # moved to engineering
    db.session.commit()
    client.post("/auth/logout", data={"csrf_token": client.csrf("/console/")})
    client.login("engineer")
    image = client.get(f"/console/patrols/photos/{photo_id}")
    assert image.status_code == 200
    image.close()


def test_p7_uploads_to_a_finished_patrol_leave_no_files(tablet, pw, app):
    patrol = _patrol(pw, app)  # finished, one failed item with its photo
    answer = db.session.scalar(sa.select(Answer).where(Answer.result == "fail"))
    before = _files(app)
    for _ in range(5):
        response = tablet.post(
            "/patrol/photo",
            data={
                "patrol": patrol.uuid,
                "idempotency_key": str(uuid.uuid4()),
                "checkpoint": answer.checkpoint_id,
                "item": answer.item_id,
                "photo": (io.BytesIO(patrolkit.jpeg_bytes()), "p.jpg"),
            },
            headers=HEADERS,
            content_type="multipart/form-data",
        )
        assert response.status_code in (409, 422), response.status_code
    assert _files(app) == before and db.session.scalar(sa.select(sa.func.count(Photo.id))) == 1


def test_p7_an_after_photo_refused_for_a_closed_task_leaves_no_file(client, pw, app):
    _patrol(pw, app)  # B lighting -> engineering
    task = db.session.scalar(sa.select(Task))
    task.status = TaskStatus.CLOSED
    db.session.commit()
    before = _files(app)
    client.login("engineer")
    response = client.post_form(
        f"/console/patrols/tasks/{task.id}/photo",
        {"photo": (io.BytesIO(patrolkit.jpeg_bytes()), "after.jpg")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 422
    assert _files(app) == before


def test_an_accepted_upload_keeps_its_file(client, pw, app):
    _patrol(pw, app)
    task = db.session.scalar(sa.select(Task))
    before = _files(app)
    client.login("engineer")
    response = client.post_form(
        f"/console/patrols/tasks/{task.id}/photo",
        {"photo": (io.BytesIO(patrolkit.jpeg_bytes()), "after.jpg")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 303
    after = _files(app)
    assert len(after) == len(before) + 1
    stored = db.session.scalars(sa.select(Photo).where(Photo.task_id == task.id)).one()
    assert Path(app.config["PHOTO_ROOT"]) / stored.path in after


def test_the_month_export_writes_typed_names_as_text_never_formulas(client, pw, app):
    """Checklist names and staff names are typed by people: each cell goes through
    kiosk.spreadsheets, as in the visitor export."""
    patrol = _patrol(pw, app)
    version = db.session.get(TemplateVersion, patrol.version_id)
    version.name_zh = version.name_en = '=HYPERLINK("http://x","y")'
    pw.officer.display_name = "+cmd|' /C calc'!A0"
    db.session.commit()
    client.login("supervisor")
    month = utcnow().astimezone(__import__("zoneinfo").ZoneInfo(TZ)).strftime("%Y-%m")
    export = client.get(f"/console/patrols/records/export.xlsx?month={month}&lang=en")
    assert export.status_code == 200
    sheet = load_workbook(io.BytesIO(export.data)).active
    rows = list(sheet.iter_rows())
    assert len(rows) == 2
    cells = {cell.value: cell for cell in rows[1]}
    assert '\'=HYPERLINK("http://x","y")' in cells and "'+cmd|' /C calc'!A0" in cells
    assert all(cell.data_type != "f" for row in rows for cell in row)
    assert all(spreadsheets.is_safe(cell.value) for row in rows for cell in row)


def test_a_month_outside_the_calendar_is_refused_not_an_error(client, pw):
    client.login("supervisor")
    for month in ("0001-01", "9999-12", "²⁰²⁶-11", "١٩٩٩-01", "2026-13", "2026"):
        assert client.get(f"/console/patrols/records/export.xlsx?month={month}").status_code == 400, month
