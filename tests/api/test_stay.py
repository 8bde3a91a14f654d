"""A resident through the whole stay (services/stay.py): details, moves, temporary absence and return, discharge,
death and re-admission -- each an audited event; what the tablets, the supervisor's day, the printed card and the
monthly figures make of them."""
import pytest

from backend.extensions import db
from backend.models import AuditEvent, CareCard, RelativeLink, Resident

from ..helpers import entry as make_entry
from .conftest import DAY, push, tick
from ..conftest import LOGINS


@pytest.fixture
def supervisor(demo, make_api):
    client = make_api()
    client.login(LOGINS.supervisor1, device_id="office")
    return client


def event(client, resident_id, **body):
    status, reply = client.post(f"/api/residents/{resident_id}/events", body)
    return status, reply


def test_details_are_changed_as_an_audited_event(supervisor, world, demo):
    status, reply = event(supervisor, world.r1, kind="details", full_name="Ершова Анна Петровна",
                          birth_date="1938-02-01", reason="паспорт")
    assert status == 201, reply
    assert reply["resident"]["full_name"] == "Ершова Анна Петровна" and reply["resident"]["birth_date"] == "1938-02-01"
    assert reply["event"]["detail"]["to"] == {"full_name": "Ершова Анна Петровна", "birth_date": "1938-02-01"}
    status, record = supervisor.get(f"/api/residents/{world.r1}")
    assert status == 200 and record["events"][-1]["kind"] == "details"
    assert record["events"][-1]["recorded_by_name"] and record["events"][-1]["at"].endswith("+00:00")
    with demo.app_context():
        assert AuditEvent.query.filter_by(action="resident_details", object_id=str(world.r1)).count() == 1
    assert event(supervisor, world.r1, kind="details", birth_date="2031-01-01")[1]["fields"].keys() == {"birth_date"}
    assert event(supervisor, world.r1, kind="details")[0] == 400  # nothing to change


def test_a_nurse_does_not_record_stay_events(demo, make_api, world):
    nurse = make_api()
    nurse.login(LOGINS.nurse1)
    assert event(nurse, world.r1, kind="absence", absence="hospital", reason="x")[0] == 403
    assert nurse.get(f"/api/residents/{world.r1}")[0] == 200  # but reads her record


def test_absence_and_return_rules_name_the_field(supervisor, world, clock):
    assert event(supervisor, world.r1, kind="return")[1]["fields"].keys() == {"kind"}  # she is not away
    assert event(supervisor, world.r1, kind="absence", reason="скорая")[1]["fields"].keys() == {"absence"}
    assert event(supervisor, world.r1, kind="absence", absence="hospital")[1]["fields"].keys() == {"reason"}
    future = "2026-11-25T12:00:00+07:00"  # the clock says 10:00
    assert event(supervisor, world.r1, kind="absence", absence="hospital", reason="x",
                 at=future)[1]["fields"].keys() == {"at"}
    assert event(supervisor, world.r1, kind="absence", absence="hospital", reason="x",
                 at="2026-11-25T09:00:00")[0] == 400  # no offset: which clock?
    assert event(supervisor, world.r1, kind="absence", absence="hospital", reason="скорая",
                 at="2026-11-25T09:00:00+07:00")[0] == 201
    assert event(supervisor, world.r1, kind="absence", absence="leave", reason="x")[1]["fields"].keys() == {"kind"}
    # a return dated before she left
    assert event(supervisor, world.r1, kind="return", at="2026-11-25T08:00:00+07:00")[1]["fields"].keys() == {"at"}
    status, reply = event(supervisor, world.r1, kind="return", at="2026-11-25T09:50:00+07:00")
    assert status == 201 and reply["resident"]["status"] == "present"


def test_absence_makes_slots_away_on_the_tablet_and_in_the_day_view(supervisor, world, make_api, clock):
    nurse = make_api()
    nurse.login(LOGINS.nurse1)
    cursor = nurse.get(f"/api/sync/pull?post_id={world.post1}&cursor=0")[1]["cursor"]
    assert event(supervisor, world.r1, kind="absence", absence="hospital", reason="перелом",
                 at="2026-11-25T09:00:00+07:00")[0] == 201
    page = nurse.get(f"/api/sync/pull?post_id={world.post1}&cursor={cursor}")[1]
    row = next(r for r in page["residents"] if r["id"] == world.r1)
    assert row["status"] == "away" and row["away"] == [["2026-11-25T09:00+07:00", None]]
    # a nurse who did not know ticks her anyway, offline: stored and flagged, never refused
    late_tick = tick(world, slot="07:30", device_time=f"{DAY}T09:30:00+07:00")
    assert push(nurse, [late_tick])[0]["status"] == "accepted"
    clock.set("2026-11-25T21:00:00+07:00")
    supervisor.login(LOGINS.supervisor1, device_id="office")  # the morning's session has expired
    status, day = supervisor.get(f"/api/units/{world.unit1}/days/{DAY}")
    mine = next(r for r in day["residents"] if r["resident"]["id"] == world.r1)
    assert mine["away"] == [[540, 1440]]
    missed = [(c["item_id"], c["slot"]) for c in mine["cells"] if c["state"] == "missing"]
    assert all(slot < "09:30" for _, slot in missed), missed  # nothing whose window reaches 09:00 counted missed
    assert mine["counts"]["away"] > 0
    assert {c["state"] for c in mine["cells"] if c["time"] and c["time"] >= "10:00"} == {"away"}
    assert [e["id"] for e in day["while_away"]] == [late_tick["id"]]


def test_a_move_to_the_other_unit_reaches_both_posts(supervisor, world, make_api, demo):
    nurse1, nurse2 = make_api(), make_api()
    nurse1.login(LOGINS.nurse1)
    nurse2.login(LOGINS.nurse2, device_id="tab-2")
    c1 = nurse1.get(f"/api/sync/pull?post_id={world.post1}&cursor=0")[1]["cursor"]
    c2 = nurse2.get(f"/api/sync/pull?post_id={world.post2}&cursor=0")[1]["cursor"]
    done = tick(world)
    push(nurse1, [done])
    admin = make_api()
    admin.login(LOGINS.admin1, device_id="office")
    assert admin.post("/api/rooms", {"unit_id": world.unit2, "name": "250", "post_id": world.post2,
                                     "beds": ["1"]})[0] == 201
    status, reply = event(supervisor, world.r1, kind="move", unit_id=world.unit2, post_id=world.post2, room="250",
                          bed="1", reason="перевод")
    assert status == 201, reply
    assert (reply["resident"]["unit_id"], reply["resident"]["post_id"], reply["resident"]["room"]) == (
        world.unit2, world.post2, "250")
    assert reply["event"]["detail"]["from"]["post_id"] == world.post1
    left = nurse1.get(f"/api/sync/pull?post_id={world.post1}&cursor={c1}")[1]
    assert next(r for r in left["residents"] if r["id"] == world.r1)["post_id"] == world.post2
    arrived = nurse2.get(f"/api/sync/pull?post_id={world.post2}&cursor={c2}")[1]
    assert world.r1 in [r["id"] for r in arrived["residents"]]
    assert done["id"] in [e["id"] for e in arrived["entries"]]  # her day so far comes with her
    assert world.cards[world.r1]["id"] in [c["id"] for c in arrived["cards"]]  # and her card
    # what was recorded stays where it was recorded
    with demo.app_context():
        from backend.models import Entry
        assert db.session.get(Entry, done["id"]).unit_id == world.unit1
    day1 = supervisor.get(f"/api/units/{world.unit1}/days/{DAY}")[1]
    assert world.r1 in [r["resident"]["id"] for r in day1["residents"]]  # she had an entry in unit 1 that day
    assert event(supervisor, world.r1, kind="move", unit_id=world.unit2, post_id=world.post2, room="250",
                 bed="1")[0] == 400  # where she is already


def test_a_bed_of_the_units_rooms_and_a_taken_bed(supervisor, world, make_api):
    admin = make_api()
    admin.login(LOGINS.admin1, device_id="office")
    status, room = admin.post("/api/rooms", {"unit_id": world.unit1, "name": "301", "post_id": world.post1,
                                             "beds": ["1", "2"]})  # the demo's rooms are 101-106
    assert status == 201
    assert event(supervisor, world.r1, kind="move", unit_id=world.unit1, room="399", bed="1")[1]["fields"].keys() \
        == {"room"}
    assert event(supervisor, world.r1, kind="move", unit_id=world.unit1, room="301", bed="3")[1]["fields"].keys() \
        == {"bed"}
    status, reply = event(supervisor, world.r1, kind="move", unit_id=world.unit1, room="301", bed="1")
    assert status == 201 and reply["resident"]["post_id"] == world.post1  # the room's post
    other = world.residents[world.unit1][1]
    status, reply = event(supervisor, other, kind="move", unit_id=world.unit1, room="301", bed="1")
    assert status == 400 and set(reply["fields"]) == {"bed"}


def test_discharge_ends_her_stay_but_keeps_her_record(supervisor, world, make_api, demo):
    relative = make_api()
    relative.login(LOGINS.relative1)
    rid = relative.get("/api/family/residents")[1][0]["id"]
    nurse = make_api()
    nurse.login(LOGINS.nurse1)
    post = next(p for p in nurse.get("/api/posts")[1])
    cursor = nurse.get(f"/api/sync/pull?post_id={post['id']}&cursor=0")[1]["cursor"]
    status, reply = event(supervisor, rid, kind="discharge", reason="к дочери",
                          at="2026-11-25T09:30:00+07:00")
    assert status == 201 and reply["resident"]["status"] == "discharged" and reply["resident"]["left_on"] == DAY
    assert reply["resident"]["active"] is False
    # the post learns at its next pull and no longer lists her
    page = nurse.get(f"/api/sync/pull?post_id={post['id']}&cursor={cursor}")[1]
    assert next(r for r in page["residents"] if r["id"] == rid)["active"] is False
    assert rid not in [r["id"] for r in nurse.get(f"/api/sync/pull?post_id={post['id']}&cursor=0")[1]["residents"]]
    unit = reply["resident"]["unit_id"]
    assert rid not in [r["id"] for r in supervisor.get(f"/api/residents?unit_id={unit}")[1]]
    assert rid in [r["id"] for r in supervisor.get(f"/api/residents?unit_id={unit}&stay=ended")[1]]
    # the relatives' links end at once
    assert relative.get(f"/api/family/residents/{rid}")[0] == 404
    with demo.app_context():
        assert RelativeLink.query.filter_by(resident_id=rid).count() == 0
    # her record and her card stay readable; the month's card is still listed for closing
    assert supervisor.get(f"/api/residents/{rid}")[0] == 200
    card = world.cards[rid]["id"]
    status, sheet = supervisor.get(f"/api/archive/cards/{card}")
    assert status == 200 and sheet["stay_status"] == "discharged"
    assert [e["kind"] for e in sheet["stay_events"]] == ["discharge"]
    assert sheet["stay_events"][0]["at"] == "2026-11-25T09:30:00+07:00"
    month = supervisor.get(f"/api/archive/months?unit_id={unit}&month=2026-11")[1]
    assert rid in [r["resident_id"] for r in month["residents"]]
    # no new card after her stay ended
    planner = make_api()
    planner.login(LOGINS.planner1)
    status, body = planner.post(f"/api/care-plans/{rid}/cards", {})
    assert (status, body["error"]) == (409, "stay_ended")
    assert planner.post("/api/cards", {"resident_id": rid, "month": "2026-12-01"})[0] == 409
    # nothing more is recorded as a stay event but re-admission
    assert event(supervisor, rid, kind="absence", absence="leave", reason="x")[1]["fields"].keys() == {"kind"}
    status, reply = event(supervisor, rid, kind="readmission", reason="вернулась",
                          at="2026-11-25T09:55:00+07:00")
    assert status == 201 and reply["resident"]["status"] == "present" and reply["resident"]["active"] is True
    assert reply["resident"]["admitted_on"] == DAY and reply["resident"]["left_on"] is None


def test_death_is_final(supervisor, world, demo):
    status, reply = event(supervisor, world.r2, kind="death", reason="остановка сердца")
    assert status == 201 and reply["resident"]["status"] == "deceased"
    status, body = event(supervisor, world.r2, kind="readmission", reason="x")
    assert status == 400 and set(body["fields"]) == {"kind"}
    with demo.app_context():
        assert db.session.get(Resident, world.r2).left_on.isoformat() == DAY


def test_entries_after_discharge_are_stored_and_flagged(supervisor, world, make_api, demo):
    nurse = make_api()
    nurse.login(LOGINS.nurse1)
    event(supervisor, world.r1, kind="discharge", reason="домой", at="2026-11-25T09:00:00+07:00")
    note = make_entry(world.r1, world.nurse1, kind="note", note="ушла с дочерью", device_time=f"{DAY}T09:40:00+07:00")
    assert push(nurse, [note])[0]["status"] == "accepted"
    with demo.app_context():
        from backend.models import Entry
        assert db.session.get(Entry, note["id"]).flags == {"stay": "resident_away"}


def test_admission_day_and_the_admission_event(demo, make_api, world):
    planner = make_api()
    planner.login(LOGINS.planner1)
    status, resident = planner.post("/api/residents", {"full_name": "Новая", "unit_id": world.unit1,
                                                       "post_id": world.post1, "admitted_on": "2026-11-20"})
    assert status == 201 and resident["admitted_on"] == "2026-11-20" and resident["status"] == "present"
    record = planner.get(f"/api/residents/{resident['id']}")[1]
    assert [e["kind"] for e in record["events"]] == ["admission"]
    assert planner.post("/api/residents", {"full_name": "Позже", "unit_id": world.unit1, "post_id": world.post1,
                                           "admitted_on": "2026-12-20"})[1]["fields"].keys() == {"admitted_on"}
    with demo.app_context():
        assert CareCard.query.filter_by(resident_id=resident["id"]).count() == 0


def test_dates_out_of_this_era_are_refused_naming_the_field_in_her_language(supervisor, world, make_api):
    for at in ("0001-01-01T00:00:00+07:00", "9999-12-31T23:59:00-05:00"):
        status, body = event(supervisor, world.r1, kind="absence", absence="leave", reason="x", at=at)
        assert (status, set(body["fields"])) == (400, {"at"})
    assert set(event(supervisor, world.r1, kind="details", birth_date="0001-01-01")[1]["fields"]) == {"birth_date"}
    planner = make_api()
    planner.login(LOGINS.planner1)
    planner.patch("/api/auth/me", {"locale": "ru"})
    status, body = planner.post("/api/residents", {"full_name": "X", "unit_id": world.unit1, "post_id": world.post1,
                                                   "admitted_on": "0001-01-01", "birth_date": "9999-12-31"})
    assert status == 400 and set(body["fields"]) == {"admitted_on", "birth_date"}
    assert body["fields"]["admitted_on"] == "укажите дату с 1880 по 2100 год"
