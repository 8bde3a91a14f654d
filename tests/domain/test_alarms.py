"""The rules of home devices' alarms (backend/domain/alarms.py): the intake's fields, the device's clock, the repeat
window, the order of steps, the acknowledgement times and their percentiles."""
from datetime import datetime, timedelta, timezone

import pytest

from backend.domain import alarms as rules
from backend.domain.errors import Conflict
from backend.domain.homecare_codes import ALARM_REPEAT_SECONDS

T0 = datetime(2026, 11, 25, 3, 0, 30)  # naive UTC, as stored
SHANGHAI = timezone(timedelta(hours=8))


def test_the_intake_names_each_wrong_field():
    assert rules.validate_intake({"kind": "sos"}) == {}
    assert rules.validate_intake({"kind": "fall", "at": "2026-11-25T11:00:00+08:00", "detail": "x" * 500}) == {}
    assert set(rules.validate_intake({"kind": "fire"})) == {"kind"}
    assert set(rules.validate_intake({})) == {"kind"}
    assert set(rules.validate_intake({"kind": None})) == {"kind"}
    assert set(rules.validate_intake({"kind": "sos", "at": "2026-11-25T11:00:00"})) == {"at"}  # no offset
    assert set(rules.validate_intake({"kind": "sos", "at": "soon"})) == {"at"}
    assert set(rules.validate_intake({"kind": "x", "at": "soon", "detail": "x" * 501})) == {"kind", "at", "detail"}


def test_device_times_with_their_offset():
    assert rules.parse_device_time("2026-11-25T11:00:00+08:00") == datetime(2026, 11, 25, 3, tzinfo=timezone.utc)
    assert rules.parse_device_time("2026-11-25T03:00:00Z") == datetime(2026, 11, 25, 3, tzinfo=timezone.utc)
    for bad in ("2026-11-25T11:00:00", "2026-11-25", "", "noon", 5, None, "2026-11-25T11:00:00+08:00" + " " * 40):
        assert rules.parse_device_time(bad) is None


def test_the_device_clock_is_believed_unless_implausible():
    received = T0.replace(tzinfo=timezone.utc)
    assert rules.raised_time(None, received) == (T0, False)
    earlier = (T0 - timedelta(seconds=20)).replace(tzinfo=timezone.utc).astimezone(SHANGHAI)
    assert rules.raised_time(earlier, received) == (T0 - timedelta(seconds=20), False)
    assert rules.raised_time(received + timedelta(minutes=4), received) == (T0 + timedelta(minutes=4), False)
    assert rules.raised_time(received + timedelta(minutes=6), received) == (T0, True)
    assert rules.raised_time(received - timedelta(hours=23), received) == (T0 - timedelta(hours=23), False)
    assert rules.raised_time(received - timedelta(hours=25), received) == (T0, True)


def test_repeats_are_within_the_window_not_the_minute():
    assert ALARM_REPEAT_SECONDS == 60
    minute_end = datetime(2026, 11, 25, 3, 0, 59)
    next_minute = datetime(2026, 11, 25, 3, 1, 20)
    assert rules.minute_of(minute_end) != rules.minute_of(next_minute)
    assert rules.is_repeat(minute_end, next_minute) and rules.is_repeat(next_minute, minute_end)
    assert rules.is_repeat(T0, T0 + timedelta(seconds=59.9))
    assert not rules.is_repeat(T0, T0 + timedelta(seconds=60))
    assert not rules.is_repeat(T0, T0 - timedelta(seconds=61))
    first, last = rules.repeat_window(T0)
    assert (first, last) == (T0 - timedelta(seconds=60), T0 + timedelta(seconds=60))
    assert rules.minute_of(datetime(2026, 11, 25, 11, 0, 59, 900000, tzinfo=SHANGHAI)) == datetime(2026, 11, 25, 3)


def test_the_rate_counts_the_last_second():
    assert rules.within_rate([], 10.0, limit=2)
    assert rules.within_rate([9.5], 10.0, limit=2)
    assert not rules.within_rate([9.5, 9.9], 10.0, limit=2)
    assert rules.within_rate([8.9, 9.0], 10.0, limit=2)


def test_steps_acknowledged_once_nothing_after_closed():
    assert rules.steps_to_record([], "acknowledged") == ["acknowledged"]
    assert rules.steps_to_record([], "family_told") == ["acknowledged", "family_told"]
    assert rules.steps_to_record([], "closed") == ["acknowledged", "closed"]
    done = ["acknowledged", "family_told"]
    for step in rules.REPEATABLE_STEPS + ("closed",):
        assert rules.steps_to_record(done, step) == [step]
    with pytest.raises(Conflict) as second:
        rules.steps_to_record(done, "acknowledged")
    assert second.value.code == "already_acknowledged"
    for step in ("acknowledged", "family_told", "emergency_called", "carer_sent", "closed"):
        with pytest.raises(Conflict) as after:
            rules.steps_to_record(done + ["closed"], step)
        assert after.value.code == "alarm_closed"
    with pytest.raises(ValueError):
        rules.steps_to_record([], "forgotten")


def test_time_to_acknowledge_from_receipt():
    steps = [("family_told", T0 + timedelta(seconds=200)), ("acknowledged", T0 + timedelta(seconds=45)),
             ("acknowledged", T0 + timedelta(seconds=500))]
    assert rules.acknowledgement_seconds(T0, steps) == 45
    assert rules.acknowledgement_seconds(T0, [("family_told", T0)]) is None
    assert rules.acknowledgement_seconds(T0, [("acknowledged", T0 - timedelta(seconds=3))]) == 0


def test_percentiles_by_nearest_rank():
    assert rules.percentile([], 50) is None
    assert rules.percentile([7], 90) == 7
    assert rules.percentile([4, 1, 3, 2], 50) == 2
    assert rules.percentile(list(range(1, 11)), 90) == 9
    assert rules.percentile(list(range(1, 11)), 100) == 10
    assert rules.percentile([5, None, 1], 50) == 1
    with pytest.raises(ValueError):
        rules.percentile([1], 0)
    summary = rules.acknowledgement_summary([30, None, 60, 90, 600])
    assert summary == {"alarms": 5, "acknowledged": 4, "median_seconds": 60, "p90_seconds": 600}
