"""The supervisor's day: what was due and recorded, confirmation (locking) and amendments."""
from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import and_, insert, or_, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import selectinload

from ..database import write_transaction
from ..domain import days as day_rules
from ..domain import stay as stay_rules
from ..domain import entries as entry_rules
from ..domain import gaps as gap_rules
from ..domain import sync as sync_rules
from ..domain import card_generation as card_rules
from ..domain.schedule import PERIOD_PREFIX, PERIODIC, SHIFTS
from ..domain.errors import Conflict, Invalid, NotFound
from ..domain.messages import Msg
from ..extensions import db
from ..models import CareCard, DayConfirmation, Device, DeviceGapScan, DutyPost, Entry, Resident, Unit, User
from . import access, homes, ids, stay
from .sync import ENTRY_COLUMNS, entry_dicts, local_dicts
from .publish import published


def item_dict(item):
    return {"id": item.id, "title": item.title, "category": item.category, "schedule_kind": item.schedule_kind,
            "schedule": item.schedule, "days_of_week": item.days_of_week, "valid_from": item.valid_from,
            "valid_to": item.valid_to, "position": item.position, "measures": item.measures,
            "instructions": item.instructions, "plan_service": item.plan_service}


def _last_shift_end(day, now_local):
    """The most recent end of a shift on `day` that has passed (or the end of the day for past days)."""
    ends = sorted(datetime.combine(day, time()) + timedelta(minutes=end) for _, end in SHIFTS.values())
    passed = [e for e in ends if e <= now_local]
    return passed[-1] if passed else None


def day_view(actor, unit_id, day, now, grace_minutes):
    unit = access.get_unit(actor, unit_id)
    unit_id, home_id = unit.id, unit.home_id
    tz = ZoneInfo(unit.home.timezone)
    now_local = now.astimezone(tz).replace(tzinfo=None)
    # The unit's tablets first: finding their gaps may keep what it found (a commit, which expires every object
    # read before it and would make the reply reload them one by one), so they are read as plain values.
    unit_devices = [{"id": d.id, "post_id": d.post_id, "last_push_at": d.last_push_at, "last_pull_at": d.last_pull_at,
                     "outbox_len": d.outbox_len, "max_client_seq": d.max_client_seq, "last_user_id": d.last_user_id,
                     "name": d.name, "revoked_at": d.revoked_at}
                    for d in Device.query.join(DutyPost, Device.post_id == DutyPost.id)
                    .filter(DutyPost.unit_id == unit_id).order_by(Device.id)]
    gaps = device_gaps(unit_devices)
    unit = db.session.get(Unit, unit_id)
    entries = local_dicts(entry_dicts(db.session, Entry.unit_id == unit_id, Entry.day == day), tz)
    residents = residents_of_day(unit_id, day, {e["resident_id"] for e in entries})
    rids = [r.id for r in residents]
    away = stay.periods_of(rids, tz)
    cards = (CareCard.query.options(selectinload(CareCard.items))
             .filter(CareCard.resident_id.in_(rids), CareCard.month == day.replace(day=1),
                     CareCard.status == "published").all()) if rids else []
    items_by_resident = {c.resident_id: [item_dict(i) for i in c.items] for c in cards}
    # A periodic item recorded on another day of its period (docs/domain.md, "Periodic services"): the month's
    # recordings of periods, read only when a card has such an item.
    periodic = [rid for rid, items in items_by_resident.items()
                if any(i["schedule_kind"] in PERIODIC for i in items)]
    month_first = day.replace(day=1)
    period_entries = {}
    for e in (local_dicts(entry_dicts(db.session, Entry.resident_id.in_(periodic), Entry.kind == "tick",
                                      Entry.day >= month_first, Entry.day < card_rules.next_month(month_first),
                                      Entry.day != day, Entry.slot.like(PERIOD_PREFIX + "%")), tz)
              if periodic else []):
        period_entries.setdefault(e["resident_id"], []).append(e)
    by_resident = {}
    for e in entries:
        by_resident.setdefault(e["resident_id"], []).append(e)
    confirmations = (DayConfirmation.query.filter_by(unit_id=unit_id, day=day).order_by(DayConfirmation.seq).all())
    conf_dicts = [{"unit_id": c.unit_id, "resident_id": c.resident_id, "day": c.day, "seq": c.seq,
                   "confirmed_at": c.confirmed_at} for c in confirmations]
    names = {u.id: u.full_name for u in User.query.filter(User.home_id == home_id)}
    standing = entry_rules.standing(entries)
    rows = []
    for r in residents:
        mine = by_resident.get(r.id, [])
        windows = stay_rules.windows(away.get(r.id, []), day)
        state = day_rules.day_of_resident(r.id, items_by_resident.get(r.id, []), mine, day, now_local, grace_minutes,
                                          away=windows, period_entries=period_entries.get(r.id, ()))
        until, whole = day_rules.confirmed_until(conf_dicts, unit_id, r.id, day, tz.key)
        rows.append({"resident": r, "locked": whole, "confirmed_until": until,
                     "items": items_by_resident.get(r.id, []),
                     "cells": state.cells, "away": windows,
                     "period_done": [{"item_id": i, "slot": key, "entry_id": e["id"], "status": e["status"],
                                      "day": e["day"]}
                                     for i, key, e in state.period_done],
                     "counts": {k: state.count(k) for k in ("done", "not_done", "missing", "due", "upcoming", "away")}
                     | {"late": sum(1 for c in state.cells if c.late)}})
    late = day_rules.unreviewed_late([e for e in entries if e["late_after_confirmation"]], conf_dicts, unit_id)
    shift_end = _last_shift_end(day, now_local)
    devices = []
    for device in unit_devices:
        last = max(filter(None, [device["last_push_at"], device["last_pull_at"]]), default=None)
        last_local = last.replace(tzinfo=ZoneInfo("UTC")).astimezone(tz).replace(tzinfo=None) if last else None
        stale = shift_end is not None and (last_local is None or last_local < shift_end)
        devices.append({"id": device["id"], "post_id": device["post_id"], "last_sync": last,
                        "outbox_len": device["outbox_len"], "stale": stale or device["outbox_len"] > 0,
                        "last_user": names.get(device["last_user_id"]), "gaps": gaps.get(device["id"], []),
                        "name": device["name"], "revoked": device["revoked_at"] is not None})
    # The rules read device times on the home's clock (naive); they leave the API with the home's offset, so a
    # screen in another time zone reads the same instant.
    for e in entries:
        e["device_time"] = e["device_time"].replace(tzinfo=tz)
    return {"unit": unit, "day": day, "residents": rows, "names": names,
            "confirmations": confirmations,
            "unit_confirmed": any(c.resident_id is None for c in confirmations),
            # what confirming now covers (docs/domain.md, Confirmation): the whole day once it is over, else what is
            # recorded up to now, the slots ahead staying open
            "day_over": now.astimezone(UTC).replace(tzinfo=None) >= day_rules.day_end(day, tz.key),
            "unit_confirmed_whole": day_rules.is_locked(
                [c for c in conf_dicts if c["resident_id"] is None], unit_id, None, day, tz.key),
            "vitals_alerts": [e for e in standing if e["kind"] == "vitals"
                              and any(v in ("low", "high") for v in (e.get("flags") or {}).values())],
            # made while the resident was away from the home (hospital, leave, after discharge): to be checked
            "while_away": [e for e in standing if (e.get("flags") or {}).get("stay") == "resident_away"],
            "condition_reports": [e for e in standing if e["kind"] == "condition"],
            "notes": [e for e in standing if e["kind"] == "note"],
            "late_entries": late, "devices": devices,
            # handed over by a tablet after an administrator withdrew it: to be checked by the supervisor
            "from_revoked_devices": [e for e in entries if e.get("from_revoked_device")]}


def residents_of_day(unit_id, day, with_entries=()):
    """The unit's residents on a care day: those whose stay covers it (admitted by then, not left before it), and
    anyone with an entry recorded in the unit that day (moved away since: her entries stay with the unit)."""
    in_care = and_(Resident.unit_id == unit_id,
                   or_(Resident.admitted_on.is_(None), Resident.admitted_on <= day),
                   or_(Resident.active.is_(True), Resident.left_on >= day))
    condition = or_(in_care, Resident.id.in_(list(with_entries))) if with_entries else in_care
    return Resident.query.filter(condition).order_by(Resident.room, Resident.bed, Resident.full_name).all()


#: Above this many kept gaps, a tablet's numbers are read from its first gap on in one range instead of gap by gap.
MAX_GAP_RANGES = 50


def device_gaps(devices):
    """{device id: [[from, to], …]} of client_seq numbers the server never received, for the devices whose
    outbox was empty after their last push (numbers still waiting on a tablet are not gaps).

    `devices`: dicts with id, max_client_seq and outbox_len. What each look finds is kept (DeviceGapScan,
    backend/domain/gaps.py `rescan`), so a look reads only the numbers inside the gaps kept and above the highest
    number seen, not every number the tablet ever sent: the day view stays as fast with years of history. Keeping
    it commits, which expires the session's objects: call this before reading what the reply needs."""
    settled = {d["id"]: d["max_client_seq"] or 0 for d in devices if (d["outbox_len"] or 0) == 0}
    if not settled:
        return {}
    kept = {row.device_id: (row.checked_to, row.gaps) for row in
            DeviceGapScan.query.filter(DeviceGapScan.device_id.in_(settled))}
    wanted = []
    for device_id in settled:
        checked_to, gaps = kept.get(device_id, (0, []))
        low = gaps[0][0] if len(gaps) > MAX_GAP_RANGES else None
        ranges = [] if low is not None else [Entry.client_seq.between(a, b) for a, b in gaps]
        wanted.append(and_(Entry.device_id == device_id,
                           or_(Entry.client_seq >= low if low is not None else Entry.client_seq > checked_to,
                               *ranges)))
    arrived = {device_id: [] for device_id in settled}
    for device_id, client_seq in db.session.execute(select(Entry.device_id, Entry.client_seq).where(or_(*wanted))):
        arrived[device_id].append(client_seq)
    shown, changed = {}, []
    for device_id, highest in settled.items():
        before = kept.get(device_id, (0, []))
        checked_to, gaps, shown[device_id] = gap_rules.rescan(*before, arrived[device_id], highest)
        if (checked_to, gaps) != before:
            changed.append({"device_id": device_id, "checked_to": checked_to, "gaps": gaps})
    if changed:
        _keep_scans(changed)
    return shown


def _keep_scans(rows):
    """Insert or update the scans (in id order: two day views of a unit at once take the rows' locks in the same
    order). Any scan is true whenever it was made (entries are never deleted), so the last writer may win."""
    table = DeviceGapScan.__table__
    insert = pg_insert if db.engine.dialect.name == "postgresql" else sqlite_insert
    with write_transaction() as s:
        for row in sorted(rows, key=lambda r: r["device_id"]):
            statement = insert(table).values(**row)
            s.execute(statement.on_conflict_do_update(
                index_elements=[table.c.device_id],
                set_={"checked_to": statement.excluded.checked_to, "gaps": statement.excluded.gaps}))


def confirm(ctx, unit_id, day, resident_id, note):
    """Confirm (lock) a unit's day or one resident's day. Confirming again covers late entries."""
    actor, now = ctx.actor, ctx.now
    unit = access.get_unit(actor, unit_id)
    if resident_id is not None:
        resident = access.get_resident(actor, resident_id)
        if resident.unit_id != unit.id:
            raise NotFound(Msg("No such resident."))
    today = homes.home_today(unit, now)
    if day > today:
        raise Invalid(Msg("A day in the future cannot be confirmed."),
                      {"day": Msg("A day in the future cannot be confirmed.")})
    with published(ctx) as w:
        s = w.session
        confirmation = DayConfirmation(seq=w.number(), unit_id=unit.id, resident_id=resident_id, day=day,
                                       confirmed_by=actor.id, confirmed_by_post=actor.post,
                                       confirmed_at=now.replace(tzinfo=None), note=note)
        s.add(confirmation)
        s.flush()
        w.audit("day_confirm", "day_confirmation", confirmation.id,
                detail={"unit_id": unit.id, "resident_id": resident_id, "day": day.isoformat()})
    return confirmation


def amend(ctx, entry_id, changes, reason, vitals_definition):
    """A supervisor's amendment: a new entry superseding `entry_id`, with the reason recorded."""
    actor, now = ctx.actor, ctx.now
    old = db.session.get(Entry, entry_id)
    if old is None or old.unit_id not in access.unit_ids(actor):
        raise NotFound(Msg("No such entry."))
    if Entry.query.filter_by(supersedes=old.id).first() is not None:
        raise Conflict(Msg("This entry was already corrected; amend the latest version."),
                       {"entry_id": Msg("This entry was already corrected; amend the latest version.")},
                       code="superseded")
    base = {c: getattr(old, c) for c in ENTRY_COLUMNS}
    new = {k: base[k] for k in ("kind", "resident_id", "item_id", "day", "slot", "status", "reason", "note",
                                "values", "category")}
    new.update({k: v for k, v in changes.items() if v is not None})
    if new["kind"] in entry_rules.VALUELESS and changes.get("values") is None:
        new["values"] = None  # what an older server stored in a tick's or note's values is not carried on
    if new.get("status") == "done":
        new["reason"] = None
    errors, flags = entry_rules.validate_fields(new, vitals_definition)
    if errors:
        raise Invalid(Msg("Please check: %(fields)s", fields=", ".join(sorted(errors))), errors)
    stamp = now.replace(tzinfo=None)
    new.update(id=ids.uuid7(), supersedes=old.id, author_id=actor.id, device_id=ctx.device_id or "server",
               client_seq=0, device_time=now.isoformat())
    with published(ctx) as w:
        s = w.session
        row = dict(new, seq=w.number(), unit_id=old.unit_id, flags=flags or None, pushed_by=actor.id,
                   author_post=actor.post,
                   received_at=stamp, late_after_confirmation=False, amendment_reason=reason,
                   payload_hash=sync_rules.payload_hash(new))
        s.execute(insert(Entry), [row])
        w.audit("entry_amend", "entry", row["id"], detail={"supersedes": old.id, "reason": reason})
    return db.session.get(Entry, row["id"])
