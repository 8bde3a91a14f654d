"""Individual care plans: versions, what changed between two, and the monthly cards generated from them.

Saving a version never edits an older one. When the saved plan changes services, the resident's cards that were
generated from the plan follow it (domain/card_generation.py `regenerate`): a draft card is regenerated whole;
a published card from the effective day on (tomorrow in the home's time zone unless the planner says today or a
later day), without touching what was recorded. Cards made by hand (no plan version) are left alone.
"""
from datetime import timedelta

from sqlalchemy import func, select

from ..domain import card_generation, care_plan
from ..domain.errors import Conflict, Invalid, NotFound, invalid
from ..domain.messages import Msg
from ..extensions import db
from ..models import CardItem, CareCard, CarePlan, CarePlanVersion, Entry, User
from . import access, assessments, cards, homes
from .publish import published

#: Forms whose latest scores prefill the plan's header.
HEADER_FORMS = {"pressure_ulcer_points": "waterlow", "fall_risk_points": "morse_falls"}
PAIN_FORM = "pain_nrs"


def latest_header(resident):
    """What the header would say from the resident's record now: care group, Waterlow and Morse totals, pain."""
    latest = assessments.latest_assessments(resident.id, list(HEADER_FORMS.values()) + [PAIN_FORM])
    out = {"care_group": resident.care_group, "assessed_on": {}}
    for key, form_id in HEADER_FORMS.items():
        entry = latest.get(form_id)
        total = (entry.score or {}).get("total") if entry is not None else None
        out[key] = total if isinstance(total, int) else None
        if entry is not None:
            out["assessed_on"][key] = entry.day.isoformat()
    pain = latest.get(PAIN_FORM)
    total = (pain.score or {}).get("total") if pain is not None else None
    out["pain"] = f"{total}/10" if isinstance(total, int) else ""
    if pain is not None:
        out["assessed_on"]["pain"] = pain.day.isoformat()
    return out


def _plan_of(resident_id):
    return CarePlan.query.filter_by(resident_id=resident_id).first()


def _names(ids):
    ids = {i for i in ids if i is not None}
    return dict(db.session.execute(select(User.id, User.full_name).where(User.id.in_(ids))).all()) if ids else {}


def _version_dict(version, names):
    return {"number": version.number, "created_at": version.created_at, "created_by": version.created_by,
            "created_by_name": names.get(version.created_by), "note": version.note or ""}


def get_plan(actor, resident_id, number=None):
    """The plan at its current version (or at `number`); a resident without a plan gets a blank one, its header
    prefilled. `latest` is what the record says now, for the planner to bring the header up to date."""
    resident = access.get_resident(actor, resident_id)
    plan = _plan_of(resident_id)
    latest = latest_header(resident)
    reply = {"resident_id": resident_id, "resident_name": resident.full_name, "room": resident.room,
             "birth_date": resident.birth_date, "current_version": plan.current_version if plan else 0,
             "latest": latest, "version": None}
    if plan is None or plan.current_version == 0:
        if number is not None:
            raise NotFound(Msg("No such version of the care plan."))
        reply["content"] = care_plan.empty_content(latest["care_group"], latest["pressure_ulcer_points"],
                                                   latest["fall_risk_points"], latest["pain"])
        return reply
    version = _version(plan, number or plan.current_version)
    reply["version"] = _version_dict(version, _names([version.created_by]))
    reply["content"] = version.content
    return reply


def _version(plan, number):
    version = CarePlanVersion.query.filter_by(plan_id=plan.id, number=number).first()
    if version is None:
        raise NotFound(Msg("No such version of the care plan."))
    return version


def versions(actor, resident_id):
    access.get_resident(actor, resident_id)
    plan = _plan_of(resident_id)
    rows = CarePlanVersion.query.filter_by(plan_id=plan.id).order_by(CarePlanVersion.number.desc()).all() \
        if plan else []
    names = _names(v.created_by for v in rows)
    return [_version_dict(v, names) for v in rows]


def diff_versions(actor, resident_id, old, new):
    access.get_resident(actor, resident_id)
    plan = _plan_of(resident_id)
    if plan is None:
        raise NotFound(Msg("No such version of the care plan."))
    before = care_plan.empty_content() if old == 0 else _version(plan, old).content
    return {"from_version": old, "to_version": new, "changes": care_plan.diff(before, _version(plan, new).content)}


def _invalid(errors):
    raise invalid(errors)


def _effective_day(resident, now, effective_day):
    today = homes.home_today(resident, now)
    if effective_day is None:
        return today, today + timedelta(days=1)
    if effective_day < today:
        message = Msg("The change can take effect today at the earliest.")
        raise Invalid(message, {"effective_day": message})
    return today, effective_day


def save_version(ctx, resident_id, content, note, effective_day=None, base_version=None):
    """Save the plan as a new version; the cards generated from the plan follow it from the effective day."""
    actor, now = ctx.actor, ctx.now
    resident = access.get_resident(actor, resident_id)
    errors = care_plan.validate(content, cards.CATEGORIES)
    if errors:
        _invalid(errors)
    content = care_plan.normalize(content)
    today, effective = _effective_day(resident, now, effective_day)
    with published(ctx) as w:  # one writer at a time: version numbers and the first plan of a resident
        s = w.session
        plan = s.execute(select(CarePlan).where(CarePlan.resident_id == resident_id)).scalar_one_or_none()
        current = plan.current_version if plan else 0
        if base_version is not None and base_version != current:
            raise Conflict(Msg("Someone saved a newer version of this plan. Reload it, then make "
                               "your changes again."), code="plan_changed")
        previous = _version(plan, current).content if current else care_plan.empty_content()
        if plan is None:
            plan = CarePlan(resident_id=resident_id, current_version=0)
            s.add(plan)
            s.flush()
        version = CarePlanVersion(plan_id=plan.id, number=current + 1, content=content, created_by=actor.id,
                                  created_at=now.replace(tzinfo=None), note=(note or "").strip())
        s.add(version)
        plan.current_version = version.number
        s.flush()
        changes = care_plan.diff(previous, content)
        w.audit("care_plan_save", "care_plan", plan.id,
                detail={"resident_id": resident_id, "version": version.number, "changes": len(changes),
                        "effective_day": effective.isoformat()})
        regenerated = _follow_plan(w, resident, version, effective, today)
    reply = get_plan(actor, resident_id)
    reply["changes"] = changes
    reply["cards"] = regenerated
    return reply


def _follow_plan(w, resident, version, effective, today):
    """Regenerate the resident's open cards that came from the plan. Returns a summary per card."""
    summary = []
    rows = (CareCard.query.filter(CareCard.resident_id == resident.id, CareCard.plan_version_id.isnot(None),
                                  CareCard.status.in_(("draft", "published"))).order_by(CareCard.month).all())
    for card in rows:
        first, last = card_generation.month_bounds(card.month)
        if last < effective and card.status == "published":
            continue
        if card.status == "draft" and last < today:
            continue
        result = _apply(w, card, version, effective if card.status == "published" else max(first, today), today)
        summary.append({"card_id": card.id, "month": card.month, "status": card.status, **result})
    return summary


def _recorded(s, item_ids):
    if not item_ids:
        return {}
    return dict(s.execute(select(Entry.item_id, func.max(Entry.day)).where(Entry.item_id.in_(item_ids))
                          .group_by(Entry.item_id)).all())


def _apply(w, card, version, effective, today):
    """Bring one card in line with a plan version from `effective` on; returns the counts of what was done."""
    s = w.session
    draft = card.status == "draft"
    items = list(card.items)
    recorded = _recorded(s, [i.id for i in items])
    existing = [{"id": i.id, "plan_service": i.plan_service, "position": i.position, "valid_from": i.valid_from,
                 "valid_to": i.valid_to, "last_recorded": recorded.get(i.id),
                 **{k: getattr(i, k) for k in card_generation.CONTENT}} for i in items]
    new_items = card_generation.items_for_month(version.content, card.month)
    plan = card_generation.regenerate(existing, new_items, effective, card.month, today=today, draft=draft)
    by_id = {i.id: i for i in items}
    for item_id in plan["delete"]:
        s.delete(by_id[item_id])
    for item_id, valid_to in {**plan["end"], **plan["retime"]}.items():
        by_id[item_id].valid_to = valid_to
    for new in plan["add"]:
        s.add(CardItem(card_id=card.id, **{k: new[k] for k in card_generation.CONTENT + (
            "plan_service", "position", "valid_from", "valid_to")}))
    card.plan_version_id = version.id
    counts = {"kept": len(plan["keep"]), "ended": len(plan["end"]), "changed_end": len(plan["retime"]),
              "deleted": len(plan["delete"]), "added": len(plan["add"]), "effective_day": effective}
    # A changed card reaches the tablets (a new version and feed position, as any edit of a published card).
    cards._touch(w, card, any(counts[k] for k in ("ended", "changed_end", "deleted", "added")))
    w.audit("card_regenerate", "care_card", card.id,
            detail={"plan_version": version.number, **{k: v for k, v in counts.items() if k != "effective_day"},
               "effective_day": effective.isoformat()})
    s.flush()
    s.expire(card, ["items"])
    return counts


def generate_card(ctx, resident_id, month=None):
    """A draft card for a month (next month by default) from the plan's current version. A draft card of that
    month is regenerated; a published or closed one is refused (a published card follows the plan on its own)."""
    actor, now = ctx.actor, ctx.now
    resident = access.get_resident(actor, resident_id)
    today = homes.home_today(resident, now)
    month = (month or card_generation.next_month(today)).replace(day=1)
    if card_generation.month_bounds(month)[1] < today:
        message = Msg("That month is over; cards are made for this month or later.")
        raise Invalid(message, {"month": message})
    if not resident.active:
        raise Conflict(Msg("Her stay has ended (discharge or death): no new cards are made."), code="stay_ended")
    plan = _plan_of(resident_id)
    if plan is None or plan.current_version == 0:
        raise Conflict(Msg("This resident has no care plan yet. Write and save the plan first."), code="no_plan")
    with published(ctx) as w:
        s = w.session
        version = _version(plan, plan.current_version)
        card = s.execute(select(CareCard).where(CareCard.resident_id == resident_id, CareCard.month == month)
                         ).scalar_one_or_none()
        if card is not None and card.status != "draft":
            message = Msg("This month's card is already published; it follows the plan when the plan is saved.")
            raise Conflict(message, {"month": message}, code="exists")
        if card is None:
            card = CareCard(resident_id=resident_id, month=month, status="draft", version=1)
            cards._touch(w, card, False)
            s.add(card)
            s.flush()
            w.audit("card_create", "care_card", card.id,
                    detail={"resident_id": resident_id, "month": month.isoformat(),
                       "plan_version": version.number})
        _apply(w, card, version, max(month, today), today)  # this month's card: from today
        card_id = card.id
    db.session.expire_all()
    return cards.get_card(actor, card_id)


def goals_due(resident_ids, day):
    """{resident id: rows whose review date has come} for the planner's board (current versions only)."""
    out = {}
    query = (select(CarePlan.resident_id, CarePlanVersion.content).join(
        CarePlanVersion, (CarePlanVersion.plan_id == CarePlan.id) & (CarePlanVersion.number == CarePlan.current_version))
        .where(CarePlan.resident_id.in_(list(resident_ids))))
    for resident_id, content in db.session.execute(query).all():
        due = care_plan.goals_due(content, day)
        if due:
            out[resident_id] = due
    return out
