"""What the demo's monitoring page measures: a year of satisfaction questionnaires, so it has the practice's
comparison (baseline, after 6 months, after a year; 000 reports 80% -> 99.9% satisfied), and today's caregiver
assignments (the load per carer)."""
import random
from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

from ..domain import entries as entry_rules
from ..domain import figures as figure_rules
from ..domain import forms
from ..domain import sync as sync_rules
from ..models import CarerAssignment, Entry, RelativeLink, SurveyResponse
from ..services import bulk, feed
from ..services.ids import uuid7

#: Respondents not satisfied in each round (months after the baseline): 5 of 25 at the baseline, 2 after six
#: months, none after a year -- with the demo's 24 residents and one relative. The monitoring page counts the
#: residents apart from the relative (figures.satisfaction): with the demo's shuffle, 19 of 24 (79%), 22 of 24 (92%),
#: 24 of 24 (100%).
NOT_SATISFIED = {0: 5, 6: 2, 12: 0}


def _answers(definition, band, rng):
    """Complete answers in the given band (satisfied: 0-3 'partly'; partly: 5 'partly', 1 'not satisfied';
    not satisfied: 4 'not satisfied', 4 'partly')."""
    ids = [q["id"] for q in forms.questions(definition) if q["type"] == "choice"]
    if band == "satisfied":
        values = ["partly"] * rng.randint(0, 3)
    elif band == "partly":
        values = ["partly"] * 5 + ["not_satisfied"]
    else:
        values = ["not_satisfied"] * 4 + ["partly"] * 4
    values += ["satisfied"] * (len(ids) - len(values))
    rng.shuffle(values)
    return dict(zip(ids, values))


def _score(definition, answers):
    result = forms.score(definition, answers)
    return {"total": result["total"], "subscores": result["subscores"], "band": result["band"],
            "complete": result["complete"], "version": definition.get("version")}


def demo_surveys(session, residents, relatives, staff_user, today, tz=None, now=None):
    """Three rounds of questionnaires: the baseline 12 months before today's month, after 6 months, and this
    month (on days up to today). Every resident answers with `staff_user`'s help (assessment entries of form
    satisfaction_resident, authored by her); every relative in `relatives` answers about each resident she is
    linked to (SurveyResponse, form satisfaction_relative). The first NOT_SATISFIED[offset] respondents of a
    round (in a shuffled order) answer 'partly' or 'not satisfied'. Returns {offset: (satisfied, respondents)}.

    Runs in the caller's transaction on `session`; `tz` the home's zone (default: the first resident's home). `now`
    (aware): a questionnaire that would be answered after it is dated a day earlier, as often as needed (on the
    first morning of a month, into the month before)."""
    rng = random.Random(13)
    resident_form = forms.load(figure_rules.RESIDENT_FORM)
    relative_form = forms.load(figure_rules.RELATIVE_FORM)
    tz = tz or ZoneInfo(residents[0].unit.home.timezone)
    this_month = today.replace(day=1)
    links = [(rel, link.resident_id) for rel in relatives
             for link in session.query(RelativeLink).filter_by(user_id=rel.id).order_by(RelativeLink.resident_id)]
    rows, summary = [], {}
    for offset in figure_rules.COMPARISON_MONTHS:
        month = figure_rules.add_months(this_month, offset - figure_rules.COMPARISON_MONTHS[-1])
        respondents = [("resident", r) for r in residents] + [("relative", link) for link in links]
        order = list(range(len(respondents)))
        rng.shuffle(order)
        unhappy = set(order[:NOT_SATISFIED[offset]])
        satisfied = 0
        for n, (kind, who) in enumerate(respondents):
            band = "satisfied" if n not in unhappy else ("not_satisfied" if n == order[0] else "partly")
            day = month.replace(day=min(5 + n % 15, today.day if month == this_month else 28))
            at = datetime.combine(day, time(11, n % 50), tzinfo=tz)
            while now is not None and at > now:
                at -= timedelta(days=1)
            day = at.date()
            if kind == "resident":
                answers = _answers(resident_form, band, rng)
                e = {"id": uuid7(), "kind": "assessment", "resident_id": who.id, "item_id": None, "day": day,
                     "slot": None, "status": None, "reason": None, "note": None, "values": answers,
                     "category": figure_rules.RESIDENT_FORM, "supersedes": None, "author_id": staff_user.id,
                     "device_id": "demo", "client_seq": 0, "device_time": at.isoformat()}
                rows.append(dict(e, payload_hash=sync_rules.payload_hash(e), unit_id=who.unit_id,
                                 received_at=at.astimezone(UTC).replace(tzinfo=None), late_after_confirmation=False,
                                 pushed_by=staff_user.id, author_post=staff_user.post, from_revoked_device=False,
                                 score=entry_rules.assessment_score(e, resident_form)))
                score = rows[-1]["score"]
            else:
                relative, resident_id = who
                answers = _answers(relative_form, band, rng)
                score = _score(relative_form, answers)
                session.add(SurveyResponse(home_id=relative.home_id, form_id=figure_rules.RELATIVE_FORM,
                                           resident_id=resident_id, respondent_id=relative.id, answers=answers,
                                           score=score, submitted_at=at.astimezone(UTC).replace(tzinfo=None)))
            satisfied += score["band"] == "satisfied"
        summary[offset] = (satisfied, len(respondents))
    if rows:
        first = feed.allocate(session, len(rows))
        for i, row in enumerate(rows):
            row["seq"] = first + i
        bulk.insert_rows(session, Entry.__table__, rows)
    session.flush()
    return summary


def demo_carers(session, units, nurses, residents, today, assigned_by=None, now=None):
    """Demo: today's shifts. units: Unit rows; nurses: {unit id: [User]} (nurses of each unit, in order: only the
    sitters among them -- post figures.LOAD_POST -- are assigned, services/carers.py); residents: Resident rows. Day
    shift: the first sitter of a unit takes all but one resident (11 of 12 -- over the limit, so the warning shows),
    the second sitter the rest (none: that resident is listed without a carer); a unit with no sitter has none.
    Night shift: residents shared round-robin, at most the limit each (the rest without a carer). Assigned just
    after midnight, home time (`now`, aware: never after it; without it, 00:30-00:50 of `today` as stored).
    Returns the rows added."""
    rng = random.Random(5)
    added = []
    for unit in units:
        mine = sorted((r for r in residents if r.unit_id == unit.id), key=lambda r: (r.room, r.bed, r.id))
        staff = [u for u in nurses.get(unit.id) or [] if u.post == figure_rules.LOAD_POST]  # the sitters
        if not mine or not staff:
            continue
        by = assigned_by or staff[0].id
        at = None
        day_plan = [(r, staff[0]) for r in mine[:-1]] + ([(mine[-1], staff[1])] if len(staff) >= 2 else [])
        night_plan = [(r, staff[i % len(staff)]) for i, r in enumerate(mine)
                      if i < figure_rules.LOAD_LIMIT * len(staff)]
        for shift, plan in (("day", day_plan), ("night", night_plan)):
            for r, nurse in plan:
                at = at or _demo_time(today, rng, now, unit)
                row = CarerAssignment(unit_id=unit.id, day=today, shift=shift, carer_id=nurse.id,
                                      resident_id=r.id, assigned_by=by, assigned_at=at)
                session.add(row)
                added.append(row)
    session.flush()
    return added


def _demo_time(today, rng, now=None, unit=None):
    minute = 30 + rng.randint(0, 20)
    if now is None:
        return datetime.combine(today, time(0, minute))
    tz = ZoneInfo(unit.home.timezone)
    at = min(datetime.combine(today, time(0, minute), tzinfo=tz), now - timedelta(minutes=1))
    return at.astimezone(UTC).replace(tzinfo=None)
