"""A relative's view: the residents linked to their account (`relative_link`), and nothing else.

Access is decided by the link alone, in one query: a resident who is not linked to this relative (of another unit,
of the same unit, missing, moved out) is not found, with the same error as an id that does not exist, so the reply
tells a relative nothing about residents who are not theirs. What a reply may carry is fixed by the allow-list in
api/schemas.py (FAMILY_RESIDENT_FIELDS).
"""
import re
from datetime import UTC, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy.orm import contains_eager

from ..domain import attendance
from ..domain import forms as form_rules
from ..domain.errors import Invalid, NotFound
from ..domain.messages import Msg
from ..models import Activity, ActivitySession, Entry, RelativeLink, Resident, SurveyResponse, Unit
from . import activities, homes
from .publish import audited

#: A resident id as the URL may spell it: digits without a leading zero, within the 32-bit INTEGER column.
_ID = re.compile(r"[1-9][0-9]{0,9}")
_MAX_ID = 2**31 - 1


def _linked(relative):
    """The relative's linked residents who still live in the relative's home (units and homes loaded with them)."""
    return (Resident.query.join(RelativeLink, RelativeLink.resident_id == Resident.id)
            .join(Unit, Unit.id == Resident.unit_id)
            .options(contains_eager(Resident.unit))
            .filter(RelativeLink.user_id == relative.id, Unit.home_id == relative.home_id,
                    Resident.active.is_(True)))


def linked_residents(relative):
    return _linked(relative).order_by(Resident.full_name, Resident.id).all()


def parse_id(text):
    """The id in a URL, or None when it cannot be a resident's (not a canonical number, or past the column's range).

    The route takes the id as text so that every id the relative may not see — a huge or malformed one
    included — reaches the same 404 here (and the same `refused` audit row), instead of a routing 404."""
    if not _ID.fullmatch(text):
        return None
    value = int(text)
    return value if value <= _MAX_ID else None


def get_linked_resident(relative, resident_id_text):
    resident_id = parse_id(resident_id_text)
    resident = None
    if resident_id is not None:
        resident = _linked(relative).filter(Resident.id == resident_id).one_or_none()
    if resident is None:
        raise NotFound(Msg("No such resident."))
    return resident


# --- what the relative sees of a linked resident's days ----------------------------------------------------
#
# Every reply below is built here from chosen values only (no row is handed to a schema whole), and dumped by the
# allow-listed schemas of api/family_schemas.py. Left out on purpose: the care card's procedures, programme goals
# and activities of the medical direction (activities.resident_schedule(include_care=False) drops them, and
# `_family_row` keeps only the listed keys), attendance notes and absence reasons, refusals and absences
# (docs/domain.md, "The family view").

#: The resident's schedule: today and the coming seven days.
SCHEDULE_DAYS = 8
#: The home's events: today and the coming four weeks.
EVENT_DAYS = 28
#: Recent participation: the last fourteen days, today included.
PARTICIPATION_DAYS = 14
#: The languages a text falls back to, after the relative's own.
FALLBACK = ("en", "ru", "zh_Hans")
#: The questionnaire relatives answer (frontend/forms/satisfaction_relative.json).
FAMILY_FORMS = ("satisfaction_relative",)


def pick(texts, language):
    """A {"ru", "zh_Hans", "en"} text in the relative's language, else the first filled one of FALLBACK."""
    if isinstance(texts, str):
        return texts
    if not isinstance(texts, dict):
        return ""
    for code in (language,) + FALLBACK:
        if (texts.get(code) or "").strip():
            return texts[code]
    return next((v for v in texts.values() if isinstance(v, str) and v.strip()), "")


def language_of(relative, home):
    """The language a relative reads: her own choice, else her home's, else English."""
    return relative.locale or home.locale or "en"


def _title(row, language):
    if row.get("kind") == "routine":
        return pick(row.get("label"), language)
    return pick(row.get("title"), language) or pick(row.get("name"), language)


def _family_row(row, language):
    return {"time": row.get("time") or row.get("start_time"), "end": row.get("end") or row.get("end_time"),
            "kind": row["kind"], "title": _title(row, language), "place": row.get("place") or "",
            "cancelled": bool(row.get("cancelled")), "changed": bool(row.get("changed")),
            "original_time": row.get("original_start_time"), "note": row.get("note") or None}


def _events(home, unit_id, today, language):
    occurrences = activities.occurrences_between(home.id, today, today + timedelta(days=EVENT_DAYS - 1), unit_id)
    return [dict(_family_row(dict(o, kind="event"), language), date=o["date"]) for o in occurrences
            if o["kind"] == "event" and o.get("direction") != "medical"]


def _participation(resident, today, language):
    since = today - timedelta(days=PARTICIPATION_DAYS - 1)
    rows = (Entry.query.filter(Entry.resident_id == resident.id, Entry.kind == attendance.KIND,
                               Entry.day.between(since, today)).all())
    entries = [{"id": e.id, "kind": e.kind, "resident_id": e.resident_id, "day": e.day, "status": e.status,
                "values": e.values if isinstance(e.values, dict) else {},  # not an object: an older server's
                "supersedes": e.supersedes, "device_time": e.device_time} for e in rows]
    standing = [e for e in attendance.standing_by_occurrence(entries).values() if attendance.took_part(e)]
    if not standing:
        return []
    home_id = resident.unit.home_id
    names = {a.id: a for a in Activity.query.filter_by(home_id=home_id)}
    session_ids = {e["values"].get("session_id") for e in standing} - {None}
    titles = {s.id: s.title for s in ActivitySession.query.filter(ActivitySession.id.in_(session_ids))
              if s.kind == "event" and s.title} if session_ids else {}
    out = []
    for e in standing:
        activity = names.get(e["values"].get("activity_id"))
        if activity is None or activity.direction == "medical":
            continue
        title = pick(titles.get(e["values"].get("session_id")), language) or pick(activity.name, language)
        out.append({"date": e["day"].isoformat(), "title": title, "engagement": e["status"],
                    "minutes": e["values"].get("minutes")})
    out.sort(key=lambda p: (p["date"], p["title"]), reverse=True)
    return out


def overview(relative, resident_id_text, now):
    """A linked resident's coming week, the home's coming events and recent participation (or the same 404)."""
    resident = get_linked_resident(relative, resident_id_text)
    home = resident.unit.home
    language = language_of(relative, home)
    today = homes.home_today(home, now)
    days = activities.resident_schedule(resident.id, today, today + timedelta(days=SCHEDULE_DAYS - 1),
                                        include_care=False)
    return {"resident": resident, "today": today, "generated_at": now, "language": language,
            "days": [{"date": d["date"], "rows": [_family_row(r, language) for r in d["rows"]
                                                  if r["kind"] in ("routine", "activity", "event")]} for d in days],
            "events": _events(home, resident.unit_id, today, language),
            "participation": _participation(resident, today, language)}


# --- the satisfaction questionnaire ----------------------------------------------------------------------

def _period(home, now):
    """The questionnaire's period: the home's calendar month (the monitoring page counts by month)."""
    return homes.home_today(home, now).replace(day=1)


def surveys(relative, now):
    """For each linked resident and questionnaire: the period and when the relative last answered in it."""
    out = []
    for resident in linked_residents(relative):
        home = resident.unit.home
        start = _period(home, now)
        for form_id in FAMILY_FORMS:
            latest = (SurveyResponse.query.filter_by(respondent_id=relative.id, resident_id=resident.id,
                                                     form_id=form_id)
                      .order_by(SurveyResponse.submitted_at.desc(), SurveyResponse.id.desc()).first())
            answered = latest.submitted_at if latest is not None else None
            local = answered.replace(tzinfo=UTC).astimezone(ZoneInfo(home.timezone)).date() \
                if answered else None
            out.append({"form_id": form_id, "resident_id": resident.id, "period": start.strftime("%Y-%m"),
                        "answered_at": answered if local and local >= start else None, "last_answered_at": answered})
    return out


def _definition(form_id):
    return form_rules.load(form_id)


def answer_survey(ctx, data):
    """Store a relative's answers, scored by the server. Answers that do not fit: 400 naming each question."""
    relative, now = ctx.actor, ctx.now
    resident = get_linked_resident(relative, str(data["resident_id"]))
    if data["form_id"] not in FAMILY_FORMS:
        raise Invalid(Msg("Please check: %(fields)s", fields="form_id"),
                      {"form_id": Msg("Not a questionnaire for relatives.")})
    definition = _definition(data["form_id"])
    result = form_rules.score(definition, data["answers"])
    if result["errors"]:
        fields = {f"answers.{qid}" if qid != "answers" else "answers": problem
                  for qid, problem in result["errors"].items()}
        raise Invalid(Msg("Please check: %(fields)s", fields=", ".join(sorted(fields))), fields)
    score = {"total": result["total"], "subscores": result["subscores"], "band": result["band"],
             "complete": result["complete"], "version": definition.get("version")}
    with audited(ctx) as w:
        s = w.session
        response = SurveyResponse(home_id=resident.unit.home_id, form_id=data["form_id"], resident_id=resident.id,
                                  respondent_id=relative.id, answers=data["answers"], score=score,
                                  submitted_at=now.replace(tzinfo=None))
        s.add(response)
        s.flush()
        w.audit("survey_submit", "survey_response", response.id,
                detail={"form_id": data["form_id"], "resident_id": resident.id})
    return {"id": response.id, "form_id": response.form_id, "resident_id": resident.id,
            "submitted_at": response.submitted_at, "points": score["total"], "band": score["band"]}
