"""The organisation an administrator keeps: the home (name, time zone, default language), its units, their duty
posts, and rooms with their beds and the post that covers each.

Nothing already recorded moves: entries keep the unit they were recorded in (entry.unit_id), cards stay with
their resident; renaming a unit or a post renames it everywhere it is shown (a unit's and a post's name may also be
given in the home's languages: every reader sees hers, else the name as entered; domain/places.py). Rooms are
retired, not deleted, and a bed label stays on the records of the residents who lay in it. Every change is audited.
"""
from datetime import timezone
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones


from ..domain import contracts, places, posts as staff_posts, roles
from ..domain.errors import NotFound, invalid
from ..domain.messages import Msg
from ..extensions import db
from ..models import Bed, DutyPost, Home, Resident, ResidentEvent, Room, Unit
from . import access, homes, stay
from .publish import audited, published


def _refuse(field, message):
    raise invalid({field: message})


def overview(actor):
    home = db.session.get(Home, actor.home_id)
    units = Unit.query.filter_by(home_id=home.id).order_by(Unit.id).all()
    unit_ids = [u.id for u in units]
    posts = DutyPost.query.filter(DutyPost.unit_id.in_(unit_ids)).order_by(DutyPost.id).all() if unit_ids else []
    rooms = (Room.query.filter(Room.unit_id.in_(unit_ids)).order_by(Room.active.desc(), Room.name).all()
             if unit_ids else [])
    return {"home": home, "roles": list(roles.STAFF), "timezones": sorted(available_timezones()),
            "staff_posts": [{"code": p.code, "roles": list(p.roles)} for p in staff_posts.POSTS],
            "units": [{"id": u.id, "name": u.name, "names": u.names, "phone": u.phone,
                       "posts": [p for p in posts if p.unit_id == u.id],
                       "rooms": [r for r in rooms if r.unit_id == u.id]} for u in units]}


def change_home(ctx, data):
    actor = ctx.actor
    home = db.session.get(Home, actor.home_id)
    if "timezone" in data:
        try:
            ZoneInfo(data["timezone"])
        except (ZoneInfoNotFoundError, ValueError):
            _refuse("timezone", Msg("Not a time zone (write it as Europe/Moscow or Asia/Shanghai)."))
    if "name" in data and not data["name"].strip():
        _refuse("name", Msg("Give it a name."))
    detail = {k: [getattr(home, k), v.strip() if k == "name" else v] for k, v in data.items()
              if getattr(home, k) != v}
    if detail:
        with audited(ctx) as w:
            for key, (_old, new) in detail.items():
                setattr(home, key, new)
            w.audit("home_change", "home", home.id, detail=detail)
    return home


#: A rename that leaves the translations as they are (the request named none).
_KEEP = object()


def _name(text, field="name"):
    name = (text or "").strip()
    if not name:
        _refuse(field, Msg("Give it a name."))
    return name


def _rename(ctx, obj, name, action, object_type, names=_KEEP):
    """A unit or a post renamed, or its translations changed (`names`: {"ru", "zh_Hans", "en"}, each optional; _KEEP
    leaves them): everywhere it is shown, at once (nothing recorded names it by its name)."""
    name = _name(name)
    detail = {}
    if name != obj.name:
        detail["name"] = [obj.name, name]
    if names is not _KEEP:
        names = places.clean(names)
        if names != (obj.names or None):
            detail["names"] = [obj.names, names]
    if detail:
        with audited(ctx) as w:
            w.audit(action, object_type, obj.id, detail=detail)
            obj.name = name
            if "names" in detail:
                obj.names = names
    return obj


def _create(ctx, obj, action, object_type, detail):
    with audited(ctx) as w:
        s = w.session
        s.add(obj)
        s.flush()
        w.audit(action, object_type, obj.id, detail=detail)
    return obj


def create_unit(ctx, name, names=None):
    name, names = _name(name), places.clean(names)
    return _create(ctx, Unit(home_id=ctx.actor.home_id, name=name, names=names), "unit_create", "unit",
                   {"name": name, **({"names": names} if names else {})})


def rename_unit(ctx, unit_id, name, names=_KEEP):
    return _rename(ctx, access.get_unit(ctx.actor, unit_id), name, "unit_rename", "unit", names)


def set_unit_phone(ctx, unit_id, phone):
    """A unit's phone number (a station's: on the service sheet), or none (None or blank); audited."""
    unit = access.get_unit(ctx.actor, unit_id)
    phone = (phone or "").strip() or None
    if phone is not None and not contracts.PHONE.fullmatch(phone):
        _refuse("phone", contracts.PHONE_MESSAGE)
    if phone != unit.phone:
        with audited(ctx) as w:
            w.audit("unit_phone", "unit", unit.id, detail={"phone": [unit.phone, phone]})
            unit.phone = phone
    return unit


def home_unit(actor, unit_id):
    """A unit of the actor's home (her units), or a 400 naming `unit_id`."""
    unit = access.find_unit(actor, unit_id) if unit_id is not None else None
    if unit is None:
        _refuse("unit_id", Msg("No such unit in this home."))
    return unit


def create_post(ctx, unit_id, name, names=None):
    unit = home_unit(ctx.actor, unit_id)
    name, names = _name(name), places.clean(names)
    return _create(ctx, DutyPost(unit_id=unit.id, name=name, names=names), "post_create", "duty_post",
                   {"unit_id": unit.id, "name": name, **({"names": names} if names else {})})


def rename_post(ctx, post_id, name, names=_KEEP):
    return _rename(ctx, access.get_post(ctx.actor, post_id), name, "post_rename", "duty_post", names)


def _room_post(unit, post_id):
    if post_id is None:
        return None
    post = db.session.get(DutyPost, post_id)
    if post is None or post.unit_id != unit.id:
        _refuse("post_id", Msg("This duty post is not in the room's unit."))
    return post


def _bed_labels(labels):
    clean = [label.strip() for label in labels]
    if any(not label for label in clean):
        _refuse("beds", Msg("A bed needs a label (1, 2, A…)."))
    if len(set(clean)) != len(clean):
        _refuse("beds", Msg("Two beds of a room have the same label."))
    return clean


def _unique_room_name(unit, name, room_id=None):
    query = Room.query.filter(Room.unit_id == unit.id, Room.name == name)
    if room_id is not None:
        query = query.filter(Room.id != room_id)
    if query.first() is not None:
        _refuse("name", Msg("The unit already has a room of this name."))


def _set_beds(s, room, labels):
    """Keep the beds whose label stays, add the new ones, drop the ones no longer listed (a bed is only a label:
    residents' records keep the label they lay in)."""
    existing = {b.label: b for b in room.beds}
    for b in list(room.beds):
        if b.label not in labels:
            room.beds.remove(b)
            s.delete(b)
    for position, label in enumerate(labels):
        bed = existing.get(label)
        if bed is None:
            bed = Bed(label=label)
            room.beds.append(bed)
        bed.position = position


def create_room(ctx, data):
    actor = ctx.actor
    unit = home_unit(actor, data["unit_id"])
    name = _name(data["name"])
    post = _room_post(unit, data.get("post_id"))
    labels = _bed_labels(data.get("beds") or [])
    _unique_room_name(unit, name)
    with audited(ctx) as w:
        s = w.session
        room = Room(unit_id=unit.id, name=name, post_id=post.id if post else None, active=True)
        s.add(room)
        _set_beds(s, room, labels)
        s.flush()
        w.audit("room_create", "room", room.id,
                detail={"unit_id": unit.id, "name": name, "post_id": room.post_id, "beds": labels})
    return room


def get_room(actor, room_id):
    room = db.session.get(Room, room_id)
    if room is None or room.unit_id not in access.unit_ids(actor):
        raise NotFound(Msg("No such room."))
    return room


def change_room(ctx, room_id, data):
    actor = ctx.actor
    room = get_room(actor, room_id)
    unit = db.session.get(Unit, room.unit_id)
    detail = {}
    if "name" in data:
        name = _name(data["name"])
        if name != room.name:
            _unique_room_name(unit, name, room.id)
            detail["name"] = [room.name, name]
    if "post_id" in data and data["post_id"] != room.post_id:
        _room_post(unit, data["post_id"])
        detail["post_id"] = [room.post_id, data["post_id"]]
    if "beds" in data:
        labels = _bed_labels(data["beds"])
        if labels != [b.label for b in room.beds]:
            detail["beds"] = [[b.label for b in room.beds], labels]
    if "active" in data and data["active"] != room.active:
        detail["active"] = data["active"]
    living = (Resident.query.filter(Resident.unit_id == unit.id, Resident.room == room.name,
                                    Resident.active.is_(True)).order_by(Resident.id).all())
    if living and detail.get("active") is False:
        _refuse("active", Msg("Residents live in this room: move them first."))
    if living and "beds" in detail:
        kept = set(detail["beds"][1])
        taken = [r for r in living if r.bed and r.bed not in kept]
        if taken:
            _refuse("beds", Msg("Bed %(bed)s is taken by %(name)s: move her first.", bed=taken[0].bed,
                              name=taken[0].full_name))
    if detail:
        with published(ctx) as w:
            s = w.session
            if "name" in detail:
                room.name = detail["name"][1]
            if "post_id" in detail:
                room.post_id = data["post_id"]
            if "beds" in detail:
                _set_beds(s, room, detail["beds"][1])
            if "active" in detail:
                room.active = data["active"]
            moved = _residents_follow_room(w, room, living) if ("name" in detail or (
                "post_id" in detail and room.post_id is not None)) else []
            w.audit("room_change", "room", room.id, detail=dict(detail, residents=moved) if moved else detail)
    return room


def _residents_follow_room(w, room, living):
    """The residents living in a renamed room, or in a room now covered by another post, go with it: each gets a
    move event (as services/stay.record writes one), so the post she left and the post she joined learn of it at
    their next pull. Returns their ids."""
    s, actor, now = w.session, w.ctx.actor, w.ctx.now
    tz = homes.home_zone(actor.home_id)
    at = now.astimezone(timezone.utc).replace(tzinfo=None)
    for r in living:
        before = stay.place_of(r)
        r.room = room.name
        if room.post_id is not None:
            r.post_id = room.post_id
        after = stay.place_of(r)
        if after == before:
            continue
        seq = w.number()
        s.add(ResidentEvent(resident_id=r.id, kind="move", at=at, day=homes.home_today(tz, now), reason="",
                            detail={"from": before, "to": after, "room_id": room.id}, from_post_id=before["post_id"],
                            recorded_by=actor.id, recorded_at=at, seq=seq))
        r.seq = seq
    return [r.id for r in living]
