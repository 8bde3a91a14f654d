"""Caregiver load: which sitter (сиделка) looks after which residents on a shift of a unit. Source 000 introduced
the sitter post with its norm, 8-10 residents per staff member (figures.LOAD_POST, domain/posts.py SITTER); the
carers a supervisor assigns here are the unit's sitters (and sitters working for the whole home), not its junior
nurses, who keep the cards at the duty post (004 §3.1-3.2). A warning above 10 (figures.LOAD_LIMIT). An assignment
made before posts, or of someone whose post has changed since, still shows, but is no sitter's load."""
from datetime import timedelta

from sqlalchemy import or_

from ..domain import figures as rules
from ..domain import places
from ..domain.schedule import SHIFTS
from ..domain.errors import Invalid
from ..domain.messages import Msg
from ..models import CarerAssignment, Resident, User
from . import access, homes
from .publish import audited


def carers_of(unit):
    """The staff who may be assigned to the unit's residents: its active sitters (post sitter)."""
    return (User.query.filter(User.home_id == unit.home_id, User.post == rules.LOAD_POST, User.active.is_(True),
                              User.working_in(unit.id))
            .order_by(User.full_name, User.id).all())


def _residents(unit):
    return (Resident.query.filter_by(unit_id=unit.id, active=True)
            .order_by(Resident.room, Resident.bed, Resident.full_name).all())


def shift_view(actor, unit_id, day, shift):
    """A shift of a unit: the residents with their carer, the carers with their load, warnings."""
    unit = access.get_unit(actor, unit_id)
    residents = _residents(unit)
    carers = carers_of(unit)
    rows = CarerAssignment.query.filter_by(unit_id=unit.id, day=day, shift=shift).all()
    by_resident = {a.resident_id: a.carer_id for a in rows}
    earlier = {u.id: u for u in User.query.filter(User.id.in_({a.carer_id for a in rows}))} if rows else {}
    sitters = {u.id for u in list(carers) + list(earlier.values()) if u.post == rules.LOAD_POST}
    load = rules.shift_load([r.id for r in residents],
                            [{"carer_id": a.carer_id, "resident_id": a.resident_id} for a in rows], sitters)
    listed = {c.id for c in carers}

    def row(cid, name, post, n):
        return {"id": cid, "name": name, "post": post, "sitter": cid in sitters, "load": n, "over": cid in load["over"]}
    carer_rows = [row(c.id, c.full_name, c.post, load["per_carer"].get(c.id, 0)) for c in carers]
    # someone assigned earlier who is no longer a carer of the unit still shows, so the load adds up
    carer_rows += [row(cid, earlier[cid].full_name if cid in earlier else "?",
                       earlier[cid].post if cid in earlier else None, n)
                   for cid, n in load["per_carer"].items() if cid not in listed]
    return {"unit_id": unit.id, "unit": places.of(unit), "day": day, "shift": shift, "limit": rules.LOAD_LIMIT,
            "norm": list(rules.LOAD_NORM), "post": rules.LOAD_POST,
            "residents": [{"id": r.id, "name": r.full_name, "room": r.room, "bed": r.bed,
                           "carer_id": by_resident.get(r.id)} for r in residents],
            "carers": carer_rows, "over": load["over"], "without": load["without"]}


def set_shift(ctx, unit_id, day, shift, assignments):
    """Replace a shift's assignments. assignments: [{"resident_id", "carer_id" (None: no carer)}]."""
    actor, now = ctx.actor, ctx.now
    unit = access.get_unit(actor, unit_id)
    if shift not in SHIFTS:
        raise Invalid(Msg("Not a shift."), {"shift": Msg("Not a shift.")})
    residents = {r.id for r in _residents(unit)}
    carers = {c.id for c in carers_of(unit)}
    errors = {}
    seen = set()
    for i, a in enumerate(assignments):
        if a["resident_id"] not in residents:
            errors[f"assignments.{i}.resident_id"] = Msg("Not a resident of this unit.")
        elif a["resident_id"] in seen:
            errors[f"assignments.{i}.resident_id"] = Msg("This resident is listed twice.")
        seen.add(a["resident_id"])
        if a.get("carer_id") is not None and a["carer_id"] not in carers:
            errors[f"assignments.{i}.carer_id"] = Msg("Not a carer of this unit.")
    if errors:
        raise Invalid(Msg("Some assignments cannot be saved."), errors)
    if day > homes.home_today(unit, now) + timedelta(days=31):
        raise Invalid(Msg("Plan at most a month ahead."), {"day": Msg("Plan at most a month ahead.")})
    with audited(ctx) as w:
        s = w.session
        kept = [a for a in assignments if a.get("carer_id") is not None]
        # a resident moved from another unit may still hold that unit's assignment for the shift
        CarerAssignment.query.filter(CarerAssignment.day == day, CarerAssignment.shift == shift,
                                     or_(CarerAssignment.unit_id == unit.id,
                                         CarerAssignment.resident_id.in_([a["resident_id"] for a in kept]))
                                     ).delete(synchronize_session=False)
        s.add_all(CarerAssignment(unit_id=unit.id, day=day, shift=shift, carer_id=a["carer_id"],
                                  resident_id=a["resident_id"], assigned_by=actor.id,
                                  assigned_at=now.replace(tzinfo=None)) for a in kept)
        w.audit("carers_assign", "unit", unit.id,
                detail={"day": day.isoformat(), "shift": shift,
                        "assignments": {str(a["resident_id"]): a["carer_id"] for a in kept}})
    return shift_view(actor, unit_id, day, shift)
