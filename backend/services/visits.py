"""Home visits for the dispatcher (issue 18, section 3): generate a station's week from the published cards, list
the week, add a visit by hand, assign and reassign its carers, cancel it, today's board, carers' blocks (黑名单) and
the weekly follow-up calls (回访).

Rules in backend/domain (visit_plan.generate, visit_board.board_state / verification / follow_up_sample); here rows
become dicts, refusals name their field, and every write is audited. A visit is a pulled row: each change to it --
made, assigned, reassigned, cancelled -- takes a new feed position (`seq`), so the carers' phones pull it. Another
home's or another unit's visit, person, station or carer answers 404, as if it did not exist.

Readings the board makes of the phones (documented here, for docs/domain.md):
- a carer's last sync: the latest last_push_at or last_pull_at of the devices whose last signed-in person
  (device.last_user_id) is she -- her own phone; a team visit takes the latest of its carers;
- "on the carer's phone" (pulled_at): every current carer has a device of hers that pulled after the visit's last
  change (its creation, an assignment or unassignment; a cancelled visit is not on the board's way) and no earlier
  than PULL_AHEAD_DAYS before the visit's day (her pull carries a week ahead); the moment shown is the latest of
  those pulls (the device keeps its last pull only, so "since" is "at the latest by"). None while any carer's phone
  has not: a team visit is on the phones when it is on all of them.
"""
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select

from ..domain import entries as entry_rules
from ..domain import clock, homecare_codes, roles, visit_board, visit_plan
from ..domain import follow_ups as follow_up_rules
from ..domain import visits as visit_rules
from ..domain.errors import Conflict, NotFound, invalid
from ..domain.messages import Msg
from ..extensions import db
from ..models import (CardItem, CareCard, CarerBlock, Device, Entry, FollowUpCall, Home, Resident, ServiceItem, Unit,
                      User, Visit, VisitCarer)
from . import access, assessments, homes
from .publish import audited, published

#: A visit has one to three carers (team visits).
MAX_CARERS = 3
#: The longest range the week's list reads at once.
MAX_DAYS = 31
#: The carer's pull carries her visits up to a week ahead: a pull earlier than this before the visit's day did not.
PULL_AHEAD_DAYS = 7
#: A follow-up call's result.
FOLLOW_UP_RESULTS = follow_up_rules.RESULTS
#: The sources a dispatcher gives a visit she adds (generation makes "plan").
AD_HOC_SOURCES = tuple(s for s in homecare_codes.VISIT_SOURCES if s != "plan")
#: The station head's reason for accepting a carer's missing location: this many characters, at least and at most.
ACCEPT_REASON_MIN, ACCEPT_REASON_MAX = 3, 500
#: The entry columns the board reads (key_id: a signed entry, visit_board's "signed carer").
_ENTRY_COLUMNS = ("id", "kind", "resident_id", "day", "item_id", "slot", "status", "reason", "author_id",
                  "device_time", "values", "flags", "key_id", "supersedes", "seq")


def _invalid(errors):
    raise invalid(errors)


def _naive(now):
    return now.astimezone(UTC).replace(tzinfo=None)


# --- where: a station of a community home, its visits, its carers -------------------------------------------

def station(actor, unit_id, field="unit_id"):
    """The dispatcher's unit, a station of a community home (another home's or unit's: 404)."""
    unit = access.get_unit(actor, unit_id)
    home = db.session.get(Home, unit.home_id)
    if home.kind != "community":
        _invalid({field: Msg("not a station of a community home")})
    return unit, home


def get_visit(actor, visit_id):
    visit = db.session.get(Visit, visit_id)
    if visit is None or visit.home_id != actor.home_id or visit.unit_id not in access.unit_ids(actor):
        raise NotFound(Msg("No such visit."))
    return visit


def _carers_query(unit):
    """Staff of the station who visit: active, holding the nurse role, working in it (or across the home)."""
    return User.query.filter(User.home_id == unit.home_id, User.active.is_(True), User.holding(roles.NURSE),
                             User.working_in(unit.id))


def _standing_blocks(home_id, carer_ids):
    if not carer_ids:
        return {}
    rows = CarerBlock.query.filter(CarerBlock.home_id == home_id, CarerBlock.carer_id.in_(list(carer_ids)),
                                   CarerBlock.lifted_at.is_(None)).order_by(CarerBlock.id).all()
    return {b.carer_id: b for b in rows}


def _names(user_ids):
    ids = {i for i in user_ids if i is not None}
    if not ids:
        return {}
    return dict(db.session.execute(select(User.id, User.full_name).where(User.id.in_(ids))).all())


# --- visits as dicts ------------------------------------------------------------------------------------------

def _visit_dicts(visits, tz):
    """The rows of visits with their person, items, current carers and the history of assignment."""
    if not visits:
        return []
    ids = [v.id for v in visits]
    assignments = VisitCarer.query.filter(VisitCarer.visit_id.in_(ids)).order_by(VisitCarer.id).all()
    people = {r.id: r for r in Resident.query.filter(Resident.id.in_({v.resident_id for v in visits}))}
    item_ids = {i for v in visits for i in (v.item_ids or [])}
    items = {}
    if item_ids:
        for row in db.session.execute(select(CardItem.id, CardItem.title, CardItem.category,
                                             CardItem.service_item_id).where(CardItem.id.in_(item_ids))):
            items[row.id] = {"id": row.id, "title": row.title, "category": row.category,
                             "service_item_id": row.service_item_id}
    names = _names({a.carer_id for a in assignments} | {a.assigned_by for a in assignments}
                   | {v.cancelled_by for v in visits} | {v.created_by for v in visits}
                   | {v.location_accepted_by for v in visits})
    by_visit = {}
    for a in assignments:
        by_visit.setdefault(a.visit_id, []).append(a)
    out = []
    for v in visits:
        person = people[v.resident_id]
        rows = by_visit.get(v.id, [])
        out.append({
            "id": v.id, "unit_id": v.unit_id, "resident_id": v.resident_id,
            "person": {"id": person.id, "full_name": person.full_name, "address": person.address,
                       "phone": person.phone},
            "day": v.day, "start_time": v.start_time, "planned_minutes": v.planned_minutes, "source": v.source,
            "item_ids": list(v.item_ids or []),
            "items": [items.get(i, {"id": i, "title": None, "category": None, "service_item_id": None})
                      for i in v.item_ids or []],
            "carers": [{"id": a.carer_id, "full_name": names.get(a.carer_id),
                        "assigned_at": clock.in_zone(a.assigned_at, tz)}
                       for a in rows if a.unassigned_at is None],
            "assignments": [{"carer_id": a.carer_id, "full_name": names.get(a.carer_id),
                             "assigned_at": clock.in_zone(a.assigned_at, tz), "assigned_by": a.assigned_by,
                             "unassigned_at": clock.in_zone(a.unassigned_at, tz)} for a in rows],
            "cancelled": v.cancelled_at is not None, "cancelled_at": clock.in_zone(v.cancelled_at, tz),
            "cancelled_by": v.cancelled_by, "cancelled_by_name": names.get(v.cancelled_by),
            "cancel_reason": v.cancel_reason, "created_at": clock.in_zone(v.created_at, tz), "created_by": v.created_by,
            "location_accepted": v.location_accepted_at is not None,
            "location_accepted_at": clock.in_zone(v.location_accepted_at, tz),
            "location_accepted_by": v.location_accepted_by,
            "location_accepted_by_name": names.get(v.location_accepted_by),
            "location_accepted_reason": v.location_accepted_reason,
            "seq": v.seq})
    return out


def _visit_dict(visit):
    return _visit_dicts([visit], homes.home_zone(visit.home_id))[0]


def list_visits(actor, unit_id, start, end):
    """The station's visits from `start` to `end` (both included), by day, time and id; cancelled ones too."""
    if end < start:
        _invalid({"to": Msg("must not be before the start")})
    if (end - start).days >= MAX_DAYS:
        _invalid({"to": Msg("at most %(n)s days at once", n=MAX_DAYS)})
    unit, home = station(actor, unit_id)
    visits = (Visit.query.filter(Visit.unit_id == unit.id, Visit.day >= start, Visit.day <= end)
              .order_by(Visit.day, Visit.start_time, Visit.id).all())
    return _visit_dicts(visits, ZoneInfo(home.timezone))


# --- generate a week ------------------------------------------------------------------------------------------

def _week(week_start):
    if week_start.isoweekday() != 1:
        _invalid({"week_start": Msg("must be a Monday")})
    return [week_start + timedelta(days=n) for n in range(7)]


def generate(ctx, unit_id, week_start):
    """Visits from the timed items of the station's people's published cards, for the week from `week_start` (a
    Monday), from the home's today on (earlier days are in the past: nothing is planned there). Idempotent: a
    (person, day, time) that has a visit already -- cancelled ones included -- makes none. Returns {"made": [visit
    rows], "skipped": [{resident_id, reason, days | day and start_time}]}; reasons: past (the days before today),
    no_card (no published card for the days' month), no_timed_items (her card has nothing with a time of day),
    exists, cancelled (the visit at that time was cancelled: not made again)."""
    actor, now = ctx.actor, ctx.now
    days = _week(week_start)
    unit, home = station(actor, unit_id)
    tz = ZoneInfo(home.timezone)
    today = homes.home_today(tz, now)
    past = [d for d in days if d < today]
    days = [d for d in days if d >= today]
    people = Resident.query.filter(Resident.unit_id == unit.id, Resident.active.is_(True)).order_by(Resident.id).all()
    skipped, planned = [], []
    if past:
        skipped.append({"resident_id": None, "reason": "past", "days": past})
    with published(ctx) as w:
        s = w.session
        months = sorted({d.replace(day=1) for d in days})
        cards = {}
        if days and people:
            for card in CareCard.query.filter(CareCard.resident_id.in_([p.id for p in people]),
                                              CareCard.month.in_(months), CareCard.status == "published"):
                cards[(card.resident_id, card.month)] = card
        existing = {}
        if days and people:
            for v in Visit.query.filter(Visit.resident_id.in_([p.id for p in people]), Visit.day >= days[0],
                                        Visit.day <= days[-1]):
                existing.setdefault(v.resident_id, []).append(v)
        service_ids = {i.service_item_id for c in cards.values() for i in c.items if i.service_item_id}
        standard = {}
        if service_ids:
            standard = dict(s.execute(select(ServiceItem.id, ServiceItem.standard_minutes).where(
                ServiceItem.id.in_(service_ids), ServiceItem.home_id == home.id)).all())
        for person in people if days else ():
            items, minutes, uncovered = [], {}, []
            for day in days:
                if (person.id, day.replace(day=1)) not in cards:
                    uncovered.append(day)
            for month in months:
                card = cards.get((person.id, month))
                for item in card.items if card else ():
                    items.append({"id": item.id, "schedule_kind": item.schedule_kind, "schedule": item.schedule,
                                  "days_of_week": item.days_of_week, "valid_from": item.valid_from,
                                  "valid_to": item.valid_to, "month": card.month})
                    if item.service_item_id in standard and standard[item.service_item_id]:
                        minutes[item.id] = standard[item.service_item_id]
            if uncovered:
                skipped.append({"resident_id": person.id, "reason": "no_card", "days": uncovered})
            covered = [d for d in days if d not in uncovered]
            if not covered:
                continue
            everything = visit_plan.generate(person.id, items, covered, [], minutes)
            if not everything:
                skipped.append({"resident_id": person.id, "reason": "no_timed_items", "days": covered})
                continue
            have = {(v.day, v.start_time): v for v in existing.get(person.id, [])}
            made = visit_plan.generate(person.id, items, covered, list(have), minutes)
            fresh = {(v["day"], v["start_time"]) for v in made}
            for v in everything:
                key = (v["day"], v["start_time"])
                if key not in fresh:
                    skipped.append({"resident_id": person.id, "day": v["day"], "start_time": v["start_time"],
                                    "reason": "cancelled" if have[key].cancelled_at else "exists"})
            planned.extend(made)
        rows = []
        if planned:
            first = w.numbers(len(planned))
            created = _naive(now)
            for n, v in enumerate(planned):
                row = Visit(home_id=home.id, unit_id=unit.id, resident_id=v["resident_id"], day=v["day"],
                            start_time=v["start_time"], planned_minutes=v["planned_minutes"], source="plan",
                            item_ids=v["item_ids"], created_at=created, created_by=actor.id, seq=first + n)
                s.add(row)
                rows.append(row)
            s.flush()
        w.audit("visits_generate", "unit", unit.id,
                detail={"week_start": week_start.isoformat(), "made": [r.id for r in rows],
                        "skipped": len([x for x in skipped if x["reason"] in ("exists", "cancelled")])})
    return {"made": _visit_dicts(rows, tz), "skipped": skipped}


# --- one visit: add, assign, cancel -----------------------------------------------------------------------------

def _card_items_of(resident_id, day, item_ids):
    """Refuse item ids that are not items of the person's card for the day's month."""
    if not item_ids:
        return
    found = {i for (i,) in db.session.execute(select(CardItem.id).join(CareCard).where(
        CardItem.id.in_(set(item_ids)), CareCard.resident_id == resident_id, CareCard.month == day.replace(day=1)))}
    unknown = [i for i in item_ids if i not in found]
    if unknown:
        _invalid({"item_ids": Msg("not items of her card for that month: %(ids)s",
                                  ids=", ".join(str(i) for i in unknown))})
    if len(set(item_ids)) != len(item_ids):
        _invalid({"item_ids": Msg("an item is named twice")})


def create_visit(ctx, data):
    """A visit the dispatcher adds (ad hoc, after an alarm, an inspection visit) for a person of her station."""
    actor, now = ctx.actor, ctx.now
    person = access.get_resident(actor, data["resident_id"])
    unit, home = station(actor, person.unit_id, field="resident_id")
    if not person.active:
        _invalid({"resident_id": Msg("no longer served")})
    _card_items_of(person.id, data["day"], data["item_ids"])
    with published(ctx) as w:
        visit = Visit(home_id=home.id, unit_id=unit.id, resident_id=person.id, day=data["day"],
                      start_time=data["start_time"], planned_minutes=data["planned_minutes"], source=data["source"],
                      item_ids=list(data["item_ids"]), created_at=_naive(now), created_by=actor.id)
        w.number(visit)
        w.session.add(visit)
        w.session.flush()
        w.audit("visit_create", "visit", visit.id,
                detail={"resident_id": person.id, "day": visit.day.isoformat(), "start_time": visit.start_time,
                        "source": visit.source})
    return _visit_dict(visit)


def _check_carers(visit, carer_ids):
    if len(set(carer_ids)) != len(carer_ids):
        _invalid({"carer_ids": Msg("a carer is named twice")})
    unit = db.session.get(Unit, visit.unit_id)
    eligible = {u.id for u in _carers_query(unit).filter(User.id.in_(carer_ids))}
    strangers = [i for i in carer_ids if i not in eligible]
    if strangers:
        _invalid({"carer_ids": Msg("not a carer of this station: %(ids)s", ids=", ".join(map(str, strangers)))})
    blocked = _standing_blocks(visit.home_id, carer_ids)
    if blocked:
        _invalid({"carer_ids": Msg("blocked, cannot be assigned: %(ids)s",
                                   ids=", ".join(str(i) for i in carer_ids if i in blocked))})


def assign(ctx, visit_id, carer_ids):
    """The visit's current carers become `carer_ids` (1-3): the rows of those no longer sent are closed
    (unassigned_at), new rows are opened, those kept keep theirs; the visit takes a new feed position. A visit
    already arrived at may be reassigned: its entries stay as they are (the push flags a later entry of a carer no
    longer assigned, never rewrites one). The same carers again: nothing is written."""
    actor, now = ctx.actor, ctx.now
    visit = get_visit(actor, visit_id)
    if visit.cancelled_at is not None:
        raise Conflict(Msg("The visit is cancelled."), code="visit_cancelled")
    _check_carers(visit, carer_ids)
    with published(ctx) as w:
        current = {a.carer_id: a for a in VisitCarer.query.filter_by(visit_id=visit.id, unassigned_at=None)}
        gone = [i for i in current if i not in carer_ids]
        new = [i for i in carer_ids if i not in current]
        if gone or new:
            at = _naive(now)
            for carer_id in gone:
                current[carer_id].unassigned_at = at
            for carer_id in new:
                w.session.add(VisitCarer(visit_id=visit.id, carer_id=carer_id, assigned_at=at,
                                         assigned_by=actor.id))
            w.number(visit)
            w.audit("visit_assign", "visit", visit.id, detail={"carer_ids": list(carer_ids), "added": new,
                                                                "removed": gone})
    return _visit_dict(visit)


def cancel(ctx, visit_id, reason):
    """Cancel a visit with a reason: it stays, with who cancelled it and when (the board shows it cancelled; an
    entry pushed for it later is stored and flagged)."""
    actor, now = ctx.actor, ctx.now
    reason = (reason or "").strip()
    if not reason:
        _invalid({"reason": Msg("a reason is required")})
    visit = get_visit(actor, visit_id)
    if visit.cancelled_at is not None:
        raise Conflict(Msg("The visit is cancelled already."), code="visit_cancelled")
    with published(ctx) as w:
        if visit.cancelled_at is not None:  # read again under the feed lock: cancelled meanwhile
            raise Conflict(Msg("The visit is cancelled already."), code="visit_cancelled")
        visit.cancelled_at, visit.cancelled_by, visit.cancel_reason = _naive(now), actor.id, reason
        w.number(visit)
        w.audit("visit_cancel", "visit", visit.id, detail={"reason": reason})
    return _visit_dict(visit)


# --- the board -----------------------------------------------------------------------------------------------

def _entries_of(resident_ids, days):
    """The standing visit entries and ticks of these people on these days, as dicts (visit_board's shape)."""
    if not resident_ids:
        return []
    cols = [getattr(Entry, c) for c in _ENTRY_COLUMNS]
    rows = db.session.execute(select(*cols).where(Entry.resident_id.in_(set(resident_ids)), Entry.day.in_(set(days)),
                                                  Entry.kind.in_((visit_rules.KIND, "tick"))).order_by(Entry.seq))
    found = [dict(zip(_ENTRY_COLUMNS, row)) for row in rows]
    for e in found:
        e["day"] = str(e["day"])
        if not isinstance(e["values"], dict):
            e["values"] = {}
    return entry_rules.standing(found)


def _device_times(home_id, user_ids):
    """{user id: (her latest sync, her latest pull)} from the devices she last signed in on."""
    out = {}
    if not user_ids:
        return out
    for d in Device.query.filter(Device.home_id == home_id, Device.last_user_id.in_(set(user_ids))):
        sync, pull = out.get(d.last_user_id, (None, None))
        for at in (d.last_push_at, d.last_pull_at):
            if at is not None and (sync is None or at > sync):
                sync = at
        if d.last_pull_at is not None and (pull is None or d.last_pull_at > pull):
            pull = d.last_pull_at
        out[d.last_user_id] = (sync, pull)
    return out


def _last_change(visit, rows):
    """When the visit last took a feed position: made, or a carer assigned or unassigned."""
    moments = [visit["created_at"]] + [a["assigned_at"] for a in rows] + [a["unassigned_at"] for a in rows]
    return max(m for m in moments if m is not None)


def _pulled_at(visit, carers, devices, tz):
    if not carers:
        return None
    changed = _last_change(visit, visit["assignments"])
    earliest = datetime.combine(visit["day"] - timedelta(days=PULL_AHEAD_DAYS), datetime.min.time(), tzinfo=tz)
    pulls = []
    for carer in carers:
        pull = clock.in_zone(devices.get(carer["id"], (None, None))[1], tz)
        if pull is None or pull < changed or pull < earliest:
            return None
        pulls.append(pull)
    return max(pulls)


def board(ctx, unit_id, day):
    """Every visit of the station on `day` with where it stands at ctx.now (visit_board.board_state), whether it is
    verified (visit_board.verification), the flags and events of its entries, and the count per state."""
    actor, now = ctx.actor, ctx.now
    unit, home = station(actor, unit_id)
    tz = ZoneInfo(home.timezone)
    visits = Visit.query.filter(Visit.unit_id == unit.id, Visit.day == day).order_by(Visit.start_time, Visit.id).all()
    rows = _visit_dicts(visits, tz)
    entries = _entries_of({v.resident_id for v in visits}, {day})
    by_person = {}
    for e in entries:
        by_person.setdefault(e["resident_id"], []).append(e)
    people = {r.id: {"id": r.id, "lat": r.lat, "lon": r.lon, "radius_m": r.radius_m}
              for r in Resident.query.filter(Resident.id.in_({v.resident_id for v in visits}))} if visits else {}
    devices = _device_times(home.id, {c["id"] for r in rows for c in r["carers"]})
    counts = dict.fromkeys(visit_board.STATES, 0)
    out = []
    for row in rows:
        plan = {"id": row["id"], "resident_id": row["resident_id"], "day": row["day"],
                "start_time": row["start_time"], "planned_minutes": row["planned_minutes"],
                "item_ids": row["item_ids"], "cancelled_at": row["cancelled_at"], "timezone": home.timezone,
                "location_accepted": row["location_accepted"]}
        mine = by_person.get(row["resident_id"], [])
        syncs = [devices[c["id"]][0] for c in row["carers"] if c["id"] in devices and devices[c["id"]][0]]
        last_sync = clock.in_zone(max(syncs), tz) if syncs else None
        pulled_at = _pulled_at(row, row["carers"], devices, tz)
        state = visit_board.board_state(plan, mine, now, carer_last_sync=last_sync, pulled_at=pulled_at,
                                        zone=home.timezone)
        assigned = [c["id"] for c in row["carers"]]
        found = visit_board.evidence(plan, mine, people[row["resident_id"]], assigned)  # read once per visit
        check = {"verified": found["verified"], "missing": found["missing"]}
        counts[state["state"]] += 1
        events = [{"id": e["id"], "status": e["status"], "reason": e["reason"], "author_id": e["author_id"],
                   "device_time": e["device_time"], "flags": e["flags"] or None, "signed": bool(e["key_id"])}
                  for e in visit_board.visit_entries(plan, mine)]
        # _presence_unproven's reading, from the verification just made (its location element does not depend on
        # the carers, and without an accepted reason it is the one asked there): verification once per visit
        acceptable = (not row["location_accepted"] and row["cancelled_at"] is None
                      and visit_board.LOCATION in check["missing"]
                      and any(e["status"] in (visit_rules.ARRIVED, visit_rules.LEFT) for e in events))
        out.append(dict(row, state=state["state"], since=state["since"], flags=state["flags"],
                        verification=check, carer_last_sync=last_sync, pulled_at=pulled_at, events=events,
                        items_done=found["items_done"], location_acceptable=acceptable))
    return {"unit_id": unit.id, "day": day, "now": now.astimezone(tz), "timezone": home.timezone, "visits": out,
            "counts": counts}


# --- the carer's reason for no location, accepted --------------------------------------------------------------

def _person_dict(resident_id):
    r = db.session.get(Resident, resident_id)
    return {"id": r.id, "lat": r.lat, "lon": r.lon, "radius_m": r.radius_m}


def _presence_unproven(plan, entries, person):
    """Whether the visit has a standing arrival or departure and none of them shows presence at her home --
    visit_board's own reading (verification's location element, asked without any accepted reason)."""
    if not (visit_board.visit_entries(plan, entries, visit_rules.ARRIVED)
            or visit_board.visit_entries(plan, entries, visit_rules.LEFT)):
        return False
    check = visit_board.verification(dict(plan, location_accepted=False), entries, person, [])
    return visit_board.LOCATION in check["missing"]


def accept_location(ctx, visit_id, reason):
    """The station head accepts the carer's reason for showing no presence at the home (a presence "none", a far
    fix, a wrong code): the visit's location element then counts (visit_board.verification, location_accepted).
    Only for a visit, not cancelled, with a standing arrival or departure whose presence is not shown (no fix within
    the radius, no right code); once. The entries stay as they are: who accepted, when and why are kept on the
    visit, audited, and the visit takes a new feed position."""
    actor, now = ctx.actor, ctx.now
    reason = (reason or "").strip()
    if len(reason) < ACCEPT_REASON_MIN:
        _invalid({"reason": Msg("at least %(n)s characters", n=ACCEPT_REASON_MIN)})
    visit = get_visit(actor, visit_id)
    station(actor, visit.unit_id, field="visit_id")

    def refuse():
        if visit.location_accepted_at is not None:
            raise Conflict(Msg("The carer's reason is accepted already."), code="location_accepted",
                           fields={"visit_id": Msg("its location is accepted already")})
        if visit.cancelled_at is not None:
            raise Conflict(Msg("The visit is cancelled."), code="visit_cancelled",
                           fields={"visit_id": Msg("the visit is cancelled")})
        plan = {"id": visit.id, "resident_id": visit.resident_id, "day": visit.day, "start_time": visit.start_time,
                "planned_minutes": visit.planned_minutes, "item_ids": list(visit.item_ids or []),
                "cancelled_at": None, "timezone": homes.home_zone(visit.home_id).key}
        if not _presence_unproven(plan, _entries_of({visit.resident_id}, {visit.day}),
                                  _person_dict(visit.resident_id)):
            raise Conflict(Msg("Nothing to accept: no arrival or departure, or her presence is shown."),
                           code="location_shown", fields={"visit_id": Msg(
                               "no arrival or departure without presence at her home")})

    refuse()
    with published(ctx) as w:
        refuse()  # again under the feed lock: accepted or cancelled meanwhile
        visit.location_accepted_at, visit.location_accepted_by = _naive(now), actor.id
        visit.location_accepted_reason = reason
        w.number(visit)
        w.audit("visit_accept_location", "visit", visit.id, detail={"reason": reason})
    return _visit_dict(visit)


# --- carers and their blocks (黑名单) ---------------------------------------------------------------------------

def _carer_dict(user, block, names, tz):
    return {"id": user.id, "full_name": user.full_name, "active": user.active, "unit_ids": user.unit_ids,
            "blocked": block is not None,
            "block": None if block is None else {
                "id": block.id, "reason": block.reason, "blocked_at": clock.in_zone(block.blocked_at, tz),
                "blocked_by": block.blocked_by, "blocked_by_name": names.get(block.blocked_by)}}


def carers(actor, unit_id):
    """The station's carers (active staff holding the nurse role who work there) with whether they are blocked."""
    unit, home = station(actor, unit_id)
    found = _carers_query(unit).order_by(User.full_name, User.id).all()
    blocks = _standing_blocks(home.id, [u.id for u in found])
    names = _names(b.blocked_by for b in blocks.values())
    tz = ZoneInfo(home.timezone)
    return [_carer_dict(u, blocks.get(u.id), names, tz) for u in found]


def _get_carer(actor, carer_id):
    """A carer (nurse role) of one of the dispatcher's stations; anyone else: 404."""
    user = db.session.get(User, carer_id)
    if user is None or user.home_id != actor.home_id or not user.has_role(roles.NURSE):
        raise NotFound(Msg("No such carer."))
    mine = set(access.unit_ids(actor))
    if user.unit_ids and not mine & set(user.unit_ids):
        raise NotFound(Msg("No such carer."))
    home = db.session.get(Home, user.home_id)
    if home.kind != "community":
        raise NotFound(Msg("No such carer."))
    return user


def _upcoming(carer_id, today):
    """Her current visits from today on, not cancelled: the dispatcher reassigns them after a block."""
    return [i for (i,) in db.session.execute(select(Visit.id).join(VisitCarer, VisitCarer.visit_id == Visit.id).where(
        VisitCarer.carer_id == carer_id, VisitCarer.unassigned_at.is_(None), Visit.cancelled_at.is_(None),
        Visit.day >= today).order_by(Visit.day, Visit.start_time, Visit.id))]


def block(ctx, carer_id, reason, reach=None):
    """Block a carer: from now on she cannot be assigned. Her current assignments stay for the dispatcher to
    reassign (`upcoming_visit_ids`). `reach`: who may be found (actor, carer id) -> the carer or NotFound; by
    default a carer of the dispatcher's stations (the region's inspector passes her own: services/region.py)."""
    actor, now = ctx.actor, ctx.now
    reason = (reason or "").strip()
    if not reason:
        _invalid({"reason": Msg("a reason is required")})
    user = (reach or _get_carer)(actor, carer_id)
    if _standing_blocks(user.home_id, [user.id]):
        raise Conflict(Msg("The carer is blocked already."), code="already_blocked")
    with audited(ctx) as w:
        row = CarerBlock(home_id=user.home_id, carer_id=user.id, blocked_by=actor.id, blocked_at=_naive(now),
                         reason=reason)
        w.session.add(row)
        w.session.flush()
        w.audit("carer_block", "user", user.id, detail={"block_id": row.id, "reason": reason})
    return _carer_reply(actor, user, now)


def unblock(ctx, carer_id, reach=None):
    actor, now = ctx.actor, ctx.now
    user = (reach or _get_carer)(actor, carer_id)
    standing = _standing_blocks(user.home_id, [user.id])
    if not standing:
        raise Conflict(Msg("The carer is not blocked."), code="not_blocked")
    with audited(ctx) as w:
        row = w.session.get(CarerBlock, standing[user.id].id)
        row.lifted_at, row.lifted_by = _naive(now), actor.id
        w.audit("carer_unblock", "user", user.id, detail={"block_id": row.id})
    return _carer_reply(actor, user, now)


def _carer_reply(actor, user, now):
    user = db.session.get(User, user.id)
    block_row = _standing_blocks(user.home_id, [user.id]).get(user.id)
    names = _names([block_row.blocked_by] if block_row else [])
    out = _carer_dict(user, block_row, names, homes.home_zone(user.home_id))
    out["upcoming_visit_ids"] = _upcoming(user.id, homes.home_today(user.home_id, now))
    return out


# --- follow-up calls (回访) --------------------------------------------------------------------------------------

def _finished(visits, entries):
    """The visits with a standing departure of their own (cancelled ones are not finished)."""
    by_person = {}
    for e in entries:
        by_person.setdefault(e["resident_id"], []).append(e)
    out = []
    for v in visits:
        if v.cancelled_at is None and visit_board.visit_entries(
                {"id": v.id}, by_person.get(v.resident_id, []), visit_rules.LEFT):
            out.append(v)
    return out


def follow_ups(actor, unit_id, week_start):
    """The week's sample of finished visits to call (visit_board.follow_up_sample, keyed by the week's Monday),
    each with its calls (each with its questionnaire's score and band, if one was asked) and the latest call's
    result and score; visits called that are no longer in the sample (it grows as visits finish) are listed too,
    `in_sample` false."""
    days = _week(week_start)
    unit, home = station(actor, unit_id)
    tz = ZoneInfo(home.timezone)
    visits = Visit.query.filter(Visit.unit_id == unit.id, Visit.day >= days[0], Visit.day <= days[-1]).all()
    finished = _finished(visits, _entries_of({v.resident_id for v in visits}, days))
    sample = set(visit_board.follow_up_sample([v.id for v in finished], week_start.isoformat()))
    calls = (FollowUpCall.query.filter(FollowUpCall.visit_id.in_([v.id for v in visits])).order_by(FollowUpCall.id)
             .all()) if visits else []
    by_visit = {}
    for c in calls:
        by_visit.setdefault(c.visit_id, []).append(c)
    chosen = sorted((v for v in finished if v.id in sample or v.id in by_visit), key=lambda v: (v.day, v.start_time,
                                                                                                 v.id))
    names = _names({c.called_by for c in calls})
    rows = []
    for row, v in zip(_visit_dicts(chosen, tz), chosen):
        made = [_call_dict(c, tz, names) for c in by_visit.get(v.id, [])]
        rows.append(dict(row, in_sample=v.id in sample, calls=made, result=made[-1]["result"] if made else None,
                         score=made[-1]["score"] if made else None))
    return {"unit_id": unit.id, "week_start": week_start, "finished": len(finished), "sample_size": len(sample),
            "visits": rows}


def _call_dict(call, tz, names):
    return {"id": call.id, "visit_id": call.visit_id, "result": call.result, "note": call.note,
            "called_by": call.called_by, "called_by_name": names.get(call.called_by),
            "called_at": clock.in_zone(call.called_at, tz),
            "form_id": follow_up_rules.FORM_ID if call.answers else None, "answers": call.answers, "score": call.score}


def questionnaire():
    """The follow-up call's questionnaire (frontend/forms/satisfaction_homecare.json), from the forms read once per
    process (services/assessments.py definitions)."""
    return assessments.definitions()[follow_up_rules.FORM_ID]


def record_follow_up(ctx, visit_id, result, note, answers=None):
    """Keep a follow-up call's result about a finished visit (one with a standing departure, not cancelled), and
    for a call that reached someone, optionally the satisfaction questionnaire's answers: checked and scored by the
    forms engine (domain/follow_ups.py), refused naming `answers.<question id>`; an unreachable call has none."""
    actor, now = ctx.actor, ctx.now
    visit = get_visit(actor, visit_id)
    station(actor, visit.unit_id, field="visit_id")
    definition = questionnaire()
    errors = follow_up_rules.check(result, answers, definition)
    if not _finished([visit], _entries_of({visit.resident_id}, {visit.day})):
        errors["visit_id"] = Msg("not a finished visit: no departure recorded, or cancelled")
    if errors:
        _invalid(errors)
    note = (note or "").strip() or None
    score = follow_up_rules.score(definition, answers)
    with audited(ctx) as w:
        row = FollowUpCall(home_id=visit.home_id, visit_id=visit.id, result=result, note=note, called_by=actor.id,
                           called_at=_naive(now), answers=answers, score=score)
        w.session.add(row)
        w.session.flush()
        w.audit("follow_up_call", "visit", visit.id, detail={"call_id": row.id, "result": result,
                                                             "band": score["band"] if score else None})
    tz = homes.home_zone(visit.home_id)
    return _call_dict(row, tz, _names([actor.id]))

