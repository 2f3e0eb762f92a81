"""Each role's home page says what needs that person now (counts that link to the lists),
and the console's menu shows each role only the groups it may use."""

import re
from datetime import timedelta

import pytest
import sqlalchemy as sa

from kiosk.extensions import db
from kiosk.models import Role, VisitStatus
from tests.world import USERNAMES


def _counter(page: str, label: str) -> tuple[int, str] | None:
    match = re.search(
        r'<a class="counter[^"]*" href="([^"]+)">\s*<span class="counter-n">(\d+)</span>'
        rf'<span class="counter-label">{re.escape(label)}</span>',
        page,
    )
    return (int(match.group(2)), match.group(1)) if match else None


def _groups(page: str) -> list[str]:
    """The menu groups' names (each summary may end in its badge, filled in later)."""
    return re.findall(r"<summary[^>]*>\s*([^<]+?)\s*(?:<span[^>]*>[^<]*</span>\s*)?</summary>", page)


@pytest.mark.parametrize(
    "role, present, absent",
    [
        (Role.SUPERVISOR, ["Front desk", "Patrols", "Admin"], []),
        (Role.OFFICER, ["Patrols"], ["Front desk", "Admin"]),
        (Role.DEPARTMENT, ["Patrols"], ["Front desk", "Admin"]),
        (Role.ADMIN, ["Admin"], ["Front desk", "Patrols"]),
    ],
)
def test_the_menu_holds_only_the_groups_a_role_may_use(client, world, role, present, absent):
    client.login(USERNAMES[role])
    groups = _groups(client.get("/console/?lang=en").text)
    for group in present:
        assert group in groups
    for group in absent:
        assert group not in groups


def test_the_front_desk_counts_waiting_visitors_and_links_to_the_board(client, world, app):
    from tests.visit_factory import make_visit

    for status in (VisitStatus.WAITING, VisitStatus.WAITING, VisitStatus.HELD, VisitStatus.LEFT):
        make_visit(world.site, room=world.rooms[0], status=status)
    db.session.commit()
    client.login(USERNAMES[Role.SUPERVISOR])
    page = client.get("/console/?lang=en").text
    assert _counter(page, "Visitors waiting for their host") == (2, "/console/lobby/")
    assert _counter(page, "Visitors held for a decision") == (1, "/console/lobby/")


def test_counters_at_zero_are_hidden_unless_always_shown(client, world):
    client.login(USERNAMES[Role.SUPERVISOR])
    page = client.get("/console/?lang=en").text
    assert _counter(page, "Visitors waiting for their host") == (0, "/console/lobby/")
    assert _counter(page, "Visitors held for a decision") is None


def test_department_staff_count_only_their_departments_overdue_tasks(client, world, pw):
    """P7: a department sees its own rectification tasks; a deadline passed counts as overdue."""
    from kiosk.models import DepartmentKind
    from kiosk.models.patrols import Task
    from kiosk.timeutil import local_now
    from tests import patrol_rows

    patrol_rows.open_tasks(pw, 10)  # two per department
    today = local_now(world.site.timezone).date()
    engineering = world.departments[DepartmentKind.ENGINEERING]
    for department in world.departments.values():
        tasks = db.session.scalars(sa.select(Task).where(Task.department_id == department.id)).all()
        tasks[0].deadline, tasks[1].deadline = today - timedelta(days=1), today + timedelta(days=3)
    db.session.commit()
    client.login(USERNAMES[Role.DEPARTMENT])  # engineering
    page = client.get("/console/?lang=en").text
    assert _counter(page, "Rectification tasks past their deadline") == (1, "/console/patrols/tasks")
    assert _counter(page, "Open rectification tasks") == (2, "/console/patrols/tasks")
    assert engineering.id == world.users[Role.DEPARTMENT].department_id


def _nav(page: str) -> str:
    return page.split('<nav class="mainnav"', 1)[1].split("</nav>", 1)[0]


def test_the_menu_is_drawn_once_per_language_page_and_role_menu_and_never_shown_to_the_wrong_one(app, client, world):
    """The top menu's HTML is kept (templating.console_nav_html): the same page again does not
    draw it again, and what is kept never crosses a language, a page or a role's menu."""
    from flask import template_rendered

    drawn = []

    def seen(_sender, template, context, **_extra):
        if template.name == "console/_nav.html":
            drawn.append(template.name)

    template_rendered.connect(seen, app)
    try:
        client.login(USERNAMES[Role.SUPERVISOR])
        home = client.get("/console/?lang=en").text
        assert _nav(client.get("/console/?lang=en").text) == _nav(home)
        assert len(drawn) == 1
        assert "Admin" in _groups(home) and 'href="/console/" aria-current="page"' in _nav(home)
        chinese = client.get("/console/?lang=zh_Hans_CN").text
        assert len(drawn) == 2 and "前台接待" in _groups(chinese) and "Front desk" not in _groups(chinese)
        callbacks = _nav(client.get("/console/cases/callbacks?lang=en").text)
        assert len(drawn) == 3
        assert 'href="/console/cases/callbacks" aria-current="page"' in callbacks
        assert callbacks.count('aria-current="page"') == 1
        client.post_form("/auth/logout", page="/console/?lang=en")
        client.login(USERNAMES[Role.OFFICER])
        officer = client.get("/console/?lang=en").text
        assert len(drawn) == 4
        assert (
            "Patrols" in _groups(officer) and "Admin" not in _groups(officer) and "Front desk" not in _groups(officer)
        )
    finally:
        template_rendered.disconnect(seen, app)
