"""What the planners' assessments have left in the demo: every form filled in for most residents a few weeks ago
(answers plausible for the resident's care group) and care-group decision histories giving the reassessment board
every status."""
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from ..domain import care_groups as rules
from ..domain import entries as entry_rules
from ..domain import forms
from ..domain import sync as sync_rules
from ..extensions import db
from ..models import CareGroupDecision, Entry
from ..services import bulk, feed
from ..services.ids import uuid7
from .home import TIMEZONE

#: How much help a resident of each care group needs, 0 (none) to 1 (complete): drives the demo's answers.
NEED = {1: 0.05, 2: 0.45, 3: 0.7, 4: 0.97}
ASSESSMENTS = ("adl_observation", "mmse", "age_no_barrier", "waterlow", "morse_falls", "pain_nrs")


def _answers(definition, need, rng):
    """Plausible complete answers to a form for a resident needing this much help."""
    answers = {}
    levels = [level["value"] for level in definition.get("scale", {}).get("levels", [])]
    for q in forms.questions(definition):
        if not forms.is_shown(q, answers):
            continue
        kind, jitter = q["type"], rng.uniform(-0.25, 0.25)
        share = min(1.0, max(0.0, need + jitter))
        # MMSE counts what the resident can do (a yes is a right answer); the other forms what troubles her.
        good = definition["id"] == "mmse"
        if kind == "rating":  # rows vary less than the single answers of the other forms
            share = min(1.0, max(0.0, need + jitter / 2))
            answers[q["id"]] = levels[round(share * (len(levels) - 1))]
        elif kind == "yes_no":
            answers[q["id"]] = (rng.random() >= need) if good else (rng.random() < need)
        elif kind == "choice":
            options = [o["value"] for o in q["options"]]
            pick = options[round(share * (len(options) - 1))]
            answers[q["id"]] = [pick] if q.get("multiple") else pick
        elif kind == "number":
            step = q.get("step", 1)
            steps = round((q["max"] - q["min"]) / step)
            answers[q["id"]] = q["min"] + step * round(steps * ((1 - share * 0.9) if good else share * 0.5))
        elif forms.is_required(q, answers):
            answers[q["id"]] = "—"
    return answers


def make_assessments(residents, planner, today, rng):
    """Entry rows: each resident assessed with every form a few weeks ago, as the team's last assessment."""
    rows = []
    definitions = {form_id: forms.load(form_id) for form_id in ASSESSMENTS}
    tz = ZoneInfo(TIMEZONE)
    for i, r in enumerate(residents):
        if i % 6 == 5:  # as the care-group history: every sixth resident never assessed in Bedside
            continue
        day = today - timedelta(days=20 + i % 10)
        for n, form_id in enumerate(ASSESSMENTS):
            answers = _answers(definitions[form_id], NEED[r.care_group], rng)
            if forms.validate(definitions[form_id], answers):
                continue
            at = datetime.combine(day, datetime.min.time()).replace(hour=10, minute=5 * n, tzinfo=tz)
            e = {"id": uuid7(), "kind": "assessment", "resident_id": r.id, "item_id": None, "day": day,
                 "slot": None, "status": None, "reason": None, "note": None, "values": answers,
                 "category": form_id, "supersedes": None, "author_id": planner.id, "device_id": "demo",
                 "client_seq": 0, "device_time": at.isoformat()}
            rows.append(dict(e, payload_hash=sync_rules.payload_hash(e), unit_id=r.unit_id,
                             received_at=at.astimezone(UTC).replace(tzinfo=None), late_after_confirmation=False,
                             pushed_by=planner.id, author_post=planner.post, from_revoked_device=False,
                             score=entry_rules.assessment_score(e, definitions[form_id])))
    first = feed.allocate(db.session, len(rows))
    for offset, row in enumerate(rows):
        row["seq"] = first + offset
    bulk.insert_rows(db.session, Entry.__table__, rows)


def demo_history(session, residents, planner, today):
    """Decision histories for demo residents so the board shows every status. `residents` in a stable order
    (e.g. by id), `planner` a User, `today` the home's date. Returns the CareGroupDecision rows added.

    Per resident i (cycling): overdue (last decision 13/19 months ago), due (due in 10 days), marked (a
    condition report since a recent decision), ok (decided 2 months ago), ok with an older initial decision
    before it, and every sixth resident never assessed (no decision).
    """
    added = []
    at_ten = lambda day: datetime.combine(day, datetime.min.time()) + timedelta(hours=3)  # 10:00 at UTC+7
    for i, r in enumerate(residents):
        kind = i % 6
        group = r.care_group or 2
        period = rules.PERIOD_MONTHS.get(group, rules.DEFAULT_PERIOD_MONTHS)
        if kind == 5:    # never assessed in Bedside: no decision recorded yet
            continue
        if kind == 0:    # overdue by three weeks
            decided = rules.add_months(today - timedelta(days=21), -period)
        elif kind == 1:  # due in ten days
            decided = rules.add_months(today + timedelta(days=10), -period)
        elif kind == 2:  # decided two months ago, then a condition report
            decided = rules.add_months(today, -2)
            r.needs_reassessment = True
        elif kind == 3:
            decided = rules.add_months(today, -2)
        else:            # an initial decision a year and a half ago, then a planned one three months ago
            first = rules.add_months(today, -18)
            d0 = CareGroupDecision(resident_id=r.id, group=max(1, group - 1), decided_on=first, decided_by=planner.id,
                                   decided_by_post=planner.post, recorded_at=at_ten(first), reason="initial",
                                   suggestion=None, basis=[], grounds=list(rules.GROUNDS[max(1, group - 1)][:2]))
            session.add(d0)
            added.append(d0)
            decided = rules.add_months(today, -3)
        d = CareGroupDecision(resident_id=r.id, group=group, decided_on=decided, decided_by=planner.id,
                              decided_by_post=planner.post, recorded_at=at_ten(decided),
                              reason="initial" if kind != 4 else "planned", suggestion=None, basis=[],
                              grounds=list(rules.GROUNDS[group][:2]))
        session.add(d)
        added.append(d)
    return added
