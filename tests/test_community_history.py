"""The demo community centre's past (backend/demo/community_history.py): last month's visits recorded by the
carers' phones through the real push -- each entry stored once, signed, none refused -- with the exceptions a
dispatcher must see on her board (no access, late, no location with a reason accepted, a wrong code, a long visit,
missed ones), alarms with their steps, follow-up calls, and last month confirmed and closed; today as far as `now`,
and nothing stamped after it. Read through the dispatcher's API, as her screens read it."""
import time
from collections import Counter
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import sqlalchemy as sa

from backend.demo import community as community_demo
from backend.demo import community_history
from backend.extensions import db
from backend.models import AuditEvent, DayConfirmation, Entry

NOW = "2026-11-25T15:20:00+08:00"  # the centre's zone: the meals are over, the 15:00 baths under way
LAST_MONTH = [date(2026, 10, 1) + timedelta(days=n) for n in range(31)]
#: DateTime columns that may lie ahead of now (an invitation's expiry); dates are not read (visits are planned).
FUTURE = {("invitation", "expires_at")}


def test_the_centre_has_a_month_of_visits_alarms_calls_and_a_closed_month(demo, community, clock, make_api):
    clock.set(NOW)
    now = clock()
    with demo.app_context():
        community_demo.plan_the_week(community, now)
        started = time.perf_counter()
        counts = community_history.play_the_centre(community, now)
        print(f"\nplay_the_centre: {time.perf_counter() - started:.1f} s on {db.engine.dialect.name}: {counts}")
        db.session.remove()
    ids = community
    assert counts["cards"] == 20 and counts["cards_closed"] == 20 and counts["days_confirmed"] == 31
    assert counts["in_progress"] == 1 and counts["open_alarms"] == 1

    # Every entry stored once, signed, numbered by her phone without a gap; no push refused anything.
    with demo.app_context():
        entries = Entry.query.filter(Entry.unit_id == ids.station).all()
        assert len(entries) == counts["entries"] > 1500
        assert all(e.key_id and e.signature for e in entries)
        assert {e.author_id for e in entries} == {ids.staff["carer1"], ids.staff["carer2"]}
        for device in {e.device_id for e in entries}:
            numbers = sorted(e.client_seq for e in entries if e.device_id == device)
            assert numbers == list(range(1, len(numbers) + 1))
        pushes = [a.detail for a in AuditEvent.query.filter_by(action="entries_push")
                  if a.object_id in {e.device_id for e in entries}]
        assert len(pushes) == counts["pushes"] and all(p["rejected"] == [] for p in pushes)
        assert sum(len(p["accepted"]) for p in pushes) == len(entries)
        assert not any(e.late_after_confirmation for e in entries)
        zone = ZoneInfo(ids.timezone)
        # pushed the evening of its day, after it was made (today: just before now)
        assert all(e.received_at.replace(tzinfo=UTC).astimezone(zone).date() == e.day for e in entries)
        assert all(datetime.fromisoformat(e.device_time) <= e.received_at.replace(tzinfo=UTC) for e in entries)
        confirmed = {c.day for c in DayConfirmation.query.filter_by(unit_id=ids.station, resident_id=None)}
        assert confirmed == set(LAST_MONTH)
        later = _stamped_after(now)
        db.session.remove()
    assert not later, later

    dispatcher = make_api()
    dispatcher.login("dispatch1")
    boards = []
    for day in LAST_MONTH:
        status, board = dispatcher.get(f"/api/visits/board?unit_id={ids.station}&day={day}")
        assert status == 200, board
        boards += board["visits"]
    states = Counter(v["state"] for v in boards)
    verified = [v for v in boards if v["verification"]["verified"]]
    assert len(boards) > 200 and len(verified) > 0.9 * len(boards)
    assert states["no_access"] >= 2 and states["missed"] >= 1 and states["left"] + states["no_access"] + states[
        "missed"] == len(boards)
    assert {e["reason"] for v in boards for e in v["events"] if e["status"] == "no_access"} == {"not_home", "refused"}
    assert all(e["signed"] for v in boards for e in v["events"])

    def arrival_delay(v):
        first = min(datetime.fromisoformat(e["device_time"]) for e in v["events"] if e["status"] == "arrived")
        start = datetime.combine(date.fromisoformat(v["day"]), datetime.strptime(v["start_time"], "%H:%M").time(),
                                 tzinfo=ZoneInfo(ids.timezone))
        return (first - start) / timedelta(minutes=1)

    arrived = [v for v in boards if any(e["status"] == "arrived" for e in v["events"])]
    late = [v for v in arrived if arrival_delay(v) >= 20]
    assert late and all(arrival_delay(v) < 31 for v in late) and all(v["verification"]["verified"] for v in late)
    no_location = [v for v in boards if "no_location" in v["flags"]]
    accepted = [v for v in no_location if v["location_accepted"]]
    assert len(no_location) >= 2 and 0 < len(accepted) < len(no_location)
    assert all(v["verification"]["verified"] and v["location_accepted_reason"] for v in accepted)
    assert all(v["verification"]["missing"] == ["location"] and v["location_acceptable"]
               for v in no_location if not v["location_accepted"])
    assert any("wrong_code" in v["flags"] for v in boards)
    assert not any("duration_off_plan" in v["flags"] or "clock_off" in v["flags"] for v in boards)
    # the long visits carry the carer's reason, so they are not flagged; their length shows it

    def over_plan(v):
        times = {e["status"]: datetime.fromisoformat(e["device_time"]) for e in v["events"]}
        return (times["left"] - times["arrived"]) / timedelta(minutes=1) - v["planned_minutes"]

    long = [v for v in boards if v["state"] == "left" and over_plan(v) >= 15]
    assert long and all(v["verification"]["verified"] for v in long)
    status, one = dispatcher.get(f"/api/visits?unit_id={ids.station}&from=2026-10-01&to=2026-10-31")
    assert status == 200 and len(one) == len(boards)

    # Today: the visits over are done, one under way has her arrival, the rest wait.
    status, today = dispatcher.get(f"/api/visits/board?unit_id={ids.station}&day=2026-11-25")
    today_states = Counter(v["state"] for v in today["visits"])
    assert today_states["arrived"] == 1 and today_states["left"] >= 1
    assert all(v["verification"]["verified"] for v in today["visits"] if v["state"] == "left")
    # this week's earlier days were visited too
    status, monday = dispatcher.get(f"/api/visits/board?unit_id={ids.station}&day=2026-11-23")
    assert monday["visits"] and all(v["state"] in ("left", "no_access", "missed") for v in monday["visits"])

    # Alarms: acknowledged within minutes, the family told, a carer sent, closed; one false; today's open.
    status, alarms = dispatcher.get(f"/api/alarms?unit_id={ids.station}&from=2026-10-01&to=2026-11-25")
    assert status == 200 and len(alarms) == counts["alarms"] >= 5
    closed = [a for a in alarms if not a["open"]]
    assert all(60 <= a["acknowledge_seconds"] <= 370 and a["outcome"] for a in closed)
    assert sum(a["false_alarm"] for a in closed) == 1
    assert all({"family_told", "carer_sent", "closed"} <= {s["step"] for s in a["steps"]}
               for a in closed if not a["false_alarm"])
    (still_open,) = [a for a in alarms if a["open"]]
    assert still_open["acknowledged_at"] is None and still_open["steps"] == []
    assert {a["person"]["id"] for a in alarms} <= set(ids.family_beds)

    # Follow-up calls of each finished week: the service's sample, each called once.
    results = Counter()
    weeks_called = 0
    for week in (date(2026, 9, 28) + timedelta(weeks=n) for n in range(8)):  # to last week, the 16th
        status, calls = dispatcher.get(f"/api/visits/follow-ups?unit_id={ids.station}&week_start={week}")
        assert status == 200, calls
        sample = [v for v in calls["visits"] if v["in_sample"]]
        assert len(sample) == calls["sample_size"] and all(len(v["calls"]) == 1 for v in sample)
        weeks_called += bool(sample)
        results.update(v["result"] for v in sample)
    assert weeks_called >= 6
    assert results["unreachable"] == 1 and results["confirmed"] == counts["follow_ups"] - 1

    # Last month closed.
    status, month = dispatcher.get(f"/api/archive/months?unit_id={ids.station}&month=2026-10")
    assert status == 200 and [r["status"] for r in month["residents"]] == ["closed"] * 20


def _stamped_after(now):
    """DateTime columns holding a time after `now`, and entries whose phone's clock is after it."""
    naive_now, later = now.astimezone(ZoneInfo("UTC")).replace(tzinfo=None), []
    for table in db.metadata.sorted_tables:
        for column in table.columns:
            if (table.name, column.name) in FUTURE or not isinstance(column.type, sa.DateTime):
                continue
            latest = db.session.execute(sa.select(sa.func.max(column))).scalar()
            if isinstance(latest, str):  # SQLite may answer an aggregate as text
                latest = datetime.fromisoformat(latest)
            if latest is not None and latest > naive_now:
                later.append((table.name, column.name, latest))
    latest_phone = max(datetime.fromisoformat(t) for (t,) in db.session.query(Entry.device_time))
    if latest_phone > now:
        later.append(("entry", "device_time", latest_phone))
    return later
