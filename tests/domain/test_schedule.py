"""Care-card schedules: validation per field, slot expansion for every kind, and when an item applies."""
from datetime import date

import pytest

from backend.domain import schedule
from backend.domain.schedule import Slot


def test_parse_and_format_hhmm():
    assert schedule.parse_hhmm("00:00") == 0
    assert schedule.parse_hhmm("08:30") == 510
    assert schedule.parse_hhmm("23:59") == 1439
    assert schedule.fmt_hhmm(510) == "08:30"
    for bad in ("24:00", "8:30", "08:60", "0830", "08-30", "", None, 510, "ab:cd"):
        with pytest.raises((ValueError, TypeError)):
            schedule.parse_hhmm(bad)


@pytest.mark.parametrize("kind, params, days", [
    ("times", {"times": ["08:00"]}, None),
    ("times", {"times": ["20:00", "08:00"]}, [1, 7]),
    ("every_hours", {"hours": 4, "start": "06:00"}, None),
    ("every_hours", {"hours": 12}, None),
    ("every_hours", {"hours": 1}, None),
    ("per_shift", {"shifts": ["day"]}, None),
    ("per_shift", {}, None),
    ("as_needed", {}, [3]),
    ("as_needed", None, None),
])
def test_valid_schedules_have_no_errors(kind, params, days):
    assert schedule.validate(kind, params, days) == {}


@pytest.mark.parametrize("kind, params, days, field, words", [
    ("weekly", {}, None, "schedule_kind", "must be one of"),
    (None, {}, None, "schedule_kind", "must be one of"),
    ("times", {}, None, "times", "at least one time"),
    ("times", {"times": []}, None, "times", "at least one time"),
    ("times", {"times": "08:00"}, None, "times", "at least one time"),
    ("times", {"times": ["8:00"]}, None, "times", "HH:MM"),
    ("times", {"times": ["24:00"]}, None, "times", "HH:MM"),
    ("times", {"times": [800]}, None, "times", "HH:MM"),
    ("times", {"times": ["08:00", "08:00"]}, None, "times", "must not repeat"),
    ("every_hours", {}, None, "hours", "1 to 12"),
    ("every_hours", {"hours": 0}, None, "hours", "1 to 12"),
    ("every_hours", {"hours": 13}, None, "hours", "1 to 12"),
    ("every_hours", {"hours": 2.5}, None, "hours", "whole number"),
    ("every_hours", {"hours": True}, None, "hours", "whole number"),
    ("every_hours", {"hours": "4"}, None, "hours", "whole number"),
    ("every_hours", {"hours": 4, "start": "6:00"}, None, "start", "HH:MM"),
    ("every_hours", {"hours": 4, "start": None}, None, "start", "HH:MM"),
    ("per_shift", {"shifts": []}, None, "shifts", "non-empty list"),
    ("per_shift", {"shifts": ["morning"]}, None, "shifts", "day, night"),
    ("per_shift", {"shifts": "day"}, None, "shifts", "non-empty list"),
    ("times", {"times": ["08:00"]}, [], "days_of_week", "ISO weekdays"),
    ("times", {"times": ["08:00"]}, [0], "days_of_week", "ISO weekdays"),
    ("times", {"times": ["08:00"]}, [8], "days_of_week", "ISO weekdays"),
    ("times", {"times": ["08:00"]}, ["1"], "days_of_week", "ISO weekdays"),
    ("as_needed", {}, 3, "days_of_week", "ISO weekdays"),
])
def test_each_invalid_field_is_named_with_its_message(kind, params, days, field, words):
    errors = schedule.validate(kind, params, days)
    assert list(errors) == [field]
    assert words in errors[field]


def test_several_invalid_fields_are_reported_together():
    errors = schedule.validate("every_hours", {"hours": 0, "start": "x"}, [9])
    assert set(errors) == {"hours", "start", "days_of_week"}


def test_times_slots_are_sorted_and_open_before_and_close_after_the_grace():
    assert schedule.slots("times", {"times": ["14:00", "08:00"]}) == [
        Slot("08:00", 450, 480, 540), Slot("14:00", 810, 840, 900)]
    assert schedule.slots("times", {"times": ["08:00"]}, grace_minutes=15) == [Slot("08:00", 450, 480, 495)]


def test_slots_are_clamped_to_the_care_day():
    early, late = schedule.slots("times", {"times": ["00:10", "23:30"]})
    assert early.start == 0 and early.time == 10 and early.due == 70
    assert late.start == 1380 and late.due == 1440


def test_every_hours_runs_from_start_until_midnight():
    keys = [s.key for s in schedule.slots("every_hours", {"hours": 4, "start": "06:00"})]
    assert keys == ["06:00", "10:00", "14:00", "18:00", "22:00"]
    assert len(schedule.slots("every_hours", {"hours": 1})) == 24
    assert [s.key for s in schedule.slots("every_hours", {"hours": 12, "start": "13:00"})] == ["13:00"]
    assert schedule.slots("every_hours", {"hours": 2})[0] == Slot("00:00", 0, 0, 60)


def test_per_shift_slots_cover_the_shift_in_shift_order():
    assert schedule.slots("per_shift", {"shifts": ["night", "day"]}) == [
        Slot("shift:day", 480, 480, 1200), Slot("shift:night", 1200, 1200, 1440)]
    assert [s.key for s in schedule.slots("per_shift", {})] == ["shift:day", "shift:night"]
    assert [s.key for s in schedule.slots("per_shift", {"shifts": ["night"]})] == ["shift:night"]
    # the grace period does not stretch a shift
    assert schedule.slots("per_shift", {"shifts": ["day"]}, grace_minutes=5)[0].due == 1200


def test_as_needed_has_no_slots():
    assert schedule.slots("as_needed", {}) == []
    assert schedule.slots("as_needed", None) == []


def test_applies_on_weekday_filter():
    wednesday = date(2026, 11, 25)
    assert wednesday.isoweekday() == 3
    assert schedule.applies_on(wednesday)
    assert schedule.applies_on(wednesday, [])  # an empty list means every day, like None
    assert schedule.applies_on(wednesday, [1, 3, 5])
    assert not schedule.applies_on(wednesday, [1, 2, 4, 5, 6, 7])
    assert schedule.applies_on(date(2026, 11, 29), [7])  # Sunday is 7, not 0


def test_applies_on_validity_bounds_are_inclusive():
    start, end = date(2026, 11, 10), date(2026, 11, 20)
    assert not schedule.applies_on(date(2026, 11, 9), None, start, end)
    assert schedule.applies_on(date(2026, 11, 10), None, start, end)
    assert schedule.applies_on(date(2026, 11, 20), None, start, end)
    assert not schedule.applies_on(date(2026, 11, 21), None, start, end)
    assert schedule.applies_on(date(2030, 1, 1), None, start, None)
    assert not schedule.applies_on(date(2026, 11, 18), [1], start, end)  # within range but wrong weekday
