"""P7: a rectification task's deadline counted through an unknown year says
"provisional" on the task pages until that year's schedule is imported."""

from datetime import UTC, date, datetime

import sqlalchemy as sa
import time_machine

from kiosk.extensions import db
from kiosk.models import AuditEvent, Role
from tests.calendar.test_workdays_table import TEST_2027
from tests.patrols.test_tasks import _fail

FOUND = datetime(2027, 2, 4, 1, 0, tzinfo=UTC)  # a Thursday, 09:00 in Shanghai


def test_p7_task_deadline_in_2027_is_provisional_until_the_year_is_imported(pw, client):
    with time_machine.travel(FOUND, tick=False):
        task = _fail(pw, days=1, at=FOUND)  # an item to put right within 1 working day
        assert task.deadline == date(2027, 2, 5)  # Monday to Friday: nobody knows 2027 yet
        client.login("supervisor")
        for page in ("/console/patrols/tasks?lang=en", f"/console/patrols/tasks/{task.id}"):
            body = client.get(page).get_data(as_text=True)
            assert "data-provisional" in body, page
        client.login("manager")
        answer = client.post_form("/console/calendar/import", {"year": "2027", "text": TEST_2027})
        body = client.get(answer.headers["Location"] + "&lang=en").get_data(as_text=True)
        assert "The deadlines of 1 open item were counted again" in body
        page = client.get(f"/console/patrols/tasks/{task.id}?lang=en").get_data(as_text=True)
        assert "data-provisional" not in page
        # the deadline counted Monday to Friday moved past the holidays now known
        db.session.refresh(task)
        assert task.deadline == date(2027, 2, 12)
        assert "Deadline counted again with the holiday schedule" in page and "2027-02-05 → 2027-02-12" in page
        assert db.session.scalar(sa.select(AuditEvent).where(AuditEvent.action == "patrol.task_deadlines_recounted"))
        later = _fail(pw, days=1, checkpoint_index=1, at=FOUND)
        assert later.deadline == date(2027, 2, 12)  # after the (test) Spring Festival: the same day


def test_p7_a_deadline_already_passed_is_not_recounted_missed_stays_missed(pw, client):
    with time_machine.travel(FOUND, tick=False):
        task = _fail(pw, days=1, at=FOUND)
        assert task.deadline == date(2027, 2, 5)
    monday = datetime(2027, 2, 15, 2, 0, tzinfo=UTC)  # 10:00 in Shanghai, after the (test) Spring Festival
    with time_machine.travel(monday, tick=False):  # Friday the 5th has passed
        client.login("manager")
        client.post_form("/console/calendar/import", {"year": "2027", "text": TEST_2027})
        db.session.refresh(task)
        assert task.deadline == date(2027, 2, 5)  # late on the day it was due, whatever came after
        # a single date set later moves an open deadline still ahead
        fresh = _fail(pw, days=1, checkpoint_index=1, at=monday)
        assert fresh.deadline == date(2027, 2, 16)
        client.post_form("/console/calendar/days", {"day": "2027-02-16", "kind": "holiday", "name": "局部停工"})
        db.session.refresh(fresh), db.session.refresh(task)
        assert (fresh.deadline, task.deadline) == (date(2027, 2, 17), date(2027, 2, 5))


def test_p7_task_deadline_in_a_known_year_is_not_provisional(pw, client):
    found = datetime(2026, 9, 30, 1, 0, tzinfo=UTC)
    with time_machine.travel(found, tick=False):
        task = _fail(pw, days=1, at=found)
        assert task.deadline == date(2026, 10, 8)  # after National Day
        client.login(pw.world.users[Role.MANAGER].username)
        assert "data-provisional" not in client.get(f"/console/patrols/tasks/{task.id}").get_data(as_text=True)
