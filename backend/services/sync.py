"""Push (idempotent, per-entry answers) and pull (by the feed cursor) for the duty-post tablets."""
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import and_, bindparam, or_, select, update

from ..database import write_transaction
from ..domain import entries as entry_rules
from ..domain import entry_fields
from ..domain import roles
from ..domain.schedule import PERIOD_PREFIX
from ..domain import sync as sync_rules
from ..extensions import db
from ..models import (Activity, ActivitySession, CardItem, CareCard, DayConfirmation, Device, Entry, Home, Resident,
                      ResidentEvent, Unit, User, UserRole, UserUnit, Visit, VisitCarer)
from . import access, assessments, audit, bulk, carer_pull, devices, feed, homes, stay
from .publish import published

#: An entry's columns a pull hands back (domain/entry_fields.py PULLED).
ENTRY_COLUMNS = entry_fields.PULLED


# The push's lookups, built once: constructing a select costs about as much as running it.
_HOME_TIMEZONE = select(Home.timezone).where(Home.id == bindparam("id"))
_RESIDENTS = select(Resident.id, Resident.unit_id).join(Unit).where(
    Resident.id.in_(bindparam("ids", expanding=True)), Unit.home_id == bindparam("home_id"))
_ITEMS = select(CardItem.id, CareCard.resident_id).join(CareCard).where(
    CardItem.id.in_(bindparam("ids", expanding=True)))
#: Authors are staff whose role records entries, disabled ones included: an entry she signed with her own key on
#: the tablet that holds it is hers, and is stored even when it reaches the server after she was disabled (her keys
#: were retired then, so it is flagged for review: `from_revoked_device`). No entry a tablet holds is lost.
_AUTHORS = select(User.id, User.role, User.post).where(
    User.id.in_(bindparam("ids", expanding=True)), User.home_id == bindparam("home_id"))
_AUTHOR_ROLES = select(UserRole.user_id, UserRole.role).where(UserRole.user_id.in_(bindparam("ids", expanding=True)))
_AUTHOR_UNITS = select(UserUnit.user_id, UserUnit.unit_id).where(
    UserUnit.user_id.in_(bindparam("ids", expanding=True)))
_CONFIRMATIONS = select(DayConfirmation.unit_id, DayConfirmation.resident_id, DayConfirmation.day,
                        DayConfirmation.seq, DayConfirmation.confirmed_at).where(DayConfirmation.day.in_(bindparam("days", expanding=True)),
                                                   DayConfirmation.unit_id.in_(bindparam("units", expanding=True)))


def _authors(s, ids, home_id):
    """({user id: her unit ids, empty for the whole home}, {user id: her roles}, {user id: her post}) for the named
    staff who hold a role that records entries. Each entry keeps its author's post as it is when the entry reaches
    the server (domain/posts.py)."""
    found = s.execute(_AUTHORS, {"ids": list(ids), "home_id": home_id}).all()
    held = {uid: [role] for uid, role, _post in found}
    posts = {uid: post for uid, _role, post in found}
    for uid, role in s.execute(_AUTHOR_ROLES, {"ids": list(held)}) if held else ():
        held[uid].append(role)
    author_roles = {uid: tuple(h) for uid, h in held.items() if roles.holds(h, roles.AUTHORS)}
    units = {uid: set() for uid in author_roles}
    for uid, unit_id in s.execute(_AUTHOR_UNITS, {"ids": list(author_roles)}) if author_roles else ():
        units[uid].add(unit_id)
    return {uid: frozenset(u) for uid, u in units.items()}, author_roles, posts


def push(ctx, post_id, outbox_len, entries, vitals_definition, master, device=None, device_now=None):
    """Store a batch of entries exactly once. Returns (one sync_rules.Decision per entry in order, epoch).

    The outbox belongs to the tablet: `ctx.actor` is whoever is signed in (None when the tablet pushes with its
    device credential alone); each entry's author is proven by its signature, and the author -- not the
    pusher -- must be staff who may record for the resident. `ctx.device_id` is the pushing tablet's id. `master`:
    the server's master secret, from which a key lost in a restore is derived again (devices.restored_keys).
    `device_now`: the phone's clock as the push carried it (home visits flag a clock off by more than 5 minutes).
    """
    actor, now, device_id = ctx.actor, ctx.now, ctx.device_id
    home_id = actor.home_id if actor is not None else device.home_id
    # Read before the write transaction: its opening commit expires loaded objects, and each attribute read
    # after it would cost a query of its own.
    tz = ZoneInfo(db.session.execute(_HOME_TIMEZONE, {"id": home_id}).scalar_one())
    today = homes.home_today(tz, now)
    pusher = audit.Actor.of(actor)
    pushed_by = pusher.id if pusher is not None else None
    received = now.replace(tzinfo=None)
    if actor is None:
        post_id = device.post_id
    elif post_id is not None and access.find_post(actor, post_id) is None:
        # Not the signer's post (or gone): the tablet is not recorded at it, but its entries are still judged
        # one by one -- refusing the whole batch would strand a shared tablet's outbox.
        post_id = None
    with published(ctx) as w:
        s, epoch = w.session, w.epoch
        ids = [e["id"] for e in entries]
        existing = dict(bulk.select_in(s, Entry.__table__, ("id", "payload_hash"), "id", ids))
        residents = dict(s.execute(_RESIDENTS, {"ids": list({e["resident_id"] for e in entries}),
                                                "home_id": home_id}).all())
        item_ids = list({e["item_id"] for e in entries if e.get("item_id") is not None})
        items = dict(s.execute(_ITEMS, {"ids": item_ids}).all()) if item_ids else {}
        authors, author_roles, posts = _authors(s, {e["author_id"] for e in entries}, home_id)
        fresh = [e for e in entries if e.get("key_id") and e["id"] not in existing]
        keys = devices.keys_for(s, {e["key_id"] for e in fresh})
        keys.update(devices.restored_keys(fresh, keys, master))  # keys issued after a restored backup
        # Load stored targets even when their id is also in this batch: a retried entry is a duplicate, not
        # accepted again, so its correction in the same batch must find it in the database.
        targets = {e["supersedes"] for e in entries if e.get("supersedes")}
        superseded = {row["id"]: row for row in entry_dicts(s, Entry.id.in_(targets))} if targets else {}
        confirmations = [dict(c) for c in s.execute(_CONFIRMATIONS, {
            "days": list({e["day"] for e in entries}), "units": list(set(residents.values()))}).mappings()]
        known = sync_rules.Context(actor_id=pushed_by, today=today, now=now, timezone=tz.key,
                                   existing=existing, residents=residents, items=items, authors=authors,
                                   superseded_targets=superseded, confirmations=confirmations,
                                   vitals_definition=vitals_definition, keys=keys, author_roles=author_roles,
                                   form_definitions=assessments.definitions(), device_now=device_now,
                                   **_activities_named(s, home_id, entries), **_visits_named(s, home_id, entries))
        decisions = [sync_rules.judge(e, known) for e in entries]
        _as_stored(s, [d for d in decisions if d.status == "duplicate" and d.id in existing])
        accepted = [(e, d) for e, d in zip(entries, decisions) if d.status == "accepted"]
        if accepted:
            first = w.numbers(len(accepted))
            away = _away_flags(s, accepted, tz)
            rows = []
            for offset, (e, d) in enumerate(accepted):
                rows.append(_entry_row(e, d, first + offset, residents[e["resident_id"]], pushed_by, received,
                                       away.get(e["id"]), posts.get(e["author_id"])))
            bulk.insert_rows(s, Entry.__table__, rows)
            _mark_for_reassessment(w, {e["resident_id"] for e, _ in accepted if e["kind"] == "condition"})
        rejected = [{"id": d.id, "reason": d.reason} for d in decisions if d.status == "rejected"]
        if accepted or rejected:
            # One audit row per push (a hash-chain link each, so per-entry rows would double the push's cost);
            # what each entry says is in its own immutable row.
            detail = {"accepted": [e["id"] for e, _ in accepted], "late": [e["id"] for e, d in accepted if d.late],
                      "rejected": rejected}
            if any(d.revoked_device for _, d in accepted):
                detail["revoked_device"] = [e["id"] for e, d in accepted if d.revoked_device]
            w.audit("entries_push", "device", device_id, detail=detail)
        _touch_device(s, device_id, home_id, pushed_by, post_id, outbox_len, entries, received, pushed=True,
                      agent=ctx.user_agent)
    return decisions, epoch


def _as_stored(s, duplicates):
    """A duplicate's answer carries the flags and the late mark stored with it: a phone that never heard the first
    answer (lost on the way back) learns them from its retry (issue 18: not_assigned, wrong_code... on her screen)."""
    if not duplicates:
        return
    stored = {row.id: row for row in s.execute(select(Entry.id, Entry.flags, Entry.late_after_confirmation)
                                               .where(Entry.id.in_([d.id for d in duplicates])))}
    for d in duplicates:
        row = stored.get(d.id)
        if row is not None:
            d.flags, d.late = row.flags or None, bool(row.late_after_confirmation)


def _activities_named(s, home_id, entries):
    """The home's activities and timetable lines that the batch's attendance entries name (none: no query)."""
    named = [e["values"] for e in entries if e["kind"] == "attendance" and isinstance(e.get("values"), dict)]
    activity_ids = {v.get("activity_id") for v in named if isinstance(v.get("activity_id"), int)}
    session_ids = {v.get("session_id") for v in named if isinstance(v.get("session_id"), int)}
    if not activity_ids:
        return {}
    activities = {aid: True for (aid,) in s.execute(select(Activity.id).where(
        Activity.id.in_(activity_ids), Activity.home_id == home_id))}
    sessions = {}
    if session_ids:
        for row in s.execute(select(ActivitySession.id, ActivitySession.activity_id, ActivitySession.kind,
                                    ActivitySession.weekday, ActivitySession.on_date, ActivitySession.valid_from,
                                    ActivitySession.valid_to).where(ActivitySession.id.in_(session_ids),
                                                                    ActivitySession.home_id == home_id)):
            sessions[row.id] = {"activity_id": row.activity_id, "kind": row.kind, "weekday": row.weekday,
                                "on_date": row.on_date, "valid_from": row.valid_from, "valid_to": row.valid_to}
    return {"activities": activities, "sessions": sessions}


def _visits_named(s, home_id, entries):
    """For the batch's home-visit entries (none: no query): the home's visits they name with their current carers,
    the people visited, and the standing arrivals already stored at those visits (domain/sync.py Context)."""
    named = [e for e in entries if e["kind"] == entry_rules.VISIT and isinstance(e.get("values"), dict)]
    visit_ids = {e["values"].get("visit_id") for e in named}
    visit_ids = {v for v in visit_ids if isinstance(v, int) and not isinstance(v, bool)}
    if not visit_ids:
        return {}
    visits = {row.id: {"id": row.id, "resident_id": row.resident_id, "day": row.day,
                       "planned_minutes": row.planned_minutes, "cancelled_at": row.cancelled_at, "carer_ids": set()}
              for row in s.execute(select(Visit.id, Visit.resident_id, Visit.day, Visit.planned_minutes,
                                          Visit.cancelled_at).where(Visit.id.in_(visit_ids),
                                                                    Visit.home_id == home_id))}
    if not visits:
        return {"visits": {}}
    for visit_id, carer_id in s.execute(select(VisitCarer.visit_id, VisitCarer.carer_id).where(
            VisitCarer.visit_id.in_(list(visits)), VisitCarer.unassigned_at.is_(None))):
        visits[visit_id]["carer_ids"].add(carer_id)
    rids = {v["resident_id"] for v in visits.values()}
    people = {row.id: {"lat": row.lat, "lon": row.lon, "radius_m": row.radius_m,
                       "home_code_hash": row.home_code_hash}
              for row in s.execute(select(Resident.id, Resident.lat, Resident.lon, Resident.radius_m,
                                          Resident.home_code_hash).where(Resident.id.in_(rids)))}
    stored = entry_dicts(s, Entry.kind == entry_rules.VISIT, Entry.resident_id.in_(rids),
                         Entry.day.in_({v["day"] for v in visits.values()}))
    arrivals = {}
    for e in entry_rules.standing(stored):  # by seq: the first arrival of each carer at each visit stands
        key = ((e["values"] or {}).get("visit_id"), e["author_id"])
        if e["status"] == "arrived" and key not in arrivals:
            arrivals[key] = e
    return {"visits": visits, "people": people, "arrivals": arrivals}


def _away_flags(s, accepted, tz):
    """{entry id: 'resident_away'} for entries made (by the tablet's clock) while their resident was away from the
    home: stored as every honest entry is, flagged for the supervisor (domain/stay.py)."""
    periods = stay.periods_of({e["resident_id"] for e, _ in accepted}, tz, session=s)
    if not periods:
        return {}
    out = {}
    for e, _d in accepted:
        mine = periods.get(e["resident_id"])
        if not mine:
            continue
        try:
            at = parse_device_time(e["device_time"]).astimezone(tz).replace(tzinfo=None)
        except (TypeError, ValueError, OverflowError):
            continue
        if any(start <= at and (until is None or at < until) for start, until in mine):
            out[e["id"]] = "resident_away"
    return out


def _entry_row(e, decision, seq, unit_id, pushed_by, received, away=None, author_post=None):
    flags = decision.flags
    if away:
        flags = dict(flags or {}, stay=away)
    return {"id": e["id"], "seq": seq, "kind": e["kind"], "resident_id": e["resident_id"], "unit_id": unit_id,
            "item_id": e.get("item_id"), "day": e["day"], "slot": e.get("slot"), "status": e.get("status"),
            "reason": e.get("reason"), "note": e.get("note"), "values": e.get("values"), "flags": flags,
            "category": e.get("category"), "supersedes": e.get("supersedes"), "author_id": e["author_id"],
            "pushed_by": pushed_by, "device_id": e["device_id"], "client_seq": e["client_seq"],
            "device_time": e["device_time"], "received_at": received, "author_post": author_post,
            "late_after_confirmation": decision.late, "amendment_reason": None,
            "payload_hash": decision.payload_hash, "key_id": e.get("key_id"), "signature": e.get("sig"),
            "from_revoked_device": decision.revoked_device, "score": decision.score}


def _mark_for_reassessment(w, resident_ids):
    for rid in resident_ids:
        w.session.execute(update(Resident).where(Resident.id == rid)
                          .values(needs_reassessment=True, seq=w.number()))


def _touch_device(s, device_id, home_id, user_id, post_id, outbox_len, entries, at, pushed, agent=None):
    """The tablet's row, made at its first contact: when it was seen, by whom (the signed-in person, not a push with
    the tablet's credential alone) and from which browser (`agent`: ctx.user_agent, already cleaned and cut)."""
    device = s.get(Device, device_id)
    if device is None:
        device = Device(id=device_id, home_id=home_id, first_seen=at, max_client_seq=0, outbox_len=0)
        s.add(device)
    device.last_seen = at
    if user_id is not None:
        device.last_user_id = user_id
    if agent:
        device.user_agent = agent
    if post_id is not None:
        device.post_id = post_id
    if pushed:
        device.last_push_at = at
        own = [e["client_seq"] for e in entries if e["device_id"] == device_id]
        device.max_client_seq = max([device.max_client_seq or 0] + own)
        device.outbox_len = max(0, (outbox_len or 0) - len(entries))
    else:
        device.last_pull_at = at


def entry_dicts(s, *where, limit=None):
    cols = [getattr(Entry, c) for c in ENTRY_COLUMNS]
    query = select(*cols).where(*where).order_by(Entry.seq)
    if limit is not None:
        query = query.limit(limit)
    out = [dict(zip(ENTRY_COLUMNS, row)) for row in s.execute(query)]
    for e in out:
        if e["values"] is not None and type(e["values"]) is not dict:
            e["values"] = None  # stored by an older server in a tick or note: it means nothing (docs/domain.md)
    return out


def pull(ctx, post_id, cursor, limit, history_days):
    """Changes for a duty post after `cursor`. Cursor 0 is a snapshot of what a shift needs. The pull is noted for
    the tablet `ctx.device_id` names.

    In a community home (issue 18) a carer's pull holds only her people -- those of her visits of the window,
    with two weeks of their entries -- and every pull there carries the visits, the service catalogue and the
    people's details at home (services/carer_pull.py; docs/sync.md).

    The high-water mark is read first: every row numbered at or below it has committed (writers are
    serialised on the feed row), so a page never steps over a row that commits later.
    """
    actor, now, device_id = ctx.actor, ctx.now, ctx.device_id
    post = access.get_post(actor, post_id)
    home_id, actor_id, held = actor.home_id, actor.id, actor.roles  # read before the note's commit expires her
    if device_id:
        # Noted before the reads: its commit would expire every object the pull has read, and dumping them would
        # reload each one (a SELECT per staff member, resident and card).
        _note_pull(device_id, home_id, actor_id, post_id, now.replace(tzinfo=None), ctx.user_agent)
    s = db.session
    high, epoch = feed.high_water(s)
    home = s.get(Home, home_id)
    today = homes.home_today(home, now)
    sc = carer_pull.scope(actor_id, held, home, today)
    if sc is not None and sc.carer:
        history_days = carer_pull.HISTORY_DAYS
    if cursor == 0:
        result = _snapshot(s, post, today, history_days, high, sc)
    else:
        result = _changes(s, post, cursor, high, limit, today, history_days, sc)
    _with_away(result["residents"], ZoneInfo(home.timezone), today - timedelta(days=history_days))
    if sc is not None:
        carer_pull.with_details(result["residents"])
        result.update(scope=sc.name, window={"first": sc.first, "last": sc.last})
    result.update(server_epoch=epoch, today=today.isoformat(), server_time=now.isoformat(), post=post)
    return result


def note_pull(ctx):
    """Remember a tablet's pull (its last person, browser and time) for the supervisor's and the administrator's
    device lists."""
    _note_pull(ctx.device_id, ctx.actor.home_id, ctx.actor.id, None, ctx.now.replace(tzinfo=None), ctx.user_agent)


def _note_pull(device_id, home_id, user_id, post_id, at, agent=None):
    """A known tablet's row is updated under its own row lock, not the feed's: a pull does not queue behind every
    push and audit append of the server. A tablet's first contact inserts its row under the feed lock, which orders
    it against a first pull or push of the same tablet at the same moment (both would insert)."""
    values = {"last_seen": at, "last_pull_at": at, "last_user_id": user_id}
    if post_id is not None:
        values["post_id"] = post_id
    if agent:
        values["user_agent"] = agent
    with write_transaction() as ws:
        if not ws.execute(update(Device).where(Device.id == device_id).values(**values)).rowcount:
            feed.lock(ws)
            _touch_device(ws, device_id, home_id, user_id, post_id, None, [], at, pushed=False, agent=agent)


def _snapshot(s, post, today, history_days, high, sc=None):
    if sc is not None and sc.carer:  # her people, whatever their post and stay: a visit of hers names each
        residents = Resident.query.filter(Resident.id.in_(sc.people)).order_by(Resident.id).all()
    else:
        residents = Resident.query.filter(Resident.post_id == post.id, Resident.active.is_(True)).all()
    rids = [r.id for r in residents]
    since = today - timedelta(days=history_days)
    cards = (CareCard.query.filter(CareCard.resident_id.in_(rids), CareCard.status == "published",
                                   CareCard.month >= since.replace(day=1)).order_by(CareCard.seq).all()
             if rids else [])
    entries = entry_dicts(s, Entry.resident_id.in_(rids), Entry.day >= since, Entry.seq <= high) if rids else []
    entries += _period_history(s, rids, today, since, high)
    confirmations = DayConfirmation.query.filter(DayConfirmation.unit_id == post.unit_id,
                                                 DayConfirmation.day >= since, DayConfirmation.seq <= high)
    if sc is not None and sc.carer:
        confirmations = confirmations.filter(or_(DayConfirmation.resident_id.is_(None),
                                                 DayConfirmation.resident_id.in_(rids)))
    result = {"cursor": high, "has_more": False, "snapshot": True, "residents": residents, "cards": cards,
              "entries": entries, "confirmations": confirmations.all(), "staff": _staff(s, post)}
    if sc is not None:
        result["visits"], result["catalogue"] = carer_pull.snapshot(s, sc, post, post.unit.home_id, high)
        result["visits_gone"], result["residents_gone"] = [], []
    return result


def _period_history(s, rids, today, since, upto):
    """The month's recordings of periods before the history window (docs/domain.md, "Periodic services"): the tablet
    shows a monthly or every-N-days item done earlier in its period as done, and does not offer it again."""
    first = today.replace(day=1)
    if not rids or first >= since:
        return []
    return entry_dicts(s, Entry.resident_id.in_(rids), Entry.kind == "tick", Entry.day >= first, Entry.day < since,
                       Entry.slot.like(PERIOD_PREFIX + "%"), Entry.seq <= upto)


def _with_away(residents, tz, since):
    """Each resident row carries the times she was away since `since` (the tablet's history), as the home's local
    time: the tablet's care day marks those slots away (frontend/lib/schedule.js awayWindows)."""
    periods = stay.periods_of([r.id for r in residents], tz)
    start = datetime.combine(since, datetime.min.time())
    for r in residents:
        r.away = stay.period_texts([p for p in periods.get(r.id, []) if p[1] is None or p[1] > start])


def _changes(s, post, cursor, high, limit, today, history_days, sc=None):
    window = and_(Entry.seq > cursor, Entry.seq <= high)
    carer = sc is not None and sc.carer
    if carer:  # her people's rows (a person taken from her comes in `residents_gone`)
        people = sc.people
        residents = (Resident.query.filter(Resident.id.in_(people), Resident.seq > cursor, Resident.seq <= high)
                     .order_by(Resident.seq).limit(limit + 1).all())
    else:
        # Her row at this post, and the rows of residents moved away from it in the window (the post's tablets must
        # learn that she left: her row then names her new post).
        moved_away = select(ResidentEvent.resident_id).where(ResidentEvent.from_post_id == post.id,
                                                             ResidentEvent.seq > cursor, ResidentEvent.seq <= high)
        residents = (Resident.query.filter(or_(Resident.post_id == post.id, Resident.id.in_(moved_away)),
                                           Resident.seq > cursor, Resident.seq <= high)
                     .order_by(Resident.seq).limit(limit + 1).all())
        people = select(Resident.id).where(Resident.post_id == post.id).scalar_subquery()
    entries = entry_dicts(s, window, Entry.resident_id.in_(people), limit=limit + 1)
    cards = (CareCard.query.filter(CareCard.resident_id.in_(people), CareCard.status == "published",
                                   CareCard.seq > cursor, CareCard.seq <= high)
             .order_by(CareCard.seq).limit(limit + 1).all())
    confirmations = DayConfirmation.query.filter(DayConfirmation.unit_id == post.unit_id,
                                                 DayConfirmation.seq > cursor, DayConfirmation.seq <= high)
    if carer:
        confirmations = confirmations.filter(or_(DayConfirmation.resident_id.is_(None),
                                                 DayConfirmation.resident_id.in_(people)))
    confirmations = confirmations.order_by(DayConfirmation.seq).limit(limit + 1).all()
    seqs = sorted([r.seq for r in residents] + [e["seq"] for e in entries] + [c.seq for c in cards]
                  + [c.seq for c in confirmations])
    has_more = len(seqs) > limit
    next_cursor = seqs[limit - 1] if has_more else high
    if has_more:  # keep only what lies at or below the page's last number
        residents = [r for r in residents if r.seq <= next_cursor]
        entries = [e for e in entries if e["seq"] <= next_cursor]
        cards = [c for c in cards if c.seq <= next_cursor]
        confirmations = [c for c in confirmations if c.seq <= next_cursor]
    extra = {}
    if sc is not None:
        # The visits and the catalogue of the page's range (cursor, next_cursor]: a station's visits of a window are
        # few, so they ride along unpaged.
        visits, gone, catalogue = carer_pull.changes(s, sc, post, post.unit.home_id, cursor, next_cursor)
        extra = {"visits": visits, "visits_gone": [v["id"] for v in gone], "catalogue": catalogue,
                 "residents_gone": carer_pull.people_gone(s, sc, gone)}
    if carer:  # a person new to her phone (a visit of hers came): her row too, whatever its number
        arrived = carer_pull.arrived(s, sc, extra["visits"], cursor)
        have = {r.id for r in residents}
        missing = [rid for rid in arrived if rid not in have]
        if missing:
            residents += Resident.query.filter(Resident.id.in_(missing)).order_by(Resident.id).all()
    else:
        arrived = _arrived(s, post, residents, cursor, next_cursor)
    if arrived:  # her recent history and cards, which the post's tablets never had: as in a snapshot
        since = today - timedelta(days=history_days)
        known = {e["id"] for e in entries}
        entries += [e for e in entry_dicts(s, Entry.resident_id.in_(arrived), Entry.day >= since,
                                           Entry.seq <= next_cursor) + _period_history(s, arrived, today, since,
                                                                                       next_cursor)
                    if e["id"] not in known]
        have = {c.id for c in cards}
        cards += [c for c in CareCard.query.filter(CareCard.resident_id.in_(arrived), CareCard.status == "published",
                                                   CareCard.month >= since.replace(day=1), CareCard.seq <= next_cursor)
                  if c.id not in have]
    # The staff list rides along when anything it names changed in the window (a new author, a disabled person,
    # a PIN reset: services/staff.py bumps her seq), whole: it is small, and a tablet replaces what it holds.
    staff_changed = s.query(User.id).filter(User.home_id == post.unit.home_id, User.seq > cursor,
                                            User.seq <= next_cursor).first() is not None
    staff = _staff(s, post) if residents or entries or staff_changed else []
    return {"cursor": next_cursor, "has_more": has_more, "snapshot": False, "residents": residents, "cards": cards,
            "entries": entries, "confirmations": confirmations, "staff": staff, **extra}


def _arrived(s, post, residents, cursor, upto):
    """Residents of this page who came to this post in the window (a move or a re-admission here)."""
    here = [r.id for r in residents if r.post_id == post.id]
    if not here:
        return []
    return [rid for (rid,) in s.execute(select(ResidentEvent.resident_id).where(
        ResidentEvent.resident_id.in_(here), ResidentEvent.kind.in_(("move", "readmission")),
        ResidentEvent.seq > cursor, ResidentEvent.seq <= upto).distinct())]


def _staff(s, post):
    """Names of the staff who may appear as authors on this post's entries."""
    return (User.query.filter(User.home_id == post.unit.home_id, User.role != roles.RELATIVE,
                              User.working_in(post.unit_id)).all())


def parse_device_time(text):
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


def local_device_time(text, day, tz):
    """The tablet's clock as the home's local naive datetime; the start of the care day `day` for a time that cannot
    be read, or lies too far from its day to be the tablet's clock (rows stored before the push refused such
    times: year 1 cannot even be moved to the home's zone). docs/domain.md "Entries"."""
    try:
        at = parse_device_time(text).astimezone(tz).replace(tzinfo=None)
    except (AttributeError, TypeError, ValueError, OverflowError):
        at = None
    if at is None or not entry_rules.plausible_local_time(at, day):
        return datetime.combine(day, datetime.min.time())
    return at


def local_dicts(entries, tz):
    """Entry dicts with device_time as the home's local naive datetime (what domain.days expects)."""
    out = []
    for e in entries:
        d = dict(e)
        d["device_time"] = local_device_time(e["device_time"], e["day"], tz)
        out.append(d)
    return out

