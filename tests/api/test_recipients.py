"""Regulation 004's pieces on the resident (issue 17 §8): her categories of service recipient (§1.1), changed as a
dated, audited "details" event of her stay; and a change in social status (§2.4.2) as a reported change in
condition that marks her for unplanned reassessment."""
import pytest

from backend.extensions import db
from backend.models import Resident

from ..conftest import LOGINS
from ..helpers import entry as make_entry
from .conftest import push


@pytest.fixture
def supervisor(demo, make_api):
    client = make_api()
    client.login(LOGINS.supervisor1, device_id="office")
    return client


def details(client, resident_id, **body):
    return client.post(f"/api/residents/{resident_id}/events", {"kind": "details", **body})


def test_categories_are_recorded_in_the_regulations_order_as_an_event(supervisor, world, demo):
    with demo.app_context():  # start from none recorded (the demo gives some)
        db.session.get(Resident, world.r1).categories = []
        db.session.commit()
    status, reply = details(supervisor, world.r1, categories=["palliative", "geriatric"], reason="заключение врача")
    assert status == 201, reply
    assert reply["resident"]["categories"] == ["geriatric", "palliative"]
    assert reply["event"]["detail"] == {"from": {"categories": []}, "to": {"categories": ["geriatric", "palliative"]}}
    status, record = supervisor.get(f"/api/residents/{world.r1}")
    assert record["resident"]["categories"] == ["geriatric", "palliative"]
    # the same set in another order changes nothing
    assert details(supervisor, world.r1, categories=["palliative", "geriatric"])[0] == 400
    # none: a resident may be in no category recorded
    status, reply = details(supervisor, world.r1, categories=[])
    assert status == 201 and reply["resident"]["categories"] == []


@pytest.mark.parametrize("bad", [["dementia"], ["geriatric", "geriatric"], "geriatric", [1]])
def test_a_wrong_category_is_named_and_nothing_changes(supervisor, world, demo, bad):
    with demo.app_context():
        before = list(db.session.get(Resident, world.r1).categories)
    status, reply = details(supervisor, world.r1, categories=bad, full_name="Новое Имя")
    assert status == 400, reply
    assert any(k.split(".")[0] == "categories" for k in reply["fields"]), reply
    with demo.app_context():
        r = db.session.get(Resident, world.r1)
        assert r.categories == before and r.full_name != "Новое Имя"


def test_a_change_in_social_status_marks_her_for_unplanned_reassessment(demo, make_api, world):
    with demo.app_context():
        db.session.get(Resident, world.r1).needs_reassessment = False
        db.session.commit()
    nurse = make_api()
    nurse.login(LOGINS.nurse1)
    [result] = push(nurse, [make_entry(world.r1, world.nurse1, kind="condition", category="social_status",
                                       note="сын оформил опекунство")])
    assert result["status"] == "accepted", result
    with demo.app_context():
        assert db.session.get(Resident, world.r1).needs_reassessment is True


def test_a_details_change_does_not_hold_back_a_move_dated_to_the_minute(supervisor, world, clock):
    """A details change is dated to the second it is made; the move after it, typed to the minute, is not refused
    as 'before the last event of her stay' (the dialog proposes the current minute)."""
    clock.set("2026-11-25T10:00:30+07:00")
    assert details(supervisor, world.r1, categories=["geriatric", "palliative"])[0] == 201
    status, reply = supervisor.post(f"/api/residents/{world.r1}/events", {
        "kind": "absence", "absence": "hospital", "reason": "скорая", "at": "2026-11-25T10:00:00+07:00"})
    assert status == 201, reply
