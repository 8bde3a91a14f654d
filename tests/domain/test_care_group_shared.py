"""The care-group suggestion on both sides: backend/domain/care_groups.py and frontend/lib/care_group.js give the
answers of tests/fixtures/care_group_cases.json, one case per group edge (docs/domain.md, Care groups); and both
know the same grounds of each group's definition."""
import json
import os
from datetime import date

import pytest

from backend.domain import care_groups as cg
from backend.domain import forms

from ..helpers import ROOT, run_node

CASES = json.load(open(os.path.join(ROOT, "tests", "fixtures", "care_group_cases.json"), encoding="utf-8"))["cases"]
ROWS = [q["id"] for q in forms.questions(forms.load("adl_observation")) if q["type"] == "rating"]
DATES = ("observation_on", "mmse_on", "age_no_barrier_on", "last_decided_on")


def _observation(case):
    if case["observation"] is None:
        return None
    answers = {row: 1 for row in ROWS}
    for row, value in case["observation"].items():
        if value is None:
            answers.pop(row)
        else:
            answers[row] = value
    return answers


def _options(case):
    """The case's keywords, its days as datetime.date (as the service passes them)."""
    return {k: date.fromisoformat(v) if k in DATES else v for k, v in case["options"].items()}


def test_every_group_and_no_suggestion_have_cases():
    assert {c["group"] for c in CASES} == {1, 2, 3, 4, None}
    assert len({c["name"] for c in CASES}) == len(CASES)


@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_python_reads_each_case(case):
    result = cg.suggest(_observation(case), case["mmse_total"], **_options(case))
    assert result == {"group": case["group"], "reasons": case["reasons"], "unseen": case["unseen"]}
    # what it cannot see, always said: no form measures behaviour
    assert result["unseen"][0] == {"code": "behaviour", "params": {}, "answers": []}


def test_the_tablet_reads_each_case_alike():
    out = run_node("run_care_group.mjs")
    assert out["results"] == [{"group": c["group"], "reasons": c["reasons"], "unseen": c["unseen"]} for c in CASES]
    assert out["grounds"] == {str(g): list(codes) for g, codes in cg.GROUNDS.items()}
    assert out["rows"] == list(cg.READ_ROWS)
