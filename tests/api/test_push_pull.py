"""Push: per-entry answers, idempotency, malformed entries refused by name. Pull: snapshot, then cursor paging."""
from backend.extensions import db
from backend.models import AuditEvent, Device, Entry, User

from ..helpers import entry as make_entry
from .conftest import DAY, push, tick
from ..conftest import LOGINS


def stored_ids(app):
    with app.app_context():
        ids = [e.id for e in Entry.query]
        db.session.remove()
        return ids


def test_accepted_then_duplicate_per_entry(demo, world, api):
    api.login(LOGINS.nurse1)
    a, b = tick(world), tick(world, slot=None, item_id=None, kind="note", note="calm night")
    first = push(api, [a, b], post_id=world.post1)
    assert [(r["id"], r["status"]) for r in first] == [(a["id"], "accepted"), (b["id"], "accepted")]
    c = make_entry(world.r1, world.nurse1, kind="note", note="ate well")
    second = push(api, [b, c, a])
    assert [r["status"] for r in second] == ["duplicate", "accepted", "duplicate"]
    assert sorted(stored_ids(demo)) == sorted([a["id"], b["id"], c["id"]])


def test_same_id_with_another_payload_is_refused_as_id_conflict(demo, world, api):
    api.login(LOGINS.nurse1)
    a = tick(world)
    push(api, [a])
    changed = dict(a, status="not_done", reason="refused")
    [result] = push(api, [changed])
    assert (result["status"], result["reason"]) == ("rejected", "id_conflict")
    with demo.app_context():
        assert db.session.get(Entry, a["id"]).status == "done"


def test_a_malformed_entry_is_refused_by_name_and_the_rest_is_stored(demo, world, api):
    api.login(LOGINS.nurse1)
    good1, good2 = tick(world), tick(world, slot="07:30")
    no_kind = {k: v for k, v in tick(world).items() if k != "kind"}
    bad_id = dict(tick(world), id="not-a-uuid")
    bad_time = dict(tick(world), device_time="yesterday")
    naive_time = dict(tick(world), device_time="2026-11-25T07:35:00")
    string_resident = dict(tick(world), resident_id="1")
    not_done_without_reason = tick(world, status="not_done")
    results = push(api, [good1, no_kind, bad_id, bad_time, naive_time, string_resident, not_done_without_reason,
                         good2])
    assert [r["status"] for r in results] == ["accepted"] + ["rejected"] * 6 + ["accepted"]
    assert {k: v for k, v in results[1].items() if k != "fields"} == {
        "id": no_kind["id"], "status": "rejected", "reason": "invalid", "late": False, "flags": None}
    assert list(results[1]["fields"]) == ["kind"] and results[1]["fields"]["kind"]
    assert results[2]["id"] == "not-a-uuid" and set(results[2]["fields"]) == {"id"}
    assert set(results[3]["fields"]) == {"device_time"} and set(results[4]["fields"]) == {"device_time"}
    assert set(results[5]["fields"]) == {"resident_id"}
    assert (results[6]["reason"], set(results[6]["fields"])) == ("invalid", {"reason"})
    assert sorted(stored_ids(demo)) == sorted([good1["id"], good2["id"]])


def test_an_entry_without_a_usable_id_is_named_by_position(demo, world, api):
    api.login(LOGINS.nurse1)
    nameless = {k: v for k, v in tick(world).items() if k != "id"}
    results = push(api, [tick(world), nameless])
    assert results[1]["id"] == "#1" and results[1]["status"] == "rejected"


def test_rejections_for_residents_items_and_authors_outside_the_unit(demo, world, api, make_api):
    api.login(LOGINS.nurse1)
    make_api().login(LOGINS.nurse2)  # she signed in on this tablet too, but works in unit 2
    make_api().login(LOGINS.supervisor1)
    other_unit = make_entry(world.r2, world.nurse1, kind="note", note="x")
    other_item = tick(world, resident_id=world.residents[world.unit1][1])
    forged = make_entry(world.r1, world.nurse2, kind="note", note="x", device_id="tab-7")  # no key of hers there
    author_of_other_unit = make_entry(world.r1, world.nurse2, kind="note", note="x")
    with demo.app_context():  # a supervisor made an administrator after signing in: no longer an author
        db.session.get(User, world.supervisor).role = "admin"
        db.session.commit()
    not_an_author = make_entry(world.r1, world.supervisor, kind="note", note="x")
    results = push(api, [other_unit, other_item, forged, author_of_other_unit, not_an_author])
    assert [r["reason"] for r in results] == ["unknown_resident", "unknown_item", "bad_signature",
                                              "unknown_resident", "unknown_author"]
    assert stored_ids(demo) == []


def test_an_entry_signed_before_its_author_was_disabled_is_stored_and_flagged(demo, world, api, make_api):
    """She recorded offline, then was disabled (her keys retired); the tablet pushes later: her entry is hers,
    signed with her key on this tablet, and is kept, flagged for the supervisor's review (never lost)."""
    api.login(LOGINS.nurse1)
    admin = make_api()
    admin.login(LOGINS.admin1, device_id="office")
    supervisor = make_api()
    supervisor.keyring = api.keyring
    supervisor.login(LOGINS.supervisor1)
    departed = make_entry(world.r1, world.supervisor, kind="note", note="before she left")
    assert admin.post(f"/api/staff/{world.supervisor}/disable", {})[0] == 200
    result, = push(api, [departed])
    assert result["status"] == "accepted", result
    with demo.app_context():
        stored = db.session.get(Entry, departed["id"])
        assert stored.author_id == world.supervisor and stored.from_revoked_device is True


def test_batch_limit_is_500_entries(demo, world, api):
    api.login(LOGINS.nurse1)
    batch = [make_entry(world.r1, world.nurse1, kind="note", note=f"n{i}") for i in range(501)]
    status, body = api.post("/api/sync/push", {"device_id": "tab-1", "entries": batch})
    assert status == 400 and set(body["fields"]) == {"entries"}
    assert stored_ids(demo) == []
    results = push(api, batch[:500])
    assert len(results) == 500 and {r["status"] for r in results} == {"accepted"}


def test_push_records_the_device_and_audits_the_push(demo, world, api):
    api.login(LOGINS.nurse1, device_id="tab-9")
    entries = [tick(world, device_id="tab-9", client_seq=41), tick(world, device_id="tab-9", client_seq=42)]
    push(api, entries, device_id="tab-9", post_id=world.post1, outbox_len=5)
    with demo.app_context():
        device = db.session.get(Device, "tab-9")
        assert (device.post_id, device.max_client_seq, device.outbox_len) == (world.post1, 42, 3)
        assert device.last_user_id == world.nurse1
        [row] = AuditEvent.query.filter_by(action="entries_push").all()
        assert sorted(row.detail["accepted"]) == sorted(e["id"] for e in entries)
        assert (row.device_id, row.actor_id, row.object_id) == ("tab-9", world.nurse1, "tab-9")


def test_entry_pushed_by_a_colleague_keeps_its_author(demo, world, api, make_api):
    make_api().login(LOGINS.nurse1)  # she signed in on tab-1 earlier: her key signs the entry
    api.login(LOGINS.supervisor1)  # the tablet's outbox is pushed by whoever is signed in
    [r] = push(api, [tick(world)])
    assert r["status"] == "accepted"
    with demo.app_context():
        e = Entry.query.one()
        assert (e.author_id, e.pushed_by) == (world.nurse1, world.supervisor)


# --- pull ----------------------------------------------------------------------------------------

def test_snapshot_holds_the_post_and_its_history(demo, world, api):
    api.login(LOGINS.nurse1)
    push(api, [tick(world)])
    status, snap = api.get(f"/api/sync/pull?post_id={world.post1}")
    assert status == 200 and snap["snapshot"] is True and snap["has_more"] is False
    assert {r["id"] for r in snap["residents"]} == set(world.residents[world.unit1])
    assert {c["resident_id"] for c in snap["cards"]} == set(world.residents[world.unit1]) and len(snap["entries"]) == 1
    assert snap["today"] == DAY and snap["cursor"] >= snap["entries"][0]["seq"]
    assert {s["id"] for s in snap["staff"]} >= {world.nurse1, world.supervisor}
    assert world.nurse2 not in {s["id"] for s in snap["staff"]}


def test_cursor_paging_with_a_small_limit_skips_and_repeats_nothing(demo, world, api, make_api):
    api.login(LOGINS.nurse1)
    status, snap = api.get(f"/api/sync/pull?post_id={world.post1}")
    cursor = snap["cursor"]
    pushed = []
    for i in range(5):
        batch = [make_entry(world.r1, world.nurse1, kind="note", note=f"b{i} n{j}") for j in range(5)]
        push(api, batch)
        pushed += [e["id"] for e in batch]
        # entries of the other unit take feed numbers too; the post must not see them
        other = make_api()
        other.login(LOGINS.nurse2)
        push(other, [make_entry(world.r2, world.nurse2, kind="note", note="other unit")])
    sup = make_api()
    sup.login(LOGINS.supervisor1)
    assert sup.post(f"/api/units/{world.unit1}/days/{DAY}/confirm", {})[0] == 201
    seen, seqs, pages, confirmations = [], [], 0, 0
    while True:
        status, page = api.get(f"/api/sync/pull?post_id={world.post1}&cursor={cursor}&limit=4")
        assert status == 200 and page["snapshot"] is False
        pages += 1
        got = [e["seq"] for e in page["entries"]] + [c["seq"] for c in page["confirmations"]]
        assert len(got) <= 4
        assert all(cursor < s <= page["cursor"] for s in got)
        seen += [e["id"] for e in page["entries"]]
        seqs += got
        confirmations += len(page["confirmations"])
        assert page["cursor"] >= cursor
        cursor = page["cursor"]
        if not page["has_more"]:
            break
    assert sorted(seen) == sorted(pushed) and len(seen) == len(set(seen))
    assert confirmations == 1 and len(seqs) == len(set(seqs))
    assert pages >= 7
    status, empty = api.get(f"/api/sync/pull?post_id={world.post1}&cursor={cursor}&limit=4")
    assert (empty["entries"], empty["has_more"], empty["cursor"]) == ([], False, cursor)


def test_pull_of_another_units_post_is_404(demo, world, api):
    api.login(LOGINS.nurse1)
    status, body = api.get(f"/api/sync/pull?post_id={world.post2}")
    assert (status, body["error"]) == (404, "not_found")


def test_pull_marks_the_device(demo, world, api):
    api.login(LOGINS.nurse1)
    api.get(f"/api/sync/pull?post_id={world.post1}&device_id=tab-7")
    with demo.app_context():
        device = db.session.get(Device, "tab-7")
        assert device.last_pull_at is not None and device.last_push_at is None


def test_a_post_the_signer_cannot_reach_does_not_strand_the_batch(demo, world, api):
    """A shared tablet's outbox is pushed by whoever is signed in: the entries are judged one by one and the
    tablet is not recorded at a post that is not the signer's (or no longer exists)."""
    api.login(LOGINS.nurse1)
    for post_id in (world.post2, 99999):
        e = tick(world)
        [r] = push(api, [e], device_id=f"tab-{post_id}", post_id=post_id)
        assert r["status"] == "accepted"
        with demo.app_context():
            assert db.session.get(Device, f"tab-{post_id}").post_id is None
