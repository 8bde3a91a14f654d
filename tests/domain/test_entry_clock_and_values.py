"""Issue 14, per entry: the tablet's clock must fit the entry's care day, and ticks, notes and condition reports hold
no `values` (the tablet sends null for them)."""
from datetime import date, datetime, timezone

import pytest

from backend.domain import entries, sync, vitals

from .test_sync_judge import TODAY, ctx, entry

NOW = datetime(2026, 11, 25, 3, 0, tzinfo=timezone.utc)  # 10:00 in Krasnoyarsk (UTC+7)


@pytest.mark.parametrize("day, device_time", [
    (TODAY, "2026-11-25T10:00:00+07:00"),
    (TODAY, "2026-11-25T03:00:00Z"),
    (date(2026, 11, 24), "2026-11-25T09:00:00+07:00"),   # a late entry for yesterday
    (date(2026, 11, 24), "2026-11-25T02:30:00+07:00"),   # the night shift of the 24th, after midnight
    (date(2026, 11, 22), "2026-11-25T09:00:00+07:00"),   # three days late
    (date(2026, 11, 26), "2026-11-25T23:30:00+07:00"),   # tomorrow's first slot, a tablet fast by an hour
    (TODAY, "2026-11-26T02:59:00Z"),                     # a clock almost a day fast
])
def test_plausible_device_times_pass(day, device_time):
    assert entries.check_device_time({"day": day, "device_time": device_time}, NOW) == {}


@pytest.mark.parametrize("day, device_time, message", [
    (TODAY, "0001-01-01T00:00:00+00:00", entries.FAR_FROM_DAY),
    (TODAY, "0001-01-01T03:00:00+05:00", entries.FAR_FROM_DAY),
    (TODAY, "9999-12-31T23:59:59-05:00", entries.FAR_FROM_DAY),
    (date(2026, 11, 21), "2026-11-25T09:00:00+07:00", entries.FAR_FROM_DAY),  # four days after its day
    (TODAY, "2026-11-29T00:00:00+07:00", entries.FAR_FROM_DAY),
    (TODAY, "2026-11-26T03:01:00Z", entries.AHEAD_OF_NOW),  # more than a day ahead of the server's clock
    (date(2026, 11, 26), "2026-11-27T08:00:00+07:00", entries.AHEAD_OF_NOW),
])
def test_implausible_device_times_are_refused_naming_device_time(day, device_time, message):
    assert entries.check_device_time({"day": day, "device_time": device_time}, NOW) == {"device_time": message}


def test_without_the_server_clock_only_the_day_is_checked():
    assert entries.check_device_time({"day": TODAY, "device_time": "2026-11-27T08:00:00+07:00"}, None) == {}


def test_judge_refuses_a_year_one_clock_as_invalid():
    e = entry(device_time="0001-01-01T00:00:00+00:00")
    d = sync.judge(e, ctx(now=NOW))
    assert (d.status, d.reason, set(d.fields)) == ("rejected", "invalid", {"device_time"})


def test_judge_refuses_a_clock_days_ahead_of_the_server():
    e = entry(day=date(2026, 11, 26), device_time="2026-11-27T09:00:00+07:00")
    assert sync.judge(e, ctx(now=NOW)).fields == {"device_time": entries.AHEAD_OF_NOW}


@pytest.mark.parametrize("kind, fields", [
    ("tick", {"item_id": 5, "slot": "08:00", "status": "done"}),
    ("note", {"item_id": None, "slot": None, "status": None, "note": "calm"}),
    ("condition", {"item_id": None, "slot": None, "status": None, "category": "fall", "note": "fell"}),
])
def test_ticks_notes_and_condition_reports_hold_no_values(kind, fields):
    definition = vitals.load_definition()
    base = dict(kind=kind, **fields)
    assert entries.validate_fields(dict(base, values=None), definition)[0] == {}
    assert entries.validate_fields(dict(base, values={}), definition)[0] == {}
    errors = entries.validate_fields(dict(base, values={"pulse": 72}), definition)[0]
    assert set(errors) == {"values"}
    d = sync.judge(entry(values={"x": 1}, **base), ctx(now=NOW))
    assert (d.status, d.reason, set(d.fields)) == ("rejected", "invalid", {"values"})
