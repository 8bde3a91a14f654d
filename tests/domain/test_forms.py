"""The form engine: every definition in frontend/forms fits the meta-schema, and the shared cases
(tests/fixtures/forms/*.json) give the expected score, sub-scores, band and errors in Python
(backend/domain/forms.py) and in the tablet's JS (frontend/lib/forms.js)."""
import json
import os

import pytest

from backend.domain import forms

from ..helpers import run_node

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
CASES_DIR = os.path.join(ROOT, "tests", "fixtures", "forms")
INSTRUMENTS = ["adl_observation", "age_no_barrier", "milieu_interview", "milieu_observation", "mmse", "morse_falls",
               "pain_nrs", "satisfaction_homecare", "satisfaction_relative", "satisfaction_resident", "specialist_report", "waterlow"]


def load_cases(name):
    with open(os.path.join(CASES_DIR, name), encoding="utf-8") as fh:
        data = json.load(fh)
    return data, data.get("definition") or forms.load(data["form"])


CASE_FILES = sorted(n for n in os.listdir(CASES_DIR) if n.endswith(".json"))
ALL = [(name, case) for name in CASE_FILES for case in load_cases(name)[0]["cases"]]
DEFINITIONS = {name: load_cases(name)[1] for name in CASE_FILES}


def expected(case):
    return {"total": case["total"], "subscores": case["subscores"], "band": case["band"], "errors": case["errors"]}


def python_result(definition, answers):
    result = forms.score(definition, answers)
    return {"total": result["total"], "subscores": result["subscores"], "band": result["band"],
            "errors": {qid: e.code for qid, e in result["errors"].items()}}


# --- definitions ---------------------------------------------------------------------------------------------

def test_every_instrument_is_defined():
    assert forms.form_ids() == INSTRUMENTS
    assert sorted(json.load(open(os.path.join(CASES_DIR, n), encoding="utf-8"))["form"] for n in CASE_FILES) == \
        sorted(INSTRUMENTS + ["engine_test"])


@pytest.mark.parametrize("form_id", INSTRUMENTS + ["engine_test"])
def test_definition_fits_the_meta_schema(form_id):
    definition = DEFINITIONS["engine.json"] if form_id == "engine_test" else forms.load(form_id)
    assert definition["id"] == form_id
    assert forms.definition_problems(definition) == []


def test_the_meta_schema_is_a_valid_schema():
    import jsonschema

    jsonschema.Draft202012Validator.check_schema(forms.load_schema())


@pytest.mark.parametrize("change,problem", [
    (lambda d: d.pop("title"), "'title' is a required property"),
    (lambda d: d["title"].pop("zh_Hans"), "'zh_Hans' is a required property"),
    (lambda d: d["sections"][0]["questions"][0].update(type="slider"), "is not one of"),
    (lambda d: d["sections"][0]["questions"][2].pop("options"), "'options' is a required property"),
    (lambda d: d["sections"][0]["questions"][0].update(min=1), "Additional properties"),
    (lambda d: d["sections"][0]["questions"][1].update(show_if={"question": "later", "equals": 1}),
     "not an earlier question"),
    (lambda d: d["sections"][1]["questions"].append(dict(d["sections"][1]["questions"][0])), "appears twice"),
    (lambda d: d["scoring"]["subscores"][0]["questions"].append("nope"), "unknown question nope"),
    (lambda d: d["scoring"]["subscores"][1]["questions"].append("kind"), "in two sub-scores"),
    (lambda d: d["scoring"]["bands"].update(of="nope"), "unknown sub-score"),
    (lambda d: d["scoring"]["bands"]["ranges"][1].update(min=3), "ascending order without overlap"),
])
def test_bad_definitions_are_refused(change, problem):
    definition = json.loads(json.dumps(DEFINITIONS["engine.json"]))
    change(definition)
    problems = forms.definition_problems(definition)
    assert any(problem in p for p in problems), problems


def test_every_label_is_in_three_languages():
    def walk(node, path):
        if isinstance(node, dict):
            if set(node) & {"ru", "zh_Hans", "en"}:
                assert set(node) == {"ru", "zh_Hans", "en"} and all(v.strip() for v in node.values()), path
            for key, value in node.items():
                walk(value, f"{path}/{key}")
        elif isinstance(node, list):
            for i, value in enumerate(node):
                walk(value, f"{path}/{i}")
    for form_id in INSTRUMENTS:
        walk(forms.load(form_id), form_id)


def test_observation_form_rows_are_numbered_as_in_the_source():
    definition = forms.load("adl_observation")
    rows = forms.questions(definition)
    assert len(rows) == 29
    assert [int(q["number"]) for q in rows] == [n for n in range(1, 31) if n != 28]
    assert all(q["type"] == "rating" for q in rows)
    assert [level["value"] for level in definition["scale"]["levels"]] == [1, 2, 3, 4]
    assert [len(s["questions"]) for s in definition["sections"]] == [5, 8, 3, 13]
    assert [s["title"]["ru"] for s in definition["sections"]][0] == "Поддержание здоровья, предотвращение его ухудшения"
    assert [h["id"] for h in definition["header"]] == ["resident", "date", "author"]
    assert any("28" in note for note in definition["notes"])


def test_mmse_items_follow_the_instructions():
    definition = forms.load("mmse")
    subs = definition["scoring"]["subscores"]
    assert [s["max"] for s in subs] == [5, 5, 3, 5, 3, 3, 3, 2, 1] and sum(s["max"] for s in subs) == 30
    assert [s["number"] for s in definition["sections"]] == [str(n) for n in range(1, 10)]
    assert any("instructions" in note for note in definition["notes"])


@pytest.mark.parametrize("form_id,edges", [
    ("mmse", [(9, "severe"), (10, "moderate"), (20, "moderate"), (21, "mild"), (24, "mild"), (25, "normal")]),
    ("age_no_barrier", [(2, "no_frailty"), (3, "pre_frailty"), (4, "pre_frailty"), (5, "frailty")]),
    ("waterlow", [(9, "no_risk"), (10, "at_risk"), (14, "at_risk"), (15, "high"), (19, "high"), (20, "very_high")]),
    ("morse_falls", [(24, "low"), (25, "moderate"), (44, "moderate"), (45, "high")]),
    ("pain_nrs", [(0, "none"), (1, "mild"), (3, "mild"), (4, "moderate"), (6, "moderate"), (7, "severe")]),
    ("satisfaction_resident", [(0, "not_satisfied"), (7, "not_satisfied"), (8, "partly"), (12, "partly"),
                               (13, "satisfied"), (16, "satisfied")]),
    ("satisfaction_relative", [(0, "not_satisfied"), (7, "not_satisfied"), (8, "partly"), (12, "partly"),
                               (13, "satisfied"), (16, "satisfied")]),
    ("satisfaction_homecare", [(0, "not_satisfied"), (5, "not_satisfied"), (6, "partly"), (9, "partly"),
                               (10, "satisfied"), (12, "satisfied")]),
])
def test_bands_as_published(form_id, edges):
    ranges = forms.load(form_id)["scoring"]["bands"]["ranges"]
    assert [(value, forms.band_of(ranges, value)) for value, _ in edges] == edges


def test_cases_cover_both_sides_of_every_band_edge():
    """Every band is reached by a case at its lowest and its highest reachable total."""
    for name in CASE_FILES:
        data, definition = load_cases(name)
        bands = definition.get("scoring", {}).get("bands")
        if not bands:
            continue
        reached = {}
        for case in data["cases"]:
            if case["band"] is not None:
                value = case["total"] if bands.get("of", "total") == "total" else case["subscores"][bands["of"]]
                reached.setdefault(case["band"], []).append(value)
        assert set(reached) == {r["key"] for r in bands["ranges"]}, name
        keys = [r["key"] for r in bands["ranges"]]
        for lower, upper in zip(keys, keys[1:]):
            gap = min(reached[upper]) - max(reached[lower])
            # Morse totals move in steps of 5: 20 and 25 are the nearest totals either side of 24/25.
            assert gap <= (5 if data["form"] == "morse_falls" else 1), (name, lower, upper)


# --- the cases, Python --------------------------------------------------------------------------------------

@pytest.mark.parametrize("name,case", ALL, ids=[f"{n[:-5]}: {c['name']}" for n, c in ALL])
def test_python_case(name, case):
    definition = DEFINITIONS[name]
    assert python_result(definition, case["answers"]) == expected(case)
    assert sorted(forms.validate(definition, case["answers"])) == sorted(case["errors"])


def test_errors_carry_clear_messages():
    errors = forms.validate(forms.load("pain_nrs"), {"intensity": 11})
    assert errors["intensity"] == "must be between 0 and 10" and errors["intensity"].code == "range"
    assert errors["intensity"].template == "must be between %(min)s and %(max)s"


def test_partial_answers_show_a_running_total_without_a_band():
    result = forms.score(forms.load("age_no_barrier"), {"weight_loss": True, "falls": True})
    assert (result["total"], result["band"], result["complete"]) == (2, None, False)


# --- the cases, JS ------------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def js_results():
    return run_node("run_forms.mjs")


def test_js_runs_every_case(js_results):
    assert sorted(js_results) == CASE_FILES
    assert [len(js_results[n]) for n in CASE_FILES] == [len(load_cases(n)[0]["cases"]) for n in CASE_FILES]


@pytest.mark.parametrize("name,index", [(n, i) for n in CASE_FILES for i in range(len(load_cases(n)[0]["cases"]))])
def test_js_case(js_results, name, index):
    case = load_cases(name)[0]["cases"][index]
    got = dict(js_results[name][index])
    assert got.pop("validate_agrees") is True
    assert got == expected(case), case["name"]


def test_js_and_python_agree_on_every_case(js_results):
    wrong = []
    for name in CASE_FILES:
        for case, got in zip(load_cases(name)[0]["cases"], js_results[name]):
            mine = python_result(DEFINITIONS[name], case["answers"])
            if mine != {k: v for k, v in got.items() if k != "validate_agrees"}:
                wrong.append((name, case["name"], mine, got))
    assert not wrong, json.dumps(wrong, ensure_ascii=False)
