"""What a new user found (issue 12): a patrol finished with work left undone is confirmed,
explained and marked incomplete everywhere (P1); one definition of due, late and missed
for the tablet, the console and the export, at the window's edges and across midnight;
rectification tasks titled by the finding with the officer's remark (P7); an ad hoc
patrol end to end (P6)."""

import io
import re
from datetime import date, datetime, timedelta, timezone

import sqlalchemy as sa
import time_machine
from openpyxl import load_workbook

from kiosk.extensions import db
from kiosk.models import AuditEvent
from kiosk.models.patrols import Cadence, Occurrence, Patrol, Schedule, ScheduleStop, Task
from kiosk.patrols import answers, templates, walk
from kiosk.patrols import schedule as ps
from kiosk.timeutil import utcnow
from tests import patrolkit
from tests.patrols.test_tablet import key, post

SHANGHAI = timezone(timedelta(hours=8))


def _today_at(hh, mm=0, days=0):
    """A time on a day computed from now (any day the suite runs), in the site's zone."""
    day = datetime.now(SHANGHAI).date() + timedelta(days=days)
    return datetime(day.year, day.month, day.day, hh, mm, tzinfo=SHANGHAI)


def _run_page(tablet, path):
    page = tablet.get(path)
    assert page.status_code == 200
    return page, re.search(r'name="officer" value="([^"]+)"', page.text).group(1)


def _tablet(client, pw):
    """The client as the patrol tablet, the officer signed in at the (frozen) time now."""
    from kiosk.access import DEVICE_COOKIE

    client.set_cookie(DEVICE_COOKIE, pw.credential)
    token = client.csrf("/patrol/")
    assert (
        client.post("/patrol/signin", data={"username": "officer", "password": "pw", "csrf_token": token}).status_code
        == 303
    )
    return client


def _items(version, kind):
    return [i for s in templates.sections_at(version, kind) for i in s.items]


def _sign_in_supervisor(client):
    client.csrf()
    assert client.login("supervisor").status_code == 303


# --- P1: finishing with work left undone -------------------------------------------


def test_p1_finishing_with_checkpoints_or_items_open_needs_a_reason_and_marks_incomplete(pw):
    at = utcnow()
    patrol = walk.start(
        patrolkit.new_uuid(), pw.tablet, pw.officer, at=at, received=at, template=pw.template("public_area")
    )
    try:
        walk.finish(patrol, at=at, received=at)
        raise AssertionError("an empty patrol was finished without a reason")
    except walk.PatrolRefused as refused:
        assert refused.reason == "incomplete"
    assert patrol.finished_at is None
    assert walk.finish(patrol, at=at, received=at, reason="电梯停运，无法上楼") == []
    db.session.commit()
    assert patrol.finished_at is not None and patrol.incomplete
    assert patrol.incomplete_reason == "电梯停运，无法上楼"
    event = db.session.scalar(sa.select(AuditEvent).where(AuditEvent.action == "patrol.finished"))
    assert event.reason == "电梯停运，无法上楼" and event.details["incomplete"] is True


def test_p1_a_blank_reason_is_no_reason(pw):
    at = utcnow()
    patrol = walk.start(
        patrolkit.new_uuid(), pw.tablet, pw.officer, at=at, received=at, template=pw.template("public_area")
    )
    for blank in (None, "", "   "):
        try:
            walk.finish(patrol, at=at, received=at, reason=blank)
            raise AssertionError("finished without a reason")
        except walk.PatrolRefused as refused:
            assert refused.reason == "incomplete"
    assert patrol.finished_at is None and not patrol.incomplete


def test_p1_a_patrol_with_everything_done_finishes_without_a_question(tablet, pw):
    lobby, stairwell = patrolkit.public_round(pw)
    schedule = pw.schedule("Test round")
    ps.ensure_occurrences(pw.site, utcnow(), lookback_days=0)
    occurrence = db.session.scalar(sa.select(Occurrence).where(Occurrence.schedule_id == schedule.id))
    at = utcnow()
    patrol = walk.start(patrolkit.new_uuid(), pw.tablet, pw.officer, at=at, received=at, occurrence=occurrence)
    version = templates.load_version(patrol.version_id)
    for cp in (lobby, stairwell):
        walk.scan(patrol, cp.code, typed=True, at=at, received=at)
        for item in _items(version, cp.kind):
            answers.answer(
                patrol,
                cp.id,
                item.id,
                at=at,
                received=at,
                tz_name="Asia/Shanghai",
                result="na" if item.kind != "check" else "pass",
            )
    assert walk.finish(patrol, at=at, received=at) == []
    db.session.commit()
    assert patrol.finished_at is not None and not patrol.incomplete and patrol.incomplete_reason is None


def test_p1_the_tablet_refuses_a_silent_incomplete_finish_and_the_console_marks_it_everywhere(tablet, client, pw):
    template = pw.template("public_area")
    page, officer = _run_page(tablet, f"/patrol/adhoc/{template.id}")
    # The page asks before finishing with work left (a confirmation with a required reason).
    assert 'name="incomplete_reason"' in page.text and "data-incomplete-cancel" in page.text
    assert "data-msg-incomplete" in page.text
    patrol_key = key()
    assert (
        post(
            tablet,
            "/patrol/start",
            {
                "idempotency_key": key(),
                "action_at": "",
                "patrol": patrol_key,
                "officer": officer,
                "template": template.id,
            },
        ).status_code
        == 204
    )
    refused = post(tablet, "/patrol/finish", {"idempotency_key": key(), "action_at": "", "patrol": patrol_key})
    assert refused.status_code == 422 and "请先填写原因" in refused.text
    patrol = db.session.scalar(sa.select(Patrol).where(Patrol.uuid == patrol_key))
    assert patrol.finished_at is None
    done = post(
        tablet,
        "/patrol/finish",
        {"idempotency_key": key(), "action_at": "", "patrol": patrol_key, "incomplete_reason": "暴雨，外围无法巡查"},
    )
    assert done.status_code == 204
    db.session.expire_all()
    patrol = db.session.get(Patrol, patrol.id)
    assert patrol.incomplete and patrol.incomplete_reason == "暴雨，外围无法巡查"

    _sign_in_supervisor(client)
    listing = client.get("/console/patrols/records")
    assert "未完成" in listing.text
    detail = client.get(f"/console/patrols/records/{patrol.id}")
    assert "未完成" in detail.text and "暴雨，外围无法巡查" in detail.text and "未完成原因" in detail.text
    english = client.get(f"/console/patrols/records/{patrol.id}?lang=en")
    assert "Incomplete" in english.text and "Reason left undone" in english.text
    month = patrol.started_at.astimezone(SHANGHAI).strftime("%Y-%m")
    export = client.get(f"/console/patrols/records/export.xlsx?month={month}&lang=en")
    rows = list(load_workbook(io.BytesIO(export.data)).active.values)
    head = rows[0]
    assert rows[1][head.index("Incomplete")] == "yes"
    assert rows[1][head.index("Reason left undone")] == "暴雨，外围无法巡查"
    dashboard = client.get("/console/patrols/?lang=en")
    assert "Not checked" in dashboard.text and "finished incomplete" in dashboard.text


# --- one definition of due, late and missed --------------------------------------


def _occurrence_of(schedule):
    return db.session.scalar(
        sa.select(Occurrence).where(Occurrence.schedule_id == schedule.id).order_by(Occurrence.opens_at)
    )


def _night_round(pw, windows):
    lobby = pw.checkpoint("Building 1 lobby")
    schedule = Schedule(
        site=pw.site,
        template=pw.template("public_area"),
        name_zh="夜间巡查",
        name_en="Night round",
        cadence=Cadence.DAILY,
        windows=windows,
        grace_minutes=60,
        starts_on=date(2026, 1, 1),
    )
    schedule.stops = [ScheduleStop(checkpoint=lobby, position=0)]
    db.session.add(schedule)
    db.session.commit()
    return schedule


def test_p1_states_at_the_edges_of_the_window(pw):
    """Due from the window's start (inclusive) to its end (exclusive), late up to the end
    of the grace period (exclusive), then missed."""
    schedule = _night_round(pw, [["08:00", "11:00"]])
    with time_machine.travel(_today_at(7, 0), tick=False):
        ps.ensure_occurrences(pw.site, utcnow(), lookback_days=0)
    occurrence = _occurrence_of(schedule)
    second = timedelta(seconds=1)
    assert occurrence.opens_at == _today_at(8) and occurrence.due_at == _today_at(11)
    assert occurrence.missed_at == _today_at(12)
    assert ps.state(occurrence, _today_at(8) - second) == ps.UPCOMING
    assert ps.state(occurrence, _today_at(8)) == ps.DUE
    assert ps.state(occurrence, _today_at(11) - second) == ps.DUE
    assert ps.state(occurrence, _today_at(11)) == ps.LATE
    assert ps.state(occurrence, _today_at(12) - second) == ps.LATE
    assert ps.state(occurrence, _today_at(12)) == ps.MISSED
    occurrence.done_at = _today_at(11) - second
    assert ps.state(occurrence, _today_at(15)) == ps.DONE
    occurrence.done_at = _today_at(11)
    assert ps.state(occurrence, _today_at(15)) == ps.DONE_LATE


def test_p1_a_window_ending_at_midnight_runs_into_the_next_day_and_is_shown_so(client, pw):
    assert ps.parse_windows("22:00-24:00") == [["22:00", "00:00"]]
    assert ps.parse_windows("08:00-11:00, 22:00-00:00") == [["08:00", "11:00"], ["22:00", "00:00"]]
    schedule = _night_round(pw, ps.parse_windows("22:00-00:00"))
    with time_machine.travel(_today_at(21, 0), tick=False):
        ps.ensure_occurrences(pw.site, utcnow(), lookback_days=0)
        occurrence = _occurrence_of(schedule)
        assert occurrence.opens_at == _today_at(22) and occurrence.due_at == _today_at(0, days=1)
        tablet = _tablet(client, pw)
        page = tablet.get("/patrol/?lang=zh_Hans_CN").text
        assert "22:00–次日 00:00" in page
        assert "22:00–00:00 next day" in tablet.get("/patrol/?lang=en").text
    assert ps.state(occurrence, _today_at(23, 59, days=0) + timedelta(seconds=59)) == ps.DUE
    assert ps.state(occurrence, _today_at(0, 0, days=1)) == ps.LATE
    assert ps.state(occurrence, _today_at(1, 0, days=1)) == ps.MISSED


def test_p1_tablet_and_console_count_todays_patrols_alike(app, client, pw):
    """The tablet's badges and the console's counts of today come from one rule."""
    with time_machine.travel(_today_at(15, 30), tick=False):
        ps.ensure_occurrences(pw.site, utcnow(), lookback_days=0)
        tablet_page = _tablet(app.test_client(), pw).get("/patrol/?lang=en").text
        on_tablet = {
            name: len(re.findall(rf'class="occurrence occurrence-{name}"', tablet_page))
            for name in ("due", "late", "missed", "done", "upcoming")
        }
        _sign_in_supervisor(client)
        dashboard = client.get("/console/patrols/?lang=en").text
        counts = ps.today_counts(pw.site, utcnow())
        assert on_tablet["missed"] == counts.get("missed", 0) and on_tablet["missed"] > 0
        assert on_tablet["due"] == counts.get("due", 0)
        assert f"Missed {counts['missed']}" in dashboard
        assert "No late or missed patrols." not in dashboard


def test_p1_a_patrol_finished_after_its_window_is_flagged_late_on_list_and_export(client, pw):
    schedule = _night_round(pw, [["08:00", "11:00"]])
    with time_machine.travel(_today_at(7), tick=False):
        ps.ensure_occurrences(pw.site, utcnow(), lookback_days=0)
    occurrence = _occurrence_of(schedule)
    start, end = _today_at(10, 30), _today_at(14)
    patrol = walk.start(patrolkit.new_uuid(), pw.tablet, pw.officer, at=start, received=start, occurrence=occurrence)
    walk.finish(patrol, at=end, received=end, reason="只巡了一半")
    db.session.commit()
    assert ps.state(occurrence, end) == ps.DONE_LATE and ps.finished_late(patrol)
    _sign_in_supervisor(client)
    listing = client.get("/console/patrols/records?lang=en").text
    assert "Completed late" in listing
    export = client.get(f"/console/patrols/records/export.xlsx?month={start.strftime('%Y-%m')}&lang=en")
    rows = list(load_workbook(io.BytesIO(export.data)).active.values)
    assert rows[1][rows[0].index("Timeliness")] == "Completed late"


# --- P7: tasks titled by the finding --------------------------------------------------


def test_p7_a_task_is_titled_by_the_failure_with_the_officers_remark(client, pw):
    at = utcnow()
    patrol = walk.start(
        patrolkit.new_uuid(), pw.tablet, pw.officer, at=at, received=at, template=pw.template("public_area")
    )
    stairwell = pw.checkpoint("Building 1 entrance 1, floor 1 stairwell")
    version = templates.load_version(patrol.version_id)
    clean = next(i for i in _items(version, stairwell.kind) if i.standard == "A")
    answers.answer(patrol, stairwell.id, clean.id, at=at, received=at, tz_name="Asia/Shanghai", result="fail")
    later = at + timedelta(seconds=5)
    answers.answer(
        patrol,
        stairwell.id,
        clean.id,
        at=later,
        received=later,
        tz_name="Asia/Shanghai",
        result="fail",
        note="三楼楼梯间有垃圾",
    )  # the remark typed after the tap
    db.session.commit()
    task = db.session.scalar(sa.select(Task))
    _sign_in_supervisor(client)
    page = client.get(f"/console/patrols/tasks/{task.id}").text
    assert re.search(r"<h1>[^<]*楼内卫生不合格</h1>", page)
    assert "楼内卫生良好</h1>" not in page and "三楼楼梯间有垃圾" in page
    listing = client.get("/console/patrols/tasks").text
    assert "楼内卫生不合格" in listing and "三楼楼梯间有垃圾" in listing
    assert "Not clean" in client.get(f"/console/patrols/tasks/{task.id}?lang=en").text


def test_p7_an_item_without_failure_wording_is_titled_from_its_standard(pw, app):
    from kiosk.patrols.labels import finding

    item = _items(pw.template("public_area").current, "lobby")[0]
    item.fail_zh = item.fail_en = ""
    with app.test_request_context("/?lang=zh_Hans_CN"):
        assert finding(item) == "不合格：大堂卫生良好"


# --- P6: an ad hoc patrol end to end ---------------------------------------------------


def test_p6_an_extra_patrol_for_bad_weather_walked_on_the_tablet_and_reviewed_apart(tablet, client, pw):
    template = pw.template("garbage_room")
    page, officer = _run_page(tablet, f"/patrol/adhoc/{template.id}")
    assert 'name="reason"' in page.text and 'value="weather"' in page.text
    patrol_key = key()
    assert (
        post(
            tablet,
            "/patrol/start",
            {
                "idempotency_key": key(),
                "action_at": "",
                "patrol": patrol_key,
                "officer": officer,
                "template": template.id,
                "reason": "weather",
                "note": "台风过境后加巡",
            },
        ).status_code
        == 204
    )
    patrol = db.session.scalar(sa.select(Patrol).where(Patrol.uuid == patrol_key))
    assert patrol.reason == "weather" and patrol.occurrence_id is None and patrol.schedule_id is None
    version = templates.load_version(patrol.version_id)
    for stop in walk.load_stops(patrol):
        cp = stop.checkpoint
        assert (
            post(
                tablet,
                "/patrol/scan",
                {"idempotency_key": key(), "action_at": "", "patrol": patrol_key, "code": cp.code, "typed": "1"},
            ).status_code
            == 204
        )
        for item in _items(version, cp.kind):
            assert (
                post(
                    tablet,
                    "/patrol/answer",
                    {
                        "idempotency_key": key(),
                        "action_at": "",
                        "patrol": patrol_key,
                        "checkpoint": cp.id,
                        "item": item.id,
                        "result": "pass",
                    },
                ).status_code
                == 204
            )
    assert (
        post(tablet, "/patrol/finish", {"idempotency_key": key(), "action_at": "", "patrol": patrol_key}).status_code
        == 204
    )
    db.session.expire_all()
    patrol = db.session.get(Patrol, patrol.id)
    assert patrol.finished_at is not None and not patrol.incomplete

    _sign_in_supervisor(client)
    listing = client.get("/console/patrols/records?lang=en").text
    row = re.search(r"<tr>(?:(?!</tr>).)*Bad weather(?:(?!</tr>).)*</tr>", listing, re.S).group(0)
    assert "Garbage room and waste sorting check" in row  # its checklist, not a schedule's name
    detail = client.get(f"/console/patrols/records/{patrol.id}?lang=en").text
    assert "Bad weather" in detail and "台风过境后加巡" in detail
    assert "Incomplete" not in detail
