"""Caregiver load: which carer looks after which residents on a shift of a unit (the practice's norm: 8-10
residents per carer, a warning above 10 -- backend/domain/figures.py LOAD_LIMIT). A supervisor sets a shift's
assignments; carers are the unit's nurses (and nurses working for the whole home)."""
import random
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from flask_babel import gettext as _
from sqlalchemy import or_

from ..database import write_transaction
from ..domain import figures as rules
from ..domain import roles
from ..domain.schedule import SHIFTS
from ..errors import ApiError
from ..models import CarerAssignment, Resident, User
from . import access, audit


def carers_of(unit):
    return (User.query.filter(User.home_id == unit.home_id, User.holding(roles.NURSE), User.active.is_(True),
                              User.working_in(unit.id))
            .order_by(User.full_name, User.id).all())


def _residents(unit):
    return (Resident.query.filter_by(unit_id=unit.id, active=True)
            .order_by(Resident.room, Resident.bed, Resident.full_name).all())


def _today(unit, now):
    return now.astimezone(ZoneInfo(unit.home.timezone)).date()


def shift_view(actor, unit_id, day, shift):
    """A shift of a unit: the residents with their carer, the carers with their load, warnings."""
    unit = access.get_unit(actor, unit_id)
    residents = _residents(unit)
    carers = carers_of(unit)
    rows = CarerAssignment.query.filter_by(unit_id=unit.id, day=day, shift=shift).all()
    by_resident = {a.resident_id: a.carer_id for a in rows}
    load = rules.shift_load([r.id for r in residents],
                            [{"carer_id": a.carer_id, "resident_id": a.resident_id} for a in rows])
    names = {u.id: u.full_name for u in User.query.filter(User.id.in_({a.carer_id for a in rows}))} if rows else {}
    listed = {c.id for c in carers}
    carer_rows = [{"id": c.id, "name": c.full_name, "load": load["per_carer"].get(c.id, 0),
                   "over": c.id in load["over"]} for c in carers]
    # someone assigned earlier who is no longer a carer of the unit still shows, so the load adds up
    carer_rows += [{"id": cid, "name": names.get(cid, "?"), "load": n, "over": cid in load["over"]}
                   for cid, n in load["per_carer"].items() if cid not in listed]
    return {"unit_id": unit.id, "unit": unit.name, "day": day, "shift": shift, "limit": rules.LOAD_LIMIT,
            "norm": list(rules.LOAD_NORM),
            "residents": [{"id": r.id, "name": r.full_name, "room": r.room, "bed": r.bed,
                           "carer_id": by_resident.get(r.id)} for r in residents],
            "carers": carer_rows, "over": load["over"], "without": load["without"]}


def set_shift(actor, unit_id, day, shift, assignments, now, device_id=None):
    """Replace a shift's assignments. assignments: [{"resident_id", "carer_id" (None: no carer)}]."""
    unit = access.get_unit(actor, unit_id)
    if shift not in SHIFTS:
        raise ApiError(400, "validation_error", _("Not a shift."), {"shift": _("Not a shift.")})
    residents = {r.id for r in _residents(unit)}
    carers = {c.id for c in carers_of(unit)}
    errors = {}
    seen = set()
    for i, a in enumerate(assignments):
        if a["resident_id"] not in residents:
            errors[f"assignments.{i}.resident_id"] = _("Not a resident of this unit.")
        elif a["resident_id"] in seen:
            errors[f"assignments.{i}.resident_id"] = _("This resident is listed twice.")
        seen.add(a["resident_id"])
        if a.get("carer_id") is not None and a["carer_id"] not in carers:
            errors[f"assignments.{i}.carer_id"] = _("Not a carer of this unit.")
    if errors:
        raise ApiError(400, "validation_error", _("Some assignments cannot be saved."), errors)
    if day > _today(unit, now) + timedelta(days=31):
        raise ApiError(400, "validation_error", _("Plan at most a month ahead."),
                       {"day": _("Plan at most a month ahead.")})
    with write_transaction() as s:
        kept = [a for a in assignments if a.get("carer_id") is not None]
        # a resident moved from another unit may still hold that unit's assignment for the shift
        CarerAssignment.query.filter(CarerAssignment.day == day, CarerAssignment.shift == shift,
                                     or_(CarerAssignment.unit_id == unit.id,
                                         CarerAssignment.resident_id.in_([a["resident_id"] for a in kept]))
                                     ).delete(synchronize_session=False)
        s.add_all(CarerAssignment(unit_id=unit.id, day=day, shift=shift, carer_id=a["carer_id"],
                                  resident_id=a["resident_id"], assigned_by=actor.id,
                                  assigned_at=now.replace(tzinfo=None)) for a in kept)
        audit.record(s, actor, "carers_assign", "unit", unit.id, device_id=device_id, at=now,
                     detail={"day": day.isoformat(), "shift": shift,
                             "assignments": {str(a["resident_id"]): a["carer_id"] for a in kept}})
    return shift_view(actor, unit_id, day, shift)


def demo_carers(session, units, nurses, residents, today, assigned_by=None):
    """Demo: today's shifts. units: Unit rows; nurses: {unit id: [User]} (nurses of each unit, in order);
    residents: Resident rows. Day shift: the first nurse of a unit with two nurses takes all but one resident
    (11 of 12 -- over the limit, so the warning shows), the second the rest; a unit with one nurse: she takes all
    but two (10 of 12; two residents listed without a carer). Night shift: residents shared round-robin, at most
    the limit each (the rest without a carer).
    Returns the rows added."""
    rng = random.Random(5)
    added = []
    for unit in units:
        mine = sorted((r for r in residents if r.unit_id == unit.id), key=lambda r: (r.room, r.bed, r.id))
        staff = nurses.get(unit.id) or []
        if not mine or not staff:
            continue
        by = assigned_by or staff[0].id
        at = None
        if len(staff) >= 2:
            day_plan = [(r, staff[0] if i < len(mine) - 1 else staff[1]) for i, r in enumerate(mine)]
        else:
            day_plan = [(r, staff[0]) for r in mine[:max(0, len(mine) - 2)]]
        night_plan = [(r, staff[i % len(staff)]) for i, r in enumerate(mine)
                      if i < rules.LOAD_LIMIT * len(staff)]
        for shift, plan in (("day", day_plan), ("night", night_plan)):
            for r, nurse in plan:
                at = at or _demo_time(today, rng)
                row = CarerAssignment(unit_id=unit.id, day=today, shift=shift, carer_id=nurse.id,
                                      resident_id=r.id, assigned_by=by, assigned_at=at)
                session.add(row)
                added.append(row)
    session.flush()
    return added


def _demo_time(today, rng):
    return datetime.combine(today, time(0, 30 + rng.randint(0, 20)))
