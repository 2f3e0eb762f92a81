"""Patrols in the domain (rules P1-P8): checklists, versions, scans, answers, finishing."""

from datetime import timedelta

import pytest
import sqlalchemy as sa

from kiosk.extensions import db
from kiosk.models import DepartmentKind, Role
from kiosk.models.patrols import AnswerKind, Patrol, Result, Task, TaskStatus
from kiosk.patrols import answers, templates, walk
from kiosk.patrols.checklists import TEMPLATES
from tests import patrolkit
from tests.patrolkit import T0


def _start(pw, template_code="public_area", at=T0, device=None):
    return walk.start(
        patrolkit.new_uuid(), device or pw.tablet, pw.officer, at=at, received=at, template=pw.template(template_code)
    )


def _items(patrol, checkpoint):
    version = templates.load_version(patrol.version_id)
    return [i for s in templates.sections_at(version, checkpoint.kind) for i in s.items]


def test_p2_public_area_checklist_has_standards_a_to_h_in_both_languages(pw):
    version = pw.template("public_area").current
    stairwell = [i.standard for s in templates.sections_at(version, "stairwell") for i in s.items if i.standard]
    assert stairwell == list("ABCDFGH")  # E (the unit door) is checked in the lobby
    for section in version.sections:
        for item in section.items:
            assert item.text_zh and item.text_en and item.text_zh != item.text_en
            assert item.fail_zh and item.fail_en  # a task is titled by the finding (P7)


def test_p1_p2_checklists_fit_the_kind_of_place_in_standard_order(pw):
    """The perimeter and the garbage room get no indoor items; standards in order A-H."""
    version = pw.template("public_area").current
    for kind in ("lobby", "stairwell", "lift", "roof", "garbage_room", "perimeter"):
        items = [i for s in templates.sections_at(version, kind) for i in s.items]
        assert items, kind
        standards = [i.standard for i in items if i.standard]
        assert standards == sorted(standards), kind
    outdoor = {
        i.text_zh
        for kind in ("perimeter", "garbage_room")
        for s in templates.sections_at(version, kind)
        for i in s.items
    }
    assert not outdoor & {
        "楼内卫生良好",
        "楼梯、扶手、墙面无破损",
        "单元门开启正常",
        "管井正常关闭，井内设备运行无异常，无垃圾堆放",
    }


def test_p3_p4_p5_p8_checklists_are_seeded(pw):
    codes = {t["code"]: t["rule"] for t in TEMPLATES}
    assert codes == {
        "public_area": "P2",
        "vacant_unit": "P3",
        "vacant_cleaning": "P4",
        "outlet": "P5",
        "restaurant": "P8",
        "garbage_room": "P8",
        "contractor_cleaning": "P8",
    }
    vacant = pw.template("vacant_unit").current
    assert [i.standard for i in vacant.sections[0].items] == list("ABCDE")


def test_p1_checkpoints_cover_the_public_areas_with_unique_codes(pw):
    from kiosk.models.patrols import Checkpoint, CheckpointKind

    points = db.session.scalars(sa.select(Checkpoint)).all()
    kinds = {p.kind for p in points}
    assert {
        CheckpointKind.LOBBY,
        CheckpointKind.STAIRWELL,
        CheckpointKind.ROOF,
        CheckpointKind.LIFT,
        CheckpointKind.GARBAGE_ROOM,
        CheckpointKind.PERIMETER,
        CheckpointKind.VACANT_UNIT,
        CheckpointKind.OUTLET,
    } <= kinds
    assert len({p.code for p in points}) == len(points)
    vacant = [p for p in points if p.kind == CheckpointKind.VACANT_UNIT]
    assert [p.room.label for p in vacant] == ["1-1-0901"]


def test_editing_a_template_makes_a_new_version_and_leaves_patrols_alone(pw):
    template = pw.template("public_area")
    patrol = _start(pw)
    db.session.commit()
    first = template.current
    data = templates.as_data(first)
    data[0].items[0].text_en = "Clean, tidy and dry"
    data[0].items.append(templates.ItemData("新增检查项", "New item"))
    second = templates.new_version(
        template, name_zh=first.name_zh, name_en=first.name_en, sections=data, actor=pw.world.users[Role.SUPERVISOR]
    )
    db.session.commit()
    assert second.number == 2 and template.current.id == second.id
    assert patrol.version_id == first.id
    assert first.sections[0].items[0].text_en == "Lobby clean and tidy"  # unchanged
    assert second.sections[0].items[1].fail_zh == first.sections[0].items[1].fail_zh == "照明故障"  # kept
    assert second.sections[0].items[0].key == first.sections[0].items[0].key  # same item
    assert second.sections[0].items[-1].key not in {i.key for s in first.sections for i in s.items}
    assert _start(pw).version_id == second.id


def test_p6_ad_hoc_patrol_walks_every_checkpoint_of_the_templates_kinds(pw):
    patrol = walk.start(
        patrolkit.new_uuid(),
        pw.tablet,
        pw.officer,
        at=T0,
        received=T0,
        template=pw.template("public_area"),
        reason=walk.PatrolReason.WEATHER,
        note="台风",
    )
    assert patrol.reason == "weather" and patrol.occurrence is None
    names = [s.checkpoint.name_en for s in patrol.stops]
    assert names[0] == "Building 1 lobby" and "Perimeter" in names and "Vacant unit 1-1-0901" not in names


def test_a_failed_item_makes_exactly_one_task_with_department_and_deadline(pw):
    """P7: one task per failure, to the item's department, deadline in working days."""
    patrol = _start(pw)
    lobby = patrol.stops[0].checkpoint
    clean = _items(patrol, lobby)[0]  # A: clean, cleaning department, 1 working day
    for _ in range(3):  # repeated and replayed fails
        answers.answer(
            patrol, lobby.id, clean.id, result="fail", note="地面有积水", at=T0, received=T0, tz_name="Asia/Shanghai"
        )
    db.session.commit()
    tasks = db.session.scalars(sa.select(Task)).all()
    assert len(tasks) == 1
    task = tasks[0]
    assert task.department.kind == DepartmentKind.CLEANING
    assert str(task.deadline) == "2026-11-24"  # Monday + 1 working day
    assert task.checkpoint_id == lobby.id and task.status == TaskStatus.OPEN


def test_p7_deadline_skips_the_national_day_holiday(pw):
    at = T0.replace(month=9, day=30)  # Wednesday before 1-7 October 2026
    patrol = _start(pw, at=at)
    lobby = patrol.stops[0].checkpoint
    item = _items(patrol, lobby)[1]  # B lighting: engineering, 1 working day
    answers.answer(patrol, lobby.id, item.id, result="fail", at=at, received=at, tz_name="Asia/Shanghai")
    task = db.session.scalar(sa.select(Task))
    assert task.department.kind == DepartmentKind.ENGINEERING
    assert str(task.deadline) == "2026-10-08"


def test_department_can_be_changed_on_the_answer(pw):
    patrol = _start(pw)
    lobby = patrol.stops[0].checkpoint
    item = _items(patrol, lobby)[0]
    security = pw.world.departments[DepartmentKind.SECURITY]
    answers.answer(
        patrol, lobby.id, item.id, result="fail", department_id=security.id, at=T0, received=T0, tz_name="Asia/Shanghai"
    )
    assert db.session.scalar(sa.select(Task)).department_id == security.id


def test_correcting_a_fail_withdraws_its_task_and_failing_again_reopens_it(pw):
    patrol = _start(pw)
    lobby = patrol.stops[0].checkpoint
    item = _items(patrol, lobby)[0]
    kw = dict(received=T0, tz_name="Asia/Shanghai")
    answers.answer(patrol, lobby.id, item.id, result="fail", at=T0, **kw)
    answers.answer(patrol, lobby.id, item.id, result="pass", at=T0 + timedelta(seconds=5), **kw)
    assert db.session.scalar(sa.select(Task)).status == TaskStatus.WITHDRAWN
    answers.answer(patrol, lobby.id, item.id, result="fail", at=T0 + timedelta(seconds=9), **kw)
    assert [t.status for t in db.session.scalars(sa.select(Task))] == [TaskStatus.OPEN]


def test_an_older_answer_replayed_late_does_not_overwrite_a_newer_one(pw):
    patrol = _start(pw)
    lobby = patrol.stops[0].checkpoint
    item = _items(patrol, lobby)[0]
    kw = dict(received=T0, tz_name="Asia/Shanghai")
    answers.answer(patrol, lobby.id, item.id, result="pass", at=T0 + timedelta(seconds=30), **kw)
    row = answers.answer(patrol, lobby.id, item.id, result="fail", at=T0, **kw)
    assert row.result == Result.PASS and db.session.scalar(sa.select(Task)) is None


def test_answers_to_one_item_arriving_at_once_keep_one_row_and_the_latest(app, pw):
    """The outbox replaying an answer while the officer changes it: eight requests answer the
    same item at the same moment, each in its own transaction. None fails on the unique key;
    one row remains, holding the latest action (the bench found the 500 this prevents)."""
    from kiosk.models.patrols import Answer
    from tests.concurrency import all_at_once

    patrol = _start(pw)
    lobby = patrol.stops[0].checkpoint
    item = _items(patrol, lobby)[0]
    patrol_id, checkpoint_id, item_id = patrol.id, lobby.id, item.id
    db.session.commit()

    def send(n):
        at = T0 + timedelta(seconds=n)
        return lambda: answers.answer(
            db.session.get(Patrol, patrol_id),
            checkpoint_id,
            item_id,
            result="fail" if n == 7 else "pass",
            note="x",
            at=at,
            received=at,
            tz_name="Asia/Shanghai",
        )

    errors = all_at_once(app, [send(n) for n in range(8)])
    assert errors == []
    db.session.expire_all()
    rows = db.session.scalars(sa.select(Answer).where(Answer.patrol_id == patrol_id)).all()
    assert len(rows) == 1
    assert rows[0].result == Result.FAIL and rows[0].answered_at.replace(tzinfo=None) == (
        T0 + timedelta(seconds=7)
    ).replace(tzinfo=None)


def test_a_reading_outside_its_expected_range_fails(pw):
    patrol = _start(pw)
    stairwell = next(s.checkpoint for s in patrol.stops if s.checkpoint.kind == "stairwell")
    gauge = next(i for i in _items(patrol, stairwell) if i.kind == AnswerKind.NUMBER)
    kw = dict(at=T0, received=T0, tz_name="Asia/Shanghai")
    assert answers.answer(patrol, stairwell.id, gauge.id, number=1.2, **kw).result == Result.PASS
    assert answers.answer(patrol, stairwell.id, gauge.id, number=0.6, **kw).result == Result.FAIL


def test_finish_is_blocked_while_a_fail_lacks_its_note_and_photo(pw):
    patrol = _start(pw)
    lobby = patrol.stops[0].checkpoint
    item = _items(patrol, lobby)[0]
    kw = dict(received=T0, tz_name="Asia/Shanghai")
    answers.answer(patrol, lobby.id, item.id, result="fail", at=T0, **kw)
    missing = walk.finish(patrol, at=T0, received=T0, reason="测试：只查了部分")
    assert [(m.note, m.photo) for m in missing] == [(True, True)] and patrol.finished_at is None
    row = answers.answer(patrol, lobby.id, item.id, result="fail", note="积水", at=T0 + timedelta(seconds=1), **kw)
    stored = patrolkit_store(pw)
    answers.add_photo(patrol, row, stored, device=pw.tablet, at=T0, received=T0)
    assert (
        walk.finish(
            patrol, at=T0 + timedelta(minutes=20), received=T0 + timedelta(minutes=20), reason="测试：只查了部分"
        )
        == []
    )
    assert patrol.finished_at is not None
    with pytest.raises(walk.PatrolRefused):
        answers.answer(patrol, lobby.id, item.id, result="pass", at=T0 + timedelta(hours=1), **kw)


def patrolkit_store(pw):
    from kiosk.photos import StoredPhoto

    return StoredPhoto(path=f"x/{patrolkit.new_uuid()}.jpg", width=10, height=10, size=100, sha256="0" * 64)


def test_p1_scans_too_fast_or_out_of_order_are_flagged(pw):
    patrol = _start(pw)
    stops = patrol.stops
    kw = dict(typed=False)
    first = walk.scan(patrol, stops[0].checkpoint.code, at=T0, received=T0, **kw)
    assert not (first.flag_fast or first.flag_order)
    ok = walk.scan(patrol, stops[1].checkpoint.code, at=T0 + timedelta(minutes=2), received=T0, **kw)
    assert not (ok.flag_fast or ok.flag_order) and not patrol.flag_fast
    fast = walk.scan(patrol, stops[3].checkpoint.code, at=T0 + timedelta(minutes=2, seconds=5), received=T0, **kw)
    assert fast.flag_fast and not fast.flag_order
    back = walk.scan(patrol, stops[2].checkpoint.code.lower(), at=T0 + timedelta(minutes=5), received=T0, **kw)
    assert back.flag_order and not back.flag_fast
    assert patrol.flag_fast and patrol.flag_order
    assert [s.scan_sequence for s in stops[:4]] == [1, 2, 4, 3]
    again = walk.scan(patrol, stops[0].checkpoint.code, at=T0 + timedelta(minutes=9), received=T0, **kw)
    assert again.scanned_at == T0  # the first scan counts
    with pytest.raises(walk.PatrolRefused):
        walk.scan(patrol, "CPNOSUCH", at=T0, received=T0, **kw)


def test_writes_from_another_device_are_refused(pw):
    """OFFLINE 6: a patrol is written only by the device that started it."""
    patrol = _start(pw)
    db.session.commit()
    other, _cred = patrolkit.enroll_tablet(pw.site, "平板 2")
    with pytest.raises(walk.PatrolRefused) as refused:
        walk.find(patrol.uuid, other)
    assert refused.value.status == 403
    with pytest.raises(walk.PatrolRefused) as refused:
        walk.find(patrolkit.new_uuid(), pw.tablet)
    assert refused.value.status == 409  # not known yet: retry later


def test_the_officer_token_is_bound_to_its_device(pw):
    token = walk.officer_token("s3cret", pw.officer, pw.tablet)
    assert walk.officer_from_token("s3cret", token, pw.tablet).id == pw.officer.id
    other, _cred = patrolkit.enroll_tablet(pw.site, "平板 2")
    for secret, device, tok in (("s3cret", other, token), ("wrong", pw.tablet, token), ("s3cret", pw.tablet, None)):
        with pytest.raises(walk.PatrolRefused):
            walk.officer_from_token(secret, tok, device)


def test_device_time_is_used_unless_absurd():
    received = T0
    assert walk.device_time("2026-11-23T00:59:00.000Z", received) == T0 - timedelta(minutes=1)
    assert walk.device_time("2030-01-01T00:00:00Z", received) == received
    assert walk.device_time("yesterday", received) == received
    assert walk.device_time("2026-11-23T00:59:00", received) == received  # no zone
    assert walk.device_time(None, received) == received


def test_s2_a_signed_patrol_cannot_be_signed_again(pw):
    patrol = _start(pw)
    supervisor = pw.world.users[Role.SUPERVISOR]
    with pytest.raises(walk.PatrolRefused):
        walk.sign(patrol, supervisor, None, T0)
    walk.finish(patrol, at=T0, received=T0, reason="测试：只查了部分")
    walk.sign(patrol, supervisor, "已阅", T0)
    assert patrol.signed_by_id == supervisor.id
    with pytest.raises(walk.PatrolRefused):
        walk.sign(patrol, supervisor, None, T0)


def test_summary_counts(pw):
    patrol = _start(pw)
    lobby = patrol.stops[0].checkpoint
    items = _items(patrol, lobby)
    kw = dict(at=T0, received=T0, tz_name="Asia/Shanghai")
    answers.answer(patrol, lobby.id, items[0].id, result="pass", **kw)
    answers.answer(patrol, lobby.id, items[1].id, result="fail", **kw)
    answers.answer(patrol, lobby.id, items[2].id, result="na", **kw)
    summary = walk.summary(patrol)
    assert (summary.passed, summary.failed, summary.not_applicable, summary.answered) == (1, 1, 1, 3)
    assert summary.pass_rate == 0.5 and summary.expected > 3
    assert db.session.scalar(sa.select(sa.func.count(Patrol.id))) == 1


def test_p8_contractor_cleaning_is_signed_off_at_the_septic_tank_and_the_grease_trap(pw):
    """P8: quarterly septic-tank and grease-trap cleaning by contractors, signed off on completion."""
    template = pw.template("contractor_cleaning")
    version = template.current
    items = [i for s in version.sections for i in s.items]
    assert all(i.text_zh and i.text_en and i.text_zh != i.text_en for i in items)
    assert version.name_zh == "化粪池及隔油池清掏验收" and version.sections[-1].title_en == "Sign-off on completion"
    sign_off = [i for i in version.sections[-1].items if i.kind == AnswerKind.TEXT]
    assert [i.text_en for i in sign_off][0] == "Contractor's foreman signs off (name)"
    schedule = pw.schedule("Septic tank and grease trap, quarterly")
    assert schedule.cadence == "quarterly" and schedule.template_id == template.id
    assert [s.checkpoint.name_en for s in schedule.stops] == ["Septic tank", "Restaurant grease trap"]

    patrol = _start(pw, "contractor_cleaning")
    assert [s.checkpoint.name_en for s in patrol.stops] == ["Septic tank", "Restaurant grease trap"]
    for stop in patrol.stops:
        for item in _items(patrol, stop.checkpoint):
            answers.answer(
                patrol,
                stop.checkpoint_id,
                item.id,
                at=T0,
                received=T0,
                tz_name="Asia/Shanghai",
                result="pass",
                number=3.5 if item.kind == AnswerKind.NUMBER else None,
                text="清洁公司 刘师傅" if item.kind == AnswerKind.TEXT else None,
            )
    assert walk.finish(patrol, at=T0, received=T0, reason="测试：只查了部分") == []
    signed = [a for a in patrol.answers if a.item.text_en.startswith("Contractor's foreman")]
    assert {a.text for a in signed} == {"清洁公司 刘师傅"} and len(signed) == 2
    assert db.session.scalar(sa.select(sa.func.count(Task.id))) == 0


def test_a_reading_shows_its_expected_range():
    from types import SimpleNamespace

    from kiosk.patrols.labels import reading_range

    def item(low, high, unit=""):
        return SimpleNamespace(min_value=low, max_value=high, unit=unit)

    assert reading_range(item(1.0, 1.4, "MPa")) == "1–1.4 MPa"
    assert reading_range(item(0.5, None, "m³")) == "≥ 0.5 m³"
    assert reading_range(item(None, 30, "°C")) == "≤ 30 °C"
    assert reading_range(item(None, None)) == ""
