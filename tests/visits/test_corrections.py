"""V1: a visit record is never edited; corrections are new rows with a reason, audited (S1)."""

import pytest
import sqlalchemy as sa

from kiosk.extensions import db
from kiosk.models import AuditEvent, Purpose, Visit, VisitCorrection
from kiosk.timeutil import utcnow
from kiosk.visits.corrections import InvalidCorrection, correct, effective
from tests.visit_factory import make_visit


def _columns(visit):
    return {c.key: getattr(visit, c.key) for c in sa.inspect(Visit).column_attrs}


def test_v1_a_correction_is_a_new_row_and_the_visit_stays_as_registered(world):
    visit = make_visit(world.site, room=world.rooms[0], name="张山", commit=True)
    before = _columns(visit)
    clerk = world.users["receptionist"]
    correction = correct(visit, "visitor_name", " 张三 ", "visitor spelled it at the desk", clerk)
    db.session.commit()
    db.session.expire_all()
    assert _columns(db.session.get(Visit, visit.id)) == before
    assert (correction.field, correction.value, correction.by_id) == ("visitor_name", "张三", clerk.id)
    shown = effective(visit)["visitor_name"]
    assert (shown.value, shown.original, shown.corrected) == ("张三", "张山", True)
    assert not effective(visit)["visitor_phone"].corrected


def test_s1_a_correction_is_audited_without_the_personal_value(world):
    visit = make_visit(world.site, name="张山", commit=True)
    correction = correct(visit, "visitor_name", "张三", "typo", world.users["supervisor"])
    db.session.commit()
    event = db.session.scalar(sa.select(AuditEvent).where(AuditEvent.action == "visit.correct"))
    assert (event.entity_type, event.entity_id, event.user_id) == ("Visit", str(visit.id), world.users["supervisor"].id)
    assert event.details == {"field": "visitor_name", "correction_id": correction.id}
    assert "张三" not in str(event.details) and event.reason is None


def test_v1_the_latest_correction_of_a_field_wins_and_all_stay(world):
    visit = make_visit(world.site, party_size=1, commit=True)
    clerk = world.users["receptionist"]
    correct(visit, "party_size", "3", "two friends", clerk)
    correct(visit, "party_size", "2", "one friend left", clerk)
    db.session.commit()
    assert effective(visit)["party_size"].value == "2"
    assert effective(visit)["party_size"].original == "1"
    assert db.session.scalar(sa.select(sa.func.count(VisitCorrection.id))) == 2


def test_values_are_normalised(world):
    visit = make_visit(world.site, room=world.rooms[0], purpose=Purpose.VISIT, commit=True)
    clerk = world.users["receptionist"]
    assert correct(visit, "visitor_phone", "139 8765 4321", "wrong", clerk).value == "+8613987654321"
    assert correct(visit, "plate", "粤b·12345", "wrong", clerk).value == "粤B12345"
    assert correct(visit, "room", "1-1-0201", "wrong floor", clerk).value == "1-1-0201"
    assert correct(visit, "room", "", "came to the service centre", clerk).value == ""
    assert correct(visit, "purpose", "delivery", "courier", clerk).value == "delivery"


@pytest.mark.parametrize(
    "field, value, reason, on",
    [
        ("visitor_name", "   ", "r", "value"),
        ("visitor_name", "x" * 51, "r", "value"),
        ("visitor_phone", "12345", "r", "value"),
        ("plate", "ABC", "r", "value"),
        ("party_size", "0", "r", "value"),
        ("party_size", "many", "r", "value"),
        ("purpose", "shopping", "r", "value"),
        ("room", "9-9-9999", "r", "value"),
        ("room", "A-101", "r", "value"),  # a room of the other site
        ("visitor_name", "李四", "  ", "reason"),
        ("visitor_name", "张三", "r", "value"),  # the value on record already
        ("code", "X", "r", "field"),
    ],
)
def test_bad_corrections_are_refused_with_a_message(app, world, field, value, reason, on):
    visit = make_visit(world.site, name="张三", commit=True)
    with pytest.raises(InvalidCorrection) as refused:
        correct(visit, field, value, reason, world.users["receptionist"])
    assert refused.value.on == on
    with app.test_request_context("/?lang=en"):
        assert str(refused.value.message)
    assert db.session.scalar(sa.select(sa.func.count(VisitCorrection.id))) == 0


def test_s3_a_purged_record_cannot_be_corrected(world):
    visit = make_visit(world.site, name=None, phone=None, purged_at=utcnow(), commit=True)
    with pytest.raises(InvalidCorrection):
        correct(visit, "party_size", "2", "r", world.users["receptionist"])
