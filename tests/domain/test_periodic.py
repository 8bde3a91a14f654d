"""Services less often than daily (docs/domain.md, "Periodic services"): validation, the plan's periodicity, card
generation, the paper card and completion. The care-day rules themselves are in the shared vectors
(tests/fixtures/schedule_cases.json, period_cases and period_day_cases), run by test_conformance.py."""
from datetime import date, datetime

import pytest

from backend.domain import card_generation, care_plan, days, figures, schedule
from backend.domain import month_close as mc

from ..helpers import run_node

NOV = date(2026, 11, 1)


# --- validation ------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("kind, params", [
    ("monthly", {"day": 15}),
    ("monthly", {"day": 31}),
    ("monthly", {}),
    ("monthly", {"day": None}),
    ("every_days", {"days": 10, "from": "2026-11-04"}),
    ("every_days", {"days": 1, "from": "2026-11-04"}),
    ("every_weeks", {"weeks": 2, "from": "2026-11-03"}),
    ("dates", {"dates": ["2026-11-20", "2026-11-05"]}),
])
def test_valid_periodic_schedules(kind, params):
    assert schedule.validate(kind, params, None) == {}
    assert schedule.slots(kind, params) == []


@pytest.mark.parametrize("kind, params, days, field", [
    ("monthly", {"day": 0}, None, "day"),
    ("monthly", {"day": 32}, None, "day"),
    ("monthly", {"day": "15"}, None, "day"),
    ("every_days", {"days": 0, "from": "2026-11-04"}, None, "days"),
    ("every_days", {"days": 367, "from": "2026-11-04"}, None, "days"),
    ("every_days", {"days": 10}, None, "from"),
    ("every_days", {"days": 10, "from": "4.11.2026"}, None, "from"),
    ("every_weeks", {"weeks": 53, "from": "2026-11-04"}, None, "weeks"),
    ("every_weeks", {"weeks": True, "from": "2026-11-04"}, None, "weeks"),
    ("dates", {"dates": []}, None, "dates"),
    ("dates", {"dates": ["2026-11-31"]}, None, "dates"),
    ("dates", {"dates": ["2026-11-05", "2026-11-05"]}, None, "dates"),
    ("dates", {"dates": [f"2026-11-{d:02d}" for d in range(1, 31)] + ["2026-12-01", "2026-12-02"]}, None, "dates"),
    ("monthly", {"day": 15}, [1], "days_of_week"),
])
def test_invalid_periodic_schedules_name_their_field(kind, params, days, field):
    assert list(schedule.validate(kind, params, days)) == [field]


# --- the care plan ----------------------------------------------------------------------------------------------

def test_the_plans_periodicity_keeps_only_its_kinds_fields():
    assert care_plan.periodicity_schedule({"kind": "monthly", "day": 15, "times": ["09:00"], "days_of_week": []}) == (
        "monthly", {"day": 15}, None)
    assert care_plan.periodicity_schedule({"kind": "monthly"}) == ("monthly", {"day": None}, None)
    assert care_plan.periodicity_schedule({"kind": "every_days", "days": 10, "from": "2026-11-04", "hours": 2}) == (
        "every_days", {"days": 10, "from": "2026-11-04"}, None)
    assert care_plan.periodicity_schedule({"kind": "dates", "dates": ["2026-11-20", "2026-11-05"]}) == (
        "dates", {"dates": ["2026-11-05", "2026-11-20"]}, None)


def _plan(periodicity, term=None):
    content = care_plan.empty_content()
    content["sections"][0]["services"].append({
        "id": "bath", "name": "Гигиеническая ванна", "volume": "", "periodicity": periodicity,
        "term": term or {"from": None, "to": None}, "on_card": True, "category": "hygiene", "instructions": "",
        "measures": None})
    return content


def test_the_plan_validates_a_periodic_service_by_its_path():
    errors = care_plan.validate(_plan({"kind": "every_days", "days": 0, "from": None}), card_generation.CATEGORIES)
    assert set(errors) == {"sections.0.services.0.periodicity.days", "sections.0.services.0.periodicity.from"}
    errors = care_plan.validate(_plan({"kind": "monthly", "day": 5, "days_of_week": [2]}), card_generation.CATEGORIES)
    assert set(errors) == {"sections.0.services.0.periodicity.days_of_week"}
    assert care_plan.validate(_plan({"kind": "monthly", "day": None, "days_of_week": []}),
                              card_generation.CATEGORIES) == {}


def test_card_generation_carries_the_period_and_its_first_day():
    content = care_plan.normalize(_plan({"kind": "every_days", "days": 10, "from": "2026-10-25", "days_of_week": None},
                                        term={"from": "2026-10-25", "to": None}))
    [item] = card_generation.items_for_month(content, NOV)
    assert (item["schedule_kind"], item["schedule"], item["days_of_week"]) == (
        "every_days", {"days": 10, "from": "2026-10-25"}, None)
    # the periods continue from the first day across the months: 4, 14 and 24 November
    assert [p.due.day for p in schedule.periods(item["schedule_kind"], item["schedule"], NOV)] == [4, 14, 24]


# --- the care day ------------------------------------------------------------------------------------------------

def _tick(eid, item, slot, day, status="done", **kw):
    return dict({"id": eid, "kind": "tick", "item_id": item, "slot": slot, "status": status, "supersedes": None,
                 "day": date(2026, 11, day), "device_time": datetime(2026, 11, day, 10, 0)}, **kw)


BATH = {"id": 1, "title": "Ванна", "schedule_kind": "every_days", "schedule": {"days": 10, "from": "2026-11-04"},
        "days_of_week": None, "valid_from": None, "valid_to": None, "position": 1, "plan_service": "bath"}
HAIRCUT = {"id": 2, "title": "Стрижка", "schedule_kind": "monthly", "schedule": {"day": None},
           "days_of_week": None, "valid_from": None, "valid_to": None, "position": 2, "plan_service": "haircut"}


def test_a_monthly_item_was_as_needed_before_and_so_never_missed():
    """The finding: entered as needed, a haircut not done all month had no cell and was never missed."""
    as_needed = dict(HAIRCUT, schedule_kind="as_needed", schedule={})
    end = datetime(2026, 12, 1, 0, 0)
    assert days.day_of_resident(7, [as_needed], [], date(2026, 11, 30), end).cells == []
    [cell] = days.day_of_resident(7, [HAIRCUT], [], date(2026, 11, 30), end).cells
    assert (cell.state, cell.slot) == ("missing", "p:2026-11-01")


def test_month_periods_once_per_service_and_period():
    ticks = [_tick("a", 1, "p:2026-11-04", 6), _tick("b", 1, "p:2026-11-14", 20, "not_done", reason="refused")]
    rows = days.month_periods([BATH], ticks, NOV)
    assert [(r["key"], r["entry"]["id"] if r["entry"] else None, r["closes"]) for r in rows] == [
        ("p:2026-11-04", "a", date(2026, 11, 13)),
        ("p:2026-11-14", "b", date(2026, 11, 23)),
        ("p:2026-11-24", None, date(2026, 11, 30))]
    # a recording made after its period's end belongs to no period
    late = days.month_periods([BATH], [_tick("c", 1, "p:2026-11-04", 14)], NOV)
    assert late[0]["entry"] is None


def test_a_plan_change_inside_a_period_neither_misses_it_nor_offers_it_again():
    old = dict(HAIRCUT, valid_to=date(2026, 11, 10))
    new = dict(HAIRCUT, id=3, valid_from=date(2026, 11, 11), title="Стрижка (парикмахер)")
    [row] = days.month_periods([old, new], [_tick("a", 2, "p:2026-11-01", 3)], NOV)
    assert row["entry"]["id"] == "a" and row["item_id"] == 3 and row["closes"] == date(2026, 11, 30)
    [row] = days.month_periods([old, new], [], NOV)
    assert row["item_id"] == 3 and row["entry"] is None   # missed, once, by the item that applies at its end


# --- completion ----------------------------------------------------------------------------------------------------

def test_completion_counts_each_period_once():
    ticks = [_tick("a", 1, "p:2026-11-04", 6), _tick("h", 2, "p:2026-11-01", 9)]
    all_month = [date(2026, 11, d) for d in range(1, 31)]
    fig = figures.card_completion([{"items": [BATH, HAIRCUT], "ticks": ticks, "month": NOV}], all_month)
    # bath: 4th (done on the 6th), 14th (missed on the 23rd), 24th (missed on the 30th); haircut: done on the 9th
    assert (fig.numerator, fig.denominator) == (2, 4)
    # up to the 10th: the bath's first period and the haircut, both recorded; nothing has closed unrecorded yet
    fig = figures.card_completion([{"items": [BATH, HAIRCUT], "ticks": ticks, "month": NOV}], all_month[:10])
    assert (fig.numerator, fig.denominator) == (2, 2)
    # nothing recorded, up to the 13th: the bath's first period is missed; the haircut's month is not over
    fig = figures.card_completion([{"items": [BATH, HAIRCUT], "ticks": [], "month": NOV}], all_month[:13])
    assert (fig.numerator, fig.denominator) == (0, 1)


def test_completion_a_period_closing_while_she_was_away_is_not_due():
    away = {date(2026, 11, 13): [(600, 1440)]}
    fig = figures.card_completion([{"items": [BATH], "ticks": [], "month": NOV, "away": away}],
                                  [date(2026, 11, d) for d in range(1, 14)])
    assert (fig.numerator, fig.denominator) == (0, 0)


def test_completion_before_this_change_left_the_haircut_out():
    """As needed (the only way before), the same month read 100 %: the lapse did not show."""
    as_needed = dict(HAIRCUT, schedule_kind="as_needed", schedule={})
    daily = {"id": 5, "schedule_kind": "per_shift", "schedule": {"shifts": ["day"]}, "days_of_week": None,
             "valid_from": None, "valid_to": None}
    ticks = [_tick(f"d{d}", 5, "shift:day", d) for d in range(1, 31)]
    month = [date(2026, 11, d) for d in range(1, 31)]
    before = figures.card_completion([{"items": [daily, as_needed], "ticks": ticks, "month": NOV}], month)
    now = figures.card_completion([{"items": [daily, HAIRCUT], "ticks": ticks, "month": NOV}], month)
    assert before.value == 1.0
    assert (now.numerator, now.denominator) == (30, 31)


# --- the paper card -------------------------------------------------------------------------------------------------

def _entry(day, item, slot, status="done", **kw):
    n = day * 100 + item
    return dict({"id": f"e{n}", "seq": n, "kind": "tick", "resident_id": 7, "item_id": item,
                 "day": date(2026, 11, day), "slot": slot, "status": status, "reason": None, "author_id": 1,
                 "supersedes": None, "amendment_reason": None, "late_after_confirmation": False,
                 "device_time": datetime(2026, 11, day, 10, 0), "received_at": datetime(2026, 11, day, 3, 0),
                 "note": None, "values": None, "category": None}, **kw)


def test_the_paper_card_has_one_row_per_periodic_item():
    entries = [_entry(6, 1, "p:2026-11-04"), _entry(9, 2, "p:2026-11-01", "not_done", reason="refused")]
    sheet = mc.grid([BATH, HAIRCUT], entries, NOV, {1: "Ольга Сергеевна Ким"}, date(2026, 11, 20))
    bath, haircut = sheet["rows"]
    assert bath["periodic"] and bath["slot"] is None and bath["schedule_kind"] == "every_days"
    states = {i + 1: c["state"] for i, c in enumerate(bath["cells"]) if c["state"] != "not_scheduled"}
    # done on the 6th; the period of the 14th closed on the 23rd, still ahead; the 24th's closes on the 30th
    assert states == {6: "done", 23: "pending", 30: "pending"}
    assert bath["cells"][5]["by"] == ["ОСК"]
    h_states = {i + 1: c["state"] for i, c in enumerate(haircut["cells"]) if c["state"] != "not_scheduled"}
    assert h_states == {9: "refused"}
    closed = mc.grid([BATH, HAIRCUT], entries, NOV, {1: "Ольга Сергеевна Ким"}, date(2026, 12, 1))
    states = {i + 1: c["state"] for i, c in enumerate(closed["rows"][0]["cells"]) if c["state"] != "not_scheduled"}
    assert states == {6: "done", 23: "missing", 30: "missing"}


# --- the tablet's day model --------------------------------------------------------------------------------------

def test_the_tablet_shows_a_period_done_earlier_and_offers_the_open_one():
    got = run_node("run_day_periodic.mjs")
    zero = {"done": 0, "not_done": 0, "missing": 0, "due": 0, "upcoming": 0, "away": 0, "late": 0}
    assert got["before"]["counts"] == dict(zero, due=1)
    assert got["before"]["rows"] == [["cell-2-p:2026-11-14", None, None, "due"],
                                     ["period-1-p:2026-11-01", "2026-11-09", "h1", None]]
    assert got["after"]["counts"] == dict(zero, done=1)
    assert got["after"]["rows"] == [["cell-2-p:2026-11-14", None, "b1", "done"],
                                    ["period-1-p:2026-11-01", "2026-11-09", "h1", None]]


def test_the_printed_card_names_the_periodic_rows_schedule(app):
    from flask_babel import force_locale

    from backend import pdf_card
    rows = mc.grid([BATH, HAIRCUT, dict(HAIRCUT, id=4, schedule={"day": 15})], [], NOV, {}, date(2026, 12, 1))["rows"]
    with app.test_request_context(), force_locale("en"):
        assert [pdf_card._slot_text(r, {}, "en") for r in rows] == [
            "every 10 days from Nov 4, 2026", "once in the month, any day", "monthly, on day 15"]
        assert pdf_card.periodic_text("dates", {"dates": ["2026-11-20", "2026-11-05"]}, "en") == (
            "on Nov 5, 2026, Nov 20, 2026")
        assert pdf_card.periodic_text("every_weeks", {"weeks": 1, "from": "2026-11-03"}, "en") == (
            "every week from Nov 3, 2026")
