"""What needs acting on in patrols now, counted for the console's home page (navigation
counters): each function is `(site_id, user) -> int` and runs one bounded COUNT. Department
staff count their own department's tasks; everyone else the whole site's (P7)."""

import sqlalchemy as sa

from kiosk.extensions import db
from kiosk.models import Role, Site
from kiosk.models.patrols import Task, TaskStatus
from kiosk.timeutil import local_now


def _tasks(site_id: int, user, status: TaskStatus):
    query = sa.select(sa.func.count(Task.id)).where(Task.site_id == site_id, Task.status == status)
    if user.role == Role.DEPARTMENT:
        query = query.where(Task.department_id == user.department_id)
    return query


def open_tasks(site_id: int, user) -> int:
    return db.session.scalar(_tasks(site_id, user, TaskStatus.OPEN)) or 0


def overdue_tasks(site_id: int, user) -> int:
    """Open tasks past their rectification deadline (P7)."""
    site = db.session.get(Site, site_id)
    today = local_now(site.timezone).date()
    return db.session.scalar(_tasks(site_id, user, TaskStatus.OPEN).where(Task.deadline < today)) or 0


def fixed_to_verify(site_id: int, user) -> int:
    """Tasks the department says are fixed, waiting for a supervisor to verify."""
    return db.session.scalar(_tasks(site_id, user, TaskStatus.FIXED)) or 0
