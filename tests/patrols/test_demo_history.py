"""The demo site has weeks of patrol history (issue 12): patrols passed, failed, late,
missed and incomplete (P1), failures with notes and photos, rectification tasks in every
state (P7); the supervisor's pages show them."""

import sqlalchemy as sa

from kiosk import demo
from kiosk.extensions import db
from kiosk.models.patrols import Answer, Occurrence, Patrol, Photo, Task
from kiosk.patrols import schedule as ps
from kiosk.timeutil import utcnow


def test_p1_p7_the_demo_has_weeks_of_patrols_in_every_state(client):
    demo.seed("demo-pw")
    patrols = db.session.scalars(sa.select(Patrol)).all()
    assert len(patrols) > 30
    assert any(p.incomplete and p.incomplete_reason for p in patrols)
    assert any(ps.finished_late(p) for p in patrols)
    assert any(p.signed_at for p in patrols) and any(not p.signed_at for p in patrols)
    assert min(p.started_at for p in patrols) < utcnow().replace(microsecond=0) - __import__("datetime").timedelta(
        days=14
    )
    missed = [o for o in db.session.scalars(sa.select(Occurrence)) if ps.state(o, utcnow()) == ps.MISSED]
    assert missed
    fails = db.session.scalars(sa.select(Answer).where(Answer.result == "fail")).all()
    assert fails and all(a.note for a in fails)
    with_photo = set(db.session.scalars(sa.select(Photo.answer_id).where(Photo.answer_id.is_not(None))))
    assert {a.id for a in fails} <= with_photo
    states = set(db.session.scalars(sa.select(Task.status)))
    assert {"open", "fixed", "closed"} <= states
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Photo).where(Photo.task_id.is_not(None))) > 0
    assert any(t.sent_back_count for t in db.session.scalars(sa.select(Task)))

    client.login("supervisor", "demo-pw")
    assert client.get("/console/patrols/records").status_code == 200
    incomplete = next(p for p in patrols if p.incomplete)
    assert "未完成原因" in client.get(f"/console/patrols/records/{incomplete.id}").text
    late = next(p for p in patrols if ps.finished_late(p))
    assert "逾时完成" in client.get(f"/console/patrols/records/{late.id}").text
    assert "整改任务" in client.get("/console/patrols/tasks").text
