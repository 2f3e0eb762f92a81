"""The printable work order (C10: the order is written and goes to engineering; C11: its
number on every copy) read from a live server over a socket, as a browser receives it after
the view returned and its database session is gone: three copies and the print stylesheet."""

import re
from datetime import datetime
from zoneinfo import ZoneInfo

import sqlalchemy as sa
import time_machine

from kiosk.cases import orders
from kiosk.extensions import db
from kiosk.models import AuditEvent, DepartmentKind, Role
from kiosk.models.case_orders import RepairCategory
from kiosk.timeutil import utcnow
from tests.live import LiveClient, serving

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=ZoneInfo("Asia/Shanghai"))  # a Monday
COPIES = ("第一联 客户留存", "第二联 工程部留存", "第三联 客服中心留存")  # customer, engineering, customer service
STYLESHEET = re.compile(r'<link rel="stylesheet" href="(/static/css/cases-print\.css\?v=[0-9a-f]+)">')


def test_c10_c11_printable_work_order_from_a_live_server_has_three_copies_and_its_stylesheet(app, world):
    with time_machine.travel(NOW, tick=True):
        order = orders.create(
            world.site,
            user=world.user(Role.RECEPTIONIST),
            now=utcnow(),
            content="卫生间地漏反水",
            category=RepairCategory.PLUMBING,
            contact_name="张三",
            household=world.households[0],
        )
        orders.dispatch(order, world.user(Role.RECEPTIONIST), world.departments[DepartmentKind.ENGINEERING], utcnow())
        db.session.commit()
        order_id, code = order.id, order.code
        with serving(app) as server:
            client = LiveClient(server.url)
            client.login("reception")
            reply = client.get(f"/console/cases/orders/{order_id}/print")
            link = STYLESHEET.search(reply.text)
            stylesheet = client.get(link.group(1)) if link else None
    assert reply.status == 200 and reply.headers["Content-Type"].startswith("text/html")
    page = reply.text
    assert page.rstrip().endswith("</html>")  # whole, not cut off
    assert page.count('<section class="copy">') == 3
    assert [page.count(label) for label in COPIES] == [1, 1, 1]
    assert page.index(COPIES[0]) < page.index(COPIES[1]) < page.index(COPIES[2])
    assert page.count(f"{code} · ") == 3 and "卫生间地漏反水" in page and "1-1-0101" in page  # on every copy
    assert link, "no print stylesheet linked"
    assert stylesheet.status == 200 and stylesheet.headers["Content-Type"].startswith("text/css")
    assert b".copy" in stylesheet.body
    printed = db.session.scalars(sa.select(AuditEvent).where(AuditEvent.action == "work_order.printed")).all()
    assert [(e.entity_id, e.user_id) for e in printed] == [(str(order_id), world.user(Role.RECEPTIONIST).id)]
