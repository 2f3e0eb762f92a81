"""P7: a rectification task's deadline counted through an unknown year says
"provisional" on the task pages until that year's schedule is imported."""

from datetime import UTC, date, datetime

import time_machine

from kiosk.models import Role
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
        client.post_form("/console/calendar/import", {"year": "2027", "text": TEST_2027})
        assert "data-provisional" not in client.get(f"/console/patrols/tasks/{task.id}").get_data(as_text=True)
        later = _fail(pw, days=1, checkpoint_index=1, at=FOUND)
        assert later.deadline == date(2027, 2, 12)  # after the (test) Spring Festival


def test_p7_task_deadline_in_a_known_year_is_not_provisional(pw, client):
    found = datetime(2026, 9, 30, 1, 0, tzinfo=UTC)
    with time_machine.travel(found, tick=False):
        task = _fail(pw, days=1, at=found)
        assert task.deadline == date(2026, 10, 8)  # after National Day
        client.login(pw.world.users[Role.MANAGER].username)
        assert "data-provisional" not in client.get(f"/console/patrols/tasks/{task.id}").get_data(as_text=True)
