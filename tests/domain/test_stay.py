"""A resident's stay (backend/domain/stay.py): which event may follow which, the time she is away, and what that
does to the care day, the month's completion figure and the printed card's grid."""
from datetime import date, datetime

import pytest

from backend.domain import days, figures, stay
from backend.domain import month_close as mc

NOW = datetime(2026, 11, 25, 10, 0)


def t(text):
    return datetime.fromisoformat(text)


@pytest.mark.parametrize("status, kind, ok", [
    ("present", "absence", True), ("present", "return", False), ("away", "return", True), ("away", "absence", False),
    ("present", "move", True), ("away", "move", True), ("discharged", "move", False), ("present", "discharge", True),
    ("away", "death", True), ("discharged", "readmission", True), ("deceased", "readmission", False),
    ("present", "readmission", False), ("deceased", "details", True), ("discharged", "discharge", False),
])
def test_which_event_may_follow_which(status, kind, ok):
    errors = stay.check(status, kind, NOW, NOW, reason="r", absence="hospital")
    assert (errors == {}) is ok, errors
    if not ok:
        assert set(errors) == {"kind"}


def test_status_after_each_event():
    assert stay.status_after("present", "absence") == "away"
    assert stay.status_after("away", "return") == "present"
    assert stay.status_after("away", "discharge") == "discharged"
    assert stay.status_after("present", "death") == "deceased"
    assert stay.status_after("discharged", "readmission") == "present"
    assert stay.status_after("away", "move") == "away"


def test_reasons_times_and_the_kind_of_absence_are_checked():
    assert set(stay.check("present", "absence", NOW, NOW, reason="", absence="hospital")) == {"reason"}
    assert set(stay.check("present", "absence", NOW, NOW, reason="x", absence="pub")) == {"absence"}
    assert set(stay.check("present", "discharge", t("2026-11-25T11:00"), NOW, reason="x")) == {"at"}  # future
    assert stay.check("present", "discharge", t("2026-11-25T10:04"), NOW, reason="x") == {}  # a fast clock
    assert set(stay.check("away", "return", t("2026-11-24T08:00"), NOW, last_at=t("2026-11-24T09:00"))) == {"at"}
    assert stay.check("present", "move", NOW, NOW) == {}  # a move needs no reason


def test_away_periods_from_events_in_any_order():
    events = [{"kind": "return", "at": t("2026-11-20T14:00")}, {"kind": "absence", "at": t("2026-11-18T09:00")},
              {"kind": "discharge", "at": t("2026-11-24T10:00")}, {"kind": "move", "at": t("2026-11-21T10:00")}]
    assert stay.away_periods(events) == [(t("2026-11-18T09:00"), t("2026-11-20T14:00")), (t("2026-11-24T10:00"), None)]
    readmitted = events + [{"kind": "readmission", "at": t("2026-11-25T09:00")}]
    assert stay.away_periods(readmitted)[-1] == (t("2026-11-24T10:00"), t("2026-11-25T09:00"))


def test_windows_of_a_day_and_slots_away():
    periods = [(t("2026-11-18T09:00"), t("2026-11-20T14:00"))]
    assert stay.windows(periods, date(2026, 11, 18)) == [(540, 1440)]
    assert stay.windows(periods, date(2026, 11, 19)) == [(0, 1440)]
    assert stay.windows(periods, date(2026, 11, 20)) == [(0, 840)]
    assert stay.windows(periods, date(2026, 11, 21)) == []
    assert stay.away_all_day([(0, 1440)]) and not stay.away_all_day([(0, 840)])
    assert stay.slot_away([(0, 840)], 780, 900)       # the 14:00 slot's window opens at 13:30
    assert not stay.slot_away([(0, 840)], 870, 960)   # one that opens at 14:30
    assert stay.slot_away([(540, 1440)], 480, 1200)   # the day shift she left in the middle of


def test_in_care_on_a_day():
    assert stay.in_care_on(date(2026, 11, 20), date(2026, 11, 1), None)
    assert not stay.in_care_on(date(2026, 10, 31), date(2026, 11, 1), None)
    assert stay.in_care_on(date(2026, 11, 24), None, date(2026, 11, 24))  # the day she left is hers
    assert not stay.in_care_on(date(2026, 11, 25), None, date(2026, 11, 24))


ITEMS = [{"id": 1, "schedule_kind": "times", "schedule": {"times": ["08:00", "20:00"]}, "days_of_week": None,
          "valid_from": None, "valid_to": None, "title": "Туалет", "position": 1}]


def tick(slot, day, status="done"):
    return {"id": f"{slot}-{day}", "kind": "tick", "item_id": 1, "slot": slot, "day": date(2026, 11, day),
            "status": status, "supersedes": None, "device_time": datetime(2026, 11, day, 8, 5), "author_id": 1,
            "reason": None, "amendment_reason": None, "late_after_confirmation": False,
            "received_at": datetime(2026, 11, day, 1, 5), "seq": day, "note": None, "values": None, "category": None}


def test_the_care_day_of_a_resident_who_left_for_hospital():
    day = date(2026, 11, 18)
    away = stay.windows([(t("2026-11-18T09:00"), None)], day)
    cells = days.day_of_resident(1, ITEMS, [], day, t("2026-11-18T23:00"), away=away).cells
    assert [(c.slot, c.state) for c in cells] == [("08:00", "missing"), ("20:00", "away")]


def test_completion_leaves_out_the_slots_she_was_away_for():
    periods = [(t("2026-11-18T09:00"), t("2026-11-20T14:00"))]
    month_days = [date(2026, 11, d) for d in (17, 18, 19, 20, 21)]
    away = {d: stay.windows(periods, d) for d in month_days}
    ticks = [tick("08:00", 17), tick("20:00", 17), tick("08:00", 18), tick("20:00", 20), tick("08:00", 21)]
    plain = figures.card_completion([{"items": ITEMS, "ticks": ticks}], month_days)
    assert (plain.numerator, plain.denominator) == (5, 10)
    fig = figures.card_completion([{"items": ITEMS, "ticks": ticks, "away": away}], month_days)
    # due: 17th 2, 18th 08:00, 20th 20:00, 21st 2 = 6 (the 18th 20:00, the 19th and the 20th 08:00 away)
    assert (fig.numerator, fig.denominator) == (5, 6)


def test_a_tick_recorded_while_away_still_counts():
    day = date(2026, 11, 19)
    away = {day: [(0, 1440)]}
    fig = figures.card_completion([{"items": ITEMS, "ticks": [tick("08:00", 19)], "away": away}], [day])
    assert (fig.numerator, fig.denominator) == (1, 1)


def test_the_printed_grid_marks_the_days_she_was_away():
    periods = [(t("2026-11-18T09:00"), t("2026-11-20T14:00")), (t("2026-11-24T10:00"), None)]  # then discharged
    away = {d: stay.windows(periods, d) for d in mc.month_days(date(2026, 11, 1))}
    sheet = mc.grid(ITEMS, [tick("08:00", 18)], date(2026, 11, 1), {1: "Ольга Кравец"}, date(2026, 12, 1), away=away)
    morning = next(r for r in sheet["rows"] if r["slot"] == "08:00")["cells"]
    evening = next(r for r in sheet["rows"] if r["slot"] == "20:00")["cells"]
    assert morning[17]["state"] == "done" and evening[17]["state"] == "away"          # the 18th
    assert morning[18]["state"] == evening[18]["state"] == "away"                       # the 19th
    assert (morning[19]["state"], evening[19]["state"]) == ("away", "missing")          # back at 14:00 on the 20th
    assert morning[23]["state"] == "missing" and evening[23]["state"] == "away"        # discharged at 10:00 on the 24th
    assert {c["state"] for c in morning[24:]} == {"away"}                               # nothing due after
