"""Repair work orders (C10, C11): consecutive numbers under concurrency, voiding, late
dispatch, same-day follow-up, the repeat flag, the callback and a reopen."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import sqlalchemy as sa
import time_machine

from kiosk import workdays
from kiosk.cases import Refused, board, intake, orders
from kiosk.cases.intake import Call
from kiosk.extensions import db
from kiosk.models import AuditEvent, DepartmentKind, Role, Site, User
from kiosk.models.case_orders import OrderStatus, RepairCategory, WorkOrder
from kiosk.models.cases import Channel, Intake, IntakeClass, IntakeStatus
from kiosk.timeutil import utcnow
from tests.cases.helpers import done_order
from tests.concurrency import all_at_once

SHANGHAI = ZoneInfo("Asia/Shanghai")


def _order(world, now, *, household=0, category=RepairCategory.PLUMBING, user=Role.RECEPTIONIST):
    order = orders.create(
        world.site,
        user=world.user(user),
        now=now,
        content="水龙头漏水",
        category=category,
        contact_name="张三",
        household=world.households[household] if household is not None else None,
    )
    db.session.commit()
    return order


def _all_at_once(app, world, writes) -> list[Exception]:
    """Each write(site, user) as one of concurrent writers (tests/concurrency.py)."""
    site_id, user_id = world.site.id, world.user(Role.RECEPTIONIST).id

    def as_receptionist(write):
        return lambda: write(db.session.get(Site, site_id), db.session.get(User, user_id))

    return all_at_once(app, [as_receptionist(write) for write in writes])


def _numbers(site_id: int) -> list[int]:
    return sorted(db.session.scalars(sa.select(WorkOrder.number).where(WorkOrder.site_id == site_id)))


def test_c11_fifty_concurrent_creations_number_1_to_50(app, world):
    """50 threads, each with its own session and transaction, create orders at once: the
    numbers are exactly 1..50, no gap, no duplicate (C11)."""

    def create(site, user):
        orders.create(site, user=user, now=utcnow(), content="并发", category=RepairCategory.OTHER, contact_name="并发")

    assert _all_at_once(app, world, [create] * 50) == []
    assert _numbers(world.site.id) == list(range(1, 51))
    assert orders.numbering_gaps(world.site.id, orders.local_date(world.site, utcnow()).year) == []


def test_c11_orders_from_the_phone_and_from_kiosk_reports_at_once_wait_in_line_not_crosswise(app, world):
    """Two ways to a work order take two counters: the dashboard's change counter (C8, moved
    by the intake record's flush) and the (site, year) number (C11). A call logged as a
    repair flushes its intake record first; a kiosk report routed later used to take the
    number first. On PostgreSQL the two then waited on each other crosswise and one died
    of a deadlock. 30 writers, half each way, all at once: every one lands, numbers 1..30."""
    reported = []
    for n in range(15):
        entry = Intake(
            site_id=world.site.id,
            received_at=utcnow(),
            channel=Channel.KIOSK,
            kind=IntakeClass.REPAIR,
            room_id=world.rooms[n % len(world.rooms)].id,
            caller_name="",
            caller_phone="13800000000",
            content=f"大堂终端报修 {n}",
            status=IntakeStatus.OPEN,
        )
        db.session.add(entry)
        db.session.flush()
        reported.append(entry.id)
    db.session.commit()

    def by_phone(site, user):
        call = Call(Channel.PHONE, IntakeClass.REPAIR, "厨房漏水", read_back=True, caller_name="来电")
        intake.log(site, call, user=user, now=utcnow())

    def routed(intake_id):
        return lambda site, user: intake.route_repair(
            site, db.session.get(Intake, intake_id), user, RepairCategory.PLUMBING, utcnow()
        )

    assert _all_at_once(app, world, [routed(ident) for ident in reported] + [by_phone] * 15) == []
    assert _numbers(world.site.id) == list(range(1, 31))


def test_c11_a_rolled_back_creation_leaves_no_gap(world):
    orders.create(
        world.site,
        user=world.user(Role.RECEPTIONIST),
        now=utcnow(),
        content="作废前",
        category=RepairCategory.OTHER,
        contact_name="某",
    )
    db.session.rollback()
    assert _order(world, utcnow()).number == 1
    assert _order(world, utcnow()).code.endswith("-000002")


def test_c11_numbers_are_per_site_and_year(world):
    now = utcnow()
    first = _order(world, now)
    assert first.code == f"WX-{orders.local_date(world.site, now).year}-000001"
    with time_machine.travel(now + timedelta(days=366), tick=False):
        later = _order(world, utcnow())
    assert later.number == 1 and later.year == first.year + 1


def test_c11_voided_order_keeps_its_number_and_reason(world):
    order = _order(world, utcnow())
    with pytest.raises(Refused):
        orders.void(order, world.user(Role.SUPERVISOR), "  ", utcnow())
    orders.void(order, world.user(Role.SUPERVISOR), "客户重复报修", utcnow())
    db.session.commit()
    assert order.status == OrderStatus.VOIDED and order.number == 1 and order.void_reason == "客户重复报修"
    assert _order(world, utcnow()).number == 2
    with pytest.raises(Refused):
        orders.void(order, world.user(Role.SUPERVISOR), "again", utcnow())


def test_c10_dispatch_after_five_minutes_is_flagged_late(world):
    now = utcnow()
    engineering = world.departments[DepartmentKind.ENGINEERING]
    on_time, late = _order(world, now), _order(world, now)
    orders.dispatch(on_time, world.user(Role.RECEPTIONIST), engineering, now + timedelta(minutes=4))
    orders.dispatch(late, world.user(Role.RECEPTIONIST), engineering, now + timedelta(minutes=6))
    assert not on_time.dispatch_late and late.dispatch_late
    waiting = _order(world, now)
    assert orders.is_dispatch_late(waiting, now + timedelta(minutes=5, seconds=1))
    assert not orders.is_dispatch_late(waiting, now + timedelta(minutes=4))


def test_c10_repeat_same_room_and_category_within_90_days(world):
    now = utcnow()
    first = _order(world, now - timedelta(days=89))
    assert _order(world, now).repeat_of_id == first.id
    assert _order(world, now, category=RepairCategory.ELECTRICAL).repeat_of_id is None
    assert _order(world, now, household=1).repeat_of_id is None
    old = _order(world, now - timedelta(days=200), household=2)
    assert _order(world, now, household=2).repeat_of_id is None and old.id


def test_c10_callback_within_two_days_and_reopen_with_one_working_day(world):
    now = utcnow()
    order = _order(world, now)
    orders.dispatch(order, world.user(Role.RECEPTIONIST), world.departments[DepartmentKind.ENGINEERING], now)
    engineer = world.user(Role.DEPARTMENT)
    orders.complete(order, engineer, "已更换阀芯", now)
    today = orders.local_date(world.site, now)
    assert order.callback_due == today + timedelta(days=2)
    orders.callback(order, world.user(Role.OFFICER), satisfied=False, fee_confirmed=True, note="仍有渗水", now=now)
    assert order.status == OrderStatus.DISPATCHED and order.reopened_count == 1
    assert order.fix_due == workdays.add_workdays(today, 1)
    orders.complete(order, engineer, "重新密封", now)
    orders.callback(
        order, world.user(Role.OFFICER), satisfied=True, fee_confirmed=True, note=None, now=now + timedelta(days=3)
    )
    assert order.status == OrderStatus.CLOSED and order.callback_missed  # called back after the 2 days


def test_c10_department_completes_only_its_own_orders(world):
    now = utcnow()
    order = _order(world, now)
    orders.dispatch(order, world.user(Role.RECEPTIONIST), world.departments[DepartmentKind.CLEANING], now)
    with pytest.raises(Refused):
        orders.complete(order, world.user(Role.DEPARTMENT), "", now)  # an engineer, not cleaning


def test_c10_not_finished_the_same_day_is_followed_up(world):
    now = utcnow()
    order = _order(world, now - timedelta(days=1))
    assert orders.needs_follow_up(order, now)
    assert board.overdue(world.site, now)["follow_up"] == 1


def test_c11_illegal_step_is_refused_with_a_message(client, world):
    order = _order(world, utcnow())
    client.login("engineer")
    assert client.get(f"/console/cases/orders/{order.id}").status_code == 404  # not their department yet
    client.login("reception")
    response = client.post_form(
        f"/console/cases/orders/{order.id}/complete", {"version": str(order.version), "note": "x"}
    )
    assert response.status_code == 422
    assert "不可" in response.get_data(as_text=True) or "not possible" in response.get_data(as_text=True)


def test_c10_stale_form_gets_the_new_state_not_an_overwrite(client, world):
    order = _order(world, utcnow())
    stale = order.version
    engineering = world.departments[DepartmentKind.ENGINEERING]
    client.login("reception")
    ok = client.post_form(
        f"/console/cases/orders/{order.id}/dispatch", {"version": str(stale), "department": str(engineering.id)}
    )
    assert ok.status_code == 303
    again = client.post_form(f"/console/cases/orders/{order.id}/void", {"version": str(stale), "note": "重复"})
    assert again.status_code == 409
    db.session.expire_all()
    assert db.session.get(WorkOrder, order.id).status == OrderStatus.DISPATCHED


def test_c10_department_sees_only_its_orders(client, world):
    now = utcnow()
    mine, theirs = _order(world, now), _order(world, now, household=1)
    orders.dispatch(mine, world.user(Role.RECEPTIONIST), world.departments[DepartmentKind.ENGINEERING], now)
    orders.dispatch(theirs, world.user(Role.RECEPTIONIST), world.departments[DepartmentKind.CLEANING], now)
    db.session.commit()
    client.login("engineer")
    body = client.get("/console/cases/orders").get_data(as_text=True)
    assert mine.code in body and theirs.code not in body


def test_c10_printable_work_order_has_three_copies(client, world):
    order = _order(world, utcnow())
    client.login("reception")
    body = client.get(f"/console/cases/orders/{order.id}/print").get_data(as_text=True)
    assert body.count(order.code) >= 3 and "cases-print.css" in body


def test_c10_another_sites_work_order_is_not_found_nor_listed(client, world):
    """Site scoping (C10, C11, S3): a work order of another site is a 404 on its page, its
    printable copies and its steps for this site's staff, and absent from their list; the
    other site's receptionist finds it. Both sites number from 1 (C11: per site)."""
    with time_machine.travel(datetime(2026, 3, 2, 9, 0, tzinfo=SHANGHAI), tick=False):
        here = _order(world, utcnow())
        there = orders.create(
            world.other_site,
            user=world.other_user,
            now=utcnow(),
            content="别处的水管",
            category=RepairCategory.PLUMBING,
            contact_name="赵六",
        )
        db.session.commit()
        assert here.code == there.code  # same number, different sites: only the id tells them apart
        link = f'/console/cases/orders/{there.id}"'
        for username in ("reception", "supervisor"):
            client.login(username)
            assert client.get(f"/console/cases/orders/{there.id}").status_code == 404
            assert client.get(f"/console/cases/orders/{there.id}/print").status_code == 404
            body = client.get("/console/cases/orders").get_data(as_text=True)
            assert f'/console/cases/orders/{here.id}"' in body and link not in body and "别处的水管" not in body
        form = {"version": str(there.version), "note": "重复"}
        assert client.post_form(f"/console/cases/orders/{there.id}/void", form).status_code == 404
        client.login("elsewhere")
        assert link in client.get("/console/cases/orders").get_data(as_text=True)
        assert client.get(f"/console/cases/orders/{there.id}").status_code == 200
    db.session.expire_all()
    assert db.session.get(WorkOrder, there.id).status == OrderStatus.LOGGED
    printed = db.session.scalars(sa.select(AuditEvent.entity_id).where(AuditEvent.action == "work_order.printed"))
    assert list(printed) == []  # the refused print left no trace of a print


def test_c10_the_history_names_the_department_dispatched_to(client, world):
    order = done_order(world, utcnow())
    client.login("supervisor")
    history = client.get(f"/console/cases/orders/{order.id}").get_data(as_text=True).split('class="events"')[1]
    assert "已派工" in history and ": 工程" in history and "engineering" not in history


def test_c10_the_daily_follow_up_list_holds_what_was_not_finished_the_day_it_was_logged(client, world):
    shanghai = ZoneInfo("Asia/Shanghai")
    with time_machine.travel(datetime.now(shanghai).replace(hour=10, minute=0, second=0, microsecond=0), tick=False):
        now = utcnow()

        def logged(at, content):
            order = orders.create(
                world.site,
                user=world.user(Role.RECEPTIONIST),
                now=at,
                content=content,
                category=RepairCategory.OTHER,
                contact_name="赵六",
            )
            db.session.commit()
            return order

        late = logged(now - timedelta(hours=11), "昨晚报修")  # 23:00 yesterday
        today = logged(now - timedelta(hours=1), "今早报修")
        done_yesterday = done_order(world, now - timedelta(days=1))
        client.login("supervisor")
        listed = client.get("/console/cases/orders?show=follow_up").get_data(as_text=True)
        assert late.code in listed and today.code not in listed and done_yesterday.code not in listed
        assert board.overdue(world.site, now)["follow_up"] == 1
        db.session.commit()  # the count's sweeps wrote missed flags
        assert 'href="/console/cases/orders?show=follow_up"' in client.get("/console/cases/board").get_data(
            as_text=True
        )


def test_c10_dispatched_to_an_engineer_of_the_department_by_name(client, world):
    """An order goes to a department and, if chosen, to one of its engineers: the order page
    names them; an engineer of another department, or someone who is no engineer, is refused
    with a message and the order stays waiting for dispatch."""
    from kiosk.accounts import create_user

    engineering = world.departments[DepartmentKind.ENGINEERING]
    cleaner = create_user(
        world.site,
        "cleaner",
        "王保洁",
        Role.DEPARTMENT,
        "pw",
        department_id=world.departments[DepartmentKind.CLEANING].id,
    )
    db.session.commit()
    order = _order(world, utcnow())
    client.login("reception")
    page = f"/console/cases/orders/{order.id}"
    form = client.get(page).get_data(as_text=True)
    engineer = world.user(Role.DEPARTMENT)
    assert f'<option value="{engineer.id}">{engineer.display_name} · 工程</option>' in form
    for wrong, said in ((cleaner, "该维修师傅不属于所选部门"), (world.user(Role.OFFICER), "不是有效的选择")):
        refused = client.post_form(
            f"{page}/dispatch",
            {"version": str(order.version), "department": str(engineering.id), "engineer": str(wrong.id)},
            page=page,
        )
        assert refused.status_code == 422 and said in refused.get_data(as_text=True)
        db.session.expire_all()
        assert db.session.get(WorkOrder, order.id).status == OrderStatus.LOGGED
    done = client.post_form(
        f"{page}/dispatch",
        {"version": str(order.version), "department": str(engineering.id), "engineer": str(engineer.id)},
        page=page,
    )
    assert done.status_code == 303
    db.session.expire_all()
    dispatched = db.session.get(WorkOrder, order.id)
    assert dispatched.engineer_id == engineer.id and dispatched.department_id == engineering.id
    facts = client.get(page).get_data(as_text=True)
    assert f"工程 · {engineer.display_name}" in facts
    printed = client.get(f"{page}/print").get_data(as_text=True)
    assert printed.count(f"<td>{engineer.display_name}</td>") == 3  # the technician on each copy
    audit = db.session.scalar(sa.select(AuditEvent).where(AuditEvent.action == "work_order.dispatched"))
    assert audit.details["engineer"] == engineer.id
