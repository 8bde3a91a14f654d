"""The care plan's content rules (validation with paths, the diff) and the cards generated from it."""
import copy
import subprocess
import sys
from datetime import date

import pytest

from backend.domain import card_generation, care_plan
from backend.domain.card_generation import CATEGORIES, items_for_month, regenerate, slots_by_day

PRESETS = {  # the five periodicities of the issue
    "twice_a_day": {"kind": "times", "times": ["09:00", "18:00"], "days_of_week": None},
    "every_2_hours": {"kind": "every_hours", "hours": 2, "start": "06:00", "days_of_week": None},
    "daily": {"kind": "per_shift", "shifts": ["day"], "days_of_week": None},
    "mon_thu": {"kind": "times", "times": ["10:00"], "days_of_week": [1, 4]},
    "as_needed": {"kind": "as_needed", "days_of_week": None},
}


def service(sid, name, periodicity, category="hygiene", term=None, on_card=True, **extra):
    return {"id": sid, "name": name, "volume": "1 раз", "periodicity": copy.deepcopy(periodicity),
            "term": term or {"from": None, "to": None}, "on_card": on_card, "category": category,
            "instructions": "", "measures": None, **extra}


def plan(*services_per_section, rows=()):
    content = care_plan.empty_content(care_group=3, pressure_ulcer_points=12, fall_risk_points=45)
    for section, services in zip(content["sections"], services_per_section):
        section["services"] = list(services)
    content["sections"][1]["rows"] = list(rows)
    return content


def five():
    return plan([service("s-twice", "Гигиена полости рта", PRESETS["twice_a_day"])],
                [service("s-turn", "Смена положения", PRESETS["every_2_hours"], "mobility"),
                 service("s-walk", "Прогулка", PRESETS["daily"], "mobility")],
                [],
                [service("s-weight", "Взвешивание", PRESETS["mon_thu"], "vitals", measures=["pulse"])],
                [service("s-talk", "Беседа", PRESETS["as_needed"], "leisure")],
                [])


def test_a_blank_plan_and_the_five_presets_are_valid():
    assert care_plan.validate(care_plan.empty_content(), CATEGORIES) == {}
    assert care_plan.validate(five(), CATEGORIES) == {}
    assert [s["id"] for s in five()["sections"]] == list(care_plan.SECTION_IDS)


@pytest.mark.parametrize("change, path", [
    (lambda c: c["sections"][0]["services"][0]["periodicity"].update(times=["25:00"]),
     "sections.0.services.0.periodicity.times"),
    (lambda c: c["sections"][1]["services"][0]["periodicity"].update(hours=0), "sections.1.services.0.periodicity.hours"),
    (lambda c: c["sections"][1]["services"][1]["periodicity"].update(shifts=["evening"]),
     "sections.1.services.1.periodicity.shifts"),
    (lambda c: c["sections"][3]["services"][0]["periodicity"].update(days_of_week=[0, 8]),
     "sections.3.services.0.periodicity.days_of_week"),
    (lambda c: c["sections"][4]["services"][0]["periodicity"].update(kind="weekly"),
     "sections.4.services.0.periodicity.kind"),
    (lambda c: c["sections"][0]["services"][0].update(name=" "), "sections.0.services.0.name"),
    (lambda c: c["sections"][0]["services"][0].update(category="cooking"), "sections.0.services.0.category"),
    (lambda c: c["sections"][0]["services"][0].update(term={"from": "2026-12-10", "to": "2026-12-01"}),
     "sections.0.services.0.term.to"),
    (lambda c: c["sections"][0]["services"][0].update(term={"from": "10.12.2026", "to": None}),
     "sections.0.services.0.term.from"),
    (lambda c: c["sections"][1]["services"][0].update(id="s-twice"), "sections.1.services.0.id"),
    (lambda c: c["sections"].reverse(), "sections.0.id"),
    (lambda c: c["sections"].pop(), "sections"),
    (lambda c: c["header"].update(pressure_ulcer_points=-1), "header.pressure_ulcer_points"),
    (lambda c: c["header"].update(care_group=5), "header.care_group"),
    (lambda c: c["header"]["ippsu"].update(date="yesterday"), "header.ippsu.date"),
    (lambda c: c["header"].update(pain=7), "header.pain"),
    (lambda c: c["sections"][1]["rows"].append({"id": "r1", "problem": "", "goal": "", "measures": "",
                                                "set_on": None, "review_on": None}), "sections.1.rows.0.problem"),
    (lambda c: c["sections"][1]["rows"].append({"id": "r1", "problem": "x", "goal": "", "measures": "",
                                                "set_on": "2026-12-10", "review_on": "2026-12-01"}),
     "sections.1.rows.0.review_on"),
])
def test_errors_name_the_path(change, path):
    content = five()
    change(content)
    errors = care_plan.validate(content, CATEGORIES)
    assert path in errors, errors


def test_garbage_is_refused_without_exceptions():
    for bad in (None, [], "x", {"header": [], "sections": {}}, {"header": {}, "sections": [1, 2, 3, 4, 5, 6]},
                {"header": {"ippsu": 3}, "sections": [{"id": i, "services": [None], "rows": "x",
                                                        "rehabilitation": []} for i in care_plan.SECTION_IDS]},
                {"header": {}, "sections": [{"id": i, "services": [{"periodicity": {"kind": "times", "times": [1, "a"]},
                                                                     "term": []}]} for i in care_plan.SECTION_IDS]}):
        assert care_plan.validate(bad, CATEGORIES)


def test_diff_names_header_service_and_row_changes():
    row = {"id": "r1", "problem": "Риск пролежней", "goal": "Кожа без повреждений", "measures": "Смена положения",
           "set_on": "2026-11-01", "review_on": "2026-12-01"}
    old = plan([service("a", "Умывание", PRESETS["daily"])], [service("b", "Прогулка", PRESETS["daily"])],
               rows=[row])
    new = copy.deepcopy(old)
    new["header"]["fall_risk_points"] = 55
    new["sections"][0]["services"][0]["periodicity"] = copy.deepcopy(PRESETS["twice_a_day"])
    new["sections"][1]["services"] = []
    new["sections"][2]["services"] = [service("c", "Кормление", PRESETS["twice_a_day"], "nutrition")]
    new["sections"][1]["rows"][0]["review_on"] = "2027-01-10"
    new["sections"][1]["rows"].append(dict(row, id="r2", goal="Ходит с ходунками"))
    new["sections"][4]["rehabilitation"]["conclusion"] = "Нуждается"
    changes = care_plan.diff(old, new)
    kinds = [(c["change"], c.get("id")) for c in changes]
    assert kinds == [("header", None), ("rehabilitation", None), ("service_changed", "a"), ("service_added", "c"),
                     ("service_removed", "b"), ("row_changed", "r1"), ("row_added", "r2")]
    assert changes[0]["fields"] == [{"field": "fall_risk_points", "old": 45, "new": 55}]
    changed = {f["field"] for f in changes[2]["fields"]}
    assert changed == {"periodicity.kind", "periodicity.times", "periodicity.shifts"}
    assert changes[5]["fields"] == [{"field": "review_on", "old": "2026-12-01", "new": "2027-01-10"}]
    assert care_plan.diff(old, copy.deepcopy(old)) == []
    moved = copy.deepcopy(old)
    moved["sections"][5]["services"] = moved["sections"][0]["services"]
    moved["sections"][0]["services"] = []
    assert care_plan.diff(old, moved)[0]["fields"][0] == {"field": "section", "old": "communication", "new": "safety"}


def test_each_periodicity_gives_the_right_slots_on_every_day_of_the_month():
    month = date(2026, 12, 1)  # Tuesday the 1st; Mondays 7 14 21 28, Thursdays 3 10 17 24 31
    items = {i["plan_service"]: i for i in items_for_month(five(), month)}
    assert set(items) == {"s-twice", "s-turn", "s-walk", "s-weight", "s-talk"}
    days = slots_by_day(items["s-twice"], month)
    assert len(days) == 31 and set(map(tuple, days.values())) == {("09:00", "18:00")}
    days = slots_by_day(items["s-turn"], month)
    assert len(days) == 31 and all(v == ["06:00", "08:00", "10:00", "12:00", "14:00", "16:00", "18:00", "20:00",
                                         "22:00"] for v in days.values())
    days = slots_by_day(items["s-walk"], month)
    assert len(days) == 31 and all(v == ["shift:day"] for v in days.values())
    days = slots_by_day(items["s-weight"], month)
    assert sorted(d.day for d in days) == [3, 7, 10, 14, 17, 21, 24, 28, 31]
    assert all(v == ["10:00"] for v in days.values()) and items["s-weight"]["measures"] == ["pulse"]
    days = slots_by_day(items["s-talk"], month)
    assert len(days) == 31 and all(v == [] for v in days.values())
    twice = items["s-twice"]
    assert (twice["category"], twice["title"], twice["instructions"], twice["schedule_kind"], twice["schedule"],
            twice["valid_from"], twice["valid_to"]) == ("hygiene", "Гигиена полости рта", "1 раз", "times",
                                                        {"times": ["09:00", "18:00"]}, None, None)


def test_terms_are_clipped_to_the_month_and_off_card_services_skipped():
    content = plan([service("in", "A", PRESETS["daily"], term={"from": "2026-12-10", "to": "2026-12-20"}),
                    service("over", "B", PRESETS["daily"], term={"from": "2026-11-01", "to": "2027-02-01"}),
                    service("before", "C", PRESETS["daily"], term={"from": None, "to": "2026-11-30"}),
                    service("after", "D", PRESETS["daily"], term={"from": "2027-01-01", "to": None}),
                    service("off", "E", PRESETS["daily"], on_card=False),
                    service("edge", "F", PRESETS["daily"], term={"from": "2026-12-31", "to": "2026-12-31"})])
    items = {i["plan_service"]: i for i in items_for_month(content, date(2026, 12, 15))}
    assert set(items) == {"in", "over", "edge"}
    assert (items["in"]["valid_from"], items["in"]["valid_to"]) == (date(2026, 12, 10), date(2026, 12, 20))
    assert (items["over"]["valid_from"], items["over"]["valid_to"]) == (None, None)
    assert (items["edge"]["valid_from"], items["edge"]["valid_to"]) == (date(2026, 12, 31), None)
    assert len(slots_by_day(items["in"], date(2026, 12, 1))) == 11
    assert [i["position"] for i in items_for_month(content, date(2026, 12, 1))] == [1, 2, 3]


def _existing(items, first_id=100):
    return [dict(item, id=first_id + n, last_recorded=None) for n, item in enumerate(items)]


def test_regenerate_keeps_unchanged_ends_changed_and_starts_new_versions():
    month = date(2026, 12, 1)
    old_content = five()
    existing = _existing(items_for_month(old_content, month))
    existing.append({"id": 99, "plan_service": None, "category": "other", "title": "by hand", "position": 9,
                     "valid_from": None, "valid_to": None, "last_recorded": None})
    new_content = copy.deepcopy(old_content)
    new_content["sections"][0]["services"][0]["periodicity"]["times"] = ["08:00", "20:00"]  # changed
    new_content["sections"][1]["services"].pop(1)  # the walk removed
    new_content["sections"][2]["services"].append(service("s-new", "Кормление", PRESETS["twice_a_day"], "nutrition"))
    eff = date(2026, 12, 16)
    result = regenerate(existing, items_for_month(new_content, month), eff, month, today=date(2026, 12, 15))
    ids = {i["plan_service"]: i["id"] for i in existing if i["plan_service"]}
    assert sorted(result["keep"]) == sorted([ids["s-turn"], ids["s-weight"], ids["s-talk"]])
    assert result["end"] == {ids["s-twice"]: date(2026, 12, 15), ids["s-walk"]: date(2026, 12, 15)}
    assert result["delete"] == [] and result["retime"] == {}
    added = {i["plan_service"]: i for i in result["add"]}
    assert set(added) == {"s-twice", "s-new"}
    assert added["s-twice"]["valid_from"] == eff and added["s-twice"]["schedule"] == {"times": ["08:00", "20:00"]}
    assert added["s-twice"]["position"] == 1  # takes the old item's place
    assert added["s-new"]["valid_from"] == eff and added["s-new"]["position"] == 10


def test_an_item_recorded_on_or_after_the_effective_day_ends_on_its_last_recorded_day():
    month = date(2026, 12, 1)
    existing = _existing(items_for_month(five(), month))
    twice = next(i for i in existing if i["plan_service"] == "s-twice")
    twice["last_recorded"] = date(2026, 12, 15)  # ticked today; the change takes effect today
    new_content = five()
    new_content["sections"][0]["services"][0]["volume"] = "2 раза"
    result = regenerate(existing, items_for_month(new_content, month), date(2026, 12, 15), month,
                        today=date(2026, 12, 15))
    assert result["end"] == {twice["id"]: date(2026, 12, 15)}
    [added] = result["add"]
    assert added["valid_from"] == date(2026, 12, 16)  # never two items of one service on one day


def test_items_not_yet_started_are_deleted_and_drafts_replaced():
    month = date(2027, 1, 1)
    existing = _existing(items_for_month(five(), month))
    new_content = five()
    new_content["sections"][1]["services"][0]["periodicity"]["hours"] = 3
    result = regenerate(existing, items_for_month(new_content, month), date(2026, 12, 16), month,
                        today=date(2026, 12, 15))
    turn = next(i["id"] for i in existing if i["plan_service"] == "s-turn")
    assert result["delete"] == [turn] and result["end"] == {}
    assert [(a["plan_service"], a["valid_from"]) for a in result["add"]] == [("s-turn", None)]
    draft = regenerate(existing, items_for_month(new_content, month), month, month, draft=True)
    assert draft["delete"] == [turn]


def test_a_shorter_or_longer_term_moves_the_end_of_the_same_item():
    month = date(2026, 12, 1)
    content = plan([service("a", "A", PRESETS["daily"], term={"from": None, "to": "2026-12-20"})])
    existing = _existing(items_for_month(content, month))
    existing[0]["last_recorded"] = date(2026, 12, 17)
    longer = copy.deepcopy(content)
    longer["sections"][0]["services"][0]["term"]["to"] = None
    result = regenerate(existing, items_for_month(longer, month), date(2026, 12, 16), month, today=date(2026, 12, 15))
    assert result["retime"] == {100: None} and result["add"] == []
    shorter = copy.deepcopy(content)
    shorter["sections"][0]["services"][0]["term"]["to"] = "2026-12-16"
    result = regenerate(existing, items_for_month(shorter, month), date(2026, 12, 16), month, today=date(2026, 12, 15))
    assert result["end"] == {100: date(2026, 12, 17)} and result["add"] == []  # kept to the last recording


def test_an_effective_day_after_the_month_changes_nothing():
    month = date(2026, 12, 1)
    existing = _existing(items_for_month(five(), month))
    assert regenerate(existing, [], date(2027, 1, 1), month) == {"keep": [], "end": {}, "retime": {}, "delete": [],
                                                                  "add": []}
    assert card_generation.next_month(date(2026, 12, 31)) == date(2027, 1, 1)


def test_goals_due_by_review_date():
    row = {"id": "r1", "problem": "p", "goal": "g", "measures": "", "set_on": None, "review_on": "2026-12-01"}
    content = plan(rows=[row, dict(row, id="r2", review_on="2026-12-02"), dict(row, id="r3", review_on=None)])
    assert [g["id"] for g in care_plan.goals_due(content, date(2026, 12, 1))] == ["r1"]


def test_the_plan_modules_are_pure():
    code = ("import sys, backend.domain.care_plan, backend.domain.card_generation\n"
            "print(','.join(sorted(m for m in sys.modules if m.split('.')[0] in ('flask', 'sqlalchemy'))))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""
