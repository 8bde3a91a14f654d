"""The individual care plan (индивидуальный план ухода, appendix 5 of the regulation; forms.md §e).

A plan's content is one JSON document, stored whole in each immutable version (models/care_plan_version.py):

    {"header": {"care_group", "ippsu": {"number", "date"}, "ipra": {"number", "date"},
                "pressure_ulcer_points", "fall_risk_points", "pain", "current_state", "physical",
                "psychological", "social"},
     "sections": [six sections, in the source's order, each
        {"id", "service_type",                                   # the section's "Вид социальной услуги из ИППСУ"
         "services": [{"id", "name", "volume", "periodicity", "term": {"from", "to"}, "on_card", "category",
                       "instructions", "measures"}],            # Table A
         "rehabilitation": {"measures_type", "conclusion", "term"},  # Table B
         "rows": [{"id", "problem", "goal", "measures", "set_on", "review_on"}]}]}   # Table C

Periodicity is a care-card schedule (domain/schedule.py) with its days of the week:
    {"kind": "times"|"every_hours"|"per_shift"|"as_needed", "times", "hours", "start", "shifts", "days_of_week"},
or a periodic one (less often than daily; no days of the week): {"kind": "monthly", "day": 1..31 or None ("once in
the month")}, {"kind": "every_days", "days", "from"}, {"kind": "every_weeks", "weeks", "from"},
{"kind": "dates", "dates": ["YYYY-MM-DD", ...]}.

Table C's columns differ from section to section in the source (dates only in some); every section here has all
of them, and the view shows them all (docs/domain.md). The section titles are translated in the frontend
catalog; the Russian is the source's wording.
"""
from datetime import date

from . import schedule
from .messages import Msg

SECTION_IDS = ("communication", "mobility", "nutrition", "vitals", "sleep_leisure", "safety")
HEADER_TEXT = ("pain", "current_state", "physical", "psychological", "social")
HEADER_POINTS = ("pressure_ulcer_points", "fall_risk_points")
PROGRAMMES = ("ippsu", "ipra")
SERVICE_FIELDS = ("name", "volume", "periodicity", "term", "on_card", "category", "instructions", "measures")
ROW_FIELDS = ("problem", "goal", "measures", "set_on", "review_on")
REHAB_FIELDS = ("measures_type", "conclusion", "term")
MAX_SERVICES = 60
MAX_ROWS = 60
TEXT_MAX = 4000
SHORT_MAX = 200


def empty_content(care_group=None, pressure_ulcer_points=None, fall_risk_points=None, pain=""):
    """A blank plan, the header prefilled with what is known about the resident."""
    return {
        "header": {"care_group": care_group, "ippsu": {"number": "", "date": None},
                   "ipra": {"number": "", "date": None}, "pressure_ulcer_points": pressure_ulcer_points,
                   "fall_risk_points": fall_risk_points, "pain": pain, "current_state": "", "physical": "",
                   "psychological": "", "social": ""},
        "sections": [{"id": sid, "service_type": "", "services": [],
                      "rehabilitation": {"measures_type": "", "conclusion": "", "term": ""}, "rows": []}
                     for sid in SECTION_IDS],
    }


def periodicity_schedule(periodicity):
    """A plan service's periodicity -> (schedule_kind, schedule params, days_of_week) of a card item."""
    p = periodicity or {}
    kind = p.get("kind")
    if kind == "times":
        params = {"times": sorted(p.get("times") or [])}
    elif kind == "every_hours":
        params = {"hours": p.get("hours"), "start": p.get("start") or "00:00"}
    elif kind == "per_shift":
        params = {"shifts": list(p.get("shifts") or schedule.SHIFTS)}
    elif kind == "monthly":
        params = {"day": p.get("day")}
    elif kind in ("every_days", "every_weeks"):
        key = "days" if kind == "every_days" else "weeks"
        params = {key: p.get(key), "from": p.get("from")}
    elif kind == "dates":
        params = {"dates": sorted(p.get("dates") or [])}
    else:
        params = {}
    days = p.get("days_of_week")
    return kind, params, sorted(days) if isinstance(days, list) and days else None


def parse_date(value):
    """'YYYY-MM-DD' or None -> date or None; raises ValueError on anything else."""
    if value is None:
        return None
    if not isinstance(value, str) or len(value) != 10:
        raise ValueError(value)
    return date.fromisoformat(value)


class _Errors(dict):
    def text(self, path, value, required=False, limit=TEXT_MAX):
        if not isinstance(value, str):
            self[path] = Msg("must be text")
        elif required and not value.strip():
            self[path] = Msg("is required")
        elif len(value) > limit:
            self[path] = Msg("at most %(n)s characters", n=limit)

    def day(self, path, value):
        try:
            return parse_date(value)
        except (ValueError, TypeError):
            self[path] = Msg("must be a date (YYYY-MM-DD) or empty")
            return None

    def points(self, path, value):
        if value is not None and (not isinstance(value, int) or isinstance(value, bool) or not 0 <= value <= 200):
            self[path] = Msg("must be a whole number from 0 to 200, or empty")

    def obj(self, path, value):
        if not isinstance(value, dict):
            self[path] = Msg("must be an object")
            return False
        return True


def validate(content, categories):
    """{path: message} for an invalid plan ({} when valid). Paths name the field, e.g.
    'sections.2.services.0.periodicity.times'. `categories`: the card categories a service may have."""
    errors = _Errors()
    if not errors.obj("_", content):
        return dict(errors)
    header = content.get("header")
    if errors.obj("header", header):
        _validate_header(errors, header)
    sections = content.get("sections")
    if not isinstance(sections, list) or len(sections) != len(SECTION_IDS):
        errors["sections"] = Msg("must be the %(n)s sections of the plan", n=len(SECTION_IDS))
        return dict(errors)
    service_ids, row_ids = set(), set()
    for i, (section, sid) in enumerate(zip(sections, SECTION_IDS)):
        path = f"sections.{i}"
        if not errors.obj(path, section):
            continue
        if section.get("id") != sid:
            errors[f"{path}.id"] = Msg("must be %(id)s (the sections keep their order)", id=sid)
        errors.text(f"{path}.service_type", section.get("service_type", ""), limit=SHORT_MAX * 2)
        _validate_services(errors, path, section.get("services"), service_ids, categories)
        rehab = section.get("rehabilitation", {})
        if errors.obj(f"{path}.rehabilitation", rehab):
            for key in REHAB_FIELDS:
                errors.text(f"{path}.rehabilitation.{key}", rehab.get(key, ""))
        _validate_rows(errors, path, section.get("rows"), row_ids)
    return dict(errors)


def _validate_header(errors, header):
    group = header.get("care_group")
    if group is not None and (not isinstance(group, int) or isinstance(group, bool) or not 1 <= group <= 4):
        errors["header.care_group"] = Msg("must be a care group from 1 to 4, or empty")
    for key in PROGRAMMES:
        programme = header.get(key, {"number": "", "date": None})
        if errors.obj(f"header.{key}", programme):
            errors.text(f"header.{key}.number", programme.get("number", ""), limit=SHORT_MAX)
            errors.day(f"header.{key}.date", programme.get("date"))
    for key in HEADER_POINTS:
        errors.points(f"header.{key}", header.get(key))
    for key in HEADER_TEXT:
        errors.text(f"header.{key}", header.get(key, ""))


def _validate_services(errors, path, services, seen, categories):
    if not isinstance(services, list) or len(services) > MAX_SERVICES:
        errors[f"{path}.services"] = Msg("must be a list of at most %(n)s services", n=MAX_SERVICES)
        return
    for j, service in enumerate(services):
        sp = f"{path}.services.{j}"
        if not errors.obj(sp, service):
            continue
        _check_id(errors, f"{sp}.id", service.get("id"), seen)
        errors.text(f"{sp}.name", service.get("name"), required=True, limit=SHORT_MAX)
        errors.text(f"{sp}.volume", service.get("volume", ""), limit=SHORT_MAX * 5)
        errors.text(f"{sp}.instructions", service.get("instructions", ""), limit=2000)
        if service.get("category") not in categories:
            errors[f"{sp}.category"] = Msg("must be one of %(options)s", options=", ".join(categories))
        if not isinstance(service.get("on_card", True), bool):
            errors[f"{sp}.on_card"] = Msg("must be true or false")
        measures = service.get("measures")
        if measures is not None and (not isinstance(measures, list)
                                     or not all(isinstance(m, str) and m for m in measures)):
            errors[f"{sp}.measures"] = Msg("must be a list of measurements, or empty")
        _validate_periodicity(errors, f"{sp}.periodicity", service.get("periodicity"))
        term = service.get("term", {"from": None, "to": None})
        if errors.obj(f"{sp}.term", term):
            start, end = errors.day(f"{sp}.term.from", term.get("from")), errors.day(f"{sp}.term.to", term.get("to"))
            if start and end and end < start:
                errors[f"{sp}.term.to"] = Msg("must not be before the start")


def _validate_periodicity(errors, path, periodicity):
    if not errors.obj(path, periodicity):
        return
    params = {k: periodicity[k] for k in ("times", "hours", "start", "shifts", "day", "days", "weeks", "from", "dates")
              if k in periodicity}
    shifts = params.get("shifts")
    if isinstance(shifts, list) and not all(isinstance(x, str) for x in shifts):
        params["shifts"] = ["?"]  # schedule.validate names the field (it looks shifts up by name)
    if params.get("start") is None:
        params.pop("start", None)
    days = periodicity.get("days_of_week")
    for key, message in schedule.validate(periodicity.get("kind"), params, days if days != [] else None).items():
        errors[f"{path}.{'kind' if key == 'schedule_kind' else key}"] = message


def _validate_rows(errors, path, rows, seen):
    if not isinstance(rows, list) or len(rows) > MAX_ROWS:
        errors[f"{path}.rows"] = Msg("must be a list of at most %(n)s rows", n=MAX_ROWS)
        return
    for j, row in enumerate(rows):
        rp = f"{path}.rows.{j}"
        if not errors.obj(rp, row):
            continue
        _check_id(errors, f"{rp}.id", row.get("id"), seen)
        for key in ("problem", "goal", "measures"):
            errors.text(f"{rp}.{key}", row.get(key, ""))
        if not any(isinstance(row.get(k), str) and row[k].strip() for k in ("problem", "goal")):
            errors.setdefault(f"{rp}.problem", Msg("a problem (or resource) or a goal is required"))
        set_on, review_on = errors.day(f"{rp}.set_on", row.get("set_on")), errors.day(f"{rp}.review_on",
                                                                                      row.get("review_on"))
        if set_on and review_on and review_on < set_on:
            errors[f"{rp}.review_on"] = Msg("must not be before the date the goal was set")


def _check_id(errors, path, value, seen):
    if not isinstance(value, str) or not 1 <= len(value) <= 36:
        errors[path] = Msg("must be an id of 1 to 36 characters")
    elif value in seen:
        errors[path] = Msg("must be unique in the plan")
    else:
        seen.add(value)


def normalize(content):
    """A valid plan in its stored shape: every key present, nothing else kept, periodicity in its canonical form
    (the fields of its kind only)."""
    h = content["header"]
    header = {"care_group": h.get("care_group")}
    for key in PROGRAMMES:
        programme = h.get(key) or {}
        header[key] = {"number": programme.get("number", ""), "date": programme.get("date")}
    header.update({key: h.get(key) for key in HEADER_POINTS})
    header.update({key: h.get(key, "") for key in HEADER_TEXT})
    sections = []
    for section in content["sections"]:
        rehab = section.get("rehabilitation") or {}
        sections.append({
            "id": section["id"], "service_type": section.get("service_type", ""),
            "services": [_normal_service(s) for s in section.get("services", [])],
            "rehabilitation": {key: rehab.get(key, "") for key in REHAB_FIELDS},
            "rows": [{"id": r["id"], "problem": r.get("problem", ""), "goal": r.get("goal", ""),
                      "measures": r.get("measures", ""), "set_on": r.get("set_on"), "review_on": r.get("review_on")}
                     for r in section.get("rows", [])],
        })
    return {"header": header, "sections": sections}


def _normal_service(service):
    kind, params, days = periodicity_schedule(service["periodicity"])
    term = service.get("term") or {}
    return {"id": service["id"], "name": service["name"].strip(), "volume": service.get("volume", ""),
            "periodicity": {"kind": kind, **params, "days_of_week": days},
            "term": {"from": term.get("from"), "to": term.get("to")}, "on_card": service.get("on_card", True),
            "category": service["category"], "instructions": service.get("instructions", ""),
            "measures": service.get("measures") or None}


def _flat(value, prefix):
    """Nested dicts -> {'a.b': leaf} (lists are leaves)."""
    if isinstance(value, dict):
        out = {}
        for key, inner in value.items():
            out.update(_flat(inner, f"{prefix}.{key}" if prefix else key))
        return out
    return {prefix: value}


def _field_changes(old, new, keys=None):
    old_flat, new_flat = _flat(old or {}, ""), _flat(new or {}, "")
    keys = keys or sorted(set(old_flat) | set(new_flat))
    return [{"field": k, "old": old_flat.get(k), "new": new_flat.get(k)} for k in keys
            if old_flat.get(k) != new_flat.get(k)]


def _by_id(content, key):
    """{id: (section id, position, object)} of a plan's services or rows."""
    out = {}
    for section in (content or {}).get("sections", []):
        for pos, obj in enumerate(section.get(key, [])):
            out[obj["id"]] = (section["id"], pos, obj)
    return out


def diff(old, new):
    """What changed from one plan version to another, in the plan's order, as a list of
    {"change": kind, "section"?, "id"?, "name"?, "fields"?: [{"field", "old", "new"}]} where kind is one of
    header, section, rehabilitation, service_added, service_removed, service_changed, row_added, row_removed,
    row_changed. A service or row keeps its id across versions; one moved to another section is 'changed'
    with the field 'section'."""
    old, new = old or {"header": {}, "sections": []}, new or {"header": {}, "sections": []}
    changes = []
    header = _field_changes(old.get("header"), new.get("header"))
    if header:
        changes.append({"change": "header", "fields": header})
    old_sections = {s["id"]: s for s in old.get("sections", [])}
    for section in new.get("sections", []):
        before = old_sections.get(section["id"], {})
        fields = _field_changes({"service_type": before.get("service_type")},
                                {"service_type": section.get("service_type")})
        if fields:
            changes.append({"change": "section", "section": section["id"], "fields": fields})
        fields = _field_changes(before.get("rehabilitation"), section.get("rehabilitation"))
        if fields:
            changes.append({"change": "rehabilitation", "section": section["id"], "fields": fields})
    for key, label, name_of in (("services", "service", lambda s: s.get("name")),
                                ("rows", "row", lambda r: r.get("goal") or r.get("problem"))):
        before, after = _by_id(old, key), _by_id(new, key)
        fields_of = SERVICE_FIELDS if key == "services" else ROW_FIELDS
        for oid, (sid, _pos, obj) in after.items():
            if oid not in before:
                changes.append({"change": f"{label}_added", "section": sid, "id": oid, "name": name_of(obj),
                                "fields": _field_changes({}, {k: obj.get(k) for k in fields_of})})
                continue
            old_sid, _old_pos, old_obj = before[oid]
            fields = [f for f in _field_changes({k: old_obj.get(k) for k in fields_of},
                                                {k: obj.get(k) for k in fields_of})]
            if old_sid != sid:
                fields.insert(0, {"field": "section", "old": old_sid, "new": sid})
            if fields:
                changes.append({"change": f"{label}_changed", "section": sid, "id": oid, "name": name_of(obj),
                                "fields": fields})
        for oid, (sid, _pos, obj) in before.items():
            if oid not in after:
                changes.append({"change": f"{label}_removed", "section": sid, "id": oid, "name": name_of(obj)})
    return changes


def goals_due(content, day):
    """Rows whose review date has come by `day`: [{section, id, problem, goal, review_on}]."""
    out = []
    for section in (content or {}).get("sections", []):
        for row in section.get("rows", []):
            review = row.get("review_on")
            if review and review <= day.isoformat():
                out.append({"section": section["id"], "id": row["id"], "problem": row.get("problem", ""),
                            "goal": row.get("goal", ""), "review_on": review})
    return out
