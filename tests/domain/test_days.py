"""The care day of a resident: cell states on a controlled clock, late entries, as-needed cells, locking."""
from datetime import date, datetime, timedelta

from backend.domain import days

DAY = date(2026, 11, 25)  # a Wednesday


def at(hhmm, day=DAY):
    h, m = map(int, hhmm.split(":"))
    return datetime.combine(day, datetime.min.time()) + timedelta(hours=h, minutes=m)


def item(iid, kind="times", params=None, **extra):
    return dict({"id": iid, "schedule_kind": kind, "schedule": params if params is not None else {"times": ["08:00"]},
                 "days_of_week": None, "valid_from": None, "valid_to": None}, **extra)


def tick(eid, iid, slot, hhmm, status="done", **extra):
    return dict({"id": eid, "kind": "tick", "item_id": iid, "slot": slot, "status": status,
                 "device_time": at(hhmm) if isinstance(hhmm, str) else hhmm}, **extra)


def states(result):
    return [(c.item_id, c.slot, c.state) for c in result.cells]


def test_minutes_into_day():
    assert days.minutes_into_day(at("08:30"), DAY) == 510
    assert days.minutes_into_day(at("00:30", DAY + timedelta(days=1)), DAY) == 1470
    assert days.minutes_into_day(at("23:00", DAY - timedelta(days=1)), DAY) == -60


def test_upcoming_due_missing_follow_the_clock():
    items = [item(1)]  # 08:00 opens 07:30, overdue after 09:00
    assert states(days.day_of_resident(7, items, [], DAY, at("07:29"))) == [(1, "08:00", "upcoming")]
    assert states(days.day_of_resident(7, items, [], DAY, at("07:30"))) == [(1, "08:00", "due")]
    assert states(days.day_of_resident(7, items, [], DAY, at("08:59"))) == [(1, "08:00", "due")]
    assert states(days.day_of_resident(7, items, [], DAY, at("09:00"))) == [(1, "08:00", "missing")]
    assert states(days.day_of_resident(7, items, [], DAY, at("08:20"), grace_minutes=15)) == [(1, "08:00", "missing")]


def test_past_and_future_days():
    items = [item(1, params={"times": ["08:00", "22:00"]})]
    past = days.day_of_resident(7, items, [], DAY, at("01:00", DAY + timedelta(days=1)))
    assert [c.state for c in past.cells] == ["missing", "missing"]
    future = days.day_of_resident(7, items, [], DAY, at("23:00", DAY - timedelta(days=1)))
    assert [c.state for c in future.cells] == ["upcoming", "upcoming"]


def test_done_and_not_done_cells_carry_their_entry():
    items = [item(1, params={"times": ["08:00", "14:00"]})]
    ticks = [tick("a", 1, "08:00", "08:05"), tick("b", 1, "14:00", "14:10", status="not_done", reason="asleep")]
    result = days.day_of_resident(7, items, ticks, DAY, at("15:00"))
    assert [(c.slot, c.state, c.entry["id"], c.late, c.time) for c in result.cells] == [
        ("08:00", "done", "a", False, "08:00"), ("14:00", "not_done", "b", False, "14:00")]
    assert result.resident_id == 7
    assert result.count("done") == 1 and result.count("done", "not_done") == 2 and result.count("missing") == 0


def test_late_flag_after_the_due_minute_only():
    items = [item(1)]
    on_time = days.day_of_resident(7, items, [tick("a", 1, "08:00", "09:00")], DAY, at("12:00")).cells[0]
    late = days.day_of_resident(7, items, [tick("a", 1, "08:00", "09:01")], DAY, at("12:00")).cells[0]
    assert (on_time.state, on_time.late) == ("done", False)
    assert (late.state, late.late) == ("done", True)
    # recorded early (before the slot opened) is not late
    early = days.day_of_resident(7, items, [tick("a", 1, "08:00", "06:00")], DAY, at("12:00")).cells[0]
    assert early.late is False


def test_a_night_tick_recorded_after_midnight_is_late():
    items = [item(1, "per_shift", {"shifts": ["night"]})]
    t = tick("a", 1, "shift:night", at("00:10", DAY + timedelta(days=1)))
    cell = days.day_of_resident(7, items, [t], DAY, at("03:00", DAY + timedelta(days=1))).cells[0]
    assert (cell.state, cell.late, cell.time) == ("done", True, "20:00")


def test_the_latest_standing_tick_stands_for_a_slot():
    items = [item(1)]
    first = tick("a", 1, "08:00", "08:01")
    second = tick("b", 1, "08:00", "08:20", status="not_done", reason="refused")
    cell = days.day_of_resident(7, items, [second, first], DAY, at("12:00")).cells[0]
    assert cell.entry["id"] == "b" and cell.state == "not_done"


def test_a_superseded_tick_does_not_stand_even_if_later():
    items = [item(1)]
    original = tick("a", 1, "08:00", "08:30")
    correction = tick("b", 1, "08:00", "08:10", status="not_done", reason="asleep", supersedes="a")
    cell = days.day_of_resident(7, items, [original, correction], DAY, at("12:00")).cells[0]
    assert cell.entry["id"] == "b" and cell.state == "not_done"


def test_entries_of_other_kinds_and_other_items_do_not_fill_cells():
    items = [item(1)]
    noise = [dict(tick("n", 1, "08:00", "08:05"), kind="note"), tick("x", 2, "08:00", "08:05"),
             tick("y", 1, "09:00", "08:05")]
    assert states(days.day_of_resident(7, items, noise, DAY, at("12:00"))) == [(1, "08:00", "missing")]


def test_as_needed_gives_one_cell_per_recording_in_time_order():
    items = [item(3, "as_needed", {})]
    assert days.day_of_resident(7, items, [], DAY, at("12:00")).cells == []
    recs = [tick("b", 3, None, "15:00"), tick("a", 3, None, "09:00", status="not_done", reason="refused")]
    cells = days.day_of_resident(7, items, recs, DAY, at("16:00")).cells
    assert [(c.slot, c.time, c.state, c.entry["id"], c.late) for c in cells] == [
        (None, None, "not_done", "a", False), (None, None, "done", "b", False)]


def test_cells_are_ordered_by_time_then_item_and_untimed_last():
    items = [item(2, params={"times": ["09:00"]}), item(1, params={"times": ["09:00", "07:00"]}),
             item(3, "as_needed", {}), item(4, "per_shift", {"shifts": ["day"]})]
    cells = days.day_of_resident(7, items, [tick("z", 3, None, "10:00")], DAY, at("06:00")).cells
    assert [(c.item_id, c.time) for c in cells] == [(1, "07:00"), (4, "08:00"), (1, "09:00"), (2, "09:00"),
                                                    (3, None)]


def test_weekday_and_validity_filter_items():
    items = [item(1, days_of_week=[1]), item(2, days_of_week=[3]), item(3, valid_to=DAY - timedelta(days=1)),
             item(4, valid_from=DAY + timedelta(days=1)), item(5, valid_from=DAY, valid_to=DAY)]
    assert [c.item_id for c in days.day_of_resident(7, items, [], DAY, at("12:00")).cells] == [2, 5]


def test_an_ended_item_shows_no_cell_even_with_a_recording():
    items = [item(1, valid_to=DAY - timedelta(days=1))]
    assert days.day_of_resident(7, items, [tick("a", 1, "08:00", "08:00")], DAY, at("12:00")).cells == []


# --- locking -------------------------------------------------------------------------------------

ZONE = "Asia/Krasnoyarsk"


def conf(unit_id, day=DAY, resident_id=None, seq=1, confirmed_at=None):
    """A confirmation made at 09:00 home time the morning after the day (so it covers the whole day), unless
    confirmed_at (naive UTC) says otherwise."""
    return {"unit_id": unit_id, "day": day, "resident_id": resident_id, "seq": seq,
            "confirmed_at": confirmed_at or datetime.combine(day, datetime.min.time()) + timedelta(hours=26)}


def test_unit_confirmation_locks_every_resident_of_that_unit_and_day_only():
    confirmations = [conf(1)]
    assert days.is_locked(confirmations, 1, 7, DAY, ZONE)
    assert days.is_locked(confirmations, 1, 8, DAY, ZONE)
    assert not days.is_locked(confirmations, 2, 7, DAY, ZONE)
    assert not days.is_locked(confirmations, 1, 7, DAY + timedelta(days=1), ZONE)
    assert not days.is_locked([], 1, 7, DAY, ZONE)


def test_resident_confirmation_locks_only_that_resident():
    confirmations = [conf(1, resident_id=7)]
    assert days.is_locked(confirmations, 1, 7, DAY, ZONE)
    assert not days.is_locked(confirmations, 1, 8, DAY, ZONE)


def test_a_confirmation_made_during_the_day_does_not_lock_it():
    """Made at 14:00 home time (07:00 UTC) on the day itself: what was recorded by then is covered, the rest of the
    day stays open (docs/domain.md, Confirmation)."""
    early = [conf(1, confirmed_at=datetime(2026, 11, 25, 7, 0))]
    assert not days.is_locked(early, 1, 7, DAY, ZONE)
    assert days.confirmed_until(early, 1, 7, DAY, ZONE) == (datetime(2026, 11, 25, 7, 0), False)


def late(eid, seq, resident_id=7, day=DAY):
    return {"id": eid, "seq": seq, "resident_id": resident_id, "day": day}


def test_unreviewed_late_lists_entries_after_the_last_covering_confirmation():
    entries = [late("a", 5), late("b", 9)]
    assert days.unreviewed_late(entries, [conf(1, seq=3)], 1) == entries
    assert [e["id"] for e in days.unreviewed_late(entries, [conf(1, seq=3), conf(1, seq=7)], 1)] == ["b"]
    assert days.unreviewed_late(entries, [conf(1, seq=3), conf(1, seq=10)], 1) == []


def test_unreviewed_late_respects_resident_unit_and_day_of_the_confirmation():
    entries = [late("a", 5, resident_id=7), late("b", 6, resident_id=8), late("c", 7, day=DAY - timedelta(days=1))]
    confirmations = [conf(1, seq=3), conf(1, resident_id=7, seq=20), conf(2, seq=30),
                     conf(1, day=DAY + timedelta(days=1), seq=40)]
    assert [e["id"] for e in days.unreviewed_late(entries, confirmations, 1)] == ["b", "c"]
