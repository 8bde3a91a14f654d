from backend.models import CareCard, Resident, User

from ..helpers import entry
from ..conftest import LOGINS


def _ids(app):
    with app.app_context():
        nurse = User.query.filter_by(username=LOGINS.nurse1).one()
        resident = Resident.query.filter_by(unit_id=nurse.unit_ids[0]).first()
        card = CareCard.query.filter_by(resident_id=resident.id).one()
        item = card.items[0]
        return nurse.id, nurse.unit_ids[0], resident.id, resident.post_id, item.id


def test_push_pull_confirm(demo, api, make_api):
    nurse_id, unit_id, rid, post_id, item_id = _ids(demo)
    api.login(LOGINS.nurse1)
    status, snap = api.get(f"/api/sync/pull?post_id={post_id}")
    assert status == 200, snap
    with demo.app_context():
        on_post = {r.id for r in Resident.query.filter_by(post_id=post_id)}
    assert {r["id"] for r in snap["residents"]} == on_post and snap["snapshot"] is True
    e = entry(rid, nurse_id, item_id=item_id, slot="07:30")
    body = {"device_id": "tab-1", "post_id": post_id, "entries": [e]}
    status, reply = api.post("/api/sync/push", body)
    assert status == 200, reply
    assert reply["results"][0]["status"] == "accepted"
    status, reply = api.post("/api/sync/push", body)
    assert reply["results"][0]["status"] == "duplicate"
    sup = make_api()
    sup.login(LOGINS.supervisor1)
    status, view = sup.get(f"/api/units/{unit_id}/days/2026-11-25")
    assert status == 200, view
    status, conf = sup.post(f"/api/units/{unit_id}/days/2026-11-25/confirm", {})
    assert status == 201, conf
    late = entry(rid, nurse_id, item_id=item_id, slot="07:30", status="not_done", reason="asleep")
    status, reply = api.post("/api/sync/push", {"device_id": "tab-2", "entries": [late]})
    assert reply["results"][0] == {"id": late["id"], "status": "accepted", "reason": None, "fields": None,
                                   "late": True, "flags": None}
    status, view = sup.get(f"/api/units/{unit_id}/days/2026-11-25")
    assert [e["id"] for e in view["late_entries"]] == [late["id"]]
    status, page = api.get(f"/api/sync/pull?post_id={post_id}&cursor={snap['cursor']}")
    assert {e["id"] for e in page["entries"]} == {e["id"], late["id"]}
    assert len(page["confirmations"]) == 1
