"""Paid special services (C7): a payment notice after the service and a phone callback on
satisfaction, with their own deadlines (notice by the next working day, callback within 2
days), through the same case-and-callback mechanism; pages, roles, bad input, conflicts."""

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import sqlalchemy as sa
import time_machine

from kiosk.cases import Refused, services
from kiosk.extensions import db
from kiosk.models import AuditEvent, DepartmentKind, Role
from kiosk.models.case_services import ServiceStatus, SpecialService
from kiosk.models.cases import Satisfaction
from kiosk.timeutil import utcnow
from tests.cases.helpers import more_households
from tests.statements import recorded_statements

SHANGHAI = ZoneInfo("Asia/Shanghai")


def _local(*args) -> datetime:
    return datetime(*args, tzinfo=SHANGHAI).astimezone(UTC)


def _booked(world, now, fee_cents=8000) -> SpecialService:
    service = services.book(
        world.site,
        user=world.user(Role.RECEPTIONIST),
        now=now,
        content="家电清洗：空调两台",
        fee_cents=fee_cents,
        household=world.households[0],
        contact_name=None,
        contact_phone=None,
        department=world.departments[DepartmentKind.ENGINEERING],
    )
    db.session.commit()
    return service


def test_c7_payment_notice_after_the_service_then_phone_callback_closes_it(world):
    """Done on Thursday 30 April 2026, before the Labour Day holiday (1-5 May): the payment
    notice is due the next working day, 6 May; the phone callback within 2 days, 2 May."""
    with time_machine.travel(_local(2026, 4, 28, 10, 0), tick=False):
        service = _booked(world, utcnow())
        assert service.contact_name == world.households[0].name and service.status == ServiceStatus.BOOKED
        with pytest.raises(Refused):  # no payment notice before the service is done
            services.payment_notice(service, world.user(Role.RECEPTIONIST), fee_cents=8000, now=utcnow())
    with time_machine.travel(_local(2026, 4, 30, 16, 0), tick=False):
        services.done(service, world.user(Role.DEPARTMENT), "已清洗完毕", utcnow())
        assert service.notice_due == date(2026, 5, 6) and service.callback_due == date(2026, 5, 2)
    with time_machine.travel(_local(2026, 5, 6, 9, 0), tick=False):
        services.payment_notice(service, world.user(Role.RECEPTIONIST), fee_cents=9000, now=utcnow())
        assert service.status == ServiceStatus.NOTIFIED and not service.notice_missed and service.fee_cents == 9000
        with pytest.raises(Refused) as refused:  # by phone: who confirmed is recorded
            services.callback(
                service,
                world.user(Role.OFFICER),
                satisfaction=Satisfaction.SATISFIED,
                confirmed_by=" ",
                note=None,
                now=utcnow(),
            )
        assert refused.value.reason == "confirmed_by_required"
        services.callback(
            service,
            world.user(Role.OFFICER),
            satisfaction=Satisfaction.SATISFIED,
            confirmed_by="业主本人",
            note="满意",
            now=utcnow(),
        )
        assert service.status == ServiceStatus.CLOSED
        assert service.callback_missed  # 6 May is after 2 May: missed, and it stays so
    db.session.commit()
    actions = db.session.scalars(
        sa.select(AuditEvent.action).where(AuditEvent.entity_type == "SpecialService").order_by(AuditEvent.id)
    ).all()
    assert actions == [
        "special_service.booked",
        "special_service.done",
        "special_service.payment_notice",
        "special_service.called_back",
    ]


def test_c7_late_notice_is_missed_and_unhappy_customer_reopens(world):
    with time_machine.travel(_local(2026, 3, 2, 10, 0), tick=False):  # a Monday
        service = _booked(world, utcnow())
        services.done(service, world.user(Role.DEPARTMENT), None, utcnow())
        assert service.notice_due == date(2026, 3, 3)
    with time_machine.travel(_local(2026, 3, 4, 10, 0), tick=False):
        services.payment_notice(service, world.user(Role.RECEPTIONIST), fee_cents=8000, now=utcnow())
        assert service.notice_missed
        services.callback(
            service,
            world.user(Role.OFFICER),
            satisfaction=Satisfaction.UNSATISFIED,
            confirmed_by="业主本人",
            note="仍有异味",
            now=utcnow(),
        )
        assert service.status == ServiceStatus.BOOKED and service.reopened_count == 1
        assert service.notice_missed  # missed stays missed
        assert not service.callback_missed


def test_c7_steps_never_taken_are_flagged_missed_by_the_dashboards_sweep(world):
    """A payment notice never given and a callback never made are missed once their day has
    passed, whether or not anyone takes the step later (C7, missed stays missed as C3)."""
    from kiosk.cases import board

    with time_machine.travel(_local(2026, 3, 2, 10, 0), tick=False):  # a Monday
        owed_notice = _booked(world, utcnow())
        owed_callback = _booked(world, utcnow())
        for service in (owed_notice, owed_callback):
            services.done(service, world.user(Role.DEPARTMENT), None, utcnow())
        services.payment_notice(owed_callback, world.user(Role.RECEPTIONIST), fee_cents=8000, now=utcnow())
        assert owed_notice.notice_due == date(2026, 3, 3) and owed_callback.callback_due == date(2026, 3, 4)
        db.session.commit()
    with time_machine.travel(_local(2026, 3, 4, 23, 50), tick=False):  # the callback's own day: not yet missed
        counts = board.overdue(world.site, utcnow())
        db.session.commit()
        db.session.expire_all()
        assert owed_notice.notice_missed and counts["service_notice"] == 1
        assert not owed_callback.callback_missed and counts["service_callback"] == 0
    with time_machine.travel(_local(2026, 3, 5, 0, 10), tick=False):
        counts = board.overdue(world.site, utcnow())
        db.session.commit()
        db.session.expire_all()
        assert owed_callback.callback_missed and counts["service_callback"] == 1
        services.payment_notice(owed_notice, world.user(Role.RECEPTIONIST), fee_cents=8000, now=utcnow())
        services.callback(
            owed_callback,
            world.user(Role.OFFICER),
            satisfaction=Satisfaction.SATISFIED,
            confirmed_by="业主本人",
            note=None,
            now=utcnow(),
        )
        db.session.commit()
        assert owed_notice.notice_missed and owed_callback.callback_missed  # taken late: still missed


def test_c7_only_the_services_department_or_the_desk_marks_it_done(world):
    service = _booked(world, utcnow())
    service.department_id = world.departments[DepartmentKind.CLEANING].id
    with pytest.raises(Refused) as refused:
        services.done(service, world.user(Role.DEPARTMENT), None, utcnow())
    assert refused.value.reason == "not_yours"
    with pytest.raises(Refused):
        _booked(world, utcnow(), fee_cents=-5)


def test_c7_pages_book_do_notify_and_call_back(client, world):
    client.login("reception")
    form = {
        "room": "1-1-0201",
        "content": "室内保洁（开荒）",
        "fee": "三百",
        "department": str(world.departments[DepartmentKind.ENGINEERING].id),
    }
    bad = client.post_form("/console/cases/services/new", form)
    assert bad.status_code == 422 and "室内保洁（开荒）" in bad.get_data(as_text=True)  # kept
    unknown = client.post_form("/console/cases/services/new", {**form, "fee": "300", "room": "9-9-9999"})
    assert unknown.status_code == 422
    booked = client.post_form("/console/cases/services/new", {**form, "fee": "300"})
    assert booked.status_code == 303
    service = db.session.scalar(sa.select(SpecialService))
    assert service.fee_cents == 30000 and service.household_id == world.households[1].id
    page = f"/console/cases/services/{service.id}"
    body = client.get(page).get_data(as_text=True)
    assert service.contact_phone not in body  # masked until the caller is verified (A5)
    client.login("engineer")
    assert client.post_form(f"{page}/done", {"version": str(service.version), "note": "已完成"}).status_code == 303
    assert client.post_form(f"{page}/notice", {"version": "2", "fee": "300"}).status_code == 403
    client.login("reception")
    db.session.expire_all()
    service = db.session.get(SpecialService, service.id)
    stale = str(service.version)
    assert client.post_form(f"{page}/notice", {"version": stale, "fee": "320"}).status_code == 303
    assert client.post_form(f"{page}/notice", {"version": stale, "fee": "320"}).status_code == 409  # replay
    client.login("officer")
    db.session.expire_all()
    service = db.session.get(SpecialService, service.id)
    missing = client.post_form(f"{page}/callback", {"version": str(service.version), "satisfaction": "satisfied"})
    assert missing.status_code == 422
    done = client.post_form(
        f"{page}/callback", {"version": str(service.version), "satisfaction": "satisfied", "confirmed_by": "业主"}
    )
    assert done.status_code == 303
    db.session.expire_all()
    service = db.session.get(SpecialService, service.id)
    assert service.status == ServiceStatus.CLOSED and service.fee_cents == 32000
    body = client.get(page).get_data(as_text=True)
    assert "TY-" in body
    assert client.get("/console/cases/services?show=all").status_code == 200
    fragment = client.htmx("get", "/console/cases/services?show=all")
    assert "<html" not in fragment.get_data(as_text=True) and "HX-Request" in fragment.headers.get("Vary", "")
    assert utcnow() - timedelta(days=1) < service.booked_at


def test_c7_special_service_list_sends_as_many_statements_for_30_rows_as_for_3(client, world):
    """C7: the desk's list of paid special services (each in its own room, with its fee;
    booked, done, or with its payment notice given) sends the same statements for 33 rows as
    for 3: no query per row nor per room."""
    engineering = world.departments[DepartmentKind.ENGINEERING]
    counts, made = [], []
    with time_machine.travel(_local(2026, 3, 2, 10, 0), tick=False):
        client.login("reception")
        for households in (world.households, more_households(world, 30)):  # 3 rows, then 30 more
            for i, household in enumerate(households):
                at = utcnow() - timedelta(days=i % 12, minutes=i)
                service = services.book(
                    world.site,
                    user=world.user(Role.RECEPTIONIST),
                    now=at,
                    content=f"家电清洗 {i}",
                    fee_cents=8000 + i,
                    household=household,
                    contact_name=None,
                    contact_phone=None,
                    department=engineering if i % 2 else None,
                )
                if i % 3:
                    services.done(service, world.user(Role.RECEPTIONIST), "已完成", at)
                if i % 3 == 2:
                    services.payment_notice(service, world.user(Role.RECEPTIONIST), fee_cents=9000, now=at)
                made.append(service)
            db.session.commit()
            with recorded_statements() as statements:
                response = client.get("/console/cases/services?show=all")
            assert response.status_code == 200
            body = response.get_data(as_text=True)
            assert all(f'/console/cases/services/{s.id}"' in body for s in made)  # every row is on the page
            assert all(s.room.label in body for s in made)
            counts.append(len(statements))
    assert len(made) == 33 and counts[0] == counts[1]
