"""Generating a person's visits from her timed card items (issue 18; domain/visit_plan.py)."""
from datetime import date, timedelta

from backend.domain import visit_plan

MONDAY = date(2024, 5, 6)
WEEK = [MONDAY + timedelta(days=i) for i in range(7)]


def item(item_id, kind, params=None, days_of_week=None, **fields):
    return dict({"id": item_id, "schedule_kind": kind, "schedule": params or {}, "days_of_week": days_of_week,
                 "valid_from": None, "valid_to": None}, **fields)


MEALS = item(1, "times", {"times": ["12:00", "08:00"]})
CLEANING = item(2, "times", {"times": ["08:00"]}, days_of_week=[1, 3, 5])
BATH = item(3, "times", {"times": ["08:00"]}, days_of_week=[3])
AS_NEEDED = item(4, "as_needed")
SHIFT = item(5, "per_shift", {"shifts": ["day"]})
MONTHLY = item(6, "monthly", {"day": 7})
ITEMS = [MEALS, CLEANING, BATH, AS_NEEDED, SHIFT, MONTHLY]
MINUTES = {1: 20, 2: 60}  # item 3 has no catalogue entry: DEFAULT_MINUTES


def keys(visits):
    return [(v["day"], v["start_time"], v["item_ids"], v["planned_minutes"]) for v in visits]


def test_one_visit_per_day_and_time_grouping_the_items_due_then():
    out = visit_plan.generate(7, ITEMS, WEEK[:3], [], MINUTES)
    assert keys(out) == [
        (WEEK[0], "08:00", [1, 2], 80), (WEEK[0], "12:00", [1], 20),
        (WEEK[1], "08:00", [1], 20), (WEEK[1], "12:00", [1], 20),
        (WEEK[2], "08:00", [1, 2, 3], 80 + visit_plan.DEFAULT_MINUTES), (WEEK[2], "12:00", [1], 20),
    ]
    assert all(v["resident_id"] == 7 and v["source"] == "plan" for v in out)


def test_as_needed_shift_and_periodic_items_make_no_visit():
    assert visit_plan.generate(7, [AS_NEEDED, SHIFT, MONTHLY], WEEK, [], {}) == []
    assert visit_plan.due_times(SHIFT, MONDAY) == [] and visit_plan.due_times(MONTHLY, date(2024, 5, 7)) == []


def test_generating_twice_makes_nothing_new():
    first = visit_plan.generate(7, ITEMS, WEEK, [], MINUTES)
    assert len(first) == 7 * 2
    assert visit_plan.generate(7, ITEMS, WEEK, first, MINUTES) == []
    # as (day, time) pairs, days as text, a cancelled one still counts
    pairs = [(v["day"].isoformat(), v["start_time"]) for v in first]
    assert visit_plan.generate(7, ITEMS, WEEK, pairs, MINUTES) == []
    cancelled = [dict(v, cancelled_at="2024-05-01T10:00:00Z") for v in first]
    assert visit_plan.generate(7, ITEMS, WEEK, cancelled, MINUTES) == []


def test_only_the_missing_pairs_are_made_and_other_peoples_visits_do_not_count():
    existing = [{"resident_id": 7, "day": MONDAY, "start_time": "08:00"},
                {"resident_id": 8, "day": MONDAY, "start_time": "12:00"}]
    out = visit_plan.generate(7, ITEMS, [MONDAY], existing, MINUTES)
    assert keys(out) == [(MONDAY, "12:00", [1], 20)]


def test_days_given_twice_or_unordered_and_as_text():
    out = visit_plan.generate(7, [CLEANING], ["2024-05-08", MONDAY, MONDAY], [], MINUTES)
    assert [(v["day"], v["start_time"]) for v in out] == [(MONDAY, "08:00"), (date(2024, 5, 8), "08:00")]


def test_validity_month_and_every_hours():
    ends = item(8, "times", {"times": ["10:00"]}, valid_from="2024-05-07", valid_to=date(2024, 5, 8))
    assert [v["day"] for v in visit_plan.generate(7, [ends], WEEK, [], {})] == [date(2024, 5, 7), date(2024, 5, 8)]
    may_card = item(9, "times", {"times": ["10:00"]}, month=date(2024, 5, 1))
    days = [date(2024, 5, 31), date(2024, 6, 1)]
    assert [v["day"] for v in visit_plan.generate(7, [may_card], days, [], {})] == [date(2024, 5, 31)]
    hourly = item(10, "every_hours", {"hours": 6, "start": "06:00"})
    assert [v["start_time"] for v in visit_plan.generate(7, [hourly], [MONDAY], [], {10: 15})] == [
        "06:00", "12:00", "18:00"]


def test_an_invalid_schedule_or_minutes_fall_back_safely():
    broken = item(11, "times", {"times": ["25:00"]})
    assert visit_plan.generate(7, [broken], [MONDAY], [], {}) == []
    odd = item(12, "times", {"times": ["07:30"]})
    for minutes in (None, 0, -5, True, "40"):
        assert visit_plan.generate(7, [odd], [MONDAY], [], {12: minutes})[0]["planned_minutes"] == 30
