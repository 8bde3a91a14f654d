"""Home visits' board, verification and follow-up sample (issue 18; domain/visit_board.py). Every time computation in a
zone other than UTC (Asia/Shanghai, Europe/Moscow), and across a DST change (Europe/Berlin)."""
import random
import subprocess
import sys
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from backend.domain import geo, visit_board, visits

SHANGHAI, MOSCOW, BERLIN = ZoneInfo("Asia/Shanghai"), ZoneInfo("Europe/Moscow"), ZoneInfo("Europe/Berlin")
HOME = {"id": 7, "lat": 31.2304, "lon": 121.4737, "radius_m": 200}
CODE_HASH = visits.code_hash("salt", "4711")


def visit_of(**fields):
    return dict({"id": 11, "resident_id": 7, "day": date(2024, 5, 6), "start_time": "09:00", "planned_minutes": 60,
                 "item_ids": [101, 102], "cancelled_at": None, "timezone": "Asia/Shanghai"}, **fields)


def event(status, at, *, author=5, visit_id=11, key_id="k-5", flags=None, day="2024-05-06", **values):
    entry = {"id": f"{status}-{author}-{at}", "kind": "visit", "resident_id": 7, "day": day, "status": status,
             "author_id": author, "device_time": at, "key_id": key_id, "flags": flags or {},
             "values": dict({"visit_id": visit_id}, **values)}
    if status == visits.NO_ACCESS:
        entry["reason"] = "not_home"
    return entry


def fix(status, at, lat=31.2304, lon=121.4737, accuracy=20, **kw):
    return event(status, at, presence="fix", lat=lat, lon=lon, accuracy_m=accuracy, **kw)


def tick(item_id, *, author=5, status="done", day="2024-05-06"):
    return {"id": f"tick-{item_id}-{author}", "kind": "tick", "resident_id": 7, "day": day, "item_id": item_id,
            "status": status, "author_id": author, "device_time": "2024-05-06T09:20:00+08:00", "key_id": "k-5"}


def good_entries():
    return [fix("arrived", "2024-05-06T09:02:00+08:00"), tick(101), tick(102, status="not_done"),
            fix("left", "2024-05-06T10:01:00+08:00", confirmed_by="person")]


def at(zone, *args):
    return datetime(*args, tzinfo=zone)


# --- verification: the six elements ---------------------------------------------------------------------------------

def verify(entries=None, visit=None, person=HOME, assigned=(5,)):
    return visit_board.verification(visit or visit_of(), good_entries() if entries is None else entries, person,
                                    assigned)


def test_a_visit_with_all_six_elements_is_verified():
    assert verify() == {"verified": True, "missing": []}


def test_nothing_recorded_misses_every_element():
    assert verify([]) == {"verified": False, "missing": list(visit_board.ELEMENTS)}


def replace(entries, index, entry):
    entries = list(entries)
    entries[index] = entry
    return entries


@pytest.mark.parametrize("entries", [
    [e for e in good_entries() if e["kind"] != "tick"],                                   # no tick
    replace(good_entries(), 1, tick(101, status="not_done")),                             # not done
    replace(good_entries(), 1, tick(101, author=9)),                                      # by someone not assigned
    replace(good_entries(), 1, tick(999)),                                                # another item
    replace(good_entries(), 1, tick(101, day="2024-05-07")),                              # another day
], ids=["no_tick", "not_done", "other_author", "other_item", "other_day"])
def test_service_missing_alone(entries):
    assert verify(entries) == {"verified": False, "missing": ["service"]}


def test_person_missing_alone():
    entries = [dict(e, resident_id=8) if e["kind"] == "visit" else e for e in good_entries()]
    assert verify(entries)["missing"] == ["person"]
    assert verify(person=dict(HOME, id=8))["missing"] == ["person"]


def test_day_missing_alone_read_on_the_homes_wall_clock():
    # 23:58 in Shanghai on the 5th is 15:58 UTC: the arrival is not on the visit's day (the 6th), though its
    # `day` field says so; the left on the 6th keeps the times in order.
    visit = visit_of(start_time="00:05")
    entries = replace(good_entries(), 0, fix("arrived", "2024-05-05T15:58:00+00:00"))
    entries[3] = fix("left", "2024-05-06T00:40:00+08:00", confirmed_by="person")
    assert verify(entries, visit)["missing"] == ["day"]
    # the same instant written with another offset is still the 5th at the home
    entries[0] = fix("arrived", "2024-05-05T18:58:00+03:00")
    assert verify(entries, visit)["missing"] == ["day"]
    # an arrival whose day field is another day
    assert verify(replace(good_entries(), 0, fix("arrived", "2024-05-06T09:02:00+08:00", day="2024-05-07")),
                  )["missing"] == ["day"]


def test_day_in_moscow_differs_from_shanghai_for_the_same_instant():
    # 2024-05-06 01:30 in Shanghai is 2024-05-05 20:30 in Moscow.
    arrival = fix("arrived", "2024-05-06T01:30:00+08:00")
    entries = replace(good_entries(), 0, arrival)
    assert "day" not in verify(entries, visit_of(timezone="Asia/Shanghai"))["missing"]
    assert "day" in verify(entries, visit_of(timezone="Europe/Moscow"))["missing"]


@pytest.mark.parametrize("arrival,person", [
    (fix("arrived", "2024-05-06T09:02:00+08:00", lat=31.2404), HOME),                       # about 1.1 km away
    (fix("arrived", "2024-05-06T09:02:00+08:00"), dict(HOME, lat=None, lon=None)),          # no kept location
    (event("arrived", "2024-05-06T09:02:00+08:00", presence="code", code_hash=CODE_HASH,
           flags={"wrong_code": {"code_set": True}}), HOME),
    (event("arrived", "2024-05-06T09:02:00+08:00", presence="none", presence_reason="denied"), HOME),
], ids=["far", "no_home_location", "wrong_code", "no_location"])
def test_location_missing_alone(arrival, person):
    entries = [arrival, tick(101), event("left", "2024-05-06T10:01:00+08:00", presence="none",
                                         presence_reason="timeout", confirmed_by="person")]
    assert verify(entries, person=person)["missing"] == ["location"]


def test_location_shown_by_the_right_code_a_left_fix_or_an_accepted_reason():
    code = event("arrived", "2024-05-06T09:02:00+08:00", presence="code", code_hash=CODE_HASH)
    none = event("left", "2024-05-06T10:01:00+08:00", presence="none", presence_reason="timeout",
                 confirmed_by="person")
    assert verify([code, tick(101), none])["verified"]
    denied = event("arrived", "2024-05-06T09:02:00+08:00", presence="none", presence_reason="denied")
    assert verify([denied, tick(101), fix("left", "2024-05-06T10:01:00+08:00", confirmed_by="person")])["verified"]
    assert verify([denied, tick(101), none], visit_of(location_accepted=True))["verified"]
    # a person with no kept location: a fix proves nothing, an accepted reason does
    nowhere = dict(HOME, lat=None, lon=None)
    assert verify(person=nowhere, visit=visit_of(location_accepted=True))["verified"]


def test_a_coarse_fix_within_radius_plus_accuracy_shows_presence():
    # 300 m off: far for a 20 m accuracy, not for a 150 m one (visits.is_far: 300 > 200 + min(acc, 200))
    lat = geo.round_fix(31.2304 + 300 / 111_195)
    coarse = replace(good_entries(), 0, fix("arrived", "2024-05-06T09:02:00+08:00", lat=lat, accuracy=150))
    sharp = replace(good_entries(), 0, fix("arrived", "2024-05-06T09:02:00+08:00", lat=lat, accuracy=20))
    coarse[3] = sharp[3] = event("left", "2024-05-06T10:01:00+08:00", presence="none", presence_reason="timeout",
                                 confirmed_by="person")
    assert verify(coarse)["verified"]
    assert verify(sharp)["missing"] == ["location"]


@pytest.mark.parametrize("change", [
    lambda e: dict(e, key_id=None),             # unsigned (a supervisor's web amendment)
    lambda e: dict(e, signed=False),            # signed: false wins over a key id
    lambda e: dict(e, author_id=9),             # signed, but not by an assigned carer
], ids=["no_key", "signed_false", "not_assigned"])
def test_carer_missing_alone(change):
    entries = [change(e) if e["kind"] == "visit" else e for e in good_entries()]
    assert verify(entries)["missing"] == ["carer"]


def test_signed_true_counts_without_a_key_id():
    entries = [dict(e, key_id=None, signed=True) if e["kind"] == "visit" else e for e in good_entries()]
    assert verify(entries)["verified"]


@pytest.mark.parametrize("entries", [
    good_entries()[:3],                                                                         # no departure
    replace(good_entries(), 3, fix("left", "2024-05-06T08:59:00+08:00", confirmed_by="person")),  # before arrival
    replace(good_entries(), 3, fix("left", "not a time", confirmed_by="person")),                 # unreadable
], ids=["no_left", "left_before_arrival", "unreadable"])
def test_times_missing_alone(entries):
    assert verify(entries)["missing"] == ["times"]


def test_only_this_visits_entries_count():
    entries = [dict(e, values=dict(e["values"], visit_id=12)) if e["kind"] == "visit" else e
               for e in good_entries()]
    assert verify(entries)["missing"] == ["person", "day", "location", "carer", "times"]


def test_items_done_and_delivered_minutes():
    assert visit_board.items_done(visit_of(), good_entries(), [5]) == [101]
    assert visit_board.delivered_minutes(visit_of(), good_entries()) == 59
    # across offsets: 09:02 Shanghai to 04:01 Moscow is 59 minutes as well
    entries = replace(good_entries(), 3, fix("left", "2024-05-06T05:01:00+03:00", confirmed_by="person"))
    assert visit_board.delivered_minutes(visit_of(), entries) == 59


def test_every_element_has_a_message():
    assert set(visit_board.ELEMENT_MESSAGES) == set(visit_board.ELEMENTS)
    assert set(visit_board.STATE_MESSAGES) == set(visit_board.STATES)


# --- the board ---------------------------------------------------------------------------------------------------

def board(now, entries=(), visit=None, last_sync=None, pulled_at=None, zone=None):
    return visit_board.board_state(visit or visit_of(), list(entries), now, carer_last_sync=last_sync,
                                   pulled_at=pulled_at, zone=zone)


START = at(SHANGHAI, 2024, 5, 6, 9, 0)


def test_planned_then_on_phone_before_the_start():
    assert board(START - timedelta(hours=1)) == {"state": "planned", "since": None, "flags": []}
    pulled = datetime(2024, 5, 5, 12, 0, tzinfo=UTC)
    assert board(START - timedelta(hours=1), pulled_at=pulled) == {
        "state": "on_phone", "since": "2024-05-05T20:00:00+08:00", "flags": []}
    # pulled_at as a naive UTC datetime (the database's) and as text
    assert board(START, pulled_at=pulled.replace(tzinfo=None))["since"] == "2024-05-05T20:00:00+08:00"
    assert board(START, pulled_at="2024-05-05T12:00:00Z")["state"] == "on_phone"


def test_late_at_exactly_fifteen_minutes_not_at_fourteen_fifty_nine():
    synced = START + timedelta(minutes=5)
    before = board(START + timedelta(minutes=14, seconds=59), last_sync=synced, pulled_at=START - timedelta(days=1))
    assert before["state"] == "on_phone"
    assert board(START + timedelta(minutes=14, seconds=59), last_sync=synced)["state"] == "planned"
    assert board(START + timedelta(minutes=15), last_sync=synced) == {
        "state": "late", "since": "2024-05-06T09:15:00+08:00", "flags": []}


def test_late_needs_a_sync_at_or_after_the_start_else_phone_silent_since_her_last_sync():
    now = START + timedelta(minutes=30)
    assert board(now, last_sync=START)["state"] == "late"
    silent = board(now, last_sync=START - timedelta(seconds=1))
    assert silent == {"state": "phone_silent", "since": "2024-05-06T08:59:59+08:00", "flags": []}
    assert board(now, last_sync=None) == {"state": "phone_silent", "since": None, "flags": []}


def test_missed_at_the_hour_past_the_planned_end():
    end = START + timedelta(minutes=60)
    synced = START + timedelta(minutes=1)
    assert board(end + timedelta(minutes=59, seconds=59), last_sync=synced)["state"] == "late"
    assert board(end + timedelta(minutes=59, seconds=59))["state"] == "phone_silent"
    assert board(end + timedelta(minutes=60), last_sync=synced) == {
        "state": "missed", "since": "2024-05-06T11:00:00+08:00", "flags": []}
    assert board(end + timedelta(minutes=60))["state"] == "missed"


def test_arrived_left_and_no_access_from_the_entries_whatever_the_clock():
    arrived = fix("arrived", "2024-05-06T09:20:00+08:00", flags={"clock_off": {"off_s": 400}})
    left = fix("left", "2024-05-06T10:01:00+08:00", confirmed_by="person",
               flags={"duration_off_plan": {"minutes": 41, "planned_minutes": 60}})
    late_night = START + timedelta(hours=10)
    assert board(late_night, [arrived]) == {"state": "arrived", "since": "2024-05-06T09:20:00+08:00",
                                            "flags": ["clock_off"]}
    assert board(START - timedelta(hours=2), [arrived])["state"] == "arrived"  # early arrival
    assert board(late_night, [arrived, left]) == {"state": "left", "since": "2024-05-06T10:01:00+08:00",
                                                  "flags": ["duration_off_plan", "clock_off"]}
    no_access = event("no_access", "2024-05-06T09:10:00+08:00")
    assert board(late_night, [no_access]) == {"state": "no_access", "since": "2024-05-06T09:10:00+08:00",
                                              "flags": []}
    assert board(late_night, [no_access, arrived])["state"] == "arrived"  # she got in after all


def test_left_without_arrival_and_team_visits():
    lone = fix("left", "2024-05-06T10:00:00+08:00", confirmed_by="person", flags={"left_without_arrival": True})
    assert board(START, [lone])["state"] == "left"
    a_in = fix("arrived", "2024-05-06T09:00:00+08:00")
    b_in = fix("arrived", "2024-05-06T09:05:00+08:00", author=6, key_id="k-6")
    a_out = fix("left", "2024-05-06T10:00:00+08:00", confirmed_by="person")
    assert board(START, [a_in, b_in, a_out]) == {"state": "arrived", "since": "2024-05-06T09:00:00+08:00",
                                                 "flags": []}
    b_out = fix("left", "2024-05-06T10:10:00+08:00", author=6, confirmed_by="family")
    assert board(START, [a_in, b_in, a_out, b_out])["since"] == "2024-05-06T10:10:00+08:00"


def test_cancelled_comes_first():
    cancelled = datetime(2024, 5, 6, 0, 30)  # naive: UTC, as stored
    visit = visit_of(cancelled_at=cancelled)
    left = fix("left", "2024-05-06T10:00:00+08:00", confirmed_by="person", flags={"cancelled_visit": {}})
    assert board(START + timedelta(hours=5), [left], visit) == {
        "state": "cancelled", "since": "2024-05-06T08:30:00+08:00", "flags": ["cancelled_visit"]}


def test_other_visits_entries_are_not_read():
    other = fix("arrived", "2024-05-06T09:00:00+08:00", visit_id=12, flags={"far": {}})
    assert board(START + timedelta(minutes=20), [other, tick(101)], last_sync=START) == {
        "state": "late", "since": "2024-05-06T09:15:00+08:00", "flags": []}


def test_moscow_wall_clock_and_a_now_in_any_offset():
    visit = visit_of(timezone="Europe/Moscow")
    synced = datetime(2024, 5, 6, 6, 0, tzinfo=UTC)  # 09:00 Moscow
    assert board(datetime(2024, 5, 6, 6, 14, 59, tzinfo=UTC), visit=visit, last_sync=synced)["state"] \
        == "planned"
    # the same instant as 14:15 in Shanghai
    assert board(at(SHANGHAI, 2024, 5, 6, 14, 15), visit=visit, last_sync=synced) == {
        "state": "late", "since": "2024-05-06T09:15:00+03:00", "flags": []}
    # the zone argument wins over the visit's
    assert board(at(MOSCOW, 2024, 5, 6, 9, 15), visit=visit_of(), last_sync=synced, zone="Europe/Moscow")["state"] \
        == "late"


def test_berlin_across_the_spring_dst_change():
    # 2024-03-31: 02:00 CET -> 03:00 CEST. A 09:00 visit starts at 07:00 UTC that day, 08:00 UTC the day before.
    visit = visit_of(day=date(2024, 3, 31), timezone="Europe/Berlin")
    synced = datetime(2024, 3, 31, 7, 0, tzinfo=UTC)
    assert board(datetime(2024, 3, 31, 7, 14, 59, tzinfo=UTC), visit=visit, last_sync=synced)["state"] \
        == "planned"
    assert board(datetime(2024, 3, 31, 7, 15, tzinfo=UTC), visit=visit, last_sync=synced)["since"] \
        == "2024-03-31T09:15:00+02:00"
    before = visit_of(day=date(2024, 3, 30), timezone="Europe/Berlin")
    assert visit_board.local_start(before, "Europe/Berlin").astimezone(UTC).hour == 8


def test_berlin_a_start_in_the_dst_gap_moves_forward_by_the_gap():
    visit = visit_of(day=date(2024, 3, 31), start_time="02:30", planned_minutes=60, timezone="Europe/Berlin")
    start = visit_board.local_start(visit, "Europe/Berlin")
    assert start.isoformat() == "2024-03-31T03:30:00+02:00"
    assert start.astimezone(UTC) == datetime(2024, 3, 31, 1, 30, tzinfo=UTC)
    # late at 03:45 summer time, missed an hour after the end (04:30) at 05:30
    synced = start
    assert board(at(BERLIN, 2024, 3, 31, 3, 44, 59), visit=visit, last_sync=synced)["state"] == "planned"
    assert board(at(BERLIN, 2024, 3, 31, 3, 45), visit=visit, last_sync=synced)["state"] == "late"
    assert board(at(BERLIN, 2024, 3, 31, 5, 30), visit=visit, last_sync=synced) == {
        "state": "missed", "since": "2024-03-31T05:30:00+02:00", "flags": []}


def test_berlin_a_visit_across_the_change_lasts_its_planned_minutes():
    # 01:30 CET + 60 minutes of work ends at 03:30 CEST (the wall clock jumps); missed from 04:30 CEST.
    visit = visit_of(day=date(2024, 3, 31), start_time="01:30", planned_minutes=60, timezone="Europe/Berlin")
    assert visit_board.planned_end(visit, "Europe/Berlin").isoformat() == "2024-03-31T03:30:00+02:00"
    assert board(at(BERLIN, 2024, 3, 31, 4, 29, 59), visit=visit)["state"] == "phone_silent"
    assert board(at(BERLIN, 2024, 3, 31, 4, 30), visit=visit)["state"] == "missed"


def test_berlin_an_ambiguous_autumn_start_is_its_first_occurrence():
    visit = visit_of(day=date(2024, 10, 27), start_time="02:30", timezone="Europe/Berlin")
    assert visit_board.local_start(visit, "Europe/Berlin").isoformat() == "2024-10-27T02:30:00+02:00"


# --- follow-up calls ---------------------------------------------------------------------------------------------

@pytest.mark.parametrize("count,size", [(0, 0), (1, 1), (19, 1), (20, 1), (21, 2), (40, 2), (60, 3), (100, 5),
                                        (101, 6)])
def test_follow_up_size(count, size):
    assert visit_board.follow_up_size(count) == size
    assert len(visit_board.follow_up_sample(range(1, count + 1), "2024-W19")) == size


def test_follow_up_sample_is_deterministic_whatever_the_order_or_repeats():
    ids = list(range(1000, 1200))
    first = visit_board.follow_up_sample(ids, "2024-W19")
    shuffled = ids + ids[:50]
    random.Random(3).shuffle(shuffled)
    assert visit_board.follow_up_sample(shuffled, "2024-W19") == first
    assert first == sorted(first) and set(first) <= set(ids) and len(first) == 10
    # another week draws another sample; a share can be given
    assert visit_board.follow_up_sample(ids, "2024-W20") != first
    assert len(visit_board.follow_up_sample(ids, "2024-W19", share=0.1)) == 20


def test_follow_up_sample_ranks_each_visit_by_its_own_hash():
    # a visit's chance does not depend on the others: one drawn among 200 is drawn among any 100 holding it, when
    # as many are drawn (10 of 200 at 5 %, 10 of 100 at 10 %)
    big = visit_board.follow_up_sample(range(1, 201), "2024-W19")
    small = visit_board.follow_up_sample(range(1, 101), "2024-W19", share=0.1)
    assert {i for i in big if i <= 100} <= set(small)


def test_the_new_rules_import_neither_flask_nor_the_database():
    code = ("import sys, backend.domain.visit_board, backend.domain.visit_plan, backend.domain.settlement\n"
            "print(','.join(sorted(m for m in sys.modules if m.split('.')[0] in ('flask', 'sqlalchemy', "
            "'flask_sqlalchemy', 'marshmallow', 'werkzeug'))))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""
