"""Corrections, confirmation locks, late entries, amendments, condition reports and the day view's figures."""
from datetime import timedelta

from backend.extensions import db
from backend.models import AuditEvent, Entry, Resident

from .. import factories
from ..helpers import entry as make_entry
from .conftest import DAY, login_as, push, tick
from ..conftest import LOGINS


def day_view(api, world, day=DAY):
    status, view = api.get(f"/api/units/{world.unit1}/days/{day}")
    assert status == 200, view
    return view


def row_of(view, resident_id):
    return next(r for r in view["residents"] if r["resident"]["id"] == resident_id)


def cell(view, resident_id, item_id, slot):
    return next(c for c in row_of(view, resident_id)["cells"] if c["item_id"] == item_id and c["slot"] == slot)


def signed_in(make_api, username):
    client = make_api()
    client.login(username)
    return client


# --- corrections ---------------------------------------------------------------------------------

def test_own_correction_supersedes_and_both_are_kept(demo, world, api, make_api):
    api.login(LOGINS.nurse1)
    original = tick(world, device_time=f"{DAY}T07:35:00+07:00")
    push(api, [original])
    correction = tick(world, status="not_done", reason="refused", supersedes=original["id"],
                      device_time=f"{DAY}T07:40:00+07:00")
    [r] = push(api, [correction])
    assert r["status"] == "accepted"
    with demo.app_context():
        assert {e.id for e in Entry.query} == {original["id"], correction["id"]}
    view = day_view(signed_in(make_api, LOGINS.supervisor1), world)
    c = cell(view, world.r1, world.toilet, "07:30")
    assert (c["state"], c["entry"]["id"]) == ("not_done", correction["id"])


def test_a_correction_wins_even_with_an_earlier_tablet_time(demo, world, api, make_api):
    api.login(LOGINS.nurse1)
    original = tick(world, device_time=f"{DAY}T07:50:00+07:00")
    correction = tick(world, status="not_done", reason="asleep", supersedes=original["id"],
                      device_time=f"{DAY}T07:45:00+07:00")  # another tablet with a slow clock
    push(api, [original, correction])
    c = cell(day_view(signed_in(make_api, LOGINS.supervisor1), world), world.r1, world.toilet, "07:30")
    assert c["entry"]["id"] == correction["id"]


def test_correcting_a_colleagues_entry_is_refused(demo, world, api, make_api):
    make_api().login(LOGINS.supervisor1)  # she made the original on this tablet
    api.login(LOGINS.nurse1)
    original = tick(world, author_id=world.supervisor)
    push(api, [original])
    [r] = push(api, [tick(world, status="not_done", reason="asleep", supersedes=original["id"])])
    assert (r["status"], r["reason"], r["fields"]) == ("rejected", "not_own_entry", {"supersedes": "only the author can correct this entry; a supervisor can amend it"})


def test_correction_must_name_the_same_slot_and_a_known_entry(demo, world, api):
    api.login(LOGINS.nurse1)
    original = tick(world)
    push(api, [original])
    unknown = tick(world, supersedes="0195a000-0000-7000-8000-0000000000ff")
    other_day = tick(world, supersedes=original["id"], day="2026-11-24", device_time="2026-11-24T07:35:00+07:00")
    results = push(api, [unknown, other_day])
    assert [r["reason"] for r in results] == ["superseded_unknown", "superseded_mismatch"]


def test_a_retried_entry_and_its_correction_in_one_batch(demo, world, api):
    """The tablet pushed A, the answer was lost, the nurse corrected A with B; the next push carries both."""
    api.login(LOGINS.nurse1)
    original = tick(world)
    push(api, [original])  # committed; pretend the tablet never heard the answer
    correction = tick(world, status="not_done", reason="refused", supersedes=original["id"])
    results = push(api, [original, correction])
    assert [r["status"] for r in results] == ["duplicate", "accepted"]


# --- confirmation, late entries and amendments ---------------------------------------------------

def test_confirmation_lock_late_entries_and_second_confirmation(demo, world, api, make_api, clock):
    sup = signed_in(make_api, LOGINS.supervisor1)
    api.login(LOGINS.nurse1)
    push(api, [tick(world)])
    status, first = sup.post(f"/api/units/{world.unit1}/days/{DAY}/confirm", {"note": "all done"})
    assert status == 201 and first["resident_id"] is None and first["confirmed_by"] == world.supervisor
    view = day_view(sup, world)
    # made at 10:00, during the day: it covers what was recorded by then; the day is not locked (docs/domain.md)
    assert view["unit_confirmed"] is True and view["unit_confirmed_whole"] is False and view["day_over"] is False
    assert not any(r["locked"] for r in view["residents"])
    assert all(r["confirmed_until"] == "2026-11-25T03:00:00+00:00" for r in view["residents"])
    assert view["late_entries"] == []
    late = make_entry(world.r1, world.nurse1, kind="note", note="forgot to write: restless at 06:00")
    [r] = push(api, [late])
    assert (r["status"], r["late"]) == ("accepted", True)
    view = day_view(sup, world)
    assert [e["id"] for e in view["late_entries"]] == [late["id"]]
    assert view["late_entries"][0]["late_after_confirmation"] is True
    ahead = make_entry(world.r1, world.nurse1, kind="note", note="slept after lunch",
                       device_time="2026-11-25T14:05:00+07:00")
    clock.set("2026-11-25T14:10:00+07:00")
    api.login(LOGINS.nurse1)
    [r] = push(api, [ahead])
    assert (r["status"], r["late"]) == ("accepted", False)  # recorded after the confirmation: not late
    clock.set("2026-11-26T08:30:00+07:00")  # the next morning: a confirmation now covers the whole day
    sup.login(LOGINS.supervisor1)
    assert sup.post(f"/api/units/{world.unit1}/days/{DAY}/confirm", {})[0] == 201
    view = day_view(sup, world)
    assert view["late_entries"] == [] and len(view["confirmations"]) == 2
    assert view["day_over"] is True and view["unit_confirmed_whole"] is True
    assert all(r["locked"] for r in view["residents"])
    api.login(LOGINS.nurse1)
    [r] = push(api, [make_entry(world.r1, world.nurse1, kind="note", note="found in the notebook",
                                device_time="2026-11-25T21:00:00+07:00")])
    assert (r["status"], r["late"]) == ("accepted", True)  # anything for a locked day arrives late
    with demo.app_context():
        assert AuditEvent.query.filter_by(action="day_confirm").count() == 2


def test_confirming_one_resident_locks_only_that_resident(demo, world, api, make_api):
    sup = signed_in(make_api, LOGINS.supervisor1)
    other = world.residents[world.unit1][1]
    assert sup.post(f"/api/units/{world.unit1}/days/{DAY}/confirm", {"resident_id": world.r1})[0] == 201
    view = day_view(sup, world)
    assert row_of(view, world.r1)["confirmed_until"] and row_of(view, other)["confirmed_until"] is None
    assert view["unit_confirmed"] is False
    api.login(LOGINS.nurse1)
    results = push(api, [make_entry(world.r1, world.nurse1, kind="note", note="a"),
                         make_entry(other, world.nurse1, kind="note", note="b")])
    assert [r["late"] for r in results] == [True, False]


def test_a_future_day_cannot_be_confirmed_and_other_units_residents_are_404(demo, world, make_api):
    sup = signed_in(make_api, LOGINS.supervisor1)
    status, body = sup.post(f"/api/units/{world.unit1}/days/2026-11-26/confirm", {})
    assert status == 400 and "day" in body["fields"]
    status, _ = sup.post(f"/api/units/{world.unit1}/days/{DAY}/confirm", {"resident_id": world.r2})
    assert status == 404


def test_amendment_by_a_supervisor_supersedes_with_a_reason(demo, world, api, make_api):
    api.login(LOGINS.nurse1)
    original = tick(world)
    push(api, [original])
    sup = signed_in(make_api, LOGINS.supervisor1)
    sup.post(f"/api/units/{world.unit1}/days/{DAY}/confirm", {})
    status, body = sup.post(f"/api/entries/{original['id']}/amend", {"status": "not_done"})
    assert status == 400 and set(body["fields"]) == {"reason"}
    status, body = sup.post(f"/api/entries/{original['id']}/amend",
                            {"reason": "the resident was asleep; entered by mistake", "status": "not_done",
                             "not_done_reason": "asleep"}, headers={"X-Device-Id": "office-pc"})
    assert status == 201, body
    assert body["supersedes"] == original["id"] and body["author_id"] == world.supervisor
    assert body["amendment_reason"] == "the resident was asleep; entered by mistake"
    assert (body["status"], body["reason"], body["item_id"], body["slot"]) == ("not_done", "asleep", world.toilet,
                                                                                "07:30")
    view = day_view(sup, world)
    c = cell(view, world.r1, world.toilet, "07:30")
    assert (c["state"], c["entry"]["id"], c["entry"]["amendment_reason"]) == (
        "not_done", body["id"], "the resident was asleep; entered by mistake")
    with demo.app_context():
        assert Entry.query.count() == 2
        audit = AuditEvent.query.filter_by(action="entry_amend").one()
        assert (audit.object_id, audit.actor_id, audit.device_id) == (body["id"], world.supervisor, "office-pc")
        assert audit.detail["supersedes"] == original["id"]
    # the tablet receives the amendment
    status, page = api.get(f"/api/sync/pull?post_id={world.post1}&cursor=0")
    assert body["id"] in {e["id"] for e in page["entries"]}


def test_an_invalid_amendment_is_refused_by_field(demo, world, api, make_api):
    api.login(LOGINS.nurse1)
    original = tick(world)
    push(api, [original])
    sup = signed_in(make_api, LOGINS.supervisor1)
    status, body = sup.post(f"/api/entries/{original['id']}/amend", {"reason": "fix", "status": "not_done"})
    assert status == 400 and set(body["fields"]) == {"reason"}  # not done needs a reason code
    status, body = sup.post("/api/entries/0195a000-0000-7000-8000-0000000000ff/amend", {"reason": "fix"})
    assert status == 404


def test_every_write_confirmation_and_amendment_is_audited(demo, world, api, make_api):
    api.login(LOGINS.nurse1)
    entries = [tick(world), make_entry(world.r1, world.nurse1, kind="note", note="n")]
    push(api, entries, device_id="tab-3")
    sup = signed_in(make_api, LOGINS.supervisor1)
    status, conf = sup.post(f"/api/units/{world.unit1}/days/{DAY}/confirm", {})
    status, amended = sup.post(f"/api/entries/{entries[1]['id']}/amend", {"reason": "typo", "note": "n."})
    with demo.app_context():
        rows = [(a.action, a.object_id, a.actor_id, a.role) for a in AuditEvent.query.order_by(AuditEvent.id)]
        assert rows[0][0] == "login" and rows[0][2] == world.nurse1
        pushes = AuditEvent.query.filter_by(action="entries_push").all()
        assert sorted(i for a in pushes for i in a.detail["accepted"]) == sorted(e["id"] for e in entries)
        assert {(a.actor_id, a.role) for a in pushes} == {(world.nurse1, "nurse")}
        assert ("day_confirm", str(conf["id"]), world.supervisor, "supervisor") in rows
        assert ("entry_amend", amended["id"], world.supervisor, "supervisor") in rows
        assert all(a.at is not None for a in AuditEvent.query)


# --- condition report ----------------------------------------------------------------------------

def test_condition_report_marks_the_resident_and_shows_in_the_day_view(demo, world, api, make_api):
    api.login(LOGINS.nurse1)
    status, snap = api.get(f"/api/sync/pull?post_id={world.post1}")
    report = make_entry(world.r1, world.nurse1, kind="condition", category="fall", note="found on the floor, 05:40")
    [r] = push(api, [report])
    assert r["status"] == "accepted"
    with demo.app_context():
        assert db.session.get(Resident, world.r1).needs_reassessment is True
        assert db.session.get(Resident, world.residents[world.unit1][1]).needs_reassessment is False
    status, page = api.get(f"/api/sync/pull?post_id={world.post1}&cursor={snap['cursor']}")
    assert [(x["id"], x["needs_reassessment"]) for x in page["residents"]] == [(world.r1, True)]
    status, residents = api.get(f"/api/residents?unit_id={world.unit1}")
    assert next(x for x in residents if x["id"] == world.r1)["needs_reassessment"] is True
    view = day_view(signed_in(make_api, LOGINS.supervisor1), world)
    assert [(c["id"], c["category"]) for c in view["condition_reports"]] == [(report["id"], "fall")]
    assert row_of(view, world.r1)["resident"]["needs_reassessment"] is True


def test_vitals_out_of_range_are_listed_for_the_supervisor(demo, world, api, make_api):
    api.login(LOGINS.nurse1)
    vit = make_entry(world.r1, world.nurse1, kind="vitals", values={"bp_systolic": 185, "bp_diastolic": 95})
    [r] = push(api, [vit])
    assert r["flags"] == {"bp_systolic": "high", "bp_diastolic": "high"}
    view = day_view(signed_in(make_api, LOGINS.supervisor1), world)
    assert [(v["id"], v["flags"]) for v in view["vitals_alerts"]] == [(vit["id"], r["flags"])]


# --- day view figures on a controlled clock ------------------------------------------------------

def test_day_view_figures_follow_the_clock(small, api, make_api, clock):
    # the `small` home of tests/factories.py (items factories.SMALL_ITEMS), no demo
    world, supervisor, nurse = small, small.usernames["supervisor"], small.usernames["nurse"]
    sup = login_as(make_api, supervisor)
    drink = world.items["Drink"]       # 08:00 11:00 14:00 17:00 20:00
    temp = world.items["Temperature"]  # 07:00
    assert world.toilet_slot == "07:30"
    view = day_view(sup, world)        # 10:00 local
    assert cell(view, world.r1, drink, "08:00")["state"] == "missing"
    assert cell(view, world.r1, drink, "11:00")["state"] == "upcoming"
    assert cell(view, world.r1, world.toilet, "07:30")["state"] == "missing"
    before = row_of(view, world.r1)["counts"]
    api.login(nurse, factories.PASSWORD)
    push(api, [tick(world, device_time=f"{DAY}T09:50:00+07:00"),                       # late (due 08:30)
               tick(world, item_id=temp, slot="07:00", device_time=f"{DAY}T07:10:00+07:00")],  # on time
         device_id="tab-1", post_id=world.post1)
    view = day_view(sup, world)
    c = cell(view, world.r1, world.toilet, "07:30")
    assert (c["state"], c["late"]) == ("done", True)
    assert (cell(view, world.r1, temp, "07:00")["late"]) is False
    counts = row_of(view, world.r1)["counts"]
    assert counts["missing"] == before["missing"] - 2 and counts["done"] == before["done"] + 2
    assert counts["late"] == 1
    clock.set(f"{DAY}T10:45:00+07:00")
    assert cell(day_view(sup, world), world.r1, drink, "11:00")["state"] == "due"
    clock.set(f"{DAY}T12:00:00+07:00")
    assert cell(day_view(sup, world), world.r1, drink, "11:00")["state"] == "missing"
    # devices: none stale before a shift has ended
    [device] = day_view(sup, world)["devices"]
    assert (device["id"], device["stale"], device["outbox_len"]) == ("tab-1", False, 0)
    clock.set(f"{DAY}T20:30:00+07:00")  # the day shift ended at 20:00; the tablet last synced at 10:00
    sup, api = login_as(make_api, supervisor), login_as(make_api, nurse)  # sessions went idle
    assert [d["stale"] for d in day_view(sup, world)["devices"]] == [True]
    push(api, [], device_id="tab-1", post_id=world.post1)
    assert [d["stale"] for d in day_view(sup, world)["devices"]] == [False]
    push(api, [], device_id="tab-1", post_id=world.post1, outbox_len=3)  # it says 3 entries still wait
    assert [d["stale"] for d in day_view(sup, world)["devices"]] == [True]


def test_past_day_has_no_due_or_upcoming_cells(demo, world, make_api, clock):
    clock.now += timedelta(days=1)
    sup = signed_in(make_api, LOGINS.supervisor1)
    view = day_view(sup, world, DAY)
    counts = [r["counts"] for r in view["residents"]]
    assert sum(c["due"] + c["upcoming"] for c in counts) == 0 and all(c["missing"] > 0 for c in counts)


def test_only_the_standing_entry_can_be_amended(demo, world, api, make_api):
    """Amending an entry that a later entry already superseded would leave two standing entries."""
    api.login(LOGINS.nurse1)
    first = tick(world)
    [r] = push(api, [first])
    assert r["status"] == "accepted"
    sup = make_api()
    sup.login(LOGINS.supervisor1)
    status, amended = sup.post(f"/api/entries/{first['id']}/amend", {"reason": "Wrong resident's slot", "status": "not_done",
                                                                      "not_done_reason": "refused"})
    assert status == 201, amended
    status, body = sup.post(f"/api/entries/{first['id']}/amend", {"reason": "Second try on the old one"})
    assert status == 409 and body["error"] == "superseded"
    status, again = sup.post(f"/api/entries/{amended['id']}/amend", {"reason": "Refused after all? no: done",
                                                                       "status": "done"})
    assert status == 201 and again["supersedes"] == amended["id"]
