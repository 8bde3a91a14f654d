"""Care-group decisions, the app's suggestion beside them, and the planner's reassessment board.

The rule and the schedule are in domain/care_groups.py; this module loads the rows, calls them and writes the
team's decision (which sets the resident's group, clears the mark for unplanned reassessment and sends the
resident to the duty-post tablets through the feed).
"""
from datetime import datetime

from sqlalchemy import select

from ..domain import care_groups as rules
from ..domain.errors import Invalid
from ..domain.messages import Msg
from ..extensions import db
from ..models import CareGroupDecision, CarePlan, CarePlanVersion, Entry, Resident, User
from . import access, homes
from .assessments import latest_assessments
from .publish import published

FORMS = (rules.OBSERVATION_FORM, rules.MMSE_FORM, rules.AGE_NO_BARRIER_FORM)


def _decisions(resident_id):
    return (CareGroupDecision.query.filter_by(resident_id=resident_id)
            .order_by(CareGroupDecision.decided_on.desc(), CareGroupDecision.id.desc()).all())


def _names(ids):
    ids = {i for i in ids if i is not None}
    return dict(db.session.execute(select(User.id, User.full_name).where(User.id.in_(ids))).all()) if ids else {}


def suggestion_for(resident_id, last_decided_on):
    """(suggestion, {form id: Entry}) from the resident's latest standing observation form, MMSE and "Age is no
    barrier" screen."""
    latest = latest_assessments(resident_id, FORMS)
    obs, mmse, anb = (latest.get(f) for f in FORMS)
    mmse_score = (mmse.score or {}) if mmse is not None else {}
    anb_score = (anb.score or {}) if anb is not None else {}
    suggestion = rules.suggest(obs.values or {} if obs is not None else None, mmse_score.get("total"),
                               mmse_complete=bool(mmse_score.get("complete")),
                               mmse_subscores=mmse_score.get("subscores") or {},
                               observation_on=obs.day if obs is not None else None,
                               mmse_on=mmse.day if mmse is not None else None, last_decided_on=last_decided_on,
                               age_no_barrier_total=anb_score.get("total"),
                               age_no_barrier_complete=bool(anb_score.get("complete")),
                               age_no_barrier_answers=(anb.values or {}) if anb is not None else None,
                               age_no_barrier_on=anb.day if anb is not None else None)
    return suggestion, latest


def _assessment_dict(entry, names):
    return {"id": entry.id, "form_id": entry.category, "day": entry.day, "author_id": entry.author_id,
            "author_name": names.get(entry.author_id), "answers": entry.values or {}, "score": entry.score or {}}


def _decision_dict(d, names):
    return {"id": d.id, "group": d.group, "decided_on": d.decided_on, "decided_by": d.decided_by,
            "decided_by_name": names.get(d.decided_by),
            "decided_by_post": d.decided_by_post, "recorded_at": d.recorded_at, "reason": d.reason,
            "suggestion": d.suggestion, "basis": d.basis or [], "grounds": d.grounds or [], "note": d.note}


def group_view(actor, resident_id, now):
    """A resident's group, reassessment state, history (newest first), and the current suggestion with the
    assessments it rests on."""
    resident = access.get_resident(actor, resident_id)
    decisions = _decisions(resident_id)
    last = decisions[0] if decisions else None
    suggestion, latest = suggestion_for(resident_id, last.decided_on if last else None)
    names = _names([d.decided_by for d in decisions] + [e.author_id for e in latest.values()])
    state = rules.reassessment(last.decided_on if last else None, resident.care_group,
                               resident.needs_reassessment, homes.home_today(resident, now))
    return {"resident": resident, "care_group": resident.care_group, "today": homes.home_today(resident, now),
            "reassessment": state, "history": [_decision_dict(d, names) for d in decisions],
            "suggestion": suggestion, "basis": [latest[f].id for f in FORMS if f in latest],
            "assessments": [_assessment_dict(latest[f], names) for f in FORMS if f in latest],
            "grounds": {str(g): list(codes) for g, codes in rules.GROUNDS.items()}}


def _check_basis(resident_id, basis):
    if not basis:
        return []
    found = set(db.session.execute(select(Entry.id).where(Entry.id.in_(basis), Entry.resident_id == resident_id,
                                                          Entry.kind == "assessment")).scalars())
    unknown = [b for b in basis if b not in found]
    if unknown:
        raise Invalid(Msg("Please check: %(fields)s", fields="basis"),
                      {"basis": Msg("Not an assessment of this resident: %(ids)s", ids=", ".join(unknown))})
    return list(dict.fromkeys(basis))


def _check_grounds(group, grounds):
    """The criteria of the chosen group's definition the decision rests on: at least one, all of that group."""
    grounds = list(dict.fromkeys(grounds or []))
    if not grounds:
        raise Invalid(Msg("Please check: %(fields)s", fields="grounds"),
                      {"grounds": Msg("Choose at least one ground from the group's definition.")})
    foreign = [g for g in grounds if g not in rules.GROUNDS[group]]
    if foreign:
        raise Invalid(Msg("Please check: %(fields)s", fields="grounds"),
                      {"grounds": Msg("Not in the definition of the chosen group: %(grounds)s",
                                      grounds=", ".join(foreign))})
    return [g for g in rules.GROUNDS[group] if g in grounds]


def decide(ctx, data):
    """Record the team's decision. The suggestion stored beside it is the one the app shows at this moment
    (computed here, as the server's score of a form is the authoritative one)."""
    actor, now = ctx.actor, ctx.now
    resident = access.get_resident(actor, data["resident_id"])
    today = homes.home_today(resident, now)
    decided_on = data["decided_on"]
    if decided_on > today:
        raise Invalid(Msg("Please check: %(fields)s", fields="decided_on"),
                      {"decided_on": Msg("The date of the decision cannot be in the future.")})
    decisions = _decisions(resident.id)
    last = decisions[0] if decisions else None
    if last is not None and decided_on < last.decided_on:
        raise Invalid(Msg("Please check: %(fields)s", fields="decided_on"),
                      {"decided_on": Msg("The last decision was taken on %(day)s; a new one cannot be dated earlier.",
                                        day=last.decided_on.isoformat())})
    grounds = _check_grounds(data["group"], data.get("grounds"))
    suggestion, latest = suggestion_for(resident.id, last.decided_on if last else None)
    basis = _check_basis(resident.id, data.get("basis"))
    if data.get("basis") is None:
        basis = [latest[f].id for f in FORMS if f in latest]
    with published(ctx) as w:
        s = w.session
        decision = CareGroupDecision(resident_id=resident.id, group=data["group"], decided_on=decided_on,
                                     decided_by=actor.id, decided_by_post=actor.post,
                                     recorded_at=now.replace(tzinfo=None),
                                     reason=data["reason"], suggestion=suggestion, basis=basis,
                                     grounds=grounds, note=(data.get("note") or "").strip() or None)
        s.add(decision)
        previous = resident.care_group
        resident.care_group = data["group"]
        resident.needs_reassessment = False
        w.number(resident)
        s.flush()
        w.audit("care_group_decide", "resident", resident.id,
                detail={"decision_id": decision.id, "group": data["group"], "previous": previous,
                        "decided_on": decided_on.isoformat(), "reason": data["reason"],
                        "suggested": suggestion["group"], "grounds": grounds})
    return group_view(actor, resident.id, now)


def _last_decisions(resident_ids):
    """{resident id: (decided_on, group)} of each resident's latest decision."""
    out = {}
    if not resident_ids:
        return out
    rows = db.session.execute(select(CareGroupDecision.resident_id, CareGroupDecision.decided_on,
                                     CareGroupDecision.group, CareGroupDecision.id)
                              .where(CareGroupDecision.resident_id.in_(resident_ids))).all()
    for rid, day, group, did in sorted(rows, key=lambda r: (r[1], r[3])):
        out[rid] = (day, group)
    return out


def _goals_due(residents, today):
    """Rows of each resident's current care-plan version whose review date has come."""
    by_id = {r.id: r for r in residents}
    if not by_id:
        return []
    rows = db.session.execute(select(CarePlan.resident_id, CarePlanVersion.content, CarePlanVersion.number)
                              .join(CarePlanVersion, (CarePlanVersion.plan_id == CarePlan.id)
                                    & (CarePlanVersion.number == CarePlan.current_version))
                              .where(CarePlan.resident_id.in_(list(by_id)))).all()
    goals = []
    for rid, content, number in rows:
        for section in (content or {}).get("sections") or []:
            if not isinstance(section, dict):
                continue
            for row in section.get("rows") or []:
                if not isinstance(row, dict) or not row.get("goal"):
                    continue
                review = _as_date(row.get("review_on"))
                if review is not None and review <= today:
                    goals.append({"resident_id": rid, "name": by_id[rid].full_name, "room": by_id[rid].room,
                                  "bed": by_id[rid].bed, "plan_version": number, "section": section.get("id"),
                                  "row_id": row.get("id"), "problem": row.get("problem"), "goal": row.get("goal"),
                                  "set_on": _as_date(row.get("set_on")), "review_on": review,
                                  "overdue_days": (today - review).days})
    return sorted(goals, key=lambda g: (g["review_on"], g["name"], g["section"] or ""))


def _as_date(value):
    if not isinstance(value, str):
        return None
    try:
        return datetime.strptime(value[:10], "%Y-%m-%d").date()
    except ValueError:
        return None


def board(actor, unit_id, now):
    """Per resident of the unit: group, last decision, due date and status, most urgent first; goals due."""
    unit = access.get_unit(actor, unit_id)
    today = homes.home_today(unit, now)
    residents = (Resident.query.filter_by(unit_id=unit.id, active=True)
                 .order_by(Resident.room, Resident.bed, Resident.full_name).all())
    last = _last_decisions([r.id for r in residents])
    rows = []
    for r in residents:
        decided_on, _group = last.get(r.id, (None, None))
        state = rules.reassessment(decided_on, r.care_group, r.needs_reassessment, today)
        rows.append({"resident_id": r.id, "name": r.full_name, "room": r.room, "bed": r.bed,
                     "care_group": r.care_group, "last_decided_on": decided_on, **state,
                     "days_left": (state["due_on"] - today).days if state["due_on"] else None})
    rows.sort(key=rules.urgency)
    counts = {status: sum(1 for row in rows if row["status"] == status) for status in rules.STATUS_ORDER}
    return {"unit": unit, "today": today, "due_window_days": rules.DUE_WINDOW_DAYS, "counts": counts,
            "residents": rows, "goals": _goals_due(residents, today)}
