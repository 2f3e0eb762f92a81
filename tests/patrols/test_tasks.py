"""Rectification tasks to closure (P7) and the vacant-unit inspection history (P3)."""

from datetime import timedelta

import pytest
import sqlalchemy as sa

from kiosk.extensions import db
from kiosk.models import DepartmentKind, Role
from kiosk.models.patrols import Task, TaskEvent, TaskStatus
from kiosk.patrols import answers, reports, tasks, templates, walk
from kiosk.photos import StoredPhoto
from tests import patrolkit
from tests.patrolkit import T0

TZ = "Asia/Shanghai"


def _stored():
    return StoredPhoto(path=f"t/{patrolkit.new_uuid()}.jpg", width=1, height=1, size=1, sha256="0" * 64)


def _fail(pw, template="public_area", checkpoint_index=0, item_index=0, at=T0, days=None):
    """Fail one item of a new patrol; `days`: the first item whose deadline is that many working days."""
    patrol = walk.start(patrolkit.new_uuid(), pw.tablet, pw.officer, at=at, received=at, template=pw.template(template))
    checkpoint = patrol.stops[checkpoint_index].checkpoint
    version = templates.load_version(patrol.version_id)
    items = [i for s in templates.sections_at(version, checkpoint.kind) for i in s.items]
    item = items[item_index] if days is None else next(i for i in items if i.deadline_days == days)
    answers.answer(patrol, checkpoint.id, item.id, result="fail", note="问题", at=at, received=at, tz_name=TZ)
    db.session.commit()
    return db.session.scalar(sa.select(Task).where(Task.patrol_id == patrol.id))


def _engineer_task(pw):
    return _fail(pw, item_index=2)  # B lighting -> engineering


def test_p7_fixing_needs_an_after_photo(pw):
    task = _engineer_task(pw)
    engineer = pw.world.users[Role.DEPARTMENT]
    with pytest.raises(tasks.TaskRefused) as refused:
        tasks.record_fix(task, engineer, "换了灯泡", T0)
    assert refused.value.reason == "photo_required"
    tasks.add_after_photo(task, engineer, _stored(), T0)
    tasks.record_fix(task, engineer, "换了灯泡", T0)
    assert task.status == TaskStatus.FIXED and task.fixed_by_id == engineer.id


def test_p7_only_the_responsible_department_records_the_fix(pw):
    task = _fail(pw, item_index=0)  # A clean -> cleaning; the engineer is not cleaning
    with pytest.raises(tasks.TaskRefused):
        tasks.add_after_photo(task, pw.world.users[Role.DEPARTMENT], _stored(), T0)


def test_p7_verify_closes_and_send_back_reopens_with_a_reason(pw):
    task = _engineer_task(pw)
    engineer, officer = pw.world.users[Role.DEPARTMENT], pw.officer
    with pytest.raises(tasks.TaskRefused):
        tasks.verify(task, officer, None, T0)  # not fixed yet
    tasks.add_after_photo(task, engineer, _stored(), T0)
    tasks.record_fix(task, engineer, "", T0)
    with pytest.raises(tasks.TaskRefused):
        tasks.send_back(task, officer, " ", T0)  # a reason is needed
    with pytest.raises(tasks.TaskRefused):
        tasks.verify(task, engineer, None, T0)  # a department does not check itself
    tasks.send_back(task, officer, "灯仍不亮", T0)
    assert task.status == TaskStatus.OPEN and task.sent_back_count == 1
    tasks.record_fix(task, engineer, "更换镇流器", T0 + timedelta(hours=1))
    tasks.verify(task, pw.world.users[Role.SUPERVISOR], "复查合格", T0 + timedelta(hours=2))
    assert task.status == TaskStatus.CLOSED
    db.session.commit()
    actions = [e.action for e in db.session.scalars(sa.select(TaskEvent).order_by(TaskEvent.id))]
    assert actions == ["opened", "fixed", "sent_back", "fixed", "closed"]


def test_p7_a_repeat_failure_within_30_days_links_to_the_earlier_task(pw):
    first = _fail(pw)
    second = _fail(pw, at=T0 + timedelta(days=29))
    assert second.earlier_task_id == first.id
    third = _fail(pw, at=T0 + timedelta(days=29 + 31))
    assert third.earlier_task_id is None
    other_item = _fail(pw, item_index=1, at=T0 + timedelta(days=1))
    assert other_item.earlier_task_id is None


def test_p7_a_repeat_links_across_template_versions(pw):
    first = _fail(pw)
    template = pw.template("public_area")
    templates.new_version(
        template,
        name_zh="公共区域巡查",
        name_en="Public-area patrol",
        sections=templates.as_data(template.current),
        actor=pw.world.users[Role.SUPERVISOR],
    )
    db.session.commit()
    second = _fail(pw, at=T0 + timedelta(days=3))
    assert second.item_id != first.item_id and second.earlier_task_id == first.id


def test_a_supervisor_reassigns_an_open_task(pw):
    task = _engineer_task(pw)
    security = pw.world.departments[DepartmentKind.SECURITY]
    with pytest.raises(tasks.TaskRefused):
        tasks.reassign(task, security, pw.officer, T0)
    tasks.reassign(task, security, pw.world.users[Role.SUPERVISOR], T0)
    assert task.department_id == security.id


def test_p3_vacant_unit_keeps_its_own_inspection_history(pw):
    for days in (0, 7, 14):
        at = T0 + timedelta(days=days)
        patrol = walk.start(
            patrolkit.new_uuid(), pw.tablet, pw.officer, at=at, received=at, template=pw.template("vacant_unit")
        )
        unit = patrol.stops[0].checkpoint
        version = templates.load_version(patrol.version_id)
        for item in version.sections[0].items:
            result = "fail" if (days == 7 and item.standard == "C") else "pass"
            answers.answer(patrol, unit.id, item.id, result=result, note="窗未关", at=at, received=at, tz_name=TZ)
    db.session.commit()
    assert unit.room.label == "1-1-0901"
    visits = reports.history(unit)
    assert [v.patrol.started_at for v in visits] == [T0 + timedelta(days=d) for d in (14, 7, 0)]
    assert [len(v.failed) for v in visits] == [0, 1, 0]
    assert all(len(v.answers) == 5 for v in visits)


def test_pass_rate_by_area_and_open_tasks_by_department(pw):
    _fail(pw)  # cleaning
    _engineer_task(pw)  # engineering
    rates = dict((k, (p, f)) for k, p, f in reports.pass_rate_by_area(pw.site.id, T0 - timedelta(days=1)))
    assert rates == {"lobby": (0, 2)}
    open_by = {
        d: (n, late) for d, n, late in reports.open_tasks_by_department(pw.site.id, T0.date() + timedelta(days=30))
    }
    departments = pw.world.departments
    assert open_by == {
        departments[DepartmentKind.CLEANING].id: (1, 1),
        departments[DepartmentKind.ENGINEERING].id: (1, 1),
    }
