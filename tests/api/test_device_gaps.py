"""The supervisor's day view names the client_seq numbers a tablet used that never reached the server."""
from ..helpers import entry as make_entry
from .conftest import DAY, push
from ..conftest import LOGINS


def devices(make_api, world):
    sup = make_api()
    sup.login(LOGINS.supervisor1)
    status, view = sup.get(f"/api/units/{world.unit1}/days/{DAY}")
    assert status == 200, view
    return {d["id"]: d for d in view["devices"]}


def notes(world, device_id, numbers):
    return [make_entry(world.r1, world.nurse1, kind="note", note=f"n{n}", device_id=device_id, client_seq=n)
            for n in numbers]


def test_a_tablet_that_skipped_numbers_shows_its_gaps(demo, world, api, make_api):
    api.login(LOGINS.nurse1, device_id="tab-wiped")
    api.login(LOGINS.nurse1, device_id="tab-ok")
    push(api, notes(world, "tab-wiped", [*range(1, 17), 22, 23]), device_id="tab-wiped", post_id=world.post1,
         outbox_len=18)
    push(api, notes(world, "tab-ok", range(1, 6)), device_id="tab-ok", post_id=world.post1, outbox_len=5)
    shown = devices(make_api, world)
    assert shown["tab-wiped"]["gaps"] == [[17, 21]]
    assert shown["tab-ok"]["gaps"] == []


def test_numbers_still_in_the_outbox_are_not_gaps(demo, world, api, make_api):
    api.login(LOGINS.nurse1)
    # the first batch of a larger outbox: 1-3 sent, 4 waits (say, the next batch) while 5 was sent
    push(api, notes(world, "tab-1", [1, 2, 3, 5]), device_id="tab-1", post_id=world.post1, outbox_len=5)
    assert devices(make_api, world)["tab-1"]["gaps"] == []
    push(api, notes(world, "tab-1", [6]), device_id="tab-1", post_id=world.post1, outbox_len=1)
    assert devices(make_api, world)["tab-1"]["gaps"] == [[4, 4]]


def test_relayed_entries_count_for_the_tablet_that_made_them(demo, world, api, make_api):
    api.login(LOGINS.nurse1)
    push(api, notes(world, "tab-1", [1, 3]), device_id="tab-1", post_id=world.post1, outbox_len=2)
    assert devices(make_api, world)["tab-1"]["gaps"] == [[2, 2]]
    # entry 2 of tab-1 arrives through another tablet (e.g. an exported outbox)
    push(api, notes(world, "tab-1", [2]), device_id="tab-2", post_id=world.post1, outbox_len=1)
    shown = devices(make_api, world)
    assert shown["tab-1"]["gaps"] == [] and shown["tab-2"]["gaps"] == []


def test_each_look_carries_on_from_the_last_one(demo, world, api, make_api, app):
    """The day view keeps what it found (device_gap_scan) and reads only what is new: gaps found earlier are
    filled when their entries arrive later (a restored tablet pushes them again), new gaps show, and the result is
    what reading every number would give."""
    from backend.extensions import db
    from backend.models import DeviceGapScan
    api.login(LOGINS.nurse1, device_id="tab-a")
    push(api, notes(world, "tab-a", [1, 2, 5, 6]), device_id="tab-a", post_id=world.post1, outbox_len=4)
    assert devices(make_api, world)["tab-a"]["gaps"] == [[3, 4]]
    with app.app_context():
        kept = db.session.get(DeviceGapScan, "tab-a")
        assert (kept.checked_to, kept.gaps) == (6, [[3, 4]])
    push(api, notes(world, "tab-a", [4, 9]), device_id="tab-a", post_id=world.post1, outbox_len=2)
    assert devices(make_api, world)["tab-a"]["gaps"] == [[3, 3], [7, 8]]
    push(api, notes(world, "tab-a", [3, 7, 8, 10]), device_id="tab-a", post_id=world.post1, outbox_len=4)
    assert devices(make_api, world)["tab-a"]["gaps"] == []
    with app.app_context():
        kept = db.session.get(DeviceGapScan, "tab-a")
        assert (kept.checked_to, kept.gaps) == (10, [])
        # What is kept is only a shortcut: without it the next look reads everything and finds the same.
        db.session.delete(kept)
        db.session.commit()
    push(api, notes(world, "tab-a", [12]), device_id="tab-a", post_id=world.post1, outbox_len=1)
    assert devices(make_api, world)["tab-a"]["gaps"] == [[11, 11]]
