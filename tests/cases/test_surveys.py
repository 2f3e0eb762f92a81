"""Satisfaction-survey opinions (C6): to the department within 2 days, its measures in writing
within 3 days, a callback within 2 weeks after (calendar days, as the rule says them); a
missed deadline stays missed; an unhappy callback sends the opinion back; pages, access,
stale versions."""

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import sqlalchemy as sa
import time_machine

from kiosk.cases import Refused, board, surveys
from kiosk.extensions import db
from kiosk.models import AuditEvent, DepartmentKind, Role
from kiosk.models.case_services import OpinionStatus, SurveyOpinion
from kiosk.models.cases import Satisfaction
from kiosk.timeutil import utcnow
from tests.cases.helpers import more_households
from tests.statements import recorded_statements

SHANGHAI = ZoneInfo("Asia/Shanghai")


def _local(*args) -> datetime:
    return datetime(*args, tzinfo=SHANGHAI).astimezone(UTC)


def _recorded(world, now, *, department=None, household=0, site=None) -> SurveyOpinion:
    opinion = surveys.record(
        site or world.site,
        user=world.user(Role.RECEPTIONIST),
        now=now,
        survey="2026年第一季度满意度调查",
        content="地下车库照明太暗",
        household=world.households[household],
        contact_name=None,
        contact_phone=None,
        department=department,
    )
    db.session.commit()
    return opinion


def _engineering(world):
    return world.departments[DepartmentKind.ENGINEERING]


def _callback(opinion, world, satisfaction=Satisfaction.SATISFIED, confirmed_by="业主本人"):
    surveys.callback(
        opinion,
        world.user(Role.OFFICER),
        satisfaction=satisfaction,
        confirmed_by=confirmed_by,
        note="仍然很暗" if satisfaction == Satisfaction.UNSATISFIED else None,
        now=utcnow(),
    )


def test_c6_each_deadline_in_calendar_days_met_on_time(world):
    """Received late on Friday 27 Feb 2026 (23:30 Shanghai, still Friday there, 15:30 UTC):
    to the department by Sunday 1 March (calendar days, a weekend counts); sent on 1 March:
    measures by 4 March; measures on 4 March: callback by 18 March."""
    with time_machine.travel(_local(2026, 2, 27, 23, 30), tick=False):
        opinion = _recorded(world, utcnow())
        assert opinion.status == OpinionStatus.RECEIVED and opinion.send_due == date(2026, 3, 1)
        assert opinion.contact_name == world.households[0].name and opinion.room_id == world.rooms[0].id
    with time_machine.travel(_local(2026, 3, 1, 18, 0), tick=False):
        surveys.send(opinion, world.user(Role.RECEPTIONIST), _engineering(world), utcnow())
        assert opinion.status == OpinionStatus.SENT and opinion.measures_due == date(2026, 3, 4)
    with time_machine.travel(_local(2026, 3, 4, 17, 0), tick=False):
        surveys.write_measures(opinion, world.user(Role.DEPARTMENT), "本周内更换车库灯具", utcnow())
        assert opinion.status == OpinionStatus.ANSWERED and opinion.callback_due == date(2026, 3, 18)
    with time_machine.travel(_local(2026, 3, 18, 20, 0), tick=False):
        _callback(opinion, world)
        assert opinion.status == OpinionStatus.CLOSED and opinion.confirmed_by_name == "业主本人"
        assert opinion.callback_at == utcnow() and opinion.callback_by_id == world.user(Role.OFFICER).id
    db.session.commit()
    assert not (opinion.send_missed or opinion.measures_missed or opinion.callback_missed)
    events = db.session.scalars(
        sa.select(AuditEvent).where(AuditEvent.entity_type == "SurveyOpinion").order_by(AuditEvent.id)
    ).all()
    assert [e.at for e in events] == [opinion.received_at, opinion.sent_at, opinion.measures_at, opinion.callback_at]
    assert [e.action for e in events] == [
        "survey_opinion.received",
        "survey_opinion.sent",
        "survey_opinion.measures",
        "survey_opinion.called_back",
    ]


@pytest.mark.parametrize("step", ["send", "measures", "callback"])
def test_c6_a_missed_deadline_is_flagged_by_the_sweep_and_stays_missed(world, step):
    """Each step one day past its deadline: the dashboard's sweep flags it; taking the step
    later and an unhappy callback that sends the opinion back never clear the flag."""
    start = datetime(2026, 3, 2, 10, 0, tzinfo=SHANGHAI)
    with time_machine.travel(start, tick=False):
        opinion = _recorded(world, utcnow())
        if step != "send":
            surveys.send(opinion, world.user(Role.RECEPTIONIST), _engineering(world), utcnow())
        if step == "callback":
            surveys.write_measures(opinion, world.user(Role.DEPARTMENT), "更换灯具", utcnow())
        db.session.commit()
    days = {"send": 2, "measures": 3, "callback": 14}[step]
    missed = f"{step}_missed"
    with time_machine.travel(start + timedelta(days=days, hours=13), tick=False):  # the last day: not yet
        board.overdue(world.site, utcnow())
        db.session.commit()
        db.session.expire_all()
        assert not getattr(db.session.get(SurveyOpinion, opinion.id), missed)
    with time_machine.travel(start + timedelta(days=days + 1), tick=False):
        counts = board.overdue(world.site, utcnow())
        db.session.commit()
        assert counts[f"survey_{step}"] == 1
        db.session.expire_all()
        opinion = db.session.get(SurveyOpinion, opinion.id)
        assert getattr(opinion, missed)
        if step == "send":
            surveys.send(opinion, world.user(Role.RECEPTIONIST), _engineering(world), utcnow())
        elif step == "measures":
            surveys.write_measures(opinion, world.user(Role.DEPARTMENT), "更换灯具", utcnow())
        else:
            _callback(opinion, world, Satisfaction.UNSATISFIED)
        db.session.commit()
        assert getattr(opinion, missed)  # met late: still missed
        assert board.overdue(world.site, utcnow())[f"survey_{step}"] == 0


def test_c6_a_late_step_flags_its_deadline_without_the_sweep(world):
    with time_machine.travel(_local(2026, 3, 2, 10, 0), tick=False):
        opinion = _recorded(world, utcnow())
    with time_machine.travel(_local(2026, 3, 5, 9, 0), tick=False):  # due 4 March
        surveys.send(opinion, world.user(Role.RECEPTIONIST), _engineering(world), utcnow())
        assert opinion.send_missed and opinion.measures_due == date(2026, 3, 8)
        assert not opinion.measures_missed


def test_c6_unhappy_callback_sends_it_back_to_the_department(world):
    with time_machine.travel(_local(2026, 3, 2, 10, 0), tick=False):
        opinion = _recorded(world, utcnow(), department=_engineering(world))
        assert opinion.department_id == _engineering(world).id
        with pytest.raises(Refused) as refused:  # no measures before it reached the department
            surveys.write_measures(opinion, world.user(Role.DEPARTMENT), "x", utcnow())
        assert refused.value.reason == "illegal_step"
        surveys.send(opinion, world.user(Role.RECEPTIONIST), _engineering(world), utcnow())
        with pytest.raises(Refused) as refused:
            surveys.write_measures(opinion, world.user(Role.DEPARTMENT), "  ", utcnow())
        assert refused.value.reason == "measures_required"
        surveys.write_measures(opinion, world.user(Role.DEPARTMENT), "更换灯具", utcnow())
        with pytest.raises(Refused) as refused:  # C4: who confirmed on the phone is recorded
            _callback(opinion, world, confirmed_by=" ")
        assert refused.value.reason == "confirmed_by_required"
    with time_machine.travel(_local(2026, 3, 10, 10, 0), tick=False):
        _callback(opinion, world, Satisfaction.UNSATISFIED)
        assert opinion.status == OpinionStatus.SENT and opinion.reopened_count == 1
        assert opinion.measures_due == date(2026, 3, 13) and opinion.callback_due is None
        assert opinion.satisfaction == Satisfaction.UNSATISFIED and not opinion.callback_missed
        surveys.write_measures(opinion, world.user(Role.DEPARTMENT), "加装两盏灯", utcnow())
        assert opinion.status == OpinionStatus.ANSWERED and opinion.callback_due == date(2026, 3, 24)
    db.session.commit()
    reopened = db.session.scalar(sa.select(AuditEvent).where(AuditEvent.action == "survey_opinion.reopened"))
    assert reopened.reason == "仍然很暗"


def test_c6_only_the_opinions_department_writes_its_measures(world):
    opinion = _recorded(world, utcnow())
    surveys.send(opinion, world.user(Role.RECEPTIONIST), world.departments[DepartmentKind.CLEANING], utcnow())
    with pytest.raises(Refused) as refused:
        surveys.write_measures(opinion, world.user(Role.DEPARTMENT), "x", utcnow())
    assert refused.value.reason == "not_yours"
    with pytest.raises(Refused):  # a survey must be named
        surveys.record(
            world.site,
            user=world.user(Role.RECEPTIONIST),
            now=utcnow(),
            survey=" ",
            content="x",
            household=world.households[0],
            contact_name=None,
            contact_phone=None,
        )


def test_c6_pages_record_send_answer_and_call_back(client, world):
    client.login("reception")
    form = {"survey": "2026年第一季度满意度调查", "room": "9-9-9999", "content": "绿化修剪不及时"}
    unknown = client.post_form("/console/cases/surveys/new", form)
    assert unknown.status_code == 422 and "绿化修剪不及时" in unknown.get_data(as_text=True)  # kept
    assert client.post_form("/console/cases/surveys/new", {**form, "room": "1-1-0201"}).status_code == 303
    opinion = db.session.scalar(sa.select(SurveyOpinion))
    page = f"/console/cases/surveys/{opinion.id}"
    body = client.get(page).get_data(as_text=True)
    assert "DC-" in body and opinion.contact_phone not in body  # masked until verified (A5)
    assert opinion.contact_phone not in client.get(f"{page}?reveal=1").get_data(as_text=True)  # caller first
    verified = client.post_form(
        f"/console/cases/survey_opinion/{opinion.id}/identity", {"method": "id_card"}, page=page
    )
    assert opinion.contact_phone in client.get(verified.location).get_data(as_text=True)
    engineering = str(_engineering(world).id)
    assert client.post_form(f"{page}/send", {"version": "1", "department": engineering}).status_code == 303
    client.login("engineer")
    db.session.expire_all()
    version = str(db.session.get(SurveyOpinion, opinion.id).version)
    empty = client.post_form(f"{page}/measures", {"version": version, "measures": ""})
    assert empty.status_code == 422
    assert client.post_form(f"{page}/measures", {"version": version, "measures": "每周两次修剪"}).status_code == 303
    stale = client.post_form(f"{page}/measures", {"version": version, "measures": "别的措施"})
    assert stale.status_code == 409 and "每周两次修剪" in stale.get_data(as_text=True)  # the new state shown
    assert client.post_form(f"{page}/callback", {"version": "3", "confirmed_by": "x"}).status_code == 403
    client.login("officer")
    db.session.expire_all()
    version = str(db.session.get(SurveyOpinion, opinion.id).version)
    answer = {"version": version, "satisfaction": "satisfied", "confirmed_by": "业主本人"}
    assert client.post_form(f"{page}/callback", answer).status_code == 303
    db.session.expire_all()
    assert db.session.get(SurveyOpinion, opinion.id).status == OpinionStatus.CLOSED
    body = client.get(page).get_data(as_text=True)
    assert "业主本人" in body
    for show in ("open", "closed", "all", "nonsense"):
        assert client.get(f"/console/cases/surveys?show={show}").status_code == 200
    assert "DC-" in client.get("/console/cases/surveys?show=closed").get_data(as_text=True)
    fragment = client.htmx("get", "/console/cases/surveys?show=all")
    assert "<html" not in fragment.get_data(as_text=True)


def test_c6_departments_see_theirs_and_another_site_sees_nothing(client, world):
    mine = _recorded(world, utcnow(), department=_engineering(world))
    theirs = _recorded(world, utcnow(), department=world.departments[DepartmentKind.CLEANING], household=1)
    client.login("engineer")
    listing = client.get("/console/cases/surveys?show=all").get_data(as_text=True)
    assert mine.code in listing and theirs.code not in listing
    assert client.get(f"/console/cases/surveys/{mine.id}").status_code == 200
    assert client.get(f"/console/cases/surveys/{theirs.id}").status_code == 404
    assert client.get("/console/cases/surveys/new").status_code == 403
    client.login("elsewhere")
    assert mine.code not in client.get("/console/cases/surveys?show=all").get_data(as_text=True)
    assert client.get(f"/console/cases/surveys/{mine.id}").status_code == 404
    assert client.post_form(f"/console/cases/surveys/{mine.id}/send", {"version": "1"}).status_code == 404


def test_c6_survey_list_sends_as_many_statements_for_30_rows_as_for_3(client, world):
    """C6: the desk's list of survey opinions (each in its own room, with its department, in
    every state) sends the same statements for 33 rows as for 3: no query per row, nor per
    room or department (each row has its own room; the 30 reach more departments)."""
    engineering = _engineering(world)
    others = [world.departments[k] for k in DepartmentKind if k != DepartmentKind.ENGINEERING]
    counts, made = [], []
    with time_machine.travel(_local(2026, 3, 2, 10, 0), tick=False):
        client.login("reception")
        for households in (world.households, more_households(world, 30)):  # 3 rows, then 30 more
            for i, household in enumerate(households):
                at = utcnow() - timedelta(days=i % 12, minutes=i)
                department = (None, others[i % len(others)], engineering)[i % 3]
                opinion = surveys.record(
                    world.site,
                    user=world.user(Role.RECEPTIONIST),
                    now=at,
                    survey="2026年第一季度满意度调查",
                    content=f"意见{i}",
                    household=household,
                    contact_name=None,
                    contact_phone=None,
                    department=department,
                )
                if department is not None:
                    surveys.send(opinion, world.user(Role.RECEPTIONIST), department, at)
                if department is engineering:
                    surveys.write_measures(opinion, world.user(Role.DEPARTMENT), "更换灯具", at)
                made.append(opinion)
            db.session.commit()
            with recorded_statements() as statements:
                response = client.get("/console/cases/surveys?show=all")
            assert response.status_code == 200
            body = response.get_data(as_text=True)
            assert all(f'/console/cases/surveys/{o.id}"' in body for o in made)  # every row is on the page
            assert all(o.room.label in body for o in made)
            counts.append(len(statements))
    assert len(made) == 33 and counts[0] == counts[1]
