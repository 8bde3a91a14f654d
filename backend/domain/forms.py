"""The form engine, server side: assessment forms as data (frontend/forms/*.json, described by
frontend/forms/form.schema.json), their answers checked and scored.

frontend/lib/forms.js does the same on the tablet; tests/fixtures/forms/*.json keep the two equal. The
server's score is the authoritative one.

answers: {question id: value}. A value of None counts as not answered.
  yes_no -> true/false; choice -> an option's value (a list of them when `multiple`); number -> a number in
  [min, max] on the step; rating -> one of the form's scale values; text -> a string.
"""
import json
import math
import os

from .messages import Msg

FORMS_DIR = os.path.join(os.path.dirname(__file__), "..", "..", "frontend", "forms")
SCHEMA_PATH = os.path.join(FORMS_DIR, "form.schema.json")
EPSILON = 1e-9

# Error codes (the same in forms.js) and their English messages.
MESSAGES = {
    "answers": "answers must be an object",
    "unknown": "unknown question",
    "type": "wrong type of answer",
    "range": "must be between %(min)s and %(max)s",
    "step": "must be a multiple of %(step)s",
    "option": "not one of the choices",
    "too_long": "at most %(n)s characters",
    "hidden": "this question does not apply",
    "required": "an answer is required",
}


class FormError(Msg):
    """An error message that also carries its code (compared across runtimes)."""

    def __new__(cls, code, **params):
        obj = super().__new__(cls, MESSAGES[code], **params)
        obj.code = code
        return obj


def load(form_id, directory=FORMS_DIR):
    with open(os.path.join(directory, f"{form_id}.json"), encoding="utf-8") as fh:
        return json.load(fh)


#: JSON files beside the forms that are not form definitions.
NOT_FORMS = ("form.schema.json", "vitals.json", "day_routine.json")


def form_ids(directory=FORMS_DIR):
    """Ids of the form definitions in the directory (everything but the meta-schema and the data files)."""
    return sorted(name[:-5] for name in os.listdir(directory)
                  if name.endswith(".json") and name not in NOT_FORMS)


def load_schema():
    with open(SCHEMA_PATH, encoding="utf-8") as fh:
        return json.load(fh)


def questions(definition):
    return [q for section in definition["sections"] for q in section["questions"]]


def definition_problems(definition, schema=None):
    """Problems with a definition as text lines: the meta-schema, then what a schema cannot say (unique ids,
    conditions naming earlier questions, sub-scores and bands naming what exists)."""
    import jsonschema  # only needed here: checking answers does not need it

    schema = schema or load_schema()
    validator = jsonschema.Draft202012Validator(schema)
    problems = [f"{'/'.join(map(str, e.absolute_path)) or '(root)'}: {e.message}"
                for e in sorted(validator.iter_errors(definition), key=lambda e: list(map(str, e.absolute_path)))]
    if problems:
        return problems
    seen = {}
    for q in questions(definition):
        if q["id"] in seen:
            problems.append(f"question {q['id']} appears twice")
        for key in ("show_if", "require_if"):
            if key in q and q[key]["question"] not in seen:
                problems.append(f"{q['id']}.{key} names {q[key]['question']}, which is not an earlier question")
        if q["type"] == "choice":
            values = [o["value"] for o in q["options"]]
            if len(values) != len(set(values)):
                problems.append(f"{q['id']}: an option value appears twice")
        if q["type"] == "number" and q["min"] > q["max"]:
            problems.append(f"{q['id']}: min is above max")
        if q["type"] == "rating" and "scale" not in definition:
            problems.append(f"{q['id']}: a rating question needs the form's scale")
        seen[q["id"]] = q
    scoring = definition.get("scoring", {})
    grouped = set()
    for sub in scoring.get("subscores", []):
        for qid in sub["questions"]:
            if qid not in seen:
                problems.append(f"sub-score {sub['id']} names unknown question {qid}")
            if qid in grouped:
                problems.append(f"question {qid} is in two sub-scores")
            grouped.add(qid)
    bands = scoring.get("bands")
    if bands:
        of = bands.get("of", "total")
        if of != "total" and of not in {s["id"] for s in scoring.get("subscores", [])}:
            problems.append(f"bands are of unknown sub-score {of}")
        ranges = bands["ranges"]
        for lower, upper in zip(ranges, ranges[1:]):
            if "max" not in lower or "min" not in upper or lower["max"] >= upper["min"]:
                problems.append(f"bands {lower['key']} and {upper['key']} are not in ascending order without overlap")
    return problems


# --- answers ---------------------------------------------------------------------------------------------------

def _is_number(value):
    return isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)


def _same(a, b):
    if isinstance(a, bool) or isinstance(b, bool):
        return isinstance(a, bool) and isinstance(b, bool) and a == b
    return a == b


def _matches(condition, value):
    if value is None:
        return False
    wanted = condition["in"] if "in" in condition else [condition["equals"]]
    values = value if isinstance(value, list) else [value]
    return any(_same(v, w) for v in values for w in wanted)


def is_shown(question, answers):
    """Whether a question is shown, given the answers before it (a hidden question takes no answer)."""
    return "show_if" not in question or _matches(question["show_if"], answers.get(question["show_if"]["question"]))


def is_required(question, answers):
    """Whether a shown question must be answered, given the answers before it."""
    return question.get("required", False) or (
        "require_if" in question and _matches(question["require_if"], answers.get(question["require_if"]["question"])))


def _answer_error(q, value, definition):
    kind = q["type"]
    if kind == "yes_no":
        return None if isinstance(value, bool) else FormError("type")
    if kind == "choice":
        values = [o["value"] for o in q["options"]]
        if q.get("multiple"):
            if not isinstance(value, list) or not all(isinstance(v, str) for v in value) or len(set(value)) != len(value):
                return FormError("type")
            return None if all(v in values for v in value) else FormError("option")
        if not isinstance(value, str):
            return FormError("type")
        return None if value in values else FormError("option")
    if kind == "number":
        if not _is_number(value):
            return FormError("type")
        if value < q["min"] or value > q["max"]:
            return FormError("range", min=q["min"], max=q["max"])
        step = q.get("step", 1)
        k = (value - q["min"]) / step
        if abs(k - round(k)) > EPSILON:
            return FormError("step", step=step)
        return None
    if kind == "rating":
        if not _is_number(value):
            return FormError("type")
        return None if any(value == level["value"] for level in definition["scale"]["levels"]) else FormError("option")
    if kind == "text":
        if not isinstance(value, str):
            return FormError("type")
        limit = q.get("max_length")
        return FormError("too_long", n=limit) if limit is not None and len(value) > limit else None
    return FormError("type")


def _blank(value):
    """Not answered: nothing, a text of spaces only or an empty multiple choice (frontend/lib/forms.js `blank`)."""
    return value is None or (isinstance(value, str) and not value.strip()) or (isinstance(value, list) and not value)


def _walk(definition, answers):
    """(errors, valid): errors {question id: FormError}; valid {question id: value} of the shown, valid answers."""
    if not isinstance(answers, dict):
        return {"answers": FormError("answers")}, {}
    known = {q["id"]: q for q in questions(definition)}
    errors = {qid: FormError("unknown") for qid in answers if qid not in known}
    valid = {}
    for qid, q in known.items():
        value = answers.get(qid)
        shown = is_shown(q, valid)
        if not shown:
            if value is not None:
                errors[qid] = FormError("hidden")
            continue
        if _blank(value):
            if is_required(q, valid):
                errors[qid] = FormError("required")
            continue
        error = _answer_error(q, value, definition)
        if error is not None:
            errors[qid] = error
        else:
            valid[qid] = value
    return errors, valid


def validate(definition, answers):
    """{question id: FormError} for answers that do not fit the definition (empty when they do)."""
    return _walk(definition, answers)[0]


def points(q, value):
    kind = q["type"]
    if kind == "yes_no":
        result = q.get("points", {}).get("yes" if value else "no", 0)
    elif kind == "choice":
        by_value = {o["value"]: o.get("points", 0) for o in q["options"]}
        result = sum(by_value[v] for v in value) if q.get("multiple") else by_value[value]
    elif kind in ("number", "rating"):
        result = value if q.get("scored") else 0
    else:
        result = 0
    if "max_points" in q:
        result = min(result, q["max_points"])
    return result


def band_of(ranges, value):
    for r in ranges:
        if ("min" not in r or value >= r["min"]) and ("max" not in r or value <= r["max"]):
            return r["key"]
    return None


def score(definition, answers):
    """{"total", "subscores", "band", "complete", "errors"}.

    The total and sub-scores count the valid answers given so far (the tablet shows them as the form is
    filled); the band is given only when the answers are complete and valid. A form without `scoring`
    has total None.
    """
    errors, valid = _walk(definition, answers)
    scoring = definition.get("scoring")
    result = {"total": None, "subscores": {}, "band": None, "complete": not errors, "errors": errors}
    if scoring is None:
        return result
    by_id = {q["id"]: q for q in questions(definition)}
    item = {qid: points(by_id[qid], value) for qid, value in valid.items()}
    grouped = set()
    total = 0
    for sub in scoring.get("subscores", []):
        value = sum(item.get(qid, 0) for qid in sub["questions"])
        if "max" in sub:
            value = min(value, sub["max"])
        result["subscores"][sub["id"]] = value
        grouped.update(sub["questions"])
        total += value
    total += sum(p for qid, p in item.items() if qid not in grouped)
    result["total"] = total
    bands = scoring.get("bands")
    if bands and not errors:
        of = bands.get("of", "total")
        result["band"] = band_of(bands["ranges"], total if of == "total" else result["subscores"][of])
    return result
