"""The carer's own pull (issue 18, sections 3 and 5): on her phone she holds only her people -- those of the visits she
is a current carer of, from yesterday to a week ahead on the home's calendar, cancelled ones included -- with their
details at home (never the home code's hash), cards, two weeks of entries and the station's catalogue; anyone else's
person is a 404. A reassignment reaches both phones at their next incremental pull; the station head's pull is the
post whole, with the window's visits; a constant number of queries whatever the number of visits."""
import json
from datetime import date, datetime, timedelta

import pytest
from sqlalchemy import event

from backend.extensions import db
from backend.models import Resident, Visit, VisitCarer
from backend.services import feed

from ..conftest import LOGINS
from ..helpers import entry as make_entry
from .conftest import push

TODAY = date(2026, 11, 25)  # the clock's day in Shanghai too (11:00 there)
AT = datetime(2026, 11, 20, 1, 0)  # when the dispatcher planned (naive UTC)


def _add_visit(ids, resident_id, day, carers, start="09:00", cancelled=False):
    seq = feed.allocate(db.session, 1)
    v = Visit(home_id=ids.home, unit_id=ids.station, resident_id=resident_id, day=day, start_time=start,
              planned_minutes=45, source="plan", item_ids=[], created_at=AT, created_by=ids.staff["dispatch1"],
              cancelled_at=AT if cancelled else None, cancelled_by=ids.staff["dispatch1"] if cancelled else None,
              cancel_reason="in hospital" if cancelled else None, seq=seq)
    db.session.add(v)
    db.session.flush()
    for carer in carers:
        db.session.add(VisitCarer(visit_id=v.id, carer_id=ids.staff[carer], assigned_at=AT,
                                  assigned_by=ids.staff["dispatch1"]))
    return v.id


def add_visit(app, ids, resident_id, day, carers, **kw):
    with app.app_context():
        vid = _add_visit(ids, resident_id, day, carers, **kw)
        db.session.commit()
        db.session.remove()
    return vid


def reassign(app, ids, visit_id, to):
    """What the dispatcher does (services/visits.py): end the current rows, add hers, bump the visit's seq."""
    with app.app_context():
        for row in VisitCarer.query.filter_by(visit_id=visit_id, unassigned_at=None):
            row.unassigned_at = datetime(2026, 11, 25, 2, 0)
        db.session.add(VisitCarer(visit_id=visit_id, carer_id=ids.staff[to], assigned_at=datetime(2026, 11, 25, 2, 0),
                                  assigned_by=ids.staff["dispatch1"]))
        db.session.get(Visit, visit_id).seq = feed.allocate(db.session, 1)
        db.session.commit()
        db.session.remove()


@pytest.fixture
def rounds(demo, community):
    """carer1's visits around TODAY (p = the demo's people): p0 today, p1 yesterday, p3 at +7, p6 today cancelled,
    p8 a team visit with carer2; outside her pull: p2 two days ago, p4 at +8, p5 carer2's, p7 taken from her."""
    p = community.people
    with demo.app_context():
        made = {
            "today": _add_visit(community, p[0], TODAY, ["carer1"]),
            "yesterday": _add_visit(community, p[1], TODAY - timedelta(days=1), ["carer1"]),
            "before": _add_visit(community, p[2], TODAY - timedelta(days=2), ["carer1"]),
            "ahead7": _add_visit(community, p[3], TODAY + timedelta(days=7), ["carer1"]),
            "ahead8": _add_visit(community, p[4], TODAY + timedelta(days=8), ["carer1"]),
            "theirs": _add_visit(community, p[5], TODAY, ["carer2"]),
            "cancelled": _add_visit(community, p[6], TODAY, ["carer1"], cancelled=True),
            "taken": _add_visit(community, p[7], TODAY, ["carer1"]),
            "team": _add_visit(community, p[8], TODAY, ["carer1", "carer2"], start="14:00"),
        }
        db.session.commit()
        db.session.remove()
    reassign(demo, community, made["taken"], "carer2")
    return made


def pull(api, ids, cursor=0, limit=1000):
    status, body = api.get(f"/api/sync/pull?post_id={ids.post}&cursor={cursor}&limit={limit}&device_id=phone-1")
    assert status == 200, body
    return body


def hashes(app, ids):
    with app.app_context():
        found = [h for (h,) in db.session.query(Resident.home_code_hash).filter(Resident.id.in_(ids.people))]
        db.session.remove()
    return found


def assert_no_hash(app, ids, body):
    text = json.dumps(body)
    assert "home_code_hash" not in text
    assert not any(h in text for h in hashes(app, ids) if h)


def test_her_pull_holds_her_people_only_with_their_details(demo, community, rounds, api):
    p = community.people
    api.login("carer1", device_id="phone-1")
    # her notes on her people, and a note on another carer's person she must not get
    old, recent = TODAY - timedelta(days=15), TODAY - timedelta(days=13)
    notes = [make_entry(p[0], community.staff["carer1"], day=d.isoformat(), kind="note", note=f"on {d}",
                        device_id="phone-1", device_time=f"{d.isoformat()}T10:00:00+08:00") for d in (old, recent)]
    notes.append(make_entry(p[5], community.staff["carer1"], day=TODAY.isoformat(), kind="note", note="theirs",
                            device_id="phone-1", device_time=f"{TODAY.isoformat()}T10:00:00+08:00"))
    assert [r["status"] for r in push(api, notes, device_id="phone-1")] == ["accepted"] * 3
    snap = pull(api, community)
    assert snap["scope"] == "carer" and snap["snapshot"] is True
    assert snap["window"] == {"first": "2026-11-24", "last": "2026-12-02"}
    mine = {rounds[k] for k in ("today", "yesterday", "ahead7", "cancelled", "team")}
    assert {v["id"] for v in snap["visits"]} == mine
    assert all(v["mine"] for v in snap["visits"])
    assert snap["visits_gone"] == [] and snap["residents_gone"] == []
    by_id = {v["id"]: v for v in snap["visits"]}
    assert by_id[rounds["cancelled"]]["cancelled_at"].endswith("+00:00")
    assert by_id[rounds["cancelled"]]["cancel_reason"] == "in hospital"
    assert sorted(by_id[rounds["team"]]["carer_ids"]) == sorted([community.staff["carer1"], community.staff["carer2"]])
    assert {r["id"] for r in snap["residents"]} == {p[0], p[1], p[3], p[6], p[8]}
    person = next(r for r in snap["residents"] if r["id"] == p[0])
    assert set(person["at_home"]) == {"address", "phone", "lat", "lon", "radius_m", "home_code_salt", "lives_alone",
                                      "care_level"}
    assert person["at_home"]["home_code_salt"] and person["at_home"]["lat"] is not None
    assert_no_hash(demo, community, snap)
    # two weeks of her people's entries, nobody else's
    assert {e["note"] for e in snap["entries"] if e["kind"] == "note"} == {f"on {recent}"}
    # the station's catalogue, whole
    assert {i["id"] for i in snap["catalogue"]} == set(community.catalogue.values())
    assert all(set(i["names"]) == {"ru", "zh_Hans", "en"} for i in snap["catalogue"])


def test_another_carers_person_is_not_found(demo, community, rounds, api):
    p = community.people
    api.login("carer1")
    assert api.get(f"/api/residents/{p[0]}")[0] == 200  # hers
    assert api.get(f"/api/residents/{p[8]}")[0] == 200  # a team visit's
    for other in (p[5], p[7], p[12]):  # carer2's, taken from her, nobody's
        status, body = api.get(f"/api/residents/{other}")
        assert status == 404, body
    api.login("dispatch1")  # the station head reaches everyone
    assert api.get(f"/api/residents/{p[12]}")[0] == 200


def test_a_reassignment_reaches_both_phones_at_their_next_pull(demo, community, rounds, api, make_api):
    p = community.people
    api.login("carer1", device_id="phone-1")
    other = make_api()
    other.login("carer2", device_id="phone-2")
    mine = pull(api, community)
    theirs = pull(other, community)
    assert rounds["theirs"] not in {v["id"] for v in mine["visits"]}
    assert {v["id"] for v in theirs["visits"]} == {rounds["theirs"], rounds["taken"], rounds["team"]}
    # carer2 wrote a note on her person before: it comes with the person to carer1
    note = make_entry(p[5], community.staff["carer2"], day=TODAY.isoformat(), kind="note", note="keys under the mat",
                      device_id="phone-2", device_time=f"{TODAY.isoformat()}T08:00:00+08:00")
    push(other, [note], device_id="phone-2")
    theirs_cursor = pull(other, community, theirs["cursor"])["cursor"]
    # while offline, carer1 arrived at p0's visit; then the dispatcher gives p0 to carer2 and p5 to carer1
    arrived = make_entry(p[0], community.staff["carer1"], day=TODAY.isoformat(), kind="visit", status="arrived",
                         values={"visit_id": rounds["today"], "presence": "none", "presence_reason": "denied"},
                         device_id="phone-1", device_time=f"{TODAY.isoformat()}T09:01:00+08:00")
    reassign(demo, community, rounds["today"], "carer2")
    reassign(demo, community, rounds["theirs"], "carer1")

    step = pull(api, community, mine["cursor"])
    assert step["snapshot"] is False and step["scope"] == "carer"
    assert [v["id"] for v in step["visits"]] == [rounds["theirs"]] and step["visits"][0]["mine"] is True
    assert step["visits_gone"] == [rounds["today"]]
    assert step["residents_gone"] == [p[0]]  # no other visit of hers keeps her
    assert [r["id"] for r in step["residents"]] == [p[5]] and "at_home" in step["residents"][0]
    assert note["id"] in {e["id"] for e in step["entries"]}  # her history comes with her
    assert_no_hash(demo, community, step)
    # her arrival made before she knew is pushed, kept and flagged, not lost
    result = push(api, [arrived], device_id="phone-1")
    assert result[0]["status"] == "accepted" and "not_assigned" in (result[0]["flags"] or {})

    back = pull(other, community, theirs_cursor)
    assert [v["id"] for v in back["visits"]] == [rounds["today"]]
    assert back["visits_gone"] == [rounds["theirs"]] and back["residents_gone"] == [p[5]]
    assert p[0] in {r["id"] for r in back["residents"]}
    assert arrived["id"] in {e["id"] for e in back["entries"]}  # carer1's arrival, on the new carer's phone

    # nothing new: an empty step
    quiet = pull(api, community, step["cursor"])
    assert (quiet["visits"], quiet["visits_gone"], quiet["residents"], quiet["catalogue"]) == ([], [], [], [])


def test_a_person_another_visit_keeps_stays(demo, community, rounds, api):
    p = community.people
    second = add_visit(demo, community, p[0], TODAY + timedelta(days=2), ["carer1"])
    api.login("carer1")
    snap = pull(api, community)
    assert second in {v["id"] for v in snap["visits"]}
    reassign(demo, community, rounds["today"], "carer2")
    step = pull(api, community, snap["cursor"])
    assert step["visits_gone"] == [rounds["today"]] and step["residents_gone"] == []


def test_the_station_heads_pull_is_whole_with_the_windows_visits(demo, community, rounds, api):
    p = community.people
    api.login("dispatch1")
    snap = pull(api, community)
    assert snap["scope"] == "post"
    assert {r["id"] for r in snap["residents"]} == set(p)
    assert all("at_home" in r for r in snap["residents"])
    window = {rounds[k] for k in ("today", "yesterday", "ahead7", "theirs", "cancelled", "taken", "team")}
    assert {v["id"] for v in snap["visits"]} == window
    assert not any(v["mine"] for v in snap["visits"])
    assert_no_hash(demo, community, snap)
    assert len(snap["catalogue"]) == len(community.catalogue)
    reassign(demo, community, rounds["theirs"], "carer1")
    step = pull(api, community, snap["cursor"])
    assert [(v["id"], v["carer_ids"]) for v in step["visits"]] == [(rounds["theirs"], [community.staff["carer1"]])]


@pytest.mark.parametrize("utc, first, last", [
    ("2026-11-24T16:30:00+00:00", date(2026, 11, 24), date(2026, 12, 2)),  # 00:30 on the 25th in Shanghai
    ("2026-11-25T15:59:00+00:00", date(2026, 11, 24), date(2026, 12, 2)),  # 23:59 on the 25th
    ("2026-11-25T16:00:00+00:00", date(2026, 11, 25), date(2026, 12, 3)),  # midnight: the 26th
])
def test_the_window_is_the_homes_days(demo, community, api, clock, utc, first, last):
    p = community.people
    days = {first - timedelta(days=1): p[0], first: p[1], last: p[2], last + timedelta(days=1): p[3]}
    made = {day: add_visit(demo, community, rid, day, ["carer1"]) for day, rid in days.items()}
    clock.set(utc)
    api.login("carer1")
    snap = pull(api, community)
    assert snap["window"] == {"first": first.isoformat(), "last": last.isoformat()}
    assert {v["id"] for v in snap["visits"]} == {made[first], made[last]}
    assert {r["id"] for r in snap["residents"]} == {p[1], p[2]}
    assert api.get(f"/api/residents/{p[1]}")[0] == 200


def test_a_care_homes_pull_is_unchanged(demo, world, api):
    api.login(LOGINS.nurse1)
    snap = pull_post(api, world.post1)
    for key in ("scope", "window", "visits", "visits_gone", "residents_gone", "catalogue"):
        assert key not in snap
    assert all("at_home" not in r for r in snap["residents"])


def pull_post(api, post_id):
    status, body = api.get(f"/api/sync/pull?post_id={post_id}")
    assert status == 200, body
    return body


class Statements:
    def __init__(self, engine):
        self.engine, self.count, self.statements = engine, 0, []

    def __enter__(self):
        event.listen(self.engine, "before_cursor_execute", self._one)
        return self

    def __exit__(self, *exc):
        event.remove(self.engine, "before_cursor_execute", self._one)

    def _one(self, conn, cursor, statement, *args):
        self.count += 1
        self.statements.append(statement)


def test_the_pull_takes_as_many_queries_for_many_visits_as_for_few(demo, community, api):
    """A constant number of queries: the snapshot and an incremental pull with new people, with 2 visits and with
    30 (of 15 people); and the same for the station head."""
    p = community.people
    api.login("carer1", device_id="phone-1")
    head = api.__class__(demo.test_client(), api.keyring)
    head.login("dispatch1", device_id="desk-1")
    pull(api, community), pull(head, community)  # first contacts: each device's row is made
    counts = []
    for size in (2, 15):
        with demo.app_context():
            db.session.query(VisitCarer).delete()
            db.session.query(Visit).delete()
            for n in range(size):
                for day in (TODAY, TODAY + timedelta(days=3)):
                    _add_visit(community, p[n], day, ["carer1"])
            db.session.commit()
            engine = db.engine
            db.session.remove()
        with Statements(engine) as snap:
            first = pull(api, community)
        assert len(first["visits"]) == 2 * size
        with demo.app_context():
            for n in range(size, size + 3):
                _add_visit(community, p[n], TODAY + timedelta(days=1), ["carer1"])
            db.session.commit()
            db.session.remove()
        with Statements(engine) as step:
            later = pull(api, community, first["cursor"])
        assert len(later["visits"]) == 3 and len(later["residents"]) == 3
        with Statements(engine) as whole:
            assert len(pull(head, community)["visits"]) == 2 * size + 3
        counts.append((snap.count, step.count, whole.count))
    assert counts[0] == counts[1], counts
    print("statements (snapshot, incremental, station head's snapshot):", counts[0])


def test_the_station_list_shows_a_carer_her_people_only(demo, community, make_api):
    """GET /api/residents lists a station's people: to a carer, only the people of her visits (names are personal
    data too); the station head sees them all."""
    with demo.app_context():
        home_day = date(2026, 11, 25)
        visit = Visit(home_id=community.home, unit_id=community.station, resident_id=community.people[0],
                      day=home_day, start_time="09:00", planned_minutes=30, source="plan", item_ids=[],
                      created_at=datetime(2026, 11, 24), created_by=community.staff["dispatch1"], seq=10**6)
        db.session.add(visit)
        db.session.flush()
        db.session.add(VisitCarer(visit_id=visit.id, carer_id=community.staff["carer1"],
                                  assigned_at=datetime(2026, 11, 24), assigned_by=community.staff["dispatch1"]))
        db.session.commit()
        db.session.remove()
    carer, head = make_api(), make_api()
    carer.login("carer1")
    head.login("dispatch1")
    status, mine = carer.get(f"/api/residents?unit_id={community.station}")
    assert status == 200 and [r["id"] for r in mine] == [community.people[0]]
    status, everyone = head.get(f"/api/residents?unit_id={community.station}")
    assert status == 200 and len(everyone) == len(community.people)
