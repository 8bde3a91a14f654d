"""Attendance entries (domain.attendance): validation, the judge's decisions, which entry stands, the idle flag."""
from datetime import date, datetime, timedelta

import pytest

from backend.domain import attendance, entries, roles, signing, sync, vitals

HOME, U100, U200 = frozenset(), frozenset({100}), frozenset({200})  # an author's units (none: the whole home)

TODAY = date(2026, 11, 25)  # a Wednesday
ACT, NURSE, PLANNER, SUPERVISOR = 20, 10, 30, 12
SECRETS = {uid: bytes([uid]) * 32 for uid in (ACT, NURSE, PLANNER, SUPERVISOR)}
KEYS = {f"k{uid}": (uid, "tab-1", secret, False) for uid, secret in SECRETS.items()}
ROLES = {ACT: roles.ACTIVITIES, NURSE: roles.NURSE, PLANNER: roles.PLANNER, SUPERVISOR: roles.SUPERVISOR}
#: Activity 7 of the home: weekly session 70 on Wednesdays, event 71 on the 27th; activity 8 has no session.
SESSIONS = {70: {"activity_id": 7, "kind": "weekly", "weekday": 3, "on_date": None, "valid_from": None,
                 "valid_to": None},
            71: {"activity_id": 7, "kind": "event", "weekday": None, "on_date": date(2026, 11, 27),
                 "valid_from": None, "valid_to": None},
            72: {"activity_id": 7, "kind": "weekly", "weekday": 3, "on_date": None, "valid_from": None,
                 "valid_to": date(2026, 11, 18)}}


def ctx(**overrides):
    values = dict(actor_id=ACT, today=TODAY, existing={}, residents={1: 100, 2: 200},
                  items={}, authors={ACT: HOME, NURSE: U100, PLANNER: HOME, SUPERVISOR: HOME},
                  superseded_targets={}, confirmations=[], vitals_definition=vitals.load_definition(),
                  keys=KEYS, author_roles=ROLES, activities={7: True, 8: True}, sessions=SESSIONS)
    values.update(overrides)
    return sync.Context(**values)


_n = iter(range(1, 10_000))


def att(**fields):
    n = next(_n)
    e = {"id": f"00000000-0000-7000-8000-{n:012d}", "kind": "attendance", "resident_id": 1, "item_id": None,
         "day": TODAY, "slot": None, "status": "active", "reason": None, "note": None,
         "values": {"session_id": 70, "activity_id": 7, "minutes": 45}, "category": None, "supersedes": None,
         "author_id": ACT, "device_id": "tab-1", "client_seq": n, "device_time": "2026-11-25T11:05:00+07:00"}
    e.update(fields)
    if "day" in fields and "device_time" not in fields:  # the tablet's clock on the entry's day (issue 14)
        e["device_time"] = f"{e['day'].isoformat()}T11:05:00+07:00"
    return dict(e, key_id=f"k{e['author_id']}", sig=signing.sign(SECRETS[e["author_id"]], e))


# --- validation -------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("fields, errors", [
    ({}, {}),
    ({"status": "passive", "values": {"session_id": None, "activity_id": 7, "minutes": None}}, {}),
    ({"status": "absent", "reason": "hospital"}, {}),
    ({"status": "refused", "note": "tired"}, {}),
    ({"status": "present"}, {"status"}),
    ({"status": None}, {"status"}),
    ({"status": "absent"}, {"reason"}),
    ({"status": "absent", "reason": "bored"}, {"reason"}),
    ({"status": "absent", "reason": "other"}, {"note"}),
    ({"status": "absent", "reason": "other", "note": "  "}, {"note"}),
    ({"status": "absent", "reason": "other", "note": "at the barber's"}, {}),
    ({"status": "active", "reason": "ill"}, {"reason"}),
    ({"values": None}, {"values", "values.activity_id"}),
    ({"values": {"session_id": 70}}, {"values.activity_id"}),
    ({"values": {"activity_id": "7"}}, {"values.activity_id"}),
    ({"values": {"activity_id": True}}, {"values.activity_id"}),
    ({"values": {"activity_id": 7, "session_id": -1}}, {"values.session_id"}),
    ({"values": {"activity_id": 7, "minutes": 0}}, {"values.minutes"}),
    ({"values": {"activity_id": 7, "minutes": 601}}, {"values.minutes"}),
    ({"values": {"activity_id": 7, "minutes": 30.5}}, {"values.minutes"}),
    ({"values": {"activity_id": 7, "mood": "good"}}, {"values.mood"}),
    ({"item_id": 5, "slot": "08:00", "category": "x"}, {"item_id", "slot", "category"}),
])
def test_validation_names_each_field(fields, errors):
    e = att(**fields)
    found, _ = entries.validate_fields(e, vitals.load_definition(), {})
    assert set(found) == set(errors)


def test_engagement_and_reason_codes_are_the_documented_ones():
    assert attendance.ENGAGEMENTS == ("active", "passive", "refused", "absent")
    assert attendance.TOOK_PART == ("active", "passive")
    assert attendance.ABSENCE_REASONS == ("ill", "hospital", "procedure", "visit", "asleep", "other")


# --- who may record ----------------------------------------------------------------------------------------------

@pytest.mark.parametrize("role, kind, category, allowed", [
    (roles.ACTIVITIES, "attendance", None, True),
    (roles.SUPERVISOR, "attendance", None, True),
    (roles.PLANNER, "attendance", None, True),
    (roles.NURSE, "attendance", None, False),
    (None, "attendance", None, False),
    (roles.ACTIVITIES, "tick", None, False),
    (roles.ACTIVITIES, "note", None, False),
    (roles.ACTIVITIES, "assessment", "satisfaction_resident", True),
    (roles.ACTIVITIES, "assessment", "mmse", False),
    (roles.ACTIVITIES, "assessment", "satisfaction_relative", False),
    (roles.PLANNER, "assessment", "satisfaction_resident", True),
    (roles.SUPERVISOR, "assessment", "satisfaction_resident", True),
    (roles.NURSE, "assessment", "satisfaction_resident", False),
    (roles.PLANNER, "assessment", "mmse", True),
])
def test_who_records_what(role, kind, category, allowed):
    assert roles.may_record(role, kind, category) is allowed


# --- the judge ---------------------------------------------------------------------------------------------------

def test_activity_staff_attendance_is_accepted_and_never_late():
    conf = [{"unit_id": 100, "resident_id": None, "day": TODAY, "seq": 5, "confirmed_at": datetime(2026, 11, 26, 2)}]
    d = sync.judge(att(), ctx(confirmations=conf))
    assert (d.status, d.late, d.score) == ("accepted", False, None)


def test_an_individual_activity_outside_the_timetable_is_accepted():
    d = sync.judge(att(values={"session_id": None, "activity_id": 8, "minutes": 20}), ctx())
    assert d.status == "accepted"


@pytest.mark.parametrize("values, field", [
    ({"session_id": 70, "activity_id": 9, "minutes": None}, "values.activity_id"),  # not the home's activity
    ({"session_id": 99, "activity_id": 7, "minutes": None}, "values.session_id"),   # not the home's session
    ({"session_id": 70, "activity_id": 8, "minutes": None}, "values.session_id"),   # another activity's session
])
def test_an_activity_or_session_not_of_the_home_is_refused(values, field):
    d = sync.judge(att(values=values), ctx())
    assert (d.status, d.reason, set(d.fields)) == ("rejected", "unknown_activity", {field})


@pytest.mark.parametrize("session_id, day", [(70, TODAY + timedelta(days=1)), (71, TODAY), (72, TODAY)])
def test_a_session_that_does_not_take_place_that_day_is_refused(session_id, day):
    d = sync.judge(att(day=day, values={"session_id": session_id, "activity_id": 7, "minutes": None}), ctx())
    assert (d.status, d.reason, set(d.fields)) == ("rejected", "invalid", {"day"})


def test_an_event_on_its_date_is_accepted():
    e = att(day=date(2026, 11, 24), values={"session_id": 71, "activity_id": 7, "minutes": None})
    assert sync.judge(e, ctx(today=date(2026, 11, 27))).status == "rejected"  # 24th is not the event's date
    e = att(day=date(2026, 11, 27), values={"session_id": 71, "activity_id": 7, "minutes": None})
    assert sync.judge(e, ctx(today=date(2026, 11, 27))).status == "accepted"


def test_a_nurse_may_not_mark_attendance_and_activity_staff_may_not_tick():
    d = sync.judge(att(author_id=NURSE), ctx())
    assert (d.status, d.reason) == ("rejected", "not_permitted")
    tick = att(kind="tick", item_id=5, slot="08:00", status="done", values=None)
    d = sync.judge(tick, ctx(items={5: 1}))
    assert (d.status, d.reason) == ("rejected", "not_permitted")


def test_a_resident_of_another_home_is_refused():
    d = sync.judge(att(resident_id=3), ctx())
    assert (d.status, d.reason) == ("rejected", "unknown_resident")


def test_a_replay_is_a_duplicate_and_a_changed_replay_an_id_conflict():
    e = att()
    digest = sync.payload_hash(e)
    assert sync.judge(e, ctx(existing={e["id"]: digest})).status == "duplicate"
    changed = att(id=e["id"], status="passive")
    assert sync.judge(changed, ctx(existing={e["id"]: digest})).reason == "id_conflict"


def test_a_correction_keeps_the_occurrence_and_is_the_authors():
    first = att()
    c = ctx()
    assert sync.judge(first, c).status == "accepted"
    assert sync.judge(att(supersedes=first["id"], status="passive"), c).status == "accepted"
    other_day = att(supersedes=first["id"], day=TODAY - timedelta(days=7))
    assert sync.judge(other_day, c).reason == "superseded_mismatch"
    other_session = att(supersedes=first["id"], values={"session_id": None, "activity_id": 8, "minutes": None})
    assert sync.judge(other_session, c).reason == "superseded_mismatch"
    by_planner = att(supersedes=first["id"], author_id=PLANNER)
    assert sync.judge(by_planner, c).reason == "not_own_entry"


def test_two_tablets_marking_the_same_occurrence_are_both_kept_and_the_latest_stands():
    c = ctx()
    early = att(status="absent", reason="asleep", device_time="2026-11-25T11:00:00+07:00")
    later = att(author_id=PLANNER, status="active", device_time="2026-11-25T11:20:00+07:00")
    assert [sync.judge(e, c).status for e in (later, early)] == ["accepted", "accepted"]
    standing = attendance.standing_by_occurrence([later, early])
    assert [e["id"] for e in standing.values()] == [later["id"]]


# --- standing and idle -------------------------------------------------------------------------------------------

def plain(rid, day, status="active", session_id=70, activity_id=7, **fields):
    e = {"id": f"e-{next(_n):06d}", "kind": "attendance", "resident_id": rid, "day": day, "status": status,
         "values": {"session_id": session_id, "activity_id": activity_id, "minutes": None},
         "device_time": f"{day}T11:00:00+07:00", "supersedes": None}
    e.update(fields)
    return e


def test_standing_by_occurrence_follows_corrections():
    first = plain(1, TODAY)
    fix = plain(1, TODAY, status="refused", supersedes=first["id"], device_time="2026-11-25T10:00:00+07:00")
    other = plain(1, TODAY, session_id=None, activity_id=8)
    tick = {"id": "t", "kind": "tick", "resident_id": 1, "day": TODAY, "device_time": "x"}
    standing = attendance.standing_by_occurrence([first, fix, other, tick])
    assert sorted(e["id"] for e in standing.values()) == sorted([fix["id"], other["id"]])


def test_idle_residents_took_part_in_nothing_over_seven_days_today_included():
    six_days_ago = TODAY - timedelta(days=6)
    seven_days_ago = TODAY - timedelta(days=7)
    log = [
        plain(1, six_days_ago),                        # took part inside the window
        plain(2, seven_days_ago, status="passive"),    # only before the window
        plain(3, TODAY, status="refused"),             # refused and absent do not count
        plain(3, TODAY - timedelta(days=1), status="absent", reason="ill"),
        plain(5, TODAY + timedelta(days=1)),           # a future day does not count
    ]
    fixed = plain(6, TODAY)                            # corrected to refused: does not count
    log += [fixed, plain(6, TODAY, status="refused", supersedes=fixed["id"])]
    found = attendance.idle([1, 2, 3, 4, 5, 6], log, TODAY, DIRECTIONS)
    assert found == [{"resident_id": 2, "last_day": seven_days_ago}, {"resident_id": 3, "last_day": None},
                     {"resident_id": 4, "last_day": None}, {"resident_id": 5, "last_day": None},
                     {"resident_id": 6, "last_day": None}]


#: Activity 7: a concert (cultural-leisure); 8: a massage (medical); 9: a talk with the psychologist; 11: work
#: therapy in the garden; 12: reading aloud (informational-educational); 13: morning exercises (physical culture).
DIRECTIONS = {7: "cultural_leisure", 8: "medical", 9: "psychological", 11: "work_therapy", 12: "educational",
              13: "physical_health"}


def test_a_massage_or_a_talk_with_the_psychologist_does_not_end_the_idle_flag():
    """Source 000's figure is social occupation (leisure and socially useful activity): a passive massage leaves
    her flagged, as does a talk with the psychologist; an activity of any of the four other directions does not."""
    log = [plain(1, TODAY, status="passive", session_id=None, activity_id=8),           # massage
           plain(2, TODAY, session_id=None, activity_id=9),                             # psychologist
           plain(2, TODAY - timedelta(days=10), session_id=None, activity_id=7),       # long ago: a concert
           plain(3, TODAY, session_id=None, activity_id=11),                            # garden
           plain(4, TODAY, status="passive", session_id=None, activity_id=12),          # reading aloud
           plain(5, TODAY - timedelta(days=2), session_id=None, activity_id=13),        # exercises
           plain(6, TODAY, session_id=None, activity_id=99)]                            # not an activity known
    found = attendance.idle([1, 2, 3, 4, 5, 6], log, TODAY, DIRECTIONS)
    assert found == [{"resident_id": 1, "last_day": None},
                     {"resident_id": 2, "last_day": TODAY - timedelta(days=10)},
                     {"resident_id": 6, "last_day": None}]
    assert attendance.SOCIAL_OCCUPATION == ("physical_health", "cultural_leisure", "educational", "work_therapy")


def test_an_event_outside_its_validity_is_refused_as_the_timetable_hides_it():
    """The attendance check and the timetable read an event alike: on its date and within valid_from..valid_to."""
    withdrawn = dict(SESSIONS[71], valid_to=date(2026, 11, 20))  # the event was withdrawn before its date
    e = att(day=date(2026, 11, 27), values={"session_id": 71, "activity_id": 7, "minutes": None})
    d = sync.judge(e, ctx(today=date(2026, 11, 27), sessions={**SESSIONS, 71: withdrawn}))
    assert (d.status, d.reason, set(d.fields)) == ("rejected", "invalid", {"day"})
