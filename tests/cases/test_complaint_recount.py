"""C3, C7, C10: working-day deadlines counted Monday to Friday through a year whose holidays
were not known yet are counted again when the manager imports that year: a complaint's, a
reopened work order's fix, a special service's payment notice."""

from datetime import UTC, date, datetime

import sqlalchemy as sa
import time_machine

from kiosk.calendar import schedule
from kiosk.cases import complaints, orders, recount, services
from kiosk.extensions import db
from kiosk.models import AuditEvent, Role
from kiosk.models.case_complaints import Grade
from kiosk.models.cases import CaseEvent
from tests.calendar.test_workdays_table import TEST_2027
from tests.cases.helpers import done_order
from tests.cases.test_complaints import _graded, _local
from tests.cases.test_services import _booked

RECEIVED = _local(2027, 2, 4, 10, 0)  # a Thursday; the (test) Spring Festival is 5-11 February


def _import_2027(world, now):
    parsed = schedule.parse(TEST_2027, 2027)
    schedule.import_year(2027, parsed, world.user(Role.MANAGER), now)
    return recount.recount_deadlines(date(2027, 1, 1), date(2027, 12, 31), now, world.user(Role.MANAGER))


def test_c3_open_complaint_deadlines_move_past_the_holidays_once_the_year_is_known(world):
    with time_machine.travel(RECEIVED, tick=False):
        case = _graded(world, RECEIVED, grade=Grade.MAJOR)
        # nobody knows 2027 yet: counted Monday to Friday
        assert (case.rectify_due, case.answer_cap) == (date(2027, 2, 5), date(2027, 2, 15))
        version = case.version
        assert _import_2027(world, RECEIVED) == 1
        db.session.commit()
    assert case.rectify_due == date(2027, 2, 12)  # 1 working day: the first after the holidays
    assert case.answer_cap == date(2027, 2, 19)  # 7 working days, the make-up Saturday the 13th counted
    assert case.answer_due == date(2027, 2, 6)  # 2 calendar days, within the cap
    assert case.version == version + 1  # a page holding the old state is told it changed
    event = db.session.scalar(sa.select(CaseEvent).where(CaseEvent.action == "deadline_recounted"))
    assert event.complaint_id == case.id and "2027-02-05 → 2027-02-12" in event.note


def test_c3_recount_leaves_passed_missed_and_paused_deadlines_alone(world):
    with time_machine.travel(RECEIVED, tick=False):
        late = _graded(world, RECEIVED, grade=Grade.MAJOR)
        paused = _graded(world, RECEIVED, grade=Grade.MAJOR)
        complaints.pause(paused, world.user(Role.RECEPTIONIST), "客户出差", RECEIVED)
        complaints.resume(paused, world.user(Role.RECEPTIONIST), RECEIVED)
        db.session.commit()
        paused_due = paused.rectify_due
    monday = datetime(2027, 2, 8, 2, 0, tzinfo=UTC)  # the 5th has passed: the rectification is late
    with time_machine.travel(monday, tick=False):
        complaints.mark_missed(late, monday)
        _import_2027(world, monday)
        db.session.commit()
    assert late.rectify_missed and late.rectify_due == date(2027, 2, 5)  # missed stays missed
    assert late.answer_missed and late.answer_cap == date(2027, 2, 15)  # its 2 days passed on the 6th
    assert paused.rectify_due == paused_due  # moved by a pause: kept, not replayed


def test_c10_reopened_order_fix_moves_past_the_holidays_once_the_year_is_known(world):
    """The callback on Thursday 4 February 2027 found a problem: the fix is owed the next
    working day, the 5th counted Monday to Friday, the 12th once the Spring Festival is known."""
    with time_machine.travel(RECEIVED, tick=False):
        order = done_order(world, RECEIVED)
        orders.callback(
            order, world.user(Role.OFFICER), satisfied=False, fee_confirmed=True, note="仍漏水", now=RECEIVED
        )
        db.session.commit()
        assert order.fix_due == date(2027, 2, 5)
        version = order.version
        assert _import_2027(world, RECEIVED) == 1
        db.session.commit()
    assert order.fix_due == date(2027, 2, 12) and order.version == version + 1
    event = db.session.scalar(
        sa.select(CaseEvent).where(CaseEvent.work_order_id == order.id).order_by(CaseEvent.id.desc())
    )
    assert event.action == "deadline_recounted" and event.note == "2027-02-05 → 2027-02-12"


def test_c7_payment_notice_moves_past_the_holidays_unless_already_given(world):
    """Two services done on Thursday 4 February 2027: the payment notice is owed the working
    day after; the one already given keeps its record, the one owed moves to the 12th."""
    with time_machine.travel(RECEIVED, tick=False):
        owed, given = _booked(world, RECEIVED), _booked(world, RECEIVED)
        for service in (owed, given):
            services.done(service, world.user(Role.DEPARTMENT), "已完成", RECEIVED)
        services.payment_notice(given, world.user(Role.RECEPTIONIST), fee_cents=8000, now=RECEIVED)
        db.session.commit()
        assert owed.notice_due == given.notice_due == date(2027, 2, 5)
        assert _import_2027(world, RECEIVED) == 1
        db.session.commit()
    assert owed.notice_due == date(2027, 2, 12)
    assert given.notice_due == date(2027, 2, 5)  # given on time: nothing to count again
    assert owed.callback_due == date(2027, 2, 6)  # 2 calendar days: holidays do not move it
    audited = db.session.scalar(sa.select(AuditEvent).where(AuditEvent.action == "special_service.deadlines_recounted"))
    assert audited.details["special_services"] == {str(owed.id): "2027-02-05 → 2027-02-12"}


def test_c7_c10_passed_deadlines_are_not_recounted(world):
    """Imported on the 8th, after the provisional 5th had passed: missed stays missed."""
    with time_machine.travel(RECEIVED, tick=False):
        order = done_order(world, RECEIVED)
        orders.callback(order, world.user(Role.OFFICER), satisfied=False, fee_confirmed=True, note=None, now=RECEIVED)
        service = _booked(world, RECEIVED)
        services.done(service, world.user(Role.DEPARTMENT), None, RECEIVED)
        db.session.commit()
    monday = datetime(2027, 2, 8, 2, 0, tzinfo=UTC)
    with time_machine.travel(monday, tick=False):
        assert _import_2027(world, monday) == 0
        db.session.commit()
    assert order.fix_due == service.notice_due == date(2027, 2, 5)
