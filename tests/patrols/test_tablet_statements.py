"""No N+1 on the patrol tablet: today's list, a run page (blank, and with the patrol under
way) and a patrol's summary send as many SQL statements for 30 checkpoints, schedules or
checklists as for 3."""

import pytest

from kiosk.extensions import db
from kiosk.patrols import templates as patrol_templates
from kiosk.patrols.templates import ItemData, SectionData
from tests import patrol_rows, patrolkit
from tests.statements import recorded_statements


def _statements(client, url):
    with recorded_statements() as statements:
        response = client.get(url)
    assert response.status_code == 200, response.text[:500]
    return len(statements)


def test_todays_list_sends_as_many_statements_for_30_schedules_as_for_3(tablet, pw):
    """Measured on the first look after the schedules were added: it makes their
    occurrences too. Every new checklist is offered for an extra patrol."""
    counts = []
    for n in (3, 27):
        for _ in range(n):
            patrol_rows.schedule(pw, 2)
            patrol_templates.create(
                pw.site,
                f"extra{next(patrol_rows._numbers)}",
                name_zh="临时检查",
                name_en="Extra",
                sections=[SectionData("项目", "Items", [ItemData("整洁", "Tidy")])],
                checkpoint_kinds=patrol_rows.ROUTE_KINDS[:1],
            )
        db.session.commit()
        counts.append(_statements(tablet, "/patrol/"))
    assert counts[0] == counts[1]


@pytest.mark.parametrize("under_way", [False, True], ids=["blank", "under-way"])
def test_run_page_sends_as_many_statements_for_30_checkpoints_as_for_3(tablet, pw, under_way):
    """A scheduled patrol's page: its route's checkpoints; under way, every stop scanned,
    every item answered, the failed ones with photos."""
    counts = []
    for n in (3, 30):
        occurrence = patrol_rows.open_occurrence(pw, n)
        if under_way:
            patrol_rows.walk(pw, patrol_rows.start(pw, occurrence=occurrence))
        db.session.commit()
        counts.append(_statements(tablet, f"/patrol/run/{occurrence.id}"))
    assert counts[0] == counts[1]


@pytest.mark.parametrize("under_way", [False, True], ids=["blank", "under-way"])
def test_extra_patrol_page_sends_as_many_statements_for_30_checkpoints_as_for_3(tablet, pw, under_way):
    """An extra patrol walks every checkpoint of its checklist's kinds."""
    template = pw.template("public_area")
    counts = []
    for n in (3, 27):
        patrol_rows.checkpoints(pw, n)
        if under_way:
            patrol_rows.walk(pw, patrol_rows.start(pw))
        db.session.commit()
        counts.append(_statements(tablet, f"/patrol/adhoc/{template.id}"))
    assert counts[0] == counts[1]


def test_patrol_summary_sends_as_many_statements_for_30_checkpoints_as_for_3(tablet, pw):
    counts = []
    for n in (3, 30):
        patrol = patrol_rows.walk(pw, patrol_rows.start(pw, occurrence=patrol_rows.open_occurrence(pw, n)))
        db.session.commit()
        counts.append(_statements(tablet, f"/patrol/patrols/{patrol.uuid}"))
    assert counts[0] == counts[1]


def test_a_scan_sends_as_many_statements_for_30_checkpoints_as_for_3(tablet, pw):
    """The tablet replays a patrol's scans one by one: each finds its stop among the route's."""
    counts = []
    for n in (3, 30):
        patrol = patrol_rows.start(pw, occurrence=patrol_rows.open_occurrence(pw, n))
        db.session.commit()
        last = patrol.stops[-1].checkpoint.code
        with recorded_statements() as statements:
            response = tablet.post(
                "/patrol/scan",
                data={"idempotency_key": patrolkit.new_uuid(), "action_at": "", "patrol": patrol.uuid, "code": last},
                headers={"X-Device-Request": "1", "HX-Request": "true"},
            )
        assert response.status_code == 204, response.text
        counts.append(len(statements))
    assert counts[0] == counts[1]
