"""Coordination requests (C9): one department answers on time, one late, one not at all;
the request shows who has not answered and who is overdue; signed answers are final (S2)."""

import base64
import io
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from PIL import Image, ImageDraw

from kiosk.cases import Refused, coordination
from kiosk.cases import overdue as late
from kiosk.extensions import db
from kiosk.models import DepartmentKind, Role
from kiosk.models.cases import CoordinationRequest
from kiosk.signatures import StoredSignature
from kiosk.timeutil import utcnow
from tests.statements import recorded_statements

SHANGHAI = ZoneInfo("Asia/Shanghai")

SIGNED = StoredSignature(path="sig/x.png", sha256="0" * 64, width=10, height=10)


def _request(world, now):
    depts = [
        world.departments[k] for k in (DepartmentKind.ENGINEERING, DepartmentKind.SECURITY, DepartmentKind.CLEANING)
    ]
    row = coordination.create(
        world.site,
        user=world.user(Role.SUPERVISOR),
        matter="地下车库漏水影响多户车辆，需工程、保安、保洁协同处理",
        departments=depts,
        due=coordination.to_local(now, "Asia/Shanghai").date() + timedelta(days=2),
        now=now,
    )
    db.session.commit()
    return row


def test_c9_one_department_late_one_outstanding(world):
    now = utcnow()
    row = _request(world, now)
    engineering = world.departments[DepartmentKind.ENGINEERING]
    security = world.departments[DepartmentKind.SECURITY]
    coordination.answer(row, engineering.id, world.user(Role.DEPARTMENT), text="已安排堵漏", signature=SIGNED, now=now)
    later = now + timedelta(days=4)
    with time_machine.travel(later, tick=False):
        coordination.answer(
            row, security.id, world.user(Role.SUPERVISOR), text="已安排车辆挪移", signature=SIGNED, now=utcnow()
        )
        today = coordination.to_local(utcnow(), "Asia/Shanghai").date()
        waiting = coordination.waiting_for(row)
        assert [a.department.kind for a in waiting] == [DepartmentKind.CLEANING]
        assert coordination.is_overdue(waiting[0], today)
        overdue = late.count(world.site, utcnow())  # the dashboard's count, by the department that is late
        assert overdue.by_kind["coordination"] == 1
        assert [(d.department.kind, d.kinds) for d in overdue.by_department] == [
            (DepartmentKind.CLEANING, {"coordination": 1})
        ]
    answers = {a.department.kind: a for a in row.answers}
    assert not answers[DepartmentKind.ENGINEERING].late and answers[DepartmentKind.SECURITY].late
    assert row.closed_at is None


def test_c9_department_answers_only_for_itself_and_once(world):
    now = utcnow()
    row = _request(world, now)
    with pytest.raises(Refused):
        coordination.answer(
            row,
            world.departments[DepartmentKind.CLEANING].id,
            world.user(Role.DEPARTMENT),
            text="x",
            signature=SIGNED,
            now=now,
        )
    engineering = world.departments[DepartmentKind.ENGINEERING].id
    with pytest.raises(Refused):
        coordination.answer(row, engineering, world.user(Role.DEPARTMENT), text="x", signature=None, now=now)
    coordination.answer(row, engineering, world.user(Role.DEPARTMENT), text="好", signature=SIGNED, now=now)
    with pytest.raises(Refused) as refused:
        coordination.answer(row, engineering, world.user(Role.DEPARTMENT), text="改", signature=SIGNED, now=now)
    assert refused.value.reason == "locked"


def test_c9_only_supervisors_send_requests(world):
    with pytest.raises(Refused):
        coordination.create(
            world.site,
            user=world.user(Role.RECEPTIONIST),
            matter="x",
            departments=[world.departments[DepartmentKind.CLEANING]],
            due=utcnow().date(),
            now=utcnow(),
        )


def test_c9_through_the_pages_signed_answer(client, world):
    client.login("supervisor")
    today = coordination.to_local(utcnow(), "Asia/Shanghai").date()
    response = client.post_form(
        "/console/cases/coordination/new",
        {
            "matter": "消防通道堵塞，需保安与工程协同",
            "due": (today + timedelta(days=1)).isoformat(),
            "departments": [
                str(world.departments[DepartmentKind.ENGINEERING].id),
                str(world.departments[DepartmentKind.SECURITY].id),
            ],
        },
    )
    assert response.status_code == 303
    row = db.session.query(CoordinationRequest).one()
    client.login("engineer")
    page = f"/console/cases/coordination/{row.id}"
    assert "消防通道" in client.get(page).get_data(as_text=True)
    image = Image.new("RGB", (300, 120), "white")
    ImageDraw.Draw(image).line([(10, 60), (290, 70), (150, 20), (200, 110)], fill="black", width=5)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    signature = "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode()
    department = str(world.departments[DepartmentKind.ENGINEERING].id)
    unsigned = client.post_form(f"{page}/answer", {"department": department, "answer": "已清理"}, page=page)
    assert unsigned.status_code == 422
    signed = client.post_form(
        f"{page}/answer", {"department": department, "answer": "已清理", "signature": signature}, page=page
    )
    assert signed.status_code == 303
    client.login("supervisor")
    body = client.get("/console/cases/board").get_data(as_text=True)
    assert row.code in body


def test_c9_coordination_list_sends_as_many_statements_for_30_rows_as_for_3(client, world):
    """C9: the supervisor's list of open coordination requests (each with the departments
    that have not answered, overdue ones marked) sends the same statements for 33 requests as
    for 3: no query per request or per answer."""
    engineering = world.departments[DepartmentKind.ENGINEERING].id
    counts, made = [], []
    with time_machine.travel(datetime(2026, 3, 2, 10, 0, tzinfo=SHANGHAI), tick=False):
        today = coordination.to_local(utcnow(), "Asia/Shanghai").date()
        client.login("supervisor")
        for n in (3, 30):
            for i in range(n):
                row = _request(world, utcnow() - timedelta(days=i % 5))  # due 2 days after: some overdue
                if i % 2:
                    coordination.answer(
                        row, engineering, world.user(Role.DEPARTMENT), text="已安排", signature=SIGNED, now=utcnow()
                    )
                made.append(row)
            db.session.commit()
            with recorded_statements() as statements:
                response = client.get("/console/cases/coordination")
            assert response.status_code == 200
            body = response.get_data(as_text=True)
            assert all(f'/console/cases/coordination/{r.id}"' in body for r in made)  # every request is listed
            assert ("badge-danger" in body) == any(r.due < today for r in made)  # overdue marked (30 rows: some)
            counts.append(len(statements))
    assert counts[0] == counts[1]
