"""H1: open intake items and complaints are pending items of the shift handover, with their
deadlines (C1-C3), late ones first, kept on the signed log; no caller names; bounded queries."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import time_machine

from kiosk.cases import complaints
from kiosk.extensions import db
from kiosk.handover import pending, shifts
from kiosk.models import DepartmentKind, Role
from kiosk.models.case_complaints import Complaint, Grade
from kiosk.models.cases import Intake, IntakeClass
from kiosk.timeutil import utcnow
from tests.cases.helpers import call
from tests.keys import kit
from tests.statements import recorded_statements

# A Tuesday morning in Shanghai (a working day, so complaint deadlines are plain).
MORNING = datetime(2026, 3, 10, 10, 0, tzinfo=ZoneInfo(kit.TZ))


def _group(groups, key="cases"):
    return next(group for group in groups if group["key"] == key)


def _open_items(world, now):
    late_reply = call(
        world, IntakeClass.INQUIRY, now - timedelta(hours=3), reply_due_at=now - timedelta(hours=1), household=0
    )
    reply = call(world, IntakeClass.INQUIRY, now, reply_due_at=now + timedelta(hours=4), household=1)
    issue = call(world, IntakeClass.ISSUE, now, department=world.departments[DepartmentKind.ENGINEERING], household=2)
    answered = call(world, IntakeClass.INQUIRY, now, answer="周六停水", household=1)  # closed: not pending
    complaint_call = call(world, IntakeClass.COMPLAINT, now - timedelta(minutes=5), household=1)
    case = db.session.query(Complaint).filter_by(intake_id=complaint_call.id).one()
    return late_reply, reply, issue, answered, case


def test_h1_open_intake_items_and_complaints_are_pending_with_their_deadlines(world):
    with time_machine.travel(MORNING, tick=False):
        now = utcnow()
        late_reply, reply, issue, answered, case = _open_items(world, now)
        group = _group(pending.gather(world.site.id, now))
    # Three intake items still open (the complaint's intake was routed, the answered one closed) + the case.
    assert group["total"] == 4 and len(group["items"]) == 4
    first = group["items"][0]
    assert first["late"] and f"#{late_reply.id}" in first["detail"] and "待答复" in first["detail"]
    assert datetime.fromisoformat(first["due"]) == late_reply.reply_due_at
    by_reference = {item["detail"].split(" · ")[0]: item for item in group["items"]}
    assert set(by_reference) == {f"#{late_reply.id}", f"#{reply.id}", f"#{issue.id}", case.code}
    assert not by_reference[f"#{reply.id}"]["late"]
    assert datetime.fromisoformat(by_reference[f"#{reply.id}"]["due"]) == reply.reply_due_at
    assert "待部门核实" in by_reference[f"#{issue.id}"]["detail"] and by_reference[f"#{issue.id}"]["due"] is None
    complaint = by_reference[case.code]
    assert "待核实是否有效" in complaint["detail"] and datetime.fromisoformat(complaint["due"]) == case.notify_due_at
    assert complaint["text"] == world.rooms[1].label
    names = {h.name for h in world.households} | {h.phone for h in world.households}
    assert not any(name in str(group) for name in names)  # no caller names or phones on the log


def test_h1_a_complaint_shows_its_next_deadline_as_it_moves_along(world):
    with time_machine.travel(MORNING, tick=False):
        now = utcnow()
        *_, case = _open_items(world, now)
        complaints.check_validity(case, world.user(Role.RECEPTIONIST), valid=True, explanation=None, now=now)
        db.session.commit()
        complaint = next(i for i in _group(pending.gather(world.site.id, now))["items"] if case.code in i["detail"])
        assert "待定级并派发部门" in complaint["detail"]
        assert datetime.fromisoformat(complaint["due"]) == case.notify_due_at
        complaints.grade(
            case,
            world.user(Role.SUPERVISOR),
            grade=Grade.GENERAL,
            reason="影响休息",
            department=world.departments[DepartmentKind.ENGINEERING],
            now=now,
        )
        db.session.commit()
        complaint = next(i for i in _group(pending.gather(world.site.id, now))["items"] if case.code in i["detail"])
        assert "待首次答复" in complaint["detail"]
    # Three working days later nothing was answered: the first answer is late.
    with time_machine.travel(MORNING + timedelta(days=7), tick=False):
        complaint = next(
            i for i in _group(pending.gather(world.site.id, utcnow()))["items"] if case.code in i["detail"]
        )
        assert complaint["late"]


def test_h1_the_signed_log_keeps_the_open_cases_as_handed_over(world):
    with time_machine.travel(MORNING, tick=False):
        now = utcnow()
        late_reply, *_ = _open_items(world, now)
        log = shifts.open_log(world.site.id, world.users[Role.RECEPTIONIST], now - timedelta(hours=2), kit.TZ)
        shifts.sign(log, world.users[Role.RECEPTIONIST], now, signature=kit.SIGNED)
        db.session.commit()
        from kiosk.cases import intake

        intake.close(db.session.get(Intake, late_reply.id), world.user(Role.RECEPTIONIST), "已回电答复", now)
        db.session.commit()
        assert _group(pending.gather(world.site.id, now))["total"] == 3  # live: one fewer
        kept = _group(db.session.get(type(log), log.id).pending)
        assert kept["total"] == 4 and any(f"#{late_reply.id}" in i["detail"] for i in kept["items"])


def test_h1_open_cases_on_the_handover_in_a_constant_number_of_statements(world):
    with time_machine.travel(MORNING, tick=False):
        now = utcnow()
        _open_items(world, now)
        db.session.expire_all()
        with recorded_statements() as few:
            pending.gather(world.site.id, now)
        for index in range(8):
            call(world, IntakeClass.INQUIRY, now, reply_due_at=now + timedelta(hours=1 + index), household=index % 3)
            call(world, IntakeClass.COMPLAINT, now, household=index % 3)
        db.session.expire_all()
        with recorded_statements() as many:
            groups = pending.gather(world.site.id, now)
        assert _group(groups)["total"] == 4 + 16
        assert len(many) == len(few), (len(few), len(many))
