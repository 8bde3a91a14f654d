"""The home's figures (backend/domain/figures.py) on small fixtures, every value worked out by hand."""
from datetime import date

from backend.domain import figures

NOV = date(2026, 11, 1)


def att(rid, day, status, activity, *, eid=None, supersedes=None, session=None, time="10:00"):
    return {"id": eid or f"a-{rid}-{day}-{activity}-{status}", "kind": "attendance", "resident_id": rid,
            "day": date(2026, 11, day), "status": status, "supersedes": supersedes,
            "values": {"session_id": session, "activity_id": activity, "minutes": 30},
            "device_time": f"2026-11-{day:02d}T{time}:00+07:00"}


def tick(item, slot, day, status="done", *, eid=None, supersedes=None, time="10:00"):
    return {"id": eid or f"t-{item}-{slot}-{day}-{status}", "kind": "tick", "item_id": item, "slot": slot,
            "day": date(2026, 11, day), "status": status, "supersedes": supersedes,
            "device_time": f"2026-11-{day:02d}T{time}:00+07:00"}


def test_days_passed_and_the_last_day_counted():
    assert figures.days_passed(NOV, date(2026, 11, 4)) == [date(2026, 11, d) for d in (1, 2, 3)]
    assert len(figures.days_passed(NOV, date(2026, 12, 10))) == 30
    assert figures.days_passed(NOV, date(2026, 10, 31)) == []
    assert figures.last_counted_day(NOV, date(2026, 11, 25)) == date(2026, 11, 25)
    assert figures.last_counted_day(NOV, date(2027, 1, 2)) == date(2026, 11, 30)
    assert figures.add_months(date(2026, 11, 1), 6) == date(2027, 5, 1)
    assert figures.add_months(date(2026, 11, 1), -11) == date(2025, 12, 1)


def test_residents_of_the_month_have_a_card_or_an_entry():
    assert figures.residents_of_month({1, 2}, [{"resident_id": 3}, {"resident_id": 1}]) == {1, 2, 3}


def test_engagement_counts_active_and_passive_once_per_resident():
    entries = [
        att(1, 2, "active", 10), att(1, 9, "passive", 11),           # 1: twice -> once
        att(2, 3, "refused", 10),                                      # 2: refused -> no
        att(3, 4, "absent", 10),                                       # 3: absent -> no
        att(4, 5, "active", 10, eid="x"),                              # 4: corrected to refused -> no
        att(4, 5, "refused", 10, eid="y", supersedes="x", time="11:00"),
        att(5, 6, "refused", 12, eid="p"),                             # 5: corrected to passive -> yes
        att(5, 6, "passive", 12, eid="q", supersedes="p", time="11:00"),
        att(9, 6, "active", 12),                                       # 9: not a resident of the month
    ]
    fig = figures.engagement({1, 2, 3, 4, 5}, entries)
    assert (fig.numerator, fig.denominator, fig.value, fig.target, fig.before) == (2, 5, 0.4, 0.98, 0.45)


def test_two_tablets_marking_one_occurrence_the_later_stands():
    entries = [att(1, 2, "active", 10, eid="a", session=7, time="10:00"),
               att(1, 2, "absent", 10, eid="b", session=7, time="10:05")]
    assert figures.engagement({1}, entries).numerator == 0


def test_participation_by_direction():
    directions = {10: "physical_health", 11: "cultural_leisure", 12: "cultural_leisure"}
    entries = [att(1, 2, "active", 10), att(1, 3, "active", 10), att(2, 3, "passive", 11),
               att(2, 4, "active", 12), att(3, 4, "refused", 11)]
    by = figures.participation_by_direction({1, 2, 3, 4}, entries, directions)
    assert list(by) == list(figures.DIRECTIONS)
    assert (by["physical_health"].numerator, by["physical_health"].denominator) == (1, 4)
    assert by["physical_health"].extra["times"] == 2
    assert (by["cultural_leisure"].numerator, by["cultural_leisure"].extra["times"]) == (1, 2)
    assert by["medical"].numerator == 0 and by["medical"].value == 0


def test_satisfaction_latest_per_respondent():
    responses = [
        {"id": 1, "respondent": ("resident", 1), "at": "2026-11-02", "band": "partly", "source": "residents"},
        {"id": 2, "respondent": ("resident", 1), "at": "2026-11-20", "band": "satisfied", "source": "residents"},
        {"id": 3, "respondent": ("resident", 2), "at": "2026-11-03", "band": "not_satisfied", "source": "residents"},
        {"id": 4, "respondent": ("relative", 5, 1), "at": "2026-11-04", "band": "satisfied", "source": "relatives"},
        {"id": 5, "respondent": ("relative", 5, 2), "at": "2026-11-04", "band": "partly", "source": "relatives"},
    ]
    fig = figures.satisfaction(responses)
    assert (fig.numerator, fig.denominator, fig.value, fig.target) == (2, 4, 0.5, 0.999)
    assert fig.extra["by_source"] == {"residents": {"satisfied": 1, "respondents": 2},
                                      "relatives": {"satisfied": 1, "respondents": 2}}
    assert figures.satisfaction([]).value is None


def test_satisfaction_comparison_baseline_six_months_a_year():
    base = date(2025, 11, 1)
    by_month = {
        base: [{"id": i, "respondent": i, "at": "x", "band": "satisfied" if i < 4 else "partly"} for i in range(5)],
        date(2026, 5, 1): [{"id": i, "respondent": i, "at": "x", "band": "satisfied" if i < 9 else "partly"}
                           for i in range(10)],
        date(2026, 11, 1): [{"id": i, "respondent": i, "at": "x", "band": "satisfied"} for i in range(8)],
    }
    rows = figures.satisfaction_comparison(by_month, base)
    assert [(r["month"], r["offset"], r["figure"].numerator, r["figure"].denominator) for r in rows] == [
        (base, 0, 4, 5), (date(2026, 5, 1), 6, 9, 10), (date(2026, 11, 1), 12, 8, 8)]
    assert [r["figure"].value for r in rows] == [0.8, 0.9, 1.0]


def test_card_completion_counts_due_slots_and_their_records():
    items = [
        {"id": 1, "schedule_kind": "times", "schedule": {"times": ["08:00", "20:00"]}, "days_of_week": None,
         "valid_from": None, "valid_to": None},                         # 2 slots a day
        {"id": 2, "schedule_kind": "times", "schedule": {"times": ["09:00"]}, "days_of_week": [1],
         "valid_from": None, "valid_to": None},                         # Mondays only: 2 Nov
        {"id": 3, "schedule_kind": "as_needed", "schedule": {}, "days_of_week": None,
         "valid_from": None, "valid_to": None},                         # not counted
        {"id": 4, "schedule_kind": "times", "schedule": {"times": ["12:00"]}, "days_of_week": None,
         "valid_from": date(2026, 11, 3), "valid_to": None},            # from the 3rd: 1 slot
    ]
    ticks = [tick(1, "08:00", 1), tick(1, "20:00", 1, "not_done"), tick(1, "08:00", 2),
             tick(2, "09:00", 2, eid="m"), tick(2, "09:00", 2, "not_done", eid="n", supersedes="m", time="11:00"),
             tick(3, None, 1), tick(1, "08:00", 3),
             tick(1, "07:00", 3),            # a former slot: not due, not counted
             tick(1, "08:00", 5)]            # outside the days counted
    days = [date(2026, 11, d) for d in (1, 2, 3)]  # Sun 1, Mon 2, Tue 3
    fig = figures.card_completion([{"items": items, "ticks": ticks}], days)
    # due: item 1: 2 x 3 = 6; item 2: 1 (Mon 2nd); item 4: 1 (3rd) -> 8; recorded: 1@1 x2, 1@2 08:00, 2@2, 1@3 08:00
    assert (fig.numerator, fig.denominator) == (5, 8)
    assert fig.value == 5 / 8


def test_card_completion_shift_slots():
    items = [{"id": 1, "schedule_kind": "per_shift", "schedule": {"shifts": ["day", "night"]}, "days_of_week": None,
              "valid_from": None, "valid_to": None}]
    ticks = [tick(1, "shift:day", 1), tick(1, "shift:night", 2)]
    fig = figures.card_completion([{"items": items, "ticks": ticks}], [date(2026, 11, 1), date(2026, 11, 2)])
    assert (fig.numerator, fig.denominator) == (2, 4)


def test_confirmed_days_are_whole_unit_confirmations():
    days = [date(2026, 11, d) for d in range(1, 11)]
    confirmations = [{"unit_id": 1, "resident_id": None, "day": date(2026, 11, d)} for d in (1, 2, 3, 3)] + [
        {"unit_id": 1, "resident_id": 7, "day": date(2026, 11, 4)},    # one resident's day: not the unit's
        {"unit_id": 2, "resident_id": None, "day": date(2026, 11, 1)},
        {"unit_id": 2, "resident_id": None, "day": date(2026, 11, 20)},  # not passed yet
        {"unit_id": 3, "resident_id": None, "day": date(2026, 11, 1)}]   # another unit
    fig = figures.confirmed_days([1, 2], confirmations, days)
    assert (fig.numerator, fig.denominator, fig.value) == (4, 20, 0.2)


def test_overdue_reassessments():
    on = date(2026, 11, 30)
    decisions = {1: (date(2025, 5, 1), 1),     # group I: due 1 Nov 2026 -> overdue
                 2: (date(2025, 6, 1), 1),     # group I: due 1 Dec 2026 -> not yet
                 3: (date(2025, 11, 30), 2),   # II: due 30 Nov 2026 -> due that day, not overdue
                 4: (date(2025, 11, 29), 4),   # IV: due 29 Nov 2026 -> overdue
                 5: None}
    fig = figures.overdue_reassessments(decisions, on)
    assert (fig.numerator, fig.denominator, fig.extra) == (2, 4, {"overdue": [1, 4], "never_assessed": 1})


def test_caregiver_load_and_the_warning_above_ten():
    day = date(2026, 11, 25)
    assignments = [{"day": day, "shift": "day", "unit_id": 1, "carer_id": 100, "resident_id": r} for r in range(11)]
    assignments += [{"day": day, "shift": "day", "unit_id": 1, "carer_id": 101, "resident_id": r}
                    for r in range(11, 21)]
    assignments += [{"day": day, "shift": "night", "unit_id": 1, "carer_id": 100, "resident_id": r}
                    for r in range(8)]
    fig = figures.caregiver_load(assignments)
    assert (fig.value, fig.numerator, fig.denominator) == (11, 1, 3)
    assert fig.extra["mean"] == round((11 + 10 + 8) / 3, 2)
    shift = figures.shift_load(list(range(24)), assignments[:21])
    assert shift["per_carer"] == {100: 11, 101: 10}
    assert shift["over"] == [100]
    assert shift["without"] == [21, 22, 23]
    assert not figures.over_limit(10) and figures.over_limit(11)
    assert figures.caregiver_load([]).value is None


def test_every_figure_has_a_definition():
    assert set(figures.DEFINITIONS) == {"engagement", "direction", "satisfaction", "card_completion",
                                        "confirmed_days", "overdue_reassessments", "caregiver_load"}
