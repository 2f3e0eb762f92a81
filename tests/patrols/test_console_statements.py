"""No N+1 in the inspections console: every page sends as many SQL statements for 30 rows
(patrols, checkpoints, tasks, events, schedules, checklists) as for 3."""

import pytest
import sqlalchemy as sa

from kiosk.extensions import db
from kiosk.models import Role
from kiosk.models.patrols import Answer, Task, TaskStatus
from kiosk.patrols import answers, tasks
from kiosk.patrols import templates as patrol_templates
from kiosk.patrols.templates import ItemData, SectionData
from kiosk.timeutil import utcnow
from tests import patrol_rows
from tests.statements import recorded_statements


def _statements(client, url):
    with recorded_statements() as statements:
        response = client.get(url)
    assert response.status_code == 200, response.text[:500]
    return len(statements)


def _grown(client, url, add_rows, few=3, many=30):
    """Statements for `url` after adding `few` rows, then after adding up to `many`."""
    add_rows(few)
    db.session.commit()
    first = _statements(client, url)
    add_rows(many - few)
    db.session.commit()
    return first, _statements(client, url)


def _schedules_with_failures(pw, n):
    """n daily schedules (each with a missed window every day: the dashboard's overdue list)
    and n patrols with failed items (pass rates, open tasks of every department)."""
    for _ in range(n):
        patrol_rows.schedule(pw, 2)
        patrol_rows.walk(pw, patrol_rows.start(pw), stops=1, fail_every=2)


def test_dashboard_sends_as_many_statements_for_30_missed_schedules_as_for_3(client, pw):
    """Measured on the first look after the schedules were added: that look also makes the
    week's occurrences of the new schedules, in one statement however many they are."""
    client.login("supervisor")
    looks = []
    for n in (3, 27):
        _schedules_with_failures(pw, n)
        db.session.commit()
        with recorded_statements() as statements:
            assert client.get("/console/patrols/").status_code == 200
        looks.append(statements)
    assert len(looks[0]) == len(looks[1])
    assert [sum(s.startswith("INSERT INTO occurrence") for s in look) for look in looks] == [1, 1]


def test_patrol_list_sends_as_many_statements_for_30_patrols_as_for_3(client, pw):
    client.login("supervisor")
    few, many = _grown(client, "/console/patrols/records", lambda n: patrol_rows.finished_patrols(pw, n))
    assert few == many


@pytest.mark.parametrize("page", ["", "/print"])
def test_patrol_sheet_sends_as_many_statements_for_30_checkpoints_as_for_3(client, pw, page):
    """A patrol's check sheet: a heading per checkpoint, every item's answer, the failed
    ones' tasks (every department) and photos."""
    client.login("supervisor")
    counts = []
    for n in (3, 30):
        patrol = patrol_rows.start(pw, occurrence=patrol_rows.open_occurrence(pw, n))
        patrol_rows.walk(pw, patrol)
        db.session.commit()
        counts.append(_statements(client, f"/console/patrols/records/{patrol.id}{page}"))
    assert counts[0] == counts[1]


@pytest.mark.parametrize(
    "url, username",
    [
        ("/console/patrols/tasks", "supervisor"),
        ("/console/patrols/tasks", "engineer"),  # their department's only
        ("/console/patrols/tasks?show=fixed", "supervisor"),
    ],
)
def test_task_list_sends_as_many_statements_for_30_tasks_as_for_3(client, pw, url, username):
    def add(n):
        patrol_rows.open_tasks(pw, n)
        db.session.flush()
        for task in db.session.scalars(sa.select(Task).where(Task.status == TaskStatus.OPEN)):
            if "fixed" in url:
                task.status = TaskStatus.FIXED

    client.login(username)
    few, many = _grown(client, url, add)
    assert few == many


def _task_with_history(pw, rounds):
    """A task fixed and sent back `rounds` times, each step by another person, each fix
    with an after-photo."""
    patrol = patrol_rows.start(pw, occurrence=patrol_rows.open_occurrence(pw, 1))  # a checkpoint of its own
    patrol_rows.walk(pw, patrol, fail_every=10_000)
    stop = patrol.stops[0]
    item = patrol_rows.first_check(patrol_templates.load_version(patrol.version_id), stop.checkpoint.kind)
    row = answers.answer(
        patrol,
        stop.checkpoint_id,
        item.id,
        result="fail",
        note="坏了",
        at=utcnow(),
        received=utcnow(),
        tz_name=patrol_rows.TZ,
    )
    answers.add_photo(patrol, row, patrol_rows.stored_photo(), device=pw.tablet, at=utcnow(), received=utcnow())
    db.session.flush()
    task = db.session.scalar(sa.select(Task).where(Task.answer_id == row.id))
    for _ in range(rounds):
        fixer = patrol_rows.person(pw, Role.SUPERVISOR)
        tasks.add_after_photo(task, fixer, patrol_rows.stored_photo(), utcnow())
        tasks.record_fix(task, fixer, "修好了", utcnow())
        tasks.send_back(task, patrol_rows.person(pw), "没修好", utcnow())
    return task


def test_task_page_sends_as_many_statements_for_30_events_as_for_3(client, pw):
    client.login("supervisor")
    counts = []
    for rounds in (1, 15):  # 3 and 31 events
        task = _task_with_history(pw, rounds)
        db.session.commit()
        counts.append(_statements(client, f"/console/patrols/tasks/{task.id}"))
    assert counts[0] == counts[1]


def test_checkpoint_list_sends_as_many_statements_for_30_checkpoints_as_for_3(client, pw):
    rooms = pw.world.rooms
    client.login("supervisor")
    few, many = _grown(
        client,
        "/console/patrols/checkpoints",
        lambda n: [patrol_rows.checkpoints(pw, 1, room_id=rooms[i % len(rooms)].id) for i in range(n)],
    )
    assert few == many


def test_checkpoint_history_sends_as_many_statements_for_30_patrols_as_for_3(client, pw):
    """The page a checkpoint's QR code opens: each patrol that inspected it, on its own
    checklist version, by its own officer, with the failed items."""
    checkpoint = patrol_rows.checkpoints(pw, 1, kinds=[patrol_rows.ROUTE_KINDS[0]])[0]
    db.session.commit()

    def add(n):
        for i in range(n):
            if i % 2:
                patrol_rows.new_version(pw)
            patrol = patrol_rows.start(pw, officer=patrol_rows.person(pw))
            route = [stop.checkpoint for stop in patrol.stops]
            patrol_rows.walk(pw, patrol, stops=route.index(checkpoint) + 1, fail_every=4, photos=False)

    client.login("supervisor")
    few, many = _grown(client, f"/console/patrols/c/{checkpoint.code}", add)
    assert few == many


def test_checkpoint_history_reads_only_the_patrols_it_shows(pw):
    from kiosk.patrols import reports

    checkpoint = patrol_rows.checkpoints(pw, 1, kinds=[patrol_rows.ROUTE_KINDS[0]])[0]
    for _ in range(4):
        patrol = patrol_rows.start(pw)
        route = [stop.checkpoint for stop in patrol.stops]
        patrol_rows.walk(pw, patrol, stops=route.index(checkpoint) + 1, fail_every=1000, photos=False)
    db.session.commit()
    per_patrol = db.session.scalar(
        sa.select(sa.func.count(Answer.id)).where(Answer.checkpoint_id == checkpoint.id, Answer.patrol_id == patrol.id)
    )
    newest = db.session.scalars(
        sa.select(Answer.patrol_id)
        .where(Answer.checkpoint_id == checkpoint.id)
        .distinct()
        .order_by(Answer.patrol_id.desc())
    ).all()[:2]
    db.session.expunge_all()
    loaded = []

    def count(target, _context):
        loaded.append(target)

    sa.event.listen(Answer, "load", count)
    try:
        visits = reports.history(db.session.get(type(checkpoint), checkpoint.id), limit=2)
    finally:
        sa.event.remove(Answer, "load", count)
    assert [visit.patrol.id for visit in visits] == newest
    assert len(loaded) == 2 * per_patrol  # not the answers of the two older patrols


def _checklists(pw, n):
    for _ in range(n):
        patrol_templates.create(
            pw.site,
            f"extra{next(patrol_rows._numbers)}",
            name_zh="临时检查",
            name_en="Extra",
            sections=[SectionData("项目", "Items", [ItemData("整洁", "Tidy")])],
            checkpoint_kinds=patrol_rows.ROUTE_KINDS[:1],
        )


def test_checklist_list_sends_as_many_statements_for_30_checklists_as_for_3(client, pw):
    client.login("supervisor")
    few, many = _grown(client, "/console/patrols/templates", lambda n: _checklists(pw, n))
    assert few == many


@pytest.mark.parametrize("page", ["", "/edit"])
def test_checklist_page_sends_as_many_statements_for_30_versions_as_for_3(client, pw, page):
    client.login("supervisor")
    url = f"/console/patrols/templates/{pw.template('public_area').id}{page}"
    few, many = _grown(client, url, lambda n: [patrol_rows.new_version(pw) for _ in range(n)])
    assert few == many


def test_schedule_list_sends_as_many_statements_for_30_schedules_as_for_3(client, pw):
    client.login("supervisor")
    few, many = _grown(client, "/console/patrols/schedules", lambda n: [patrol_rows.schedule(pw, 3) for _ in range(n)])
    assert few == many
