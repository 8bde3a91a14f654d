"""A resident's stay: record its events (domain/stay.py), apply them to her record, and read them back.

Each event is a `resident_event` row (never changed), audited in the hash chain, and numbered in the feed with her
resident row, so every tablet of her post (and of the post she left) learns of it at its next pull. Her unit,
post, room and bed, her status and the days her stay began and ended are kept on the resident row as the events
leave them; entries keep the unit where they were recorded.
"""
from datetime import timezone

from sqlalchemy import select

from ..domain import recipients
from ..domain import stay as rules
from ..domain.errors import invalid
from ..domain.messages import Msg
from ..extensions import db
from ..models import DutyPost, RelativeLink, Resident, ResidentEvent, Room, User
from . import access, homes
from .publish import published

DETAIL_FIELDS = ("full_name", "birth_date", "room", "bed", "categories")
PLACE_FIELDS = ("unit_id", "post_id", "room", "bed")


def local(moment_utc_naive, tz):
    return moment_utc_naive.replace(tzinfo=timezone.utc).astimezone(tz).replace(tzinfo=None)


def _last_at(resident_id):
    """When her last move, absence, return, discharge, death or admission took effect: the next such event may not
    be dated before it. A change of details (a name spelt right, her categories) is dated when it was made and
    orders nothing: a move a minute later, dated to the minute, is not refused for it."""
    return db.session.execute(select(ResidentEvent.at).where(ResidentEvent.resident_id == resident_id,
                                                             ResidentEvent.kind != "details")
                              .order_by(ResidentEvent.at.desc()).limit(1)).scalar()


def place_of(resident):
    return {"unit_id": resident.unit_id, "post_id": resident.post_id, "room": resident.room, "bed": resident.bed}


def resolve_place(actor, unit_id, post_id, room, bed, resident_id=None):
    """Check a place in the home: the unit (one of the actor's), the post (of that unit), and -- when the unit
    keeps its rooms -- a room of the unit with that bed, free of another resident in care. A room that a post
    covers decides the post when none is given. Returns (unit, post, room text, bed text)."""
    errors = {}
    unit = access.find_unit(actor, unit_id)
    if unit is None:
        raise invalid({"unit_id": Msg("No such unit in this home.")})
    room, bed = (room or "").strip(), (bed or "").strip()
    rooms = Room.query.filter_by(unit_id=unit.id, active=True).all()
    if rooms and room:
        chosen = next((r for r in rooms if r.name == room), None)
        if chosen is None:
            errors["room"] = Msg("The unit has no room of this name.")
        else:
            labels = [b.label for b in chosen.beds]
            if labels and bed and bed not in labels:
                errors["bed"] = Msg("The room has no bed of this label.")
            if post_id is None and chosen.post_id is not None:
                post_id = chosen.post_id
    post = db.session.get(DutyPost, post_id) if post_id is not None else None
    if post_id is None and "room" in errors:
        pass  # the post would have come from the room: the room is what to correct
    elif post is None or post.unit_id != unit.id:
        errors["post_id"] = (Msg("Choose the duty post.") if post_id is None
                             else Msg("This duty post is not in the chosen unit."))
    if room and bed and not errors:
        taken = (Resident.query.filter(Resident.unit_id == unit.id, Resident.room == room, Resident.bed == bed,
                                       Resident.active.is_(True))
                 .filter(Resident.id != resident_id if resident_id is not None else True).first())
        if taken is not None:
            errors["bed"] = Msg("This bed is taken by %(name)s.", name=taken.full_name)
    if errors:
        raise invalid(errors)
    return unit, post, room, bed


def record(ctx, resident_id, data):
    """Record one event of her stay. data: kind, at (aware datetime; default now), reason, absence, and for
    `details` the fields changed, for `move` (and optionally `readmission`) the new place."""
    actor, now = ctx.actor, ctx.now
    resident = access.get_resident(actor, resident_id)
    tz = homes.home_zone(actor.home_id)
    kind = data["kind"]
    at = data.get("at") or now
    at_local = at.astimezone(tz).replace(tzinfo=None)
    now_local = now.astimezone(tz).replace(tzinfo=None)
    last = _last_at(resident.id)
    errors = rules.check(resident.status, kind, at_local, now_local, local(last, tz) if last else None,
                         data.get("reason", ""), data.get("absence"))
    if errors:
        raise invalid(errors)
    before = place_of(resident)
    detail = {}
    if kind == "details":
        if "categories" in data:
            errors = recipients.check(data["categories"])
            if errors:
                raise invalid(errors)
            data = {**data, "categories": recipients.ordered(data["categories"])}
        changes = {k: data[k] for k in DETAIL_FIELDS if k in data and data[k] != getattr(resident, k)}
        if "full_name" in changes:
            changes["full_name"] = (changes["full_name"] or "").strip()
            if not changes["full_name"]:
                raise invalid({"full_name": Msg("must not be blank")})
        if changes.get("birth_date") and changes["birth_date"] > now_local.date():
            raise invalid({"birth_date": Msg("The date of birth cannot be in the future.")})
        if "room" in changes or "bed" in changes:
            resolve_place(actor, resident.unit_id, resident.post_id, changes.get("room", resident.room),
                          changes.get("bed", resident.bed), resident.id)
        if not changes:
            raise invalid({"_": Msg("Nothing to change.")})
        detail = {"from": {k: _json(getattr(resident, k)) for k in changes},
                  "to": {k: _json(v) for k, v in changes.items()}}
    place = None
    if kind == "move" or (kind == "readmission" and any(k in data for k in PLACE_FIELDS)):
        unit, post, room, bed = resolve_place(actor, data.get("unit_id", resident.unit_id), data.get("post_id"),
                                              data.get("room", ""), data.get("bed", ""), resident.id)
        place = {"unit_id": unit.id, "post_id": post.id, "room": room, "bed": bed}
        if kind == "move" and place == before:
            raise invalid({"unit_id": Msg("This is where she is already.")})
        detail = {"from": before, "to": place}
    with published(ctx) as w:
        s = w.session
        seq = w.number()
        event = ResidentEvent(resident_id=resident.id, kind=kind, at=at.astimezone(timezone.utc).replace(tzinfo=None),
                              day=at_local.date(), absence=data.get("absence") if kind == "absence" else None,
                              reason=(data.get("reason") or "").strip(), detail=detail or None,
                              from_post_id=before["post_id"] if place else None, recorded_by=actor.id,
                              recorded_at=now.astimezone(timezone.utc).replace(tzinfo=None), seq=seq)
        s.add(event)
        if kind == "details":
            for k, v in changes.items():
                setattr(resident, k, v)
        if place:
            for k, v in place.items():
                setattr(resident, k, v)
        resident.status = rules.status_after(resident.status, kind)
        resident.active = resident.status in rules.IN_CARE
        if kind in ("discharge", "death"):
            resident.left_on = at_local.date()
            ended = [uid for (uid,) in s.execute(select(RelativeLink.user_id)
                                                 .where(RelativeLink.resident_id == resident.id))]
            s.query(RelativeLink).filter_by(resident_id=resident.id).delete(synchronize_session=False)
            detail = dict(detail, relatives_unlinked=ended)
        if kind == "readmission":
            resident.admitted_on, resident.left_on = at_local.date(), None
        resident.seq = seq
        s.flush()
        w.audit(f"resident_{kind}", "resident", resident.id,
                detail=dict(detail, event_id=event.id, absence=event.absence, effective=event.at.isoformat() + "Z"))
    return event


def _json(value):
    return value.isoformat() if hasattr(value, "isoformat") else value


def admission_event(s, actor, resident, at_utc_naive, day, seq, now):
    """The first event of a stay, written with the new resident (services/residents.admit)."""
    s.add(ResidentEvent(resident_id=resident.id, kind="admission", at=at_utc_naive, day=day, reason="",
                        detail={"to": place_of(resident)}, recorded_by=actor.id,
                        recorded_at=now.astimezone(timezone.utc).replace(tzinfo=None), seq=seq))


def history(actor, resident_id):
    """Her stay's events, oldest first, with who recorded each."""
    resident = access.get_resident(actor, resident_id)
    events = ResidentEvent.query.filter_by(resident_id=resident.id).order_by(ResidentEvent.at, ResidentEvent.id).all()
    names = dict(db.session.query(User.id, User.full_name).filter(User.id.in_({e.recorded_by for e in events}))) \
        if events else {}
    return resident, [dict({c: getattr(e, c) for c in _EVENT_COLUMNS}, recorded_by_name=names.get(e.recorded_by))
                      for e in events]


_EVENT_COLUMNS = ("id", "kind", "at", "day", "absence", "reason", "detail", "recorded_by", "recorded_at")


def periods_of(resident_ids, tz, session=None):
    """{resident id: [(from, until or None)]}: the time each was away, in the home's local time."""
    if not resident_ids:
        return {}
    s = session or db.session
    rows = s.execute(select(ResidentEvent.resident_id, ResidentEvent.kind, ResidentEvent.at)
                     .where(ResidentEvent.resident_id.in_(list(resident_ids)),
                            ResidentEvent.kind.in_(rules.LEAVES + rules.COMES_BACK))).all()
    by_resident = {}
    for rid, kind, at in rows:
        by_resident.setdefault(rid, []).append({"kind": kind, "at": local(at, tz)})
    return {rid: rules.away_periods(events) for rid, events in by_resident.items()}


def period_texts(periods):
    """Periods as the tablet reads them: the home's local 'YYYY-MM-DDTHH:MM' (frontend/lib/schedule.js)."""
    return [[a.strftime("%Y-%m-%dT%H:%M"), b.strftime("%Y-%m-%dT%H:%M") if b else None] for a, b in periods]
