"""The care-group suggestion (our own rule) and the reassessment schedule, on a fixed clock."""
import subprocess
import sys
from datetime import date, timedelta

import pytest

from backend.domain import care_groups as cg
from backend.domain import forms

ROWS = [q["id"] for q in forms.questions(forms.load("adl_observation")) if q["type"] == "rating"]


def observation(default=1, **rows):
    answers = {row: default for row in ROWS}
    answers.update(rows)
    return answers


def codes(result):
    return [r["code"] for r in result["reasons"]]


def test_the_rule_reads_rows_that_exist_on_the_form():
    assert len(ROWS) == 29 and "a28" not in ROWS
    assert set(cg.READ_ROWS) <= set(ROWS)
    assert forms.validate(forms.load("adl_observation"), observation()) == {}


def test_independent_resident_is_group_1():
    result = cg.suggest(observation(), 28)
    assert result["group"] == 1
    assert codes(result) == ["independent", "mmse"]
    assert result["reasons"][1]["params"] == {"total": 28, "band": "normal"}


def test_a_little_help_on_two_rows_and_mild_dementia_stays_group_1():
    result = cg.suggest(observation(a25=2, a30=2), 22)
    assert result["group"] == 1
    assert result["reasons"][0]["params"] == {"little_help": 2, "rows": [25, 30]}


def test_a_mental_disorder_with_retained_orientation_is_group_1():
    # group I: "including where a mental disorder is present"; MMSE 15 but oriented on the form
    assert cg.suggest(observation(), 15)["group"] == 1


def test_partial_loss_is_group_2():
    result = cg.suggest(observation(a25=3), 27)
    assert result["group"] == 2
    assert result["reasons"][0] == {"code": "needs_much_help", "params": {"rows": [25]},
                                    "answers": [{"form": "adl_observation", "item": "a25", "value": 3}]}
    little = cg.suggest(observation(a25=2, a26=2, a19=2), 27)
    assert little["group"] == 2
    assert little["reasons"][0]["params"] == {"count": 3, "rows": [19, 25, 26]}
    assert [(a["item"], a["value"]) for a in little["reasons"][0]["answers"]] == [("a19", 2), ("a25", 2), ("a26", 2)]


def test_walking_only_with_aids_counts_as_mobile():
    # cannot walk unaided (14 at 4) but moves alone with a walker (15 at 1): not a loss of mobility
    assert cg.suggest(observation(a14=4, a15=1), 27)["group"] == 1
    result = cg.suggest(observation(a14=4, a15=3), 27)
    assert result["group"] == 2 and result["reasons"][0]["params"]["rows"] == [14, 15]


def test_rows_16_and_18_are_not_read():
    assert cg.suggest(observation(a16=4, a18=4), 27)["group"] == 1


def test_severe_dementia_is_group_3():
    result = cg.suggest(observation(), 9)
    assert result["group"] == 3
    assert codes(result) == ["mmse_severe"]


def test_moderate_dementia_with_disorientation_is_group_3():
    result = cg.suggest(observation(a12=3), 20)
    assert result["group"] == 3
    assert result["reasons"][0] == {"code": "mmse_moderate_disoriented", "params": {"total": 20, "rows": [12]},
                                    "answers": [{"form": "mmse", "item": "total", "value": 20},
                                                {"form": "adl_observation", "item": "a12", "value": 3}]}
    assert cg.suggest(observation(a12=3), 21)["group"] == 1  # mild: the band edge


def test_no_sense_of_danger_with_disorientation_is_group_3_whatever_the_mmse():
    result = cg.suggest(observation(a07=4, a13=4), 26)
    assert result["group"] == 3
    assert codes(result) == ["danger_disoriented", "mmse"]
    assert cg.suggest(observation(a07=4), 26)["group"] == 1  # oriented: not enough


def test_complete_loss_of_mobility_and_self_care_is_group_4():
    rows = {r: 4 for r in cg.MOBILITY_ROWS + cg.SELF_CARE_ROWS}
    result = cg.suggest(observation(**rows), 5)
    assert result["group"] == 4  # before III: "including where a mental disorder is present"
    assert codes(result) == ["immobile", "self_care_lost", "mmse"]
    assert result["reasons"][1]["params"]["count"] == 8


def test_group_4_needs_three_quarters_of_self_care_lost():
    six = {r: 4 for r in cg.MOBILITY_ROWS + cg.SELF_CARE_ROWS[:6]}
    assert cg.suggest(observation(default=3, **six), 27)["group"] == 4
    five = {r: 4 for r in cg.MOBILITY_ROWS + cg.SELF_CARE_ROWS[:5]}
    assert cg.suggest(observation(default=3, **five), 27)["group"] == 2
    mobile = {r: 4 for r in cg.SELF_CARE_ROWS}
    assert cg.suggest(observation(a14=3, a15=3, **mobile), 27)["group"] == 2


UNSEEN = [{"code": "behaviour", "params": {}, "answers": []},
          {"code": "no_age_no_barrier", "params": {}, "answers": []}]


def test_missing_assessments_give_no_suggestion():
    assert cg.suggest(None, 27) == {"group": None, "reasons": [{"code": "no_observation", "params": {}, "answers": []}],
                                    "unseen": UNSEEN}
    assert cg.suggest(observation(), None) == {"group": None, "unseen": UNSEEN,
                                               "reasons": [{"code": "no_mmse", "params": {}, "answers": []}]}
    assert codes(cg.suggest(None, None)) == ["no_observation", "no_mmse"]
    answers = observation()
    del answers["a14"]
    result = cg.suggest(answers, 27)
    assert result == {"group": None, "unseen": UNSEEN,
                      "reasons": [{"code": "observation_incomplete", "params": {"rows": [14]}, "answers": []}]}
    assert codes(cg.suggest(observation(), 27, mmse_complete=False)) == ["mmse_incomplete"]


def test_assessments_older_than_the_last_decision_give_no_suggestion():
    decided = date(2026, 5, 10)
    result = cg.suggest(observation(), 27, observation_on=date(2026, 5, 9), mmse_on=date(2026, 5, 10),
                        last_decided_on=decided)
    assert result == {"group": None, "unseen": UNSEEN, "reasons": [{"code": "observation_stale", "answers": [],
                                                                    "params": {"on": "2026-05-09",
                                                                               "decided_on": "2026-05-10"}}]}
    assert codes(cg.suggest(observation(), 27, observation_on=decided, mmse_on=date(2026, 1, 1),
                            last_decided_on=decided)) == ["mmse_stale"]
    # done on the day of the decision, or after it: current
    assert cg.suggest(observation(), 27, observation_on=decided, mmse_on=decided, last_decided_on=decided)["group"] == 1


def test_behaviour_is_never_measured_and_always_said():
    """Group III is also "inability to control one's behaviour" (004 Appendix 4); no answer of the three forms
    measures it, so no suggestion rests on it and every suggestion says it cannot see it."""
    for answers, mmse in ((observation(), 28), (observation(a25=3), 27), (observation(), 9), (None, None)):
        result = cg.suggest(answers, mmse)
        assert result["unseen"][0] == {"code": "behaviour", "params": {}, "answers": []}
    readable = {q["id"] for form_id in (cg.OBSERVATION_FORM, cg.MMSE_FORM, cg.AGE_NO_BARRIER_FORM)
                for q in forms.questions(forms.load(form_id))}
    assert not [q for q in readable if "behav" in q]


@pytest.mark.parametrize("item1, item2, group", [(2, 3, 3), (3, 3, 2), (0, 0, 3), (5, 5, 2)])
def test_disorientation_on_the_mmse_with_moderate_dementia_is_group_3(item1, item2, group):
    """Orientation to time and place (MMSE items 1 and 2) at 5 of 10 or fewer, with moderate dementia: group III;
    oriented on the observation form, the old rule said II."""
    result = cg.suggest(observation(a25=3), 20, mmse_subscores={"item1": item1, "item2": item2})
    assert result["group"] == group
    if group == 3:
        assert result["reasons"][0]["code"] == "mmse_moderate_orientation"
        assert result["reasons"][0]["params"] == {"total": 20, "orientation": item1 + item2, "of": 10}
    # mild dementia: orientation on the MMSE alone does not raise the group
    assert cg.suggest(observation(a25=3), 21, mmse_subscores={"item1": 0, "item2": 0})["group"] == 2


FRAIL = {"age_no_barrier_total": 5, "age_no_barrier_answers": {"falls": True, "moving": True, "weight_loss": True,
                                                               "memory": True, "mood": True, "incontinence": False}}


def test_frailty_raises_a_little_help_to_group_2():
    result = cg.suggest(observation(a26=2), 27, **FRAIL)
    assert result["group"] == 2 and codes(result) == ["frailty_little_help", "mmse"]
    items = [(a["form"], a["item"]) for a in result["reasons"][0]["answers"]]
    assert ("age_no_barrier", "falls") in items and ("adl_observation", "a26") in items
    assert ("age_no_barrier", "incontinence") not in items  # a "no" did not lead to it
    assert cg.suggest(observation(a26=2), 27, **dict(FRAIL, age_no_barrier_total=4))["group"] == 1  # edge


def test_pre_frailty_and_frailty_beside_an_independent_form_ask_the_team_to_look_again():
    for total, band in ((3, "pre_frailty"), (5, "frailty")):
        result = cg.suggest(observation(), 28, **dict(FRAIL, age_no_barrier_total=total))
        assert result["group"] == 1
        assert result["reasons"][-1]["code"] == "frailty_attention"
        assert result["reasons"][-1]["params"] == {"total": total, "band": band}
    result = cg.suggest(observation(), 28, **dict(FRAIL, age_no_barrier_total=2))
    assert result["reasons"][-1]["code"] == "age_no_barrier" and result["unseen"] == UNSEEN[:1]


def test_frailty_supports_groups_2_to_4_without_changing_them():
    for answers, mmse, group in ((observation(a25=3), 27, 2), (observation(a12=3), 18, 3),
                                 (observation(**{r: 4 for r in cg.MOBILITY_ROWS + cg.SELF_CARE_ROWS}), 27, 4)):
        result = cg.suggest(answers, mmse, **FRAIL)
        without = cg.suggest(answers, mmse)
        assert (result["group"], result["reasons"][:-1]) == (group, without["reasons"]) == (without["group"],
                                                                                           without["reasons"])
        assert result["reasons"][-1]["code"] == "age_no_barrier" and result["unseen"] == UNSEEN[:1]
        assert result["reasons"][-1]["params"] == {"total": 5, "band": "frailty"}


def test_an_unread_frailty_screen_is_said_and_changes_nothing():
    stale = cg.suggest(observation(a26=2), 27, observation_on=date(2026, 5, 10), mmse_on=date(2026, 5, 10),
                       last_decided_on=date(2026, 5, 10), age_no_barrier_on=date(2026, 5, 9), **FRAIL)
    assert stale["group"] == 1 and stale["unseen"][1]["code"] == "age_no_barrier_stale"
    incomplete = cg.suggest(observation(a26=2), 27, age_no_barrier_complete=False, **FRAIL)
    assert incomplete["group"] == 1 and incomplete["unseen"][1]["code"] == "age_no_barrier_incomplete"


def test_frailty_bands_match_the_form():
    definition = forms.load("age_no_barrier")
    assert definition["scoring"]["max"] == cg.AGE_NO_BARRIER_MAX
    for total in range(cg.AGE_NO_BARRIER_MAX + 1):
        assert cg.frailty_band(total) == forms.band_of(definition["scoring"]["bands"]["ranges"], total)


def test_mmse_orientation_items_are_time_and_place():
    subscores = {s["id"]: s for s in forms.load("mmse")["scoring"]["subscores"]}
    assert [subscores[i]["label"]["ru"] for i in cg.MMSE_ORIENTATION_ITEMS] == ["1. Ориентировка во времени",
                                                                                "2. Ориентировка в месте"]
    assert sum(subscores[i]["max"] for i in cg.MMSE_ORIENTATION_ITEMS) == cg.MMSE_ORIENTATION_MAX


def test_grounds_are_the_criteria_of_each_definition():
    assert set(cg.GROUNDS) == set(cg.GROUPS)
    assert all(len(set(codes)) == len(codes) and codes for codes in cg.GROUNDS.values())
    assert "behaviour_not_controlled" in cg.GROUNDS[3] and "disorientation" in cg.GROUNDS[3]
    assert "behaviour_not_controlled" not in cg.GROUNDS[1] + cg.GROUNDS[2] + cg.GROUNDS[4]


@pytest.mark.parametrize("start, months, expected", [
    (date(2025, 8, 31), 18, date(2027, 2, 28)),
    (date(2026, 8, 31), 18, date(2028, 2, 29)),  # leap year
    (date(2026, 1, 31), 1, date(2026, 2, 28)),
    (date(2026, 3, 31), 12, date(2027, 3, 31)),
    (date(2024, 2, 29), 12, date(2025, 2, 28)),
    (date(2026, 12, 15), 12, date(2027, 12, 15)),
    (date(2026, 7, 15), 18, date(2028, 1, 15)),
])
def test_month_arithmetic_clips_to_the_month_end(start, months, expected):
    assert cg.add_months(start, months) == expected


@pytest.mark.parametrize("group, due", [(1, date(2027, 7, 10)), (2, date(2027, 1, 10)), (3, date(2027, 1, 10)),
                                        (4, date(2027, 1, 10)), (None, date(2027, 1, 10))])
def test_planned_period_per_group(group, due):
    decided = date(2026, 1, 10)
    assert cg.due_on(decided, group) == due
    assert cg.reassessment(decided, group, False, date(2026, 3, 1)) == {"due_on": due, "status": "ok",
                                                                         "marked": False}


@pytest.mark.parametrize("group", [1, 2, 3, 4])
def test_due_window_edges_and_overdue(group):
    decided = date(2026, 1, 10)
    due = cg.due_on(decided, group)
    status = lambda today, marked=False: cg.reassessment(decided, group, marked, today)["status"]
    assert status(due - timedelta(days=31)) == "ok"
    assert status(due - timedelta(days=30)) == "due"
    assert status(due) == "due"
    assert status(due + timedelta(days=1)) == "overdue"
    # marked: a condition-change report since the last decision
    assert status(due - timedelta(days=200), marked=True) == "marked"
    assert status(due - timedelta(days=5), marked=True) == "marked"
    overdue_and_marked = cg.reassessment(decided, group, True, due + timedelta(days=1))
    assert overdue_and_marked == {"due_on": due, "status": "overdue", "marked": True}


def test_never_assessed():
    assert cg.reassessment(None, None, False, date(2026, 1, 1)) == {"due_on": None, "status": "never_assessed",
                                                                    "marked": False}
    assert cg.reassessment(None, 2, True, date(2026, 1, 1))["status"] == "never_assessed"


def test_board_order_is_most_urgent_first():
    rows = [{"status": "ok", "due_on": date(2027, 1, 1), "name": "A"},
            {"status": "due", "due_on": date(2026, 2, 1), "name": "B"},
            {"status": "overdue", "due_on": date(2026, 1, 5), "name": "C"},
            {"status": "overdue", "due_on": date(2025, 12, 1), "name": "D"},
            {"status": "never_assessed", "due_on": None, "name": "E"},
            {"status": "marked", "due_on": date(2026, 9, 1), "name": "F"}]
    assert [r["name"] for r in sorted(rows, key=cg.urgency)] == ["D", "C", "F", "E", "B", "A"]


def test_mmse_bands_match_the_form():
    definition = forms.load("mmse")
    for total in range(31):
        assert cg.mmse_band(total) == forms.band_of(definition["scoring"]["bands"]["ranges"], total)


def test_module_is_pure():
    code = ("import sys, backend.domain.care_groups\n"
            "print(','.join(sorted(m for m in sys.modules if m.split('.')[0] in "
            "('flask', 'sqlalchemy', 'flask_sqlalchemy', 'marshmallow', 'werkzeug'))))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""
