"""The patrols console: dashboard, review and signature (S2), tasks to closure (P7),
checklist editor (versions), checkpoints and QR codes, vacant-unit history (P3), XLSX."""

import io
import re
from datetime import UTC, datetime, timedelta

import sqlalchemy as sa
import time_machine
from openpyxl import load_workbook

from kiosk.extensions import db
from kiosk.models import Role
from kiosk.models.patrols import Patrol, Photo, Task, TaskStatus, TemplateVersion
from kiosk.patrols import answers, templates, walk
from kiosk.photos import store
from kiosk.timeutil import utcnow
from tests import patrolkit

TZ = "Asia/Shanghai"
# A Wednesday afternoon in the test world's patrol schedules (from 2026-11-01): missed rounds exist.
WEDNESDAY_AFTERNOON = datetime(2026, 11, 25, 7, 0, tzinfo=UTC)  # 15:00 in Shanghai


def _patrol(pw, app, item_index=2, finish=True, template="public_area", at=None):
    """A patrol with one failed item (default B lighting -> engineering) with note and photo."""
    at = at or utcnow() - timedelta(hours=1)
    patrol = walk.start(patrolkit.new_uuid(), pw.tablet, pw.officer, at=at, received=at, template=pw.template(template))
    cp = patrol.stops[0].checkpoint
    version = templates.load_version(patrol.version_id)
    items = [i for s in templates.sections_at(version, cp.kind) for i in s.items]
    walk.scan(patrol, cp.code, typed=False, at=at, received=at)
    for n, item in enumerate(items):
        if item.kind != "check":
            continue
        row = answers.answer(
            patrol,
            cp.id,
            item.id,
            result="fail" if n == item_index else "pass",
            note="灯不亮" if n == item_index else None,
            at=at,
            received=at,
            tz_name=TZ,
        )
        if n == item_index:
            stored = store(__import__("pathlib").Path(app.config["PHOTO_ROOT"]), pw.site.id, patrolkit.jpeg_bytes())
            answers.add_photo(patrol, row, stored, device=pw.tablet, at=at, received=at)
    if finish:
        assert walk.finish(patrol, at=at, received=at, reason="测试：只查了部分") == []
    db.session.commit()
    return patrol


def test_dashboard_shows_missed_patrols_pass_rates_and_open_tasks(client, pw, app):
    _patrol(pw, app)
    client.login("supervisor")
    page = client.get("/console/patrols/?lang=en")
    assert page.status_code == 200
    assert "Pass rate by area" in page.text and "Lobby" in page.text and "Engineering" in page.text
    fragment = client.htmx("get", "/console/patrols/")
    assert "HX-Request" in fragment.headers["Vary"] and "<html" not in fragment.text


@time_machine.travel(WEDNESDAY_AFTERNOON, tick=True)
def test_acknowledging_a_missed_occurrence(client, pw, app):
    from kiosk.models.patrols import Occurrence
    from kiosk.patrols import schedule as patrol_schedule

    patrol_schedule.ensure_occurrences(pw.site, utcnow(), lookback_days=2)
    missed = next(
        o for o in db.session.scalars(sa.select(Occurrence)) if patrol_schedule.state(o, utcnow()) == "missed"
    )
    client.login("supervisor")
    response = client.post_form(f"/console/patrols/occurrences/{missed.id}/acknowledge", {"note": "停电"})
    assert response.status_code == 303
    db.session.expire_all()
    assert db.session.get(Occurrence, missed.id).acknowledged_by_id == pw.world.users[Role.SUPERVISOR].id


@time_machine.travel(WEDNESDAY_AFTERNOON, tick=True)
def test_acknowledging_all_missed_occurrences_at_once(client, pw, app):
    from kiosk.models import AuditEvent
    from kiosk.models.patrols import Occurrence
    from kiosk.patrols import schedule as patrol_schedule

    client.login("supervisor")
    page = client.get("/console/patrols/?lang=en")  # makes the week's occurrences
    missed = [o.id for o in db.session.scalars(sa.select(Occurrence)) if patrol_schedule.state(o, utcnow()) == "missed"]
    assert len(missed) > 1
    assert f"Acknowledge all {len(missed)} missed" in page.text
    assert set(map(int, re.findall(r'name="occurrence" value="(\d+)"', page.text))) == set(missed)
    refused = client.post("/console/patrols/occurrences/acknowledge-missed", data={"occurrence": missed})
    assert refused.status_code == 400  # no CSRF token
    response = client.post_form(
        "/console/patrols/occurrences/acknowledge-missed", {"occurrence": missed, "note": "系统上线前"}
    )
    assert response.status_code == 303
    assert "Acknowledge all" not in client.get("/console/patrols/?lang=en").text
    db.session.expire_all()
    rows = db.session.scalars(sa.select(Occurrence).where(Occurrence.id.in_(missed))).all()
    assert {(o.acknowledged_by_id, o.acknowledge_note) for o in rows} == {
        (pw.world.users[Role.SUPERVISOR].id, "系统上线前")
    }
    assert db.session.scalar(
        sa.select(sa.func.count(AuditEvent.id)).where(AuditEvent.action == "occurrence.acknowledged")
    ) == len(missed)


def test_review_sign_print_and_export(client, pw, app):
    patrol = _patrol(pw, app)
    client.login("supervisor")
    sheet = client.get(f"/console/patrols/records/{patrol.id}?lang=en")
    assert sheet.status_code == 200 and "灯不亮" in sheet.text and "Task #" in sheet.text
    photo_id = db.session.scalar(sa.select(Photo.id))
    image = client.get(f"/console/patrols/photos/{photo_id}")
    assert image.status_code == 200 and image.mimetype == "image/jpeg" and "no-store" in image.headers["Cache-Control"]
    image.close()
    assert client.post_form(f"/console/patrols/records/{patrol.id}/sign", {"note": "已阅"}).status_code == 303
    db.session.expire_all()
    assert db.session.get(Patrol, patrol.id).signed_at is not None
    client.post_form(f"/console/patrols/records/{patrol.id}/sign", {"note": "again"})
    assert db.session.get(Patrol, patrol.id).review_note == "已阅"  # S2: signed once
    printable = client.get(f"/console/patrols/records/{patrol.id}/print")
    assert printable.status_code == 200 and "mainnav" not in printable.text
    month = patrol.started_at.astimezone(__import__("zoneinfo").ZoneInfo(TZ)).strftime("%Y-%m")  # its month, not now's
    export = client.get(f"/console/patrols/records/export.xlsx?month={month}&lang=en")
    assert export.status_code == 200
    sheet = load_workbook(io.BytesIO(export.data)).active
    rows = list(sheet.values)
    assert rows[0][0] == "Started" and len(rows) == 2 and rows[1][rows[0].index("Fail")] == 1  # one fail
    assert client.get("/console/patrols/records/export.xlsx?month=bad").status_code == 400


def test_p7_department_fixes_with_an_after_photo_and_the_officer_closes(client, pw, app):
    _patrol(pw, app)
    task = db.session.scalar(sa.select(Task))
    client.login("engineer")
    listing = client.get("/console/patrols/tasks")
    assert listing.status_code == 200 and f"/tasks/{task.id}" in listing.text
    refused = client.post_form(f"/console/patrols/tasks/{task.id}/fix", {"note": "已修"})
    assert refused.status_code == 422
    upload = client.post_form(
        f"/console/patrols/tasks/{task.id}/photo",
        {"photo": (io.BytesIO(patrolkit.jpeg_bytes()), "after.jpg")},
        content_type="multipart/form-data",
    )
    assert upload.status_code == 303
    assert client.post_form(f"/console/patrols/tasks/{task.id}/fix", {"note": "已修"}).status_code == 303
    assert client.post_form(f"/console/patrols/tasks/{task.id}/verify", {}).status_code == 403
    client.post("/auth/logout", data={"csrf_token": client.csrf("/console/")})
    client.login("officer")
    assert client.post_form(f"/console/patrols/tasks/{task.id}/send-back", {"note": ""}).status_code == 422
    assert client.post_form(f"/console/patrols/tasks/{task.id}/send-back", {"note": "仍不亮"}).status_code == 303
    db.session.expire_all()
    assert db.session.get(Task, task.id).status == TaskStatus.OPEN


def test_department_staff_see_only_their_departments_tasks(client, pw, app):
    _patrol(pw, app, item_index=0)  # A clean -> cleaning
    task = db.session.scalar(sa.select(Task))
    client.login("engineer")
    assert f"/tasks/{task.id}" not in client.get("/console/patrols/tasks").text
    assert client.get(f"/console/patrols/tasks/{task.id}").status_code == 404


def test_editing_a_checklist_makes_a_new_version(client, pw, app):
    template = pw.template("vacant_cleaning")
    client.login("supervisor")
    form = client.get(f"/console/patrols/templates/{template.id}/edit")
    assert form.status_code == 200 and "地面无杂物" in form.text
    data = {"name_zh": "空置单元清洁检查", "name_en": "Vacant-unit cleaning check"}
    version = template.current
    for n, item in enumerate(version.sections[0].items):
        data.update(
            {
                f"items-{n}-key": item.key,
                f"items-{n}-section_zh": "清洁标准",
                f"items-{n}-section_en": "Cleaning",
                f"items-{n}-text_zh": item.text_zh,
                f"items-{n}-text_en": item.text_en,
                f"items-{n}-kind": "check",
                f"items-{n}-department": "cleaning",
                f"items-{n}-deadline_days": "2",
                f"items-{n}-requires_note": "y",
                f"items-{n}-section_kind": "",
            }
        )
    half = dict(
        data,
        **{
            "items-9-text_zh": "只有中文",
            "items-9-kind": "check",
            "items-9-department": "cleaning",
            "items-9-deadline_days": "1",
            "items-9-section_kind": "",
        },
    )
    assert "both languages" in client.post_form(f"/console/patrols/templates/{template.id}/edit?lang=en", half).text
    refused = client.post_form(f"/console/patrols/templates/{template.id}/edit", half)
    assert refused.status_code == 422 and "只有中文" in refused.text  # input kept
    saved = client.post_form(f"/console/patrols/templates/{template.id}/edit", data)
    assert saved.status_code == 303, __import__("re").findall(r'class="error"[^>]*>([^<]*)', saved.text)
    db.session.expire_all()
    versions = db.session.scalars(
        sa.select(TemplateVersion).where(TemplateVersion.template_id == template.id).order_by(TemplateVersion.number)
    ).all()
    assert [v.number for v in versions] == [1, 2]
    assert [i.deadline_days for i in versions[1].sections[0].items] == [2, 2, 2, 2]
    assert [i.key for i in versions[1].sections[0].items] == [i.key for i in versions[0].sections[0].items]
    assert not versions[1].sections[0].items[0].fail_requires_photo


def test_checkpoints_qr_labels_and_the_vacant_units_record(client, pw, app):
    _patrol(pw, app, template="vacant_unit", item_index=2)
    unit = pw.checkpoint("Vacant unit 1-1-0901")
    client.login("supervisor")
    assert client.get("/console/patrols/checkpoints").status_code == 200
    labels = client.get("/console/patrols/checkpoints/print")
    assert labels.status_code == 200 and labels.text.count("<svg") >= 10 and unit.code in labels.text
    svg = client.get(f"/console/patrols/checkpoints/{unit.id}/qr.svg")
    assert svg.mimetype == "image/svg+xml"
    client.post("/auth/logout", data={"csrf_token": client.csrf("/console/")})
    client.login("officer")  # an officer scanning the unit's QR with a phone
    record = client.get(f"/console/patrols/c/{unit.code.lower()}?lang=en")
    assert record.status_code == 200 and "House inspection record" in record.text and "窗" not in record.text
    assert "Doors and windows closed and undamaged" in record.text


def test_schedule_windows_are_edited_with_validation(client, pw, app):
    schedule = pw.schedule("Building 1 public areas")
    client.login("supervisor")
    prefix = f"s{schedule.id}-"
    bad = client.post_form(
        f"/console/patrols/schedules/{schedule.id}",
        {prefix + "windows": "11:00-08:00", prefix + "grace_minutes": "60", prefix + "active": "y"},
        page="/console/patrols/schedules",
    )
    assert bad.status_code == 422 and "11:00-08:00" in bad.text
    ok = client.post_form(
        f"/console/patrols/schedules/{schedule.id}",
        {prefix + "windows": "07:30-10:30, 15:00-18:00", prefix + "grace_minutes": "30", prefix + "active": "y"},
        page="/console/patrols/schedules",
    )
    assert ok.status_code == 303
    db.session.expire_all()
    assert schedule.windows == [["07:30", "10:30"], ["15:00", "18:00"]] and schedule.grace_minutes == 30
