"""Issue 14: what one pushed entry holds is judged for that entry only -- never a whole-batch 400 or a 500 -- and
every view tolerates the odd rows stored before these rules existed."""
import json
import uuid
from datetime import date

import pytest

from backend.extensions import db
from backend.models import Entry, Resident

from ..conftest import LOGINS, CSRF
from .conftest import DAY, push, tick


def stored(app, eid=None):
    with app.app_context():
        rows = [e.id for e in Entry.query] if eid is None else [e.id for e in Entry.query.filter(Entry.id == eid)]
        db.session.remove()
        return rows


def unsigned(e, **changes):
    """A copy of an entry without its signature: the test client signs it again, over the text as sent."""
    return {k: v for k, v in dict(e, **changes).items() if k not in ("key_id", "sig")}


def statuses(results):
    return [(r["status"], r.get("reason"), sorted(r.get("fields") or {})) for r in results]


# --- one spelling of an entry's id ---------------------------------------------------------------------------------

def test_three_spellings_of_one_uuid_are_stored_once(demo, world, api):
    api.login(LOGINS.nurse1)
    a = tick(world)
    upper, bare = unsigned(a, id=a["id"].upper()), unsigned(a, id=a["id"].replace("-", ""))
    results = push(api, [a, upper, bare])
    # each spelling signed by its author's tablet: the one spelling is stored, the others are the same entry
    assert statuses(results) == [("accepted", None, []), ("duplicate", None, []), ("duplicate", None, [])]
    assert [r["id"] for r in results] == [a["id"], upper["id"], bare["id"]]  # as sent: the tablet's outbox key
    other = unsigned(a, id="{" + a["id"].upper() + "}", note="other content", kind="note", item_id=None, slot=None,
                     status=None)
    [conflict] = push(api, [other])
    assert (conflict["id"], conflict["status"], conflict["reason"]) == (other["id"], "rejected", "id_conflict")
    fresh = tick(world)
    [unknown] = push(api, [unsigned(fresh, id=fresh["id"].upper())])  # a new entry must come in the one spelling
    assert (unknown["status"], unknown["reason"], list(unknown["fields"])) == ("rejected", "invalid", ["id"])
    assert stored(demo) == [a["id"]]


def test_a_correction_names_its_target_in_the_one_spelling(demo, world, api):
    api.login(LOGINS.nurse1)
    a = tick(world)
    push(api, [a])
    [result] = push(api, [tick(world, status="not_done", reason="refused", supersedes=a["id"].upper())])
    assert (result["status"], result["reason"], list(result["fields"])) == ("rejected", "invalid", ["supersedes"])


# --- one broken entry among good ones ------------------------------------------------------------------------------

def note(world, **fields):
    base = {"kind": "note", "item_id": None, "slot": None, "status": None, "note": "calm"}
    return tick(world, **dict(base, **fields))


def test_one_broken_entry_is_refused_by_name_and_the_rest_stored(demo, world, api):
    api.login(LOGINS.nurse1)
    good1, good2, good3 = tick(world), note(world), tick(world, kind="vitals", item_id=None, slot=None, status=None,
                                                        values={"pulse": 72})
    bad = {
        "status": note(world, status="s" * 17),
        "reason": note(world, reason="r" * 21),
        "category": tick(world, kind="condition", item_id=None, slot=None, status=None, category="c" * 31,
                         note="fell"),
        "slot": tick(world, slot="0" * 17),
        "device_id": tick(world, device_id="d" * 65),
        "note": note(world, note="n" * 2001),  # a NUL or a lone surrogate: test_a_lone_surrogate_in_one_note_...
        "values": tick(world, values=[1, 2, 3]),
        "values.pulse": tick(world, kind="vitals", item_id=None, slot=None, status=None, values={"pulse": [72] * 40}),
    }
    batch = [good1, *bad.values(), 5, "entry", None, [], good2, good3]
    status, reply = api.post("/api/sync/push", {"device_id": "tab-1", "entries": batch})
    assert status == 200, reply
    results = reply["results"]
    assert len(results) == len(batch)
    assert results[0]["status"] == results[-1]["status"] == results[-2]["status"] == "accepted"
    for (field, e), r in zip(bad.items(), results[1:]):
        assert (r["id"], r["status"], r["reason"], list(r["fields"])) == (e["id"], "rejected", "invalid", [field])
    first_odd = 1 + len(bad)
    for i, r in enumerate(results[first_odd:first_odd + 4], first_odd):  # not objects: named by position
        assert (r["id"], r["status"], r["reason"], list(r["fields"])) == (f"#{i}", "rejected", "invalid", ["entry"])
    assert sorted(stored(demo)) == sorted([good1["id"], good2["id"], good3["id"]])


@pytest.mark.parametrize("text", ["ночь\ud800", "night\x00", "\udfff"])
def test_a_lone_surrogate_in_one_note_names_that_entry(demo, world, api, text):
    """The input boundary may refuse the whole request for a lone surrogate or a NUL; then it names the entry's
    position. Or the request reaches the push, which refuses that entry alone (entry_input.parse: it does not rely
    on the boundary)."""
    api.login(LOGINS.nurse1)
    good, broken = tick(world), note(world, note=text)
    api.keyring.sign([good, broken])
    body = json.dumps({"device_id": "tab-1", "entries": [good, broken]})  # "\ud800" escaped, as a broken client
    response = api.client.post("/api/sync/push", data=body, content_type="application/json", headers=CSRF)
    status, reply = response.status_code, response.get_json()
    if status == 400:
        assert any(".1." in f".{name}." for name in reply["fields"]), reply  # entries.1.note: the tablet's entry
        assert stored(demo) == []
    else:
        assert status == 200, reply
        assert statuses(reply["results"]) == [("accepted", None, []), ("rejected", "invalid", ["note"])]
        assert stored(demo) == [good["id"]]


# --- every kind has a values shape ---------------------------------------------------------------------------------

def test_a_tick_with_100000_numbers_in_values_is_refused(demo, world, api):
    api.login(LOGINS.nurse1)
    good = tick(world)
    as_array = tick(world, values=list(range(100_000)))
    as_list_field = tick(world, values={"x": list(range(100_000))})
    as_fields = note(world, values={"pulse": 72})
    results = push(api, [as_array, good, as_list_field, as_fields])
    assert statuses(results) == [("rejected", "invalid", ["values"]), ("accepted", None, []),
                                 ("rejected", "invalid", ["values.x"]), ("rejected", "invalid", ["values"])]
    assert stored(demo) == [good["id"]]


# --- the tablet's clock fits the care day --------------------------------------------------------------------------

def test_a_device_time_in_year_one_is_refused(demo, world, api, make_api):
    api.login(LOGINS.nurse1)
    good = tick(world)
    year_one = tick(world, device_time="0001-01-01T00:00:00+00:00")
    year_one_east = note(world, device_time="0001-01-01T03:00:00+05:00")
    far_ahead = note(world, device_time="2026-11-27T09:00:00+07:00")
    results = push(api, [year_one, good, year_one_east, far_ahead])
    assert statuses(results) == [("rejected", "invalid", ["device_time"]), ("accepted", None, []),
                                 ("rejected", "invalid", ["device_time"]), ("rejected", "invalid", ["device_time"])]
    supervisor = make_api()
    supervisor.login(LOGINS.supervisor1)
    status, body = supervisor.get(f"/api/units/{world.unit1}/days/{DAY}")
    assert status == 200, body


# --- the views tolerate odd rows already stored ------------------------------------------------------------------

ODD_TIMES = ["0001-01-01T00:00:00+00:00", "0001-01-01T03:00:00+05:00", "9999-12-31T23:59:59-05:00", "yesterday"]
ODD_VALUES = [[1, 2, 3], "text", 5, {"nested": {"deep": [1]}}]


def _insert_odd_rows(app, world):
    """Rows as an older server stored them: absurd device times, `values` that are not an object, in every kind."""
    with app.app_context():
        r1 = db.session.get(Resident, world.r1)
        n = 0
        for kind, extra in (("tick", {"item_id": world.toilet, "slot": "07:30", "status": "done"}),
                            ("note", {"note": "x"}), ("condition", {"category": "fall", "note": "x"}),
                            ("vitals", {}), ("attendance", {"status": "active"}),
                            ("assessment", {"category": "barthel"})):
            for device_time in ODD_TIMES:
                for values in ODD_VALUES:
                    n += 1
                    db.session.add(Entry(id=str(uuid.uuid4()), seq=20_000_000 + n, kind=kind, resident_id=r1.id,
                                         unit_id=r1.unit_id, day=date.fromisoformat(DAY), values=values,
                                         author_id=world.nurse1, device_id="tab-old", client_seq=n,
                                         device_time=device_time, received_at=date.fromisoformat(DAY),
                                         payload_hash="0" * 64, **extra))
        db.session.commit()
        odd_tick = Entry.query.filter_by(kind="tick", device_id="tab-old").order_by(Entry.seq).first().id
        db.session.remove()
    return odd_tick


def test_every_view_answers_200_with_odd_rows_stored(demo, world, make_api, clock):
    odd_tick = _insert_odd_rows(demo, world)
    supervisor, admin, relative, activities = make_api(), make_api(), make_api(), make_api()
    supervisor.login(LOGINS.supervisor1)
    admin.login(LOGINS.admin1)
    relative.login(LOGINS.relative1)
    activities.login(LOGINS.activities1)
    card = world.cards[world.r1]["id"]
    for client, path in (
            (supervisor, f"/api/units/{world.unit1}/days/{DAY}"),
            (supervisor, f"/api/archive/months?unit_id={world.unit1}&month=2026-11"),
            (supervisor, f"/api/archive/cards/{card}"),
            (admin, "/api/monitoring/month?month=2026-11"),
            (admin, "/api/monitoring/month.csv?month=2026-11"),
            (admin, "/api/monitoring/month.pdf?month=2026-11"),
            (relative, f"/api/family/residents/{world.r1}/overview"),
            (activities, f"/api/attendance/day?day={DAY}"),
            (activities, "/api/attendance/idle"),
            (activities, "/api/attendance/pull?cursor=0&device_id=tab-9"),
            (supervisor, f"/api/sync/pull?post_id={world.post1}&cursor=0"),
            (supervisor, f"/api/assessments?resident_id={world.r1}")):
        response = client.client.get(path, headers={"X-Bedside": "1"})
        assert response.status_code == 200, (path, response.status_code, response.get_data(as_text=True)[:300])
    # a supervisor amends one: what the older server stored in a tick's values is not carried on
    status, amended = supervisor.post(f"/api/entries/{odd_tick}/amend", {"reason": "checked with the night nurse",
                                                                        "status": "not_done",
                                                                        "not_done_reason": "refused"})
    assert status == 201, amended
    assert amended["values"] is None
    # the month closed and printed with them
    clock.set("2026-12-02T10:00:00+07:00")
    supervisor.login(LOGINS.supervisor1)
    for d in range(1, 31):
        assert supervisor.post(f"/api/units/{world.unit1}/days/2026-11-{d:02d}/confirm", {})[0] == 201
    status, body = supervisor.post(f"/api/archive/cards/{card}/close")
    assert status == 200, body
    for path in (f"/api/archive/cards/{card}", f"/api/archive/cards/{card}.pdf"):
        response = supervisor.client.get(path, headers={"X-Bedside": "1"})
        assert response.status_code == 200, (path, response.status_code, response.get_data(as_text=True)[:300])
