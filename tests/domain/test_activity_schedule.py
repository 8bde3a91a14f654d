"""The timetable's occurrences and a resident's day (backend/domain/activity_schedule.py)."""
from datetime import date

from backend.domain import activity_schedule as sched
from backend.domain.forms import form_ids

MON = date(2025, 3, 3)  # a Monday
SUN = date(2025, 3, 9)


def weekly(id_, weekday, time="10:00", activity_id=1, **kw):
    return {"id": id_, "activity_id": activity_id, "kind": "weekly", "weekday": weekday, "start_time": time,
            "duration_minutes": kw.pop("duration_minutes", 45), "valid_from": kw.pop("valid_from", date(2025, 1, 1)),
            **kw}


def event(id_, on_date, time="15:00", activity_id=9, **kw):
    return {"id": id_, "activity_id": activity_id, "kind": "event", "on_date": on_date, "start_time": time,
            "duration_minutes": 90, "title": {"ru": "Концерт", "en": "Concert"}, **kw}


def test_weekly_sessions_fall_on_their_weekday_within_the_week():
    occ = sched.occurrences([weekly(1, 1), weekly(2, 3, "09:00"), weekly(3, 7)], [], MON, SUN)
    assert [(o["date"], o["session_id"]) for o in occ] == [("2025-03-03", 1), ("2025-03-05", 2), ("2025-03-09", 3)]
    assert occ[0]["end_time"] == "10:45" and occ[0]["kind"] == "weekly" and occ[0]["title"] is None
    assert not occ[0]["cancelled"] and not occ[0]["changed"]


def test_weekly_over_two_weeks_and_valid_range():
    occ = sched.occurrences([weekly(1, 2, valid_from=date(2025, 3, 5), valid_to=date(2025, 3, 20))], [],
                            MON, date(2025, 3, 31))
    assert [o["date"] for o in occ] == ["2025-03-11", "2025-03-18"]


def test_event_on_its_date_only():
    occ = sched.occurrences([event(5, date(2025, 3, 6)), event(6, date(2025, 3, 12))], [], MON, SUN)
    assert [(o["session_id"], o["kind"], o["title"]["en"]) for o in occ] == [(5, "event", "Concert")]


def test_cancelled_occurrence_stays_listed_and_change_moves_one():
    changes = [{"session_id": 1, "on_date": date(2025, 3, 3), "cancelled": True, "note": "instructor ill"},
               {"session_id": 1, "on_date": "2025-03-10", "cancelled": False, "start_time": "11:30",
                "place": "Garden", "note": "outdoors"}]
    occ = sched.occurrences([weekly(1, 1, place="Hall")], changes, MON, date(2025, 3, 17))
    assert [o["cancelled"] for o in occ] == [True, False, False]
    assert occ[0]["note"] == "instructor ill" and occ[0]["start_time"] == "10:00"
    assert occ[1]["changed"] and occ[1]["start_time"] == "11:30" and occ[1]["end_time"] == "12:15"
    assert occ[1]["place"] == "Garden" and occ[1]["original_start_time"] == "10:00"
    assert not occ[2]["changed"] and occ[2]["place"] == "Hall"


def test_place_falls_back_to_the_catalogue():
    occ = sched.occurrences([weekly(1, 1, activity_place="Library")], [], MON, MON)
    assert occ[0]["place"] == "Library"


def test_unit_filter_keeps_whole_home_and_own_unit():
    sessions = [weekly(1, 1, unit_id=None), weekly(2, 1, unit_id=7), weekly(3, 1, unit_id=8)]
    assert [o["session_id"] for o in sched.occurrences(sessions, [], MON, MON, unit_id=7)] == [1, 2]
    assert len(sched.occurrences(sessions, [], MON, MON)) == 3


def test_order_by_date_then_time():
    occ = sched.occurrences([weekly(1, 1, "15:00"), weekly(2, 1, "09:30"), event(3, MON, "12:00")], [], MON, MON)
    assert [o["start_time"] for o in occ] == ["09:30", "12:00", "15:00"]


ROUTINE = {"items": [{"key": "breakfast", "time": "08:30", "end": "09:00", "label": {"en": "Breakfast"}},
                     {"key": "lunch", "time": "13:00", "end": "13:45", "label": {"en": "Lunch"}}]}


def test_resident_day_programme_on_its_weekdays_with_routine_events_in_time_order():
    sessions = [weekly(1, 1, "10:00", activity_id=1), weekly(2, 3, "10:00", activity_id=1),
                weekly(3, 1, "11:00", activity_id=2), event(4, MON, "15:00")]
    occ = sched.occurrences(sessions, [], MON, SUN)
    items = [{"id": 10, "activity_id": 1, "weekdays": [1], "goal": "keep walking"},
             {"id": 11, "activity_id": 3, "weekdays": None, "start_time": "09:15"}]
    rows = sched.resident_day(MON, items, occ, ROUTINE)
    assert [(r["time"], r["kind"]) for r in rows] == [
        ("08:30", "routine"), ("09:15", "activity"), ("10:00", "activity"), ("13:00", "routine"), ("15:00", "event")]
    assert rows[2]["goal"] == "keep walking" and rows[2]["session_id"] == 1
    assert rows[1]["end"] == "09:45" and rows[1]["session_id"] is None
    # Wednesday: activity 1 runs, but the programme says Mondays only; the individual one is every day.
    wed = sched.resident_day(date(2025, 3, 5), items, occ, ROUTINE)
    assert [(r["time"], r["kind"]) for r in wed] == [("08:30", "routine"), ("09:15", "activity"), ("13:00", "routine")]


def test_resident_day_every_session_when_no_weekdays_and_valid_range():
    occ = sched.occurrences([weekly(1, 1, activity_id=1), weekly(2, 3, activity_id=1)], [], MON, SUN)
    items = [{"id": 1, "activity_id": 1, "weekdays": None, "valid_from": date(2025, 3, 4)}]
    assert [r["kind"] for r in sched.resident_day(MON, items, occ, {"items": []})] == []
    assert [r["session_id"] for r in sched.resident_day(date(2025, 3, 5), items, occ, {"items": []})] == [2]


def test_resident_day_shows_cancelled_occurrence():
    occ = sched.occurrences([weekly(1, 1, activity_id=1)],
                            [{"session_id": 1, "on_date": MON, "cancelled": True, "note": "x"}], MON, MON)
    rows = sched.resident_day(MON, [{"id": 1, "activity_id": 1}], occ, {"items": []})
    assert rows[0]["cancelled"] and rows[0]["note"] == "x"


def test_care_procedures_only_in_the_staff_view():
    care = [{"id": 1, "title": "Turn", "schedule_kind": "every_hours", "schedule": {"hours": 6, "start": "06:00"}},
            {"id": 2, "title": "Drops", "schedule_kind": "times", "schedule": {"times": ["09:00"]},
             "days_of_week": [2]},
            {"id": 3, "title": "Wash", "schedule_kind": "per_shift", "schedule": {}},
            {"id": 4, "title": "PRN", "schedule_kind": "as_needed", "schedule": {}}]
    assert sched.resident_day(MON, [], [], ROUTINE) == sched.resident_day(MON, [], [], ROUTINE, None)
    rows = sched.resident_day(MON, [], [], ROUTINE, care)
    assert [(r["time"], r["kind"]) for r in rows] == [
        ("06:00", "care"), ("08:30", "routine"), ("12:00", "care"), ("13:00", "routine"), ("18:00", "care")]
    assert rows[0]["title"] == "Turn" and rows[0]["item_id"] == 1
    rows_tue = sched.resident_day(date(2025, 3, 4), [], [], ROUTINE, care)
    assert "Drops" in [r["title"] for r in rows_tue if r["kind"] == "care"]


def test_routine_file_is_valid_and_not_a_form():
    routine = sched.load_routine()
    keys = [i["key"] for i in routine["items"]]
    assert keys == ["wake_up", "breakfast", "lunch", "rest", "snack", "dinner", "lights_out"]
    times = [i["time"] for i in routine["items"]]
    assert times == sorted(times)
    for item in routine["items"]:
        sched.care_schedule.parse_hhmm(item["time"])
        assert item["end"] is None or item["end"] > item["time"]
        assert set(item["label"]) == {"ru", "zh_Hans", "en"} and all(item["label"].values())
    assert "day_routine" not in form_ids()


def test_validation_names_fields():
    assert set(sched.validate_activity({"name": {"ru": " "}})) == {"name", "direction", "mode", "format"}
    assert sched.validate_activity({"name": {"zh_Hans": "书法"}, "direction": "educational", "mode": "active",
                                    "format": "group", "capacity": 12}) == {}
    assert "capacity" in sched.validate_activity({"name": {"en": "x"}, "direction": "medical", "mode": "active",
                                                  "format": "group", "capacity": 0})
    assert set(sched.validate_session({"kind": "weekly", "start_time": "25:00", "duration_minutes": 1})) == {
        "weekday", "valid_from", "start_time", "duration_minutes"}
    assert set(sched.validate_session({"kind": "event", "start_time": "10:00", "duration_minutes": 60})) == {"on_date"}
    assert sched.validate_change({"cancelled": False}) == {"start_time": sched.validate_change({})["start_time"]}
    assert sched.validate_change({"cancelled": True}) == {}
    assert "weekdays" in sched.validate_programme_item({"weekdays": [0, 8]})
    assert "weekdays" in sched.validate_programme_item({"weekdays": [1, 1]})
