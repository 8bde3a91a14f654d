"""Home devices and their alarms (issue 18): the device register, the intake (a device authenticated by its
token alone), and the alarms' log with its steps and close.

Rules in backend/domain/alarms.py. A device's token is made here (secrets.token_urlsafe(32)), returned once at
registration and kept only as its SHA-256 digest; the intake finds the device by that digest. Alarms, devices and
steps are not pulled by tablets (no feed position): every write is `audited`. Another home's or unit's person,
device or alarm answers 404, as if it did not exist.

The intake's repeats are stored once under two requests at the same moment: inside the write the device's row is
locked (SELECT ... FOR UPDATE on PostgreSQL; SQLite's writers are serialised by database.write_transaction) before
the window is checked, and the unique (device, kind, raised_minute) constraint backs that up: a request that loses
the race to it answers as a repeat.
"""
import hashlib
import secrets
import threading
import time
from collections import deque
from datetime import datetime, time as day_time, timedelta

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from ..domain import alarms as rules
from ..domain.errors import NotFound, TooMany, Unauthenticated, invalid
from ..domain.messages import Msg
from ..extensions import db
from ..models import Alarm, AlarmStep, HomeDevice, Resident, Unit, User
from . import access, homes
from .publish import audited

#: The longest period the log lists at once (days).
MAX_DAYS = 62
#: How the intake's refusal of a token reads: the same for a missing, unknown or retired one.
UNKNOWN_DEVICE = Msg("This device is not registered (or its token is wrong).")


class IntakeRefused(Exception):
    """The intake's body cannot be taken (`fields` names each problem): the API answers 422."""

    def __init__(self, fields):
        super().__init__(", ".join(sorted(fields)))
        self.fields = fields


def token_digest(token):
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


# --- the device register -----------------------------------------------------------------------------------

def device_dict(device):
    return {k: getattr(device, k) for k in ("id", "resident_id", "kind", "label", "active", "created_at")}


def list_devices(actor, resident_id):
    resident = access.get_resident(actor, resident_id)
    rows = HomeDevice.query.filter_by(resident_id=resident.id).order_by(HomeDevice.id).all()
    return [device_dict(d) for d in rows]


def register_device(ctx, resident_id, data):
    """A new device for her; returns its dict with `token`, the only time the token is told."""
    resident = access.get_resident(ctx.actor, resident_id)
    home_id = db.session.get(Unit, resident.unit_id).home_id
    token = secrets.token_urlsafe(32)
    with audited(ctx) as w:
        device = HomeDevice(home_id=home_id, resident_id=resident.id, kind=data["kind"],
                            label=(data.get("label") or "").strip(), token_hash=token_digest(token), active=True,
                            created_at=ctx.now.replace(tzinfo=None))
        w.session.add(device)
        w.session.flush()
        w.audit("home_device_register", "home_device", device.id,
                detail={"resident_id": resident.id, "kind": device.kind})
    return device_dict(device) | {"token": token}


def get_device(actor, device_id):
    device = db.session.get(HomeDevice, device_id)
    if device is None:
        raise NotFound(Msg("No such device."))
    try:
        access.get_resident(actor, device.resident_id)
    except NotFound:
        raise NotFound(Msg("No such device.")) from None
    return device


def retire_device(ctx, device_id):
    """Take a device out of use: its token is refused from now on. Retiring a retired device changes nothing."""
    device = get_device(ctx.actor, device_id)
    if device.active:
        with audited(ctx) as w:
            device.active = False
            w.audit("home_device_retire", "home_device", device.id, detail={"resident_id": device.resident_id})
    return device_dict(device)


# --- the intake ---------------------------------------------------------------------------------------------

class IntakeRate:
    """At most `limit` intake requests per device token in any second, counted in this process (a looping device
    must not flood the database; with several server processes each counts its own). Thread-safe."""

    def __init__(self, limit=rules.INTAKE_PER_SECOND, clock=time.monotonic):
        self.limit, self.clock = limit, clock
        self._seen = {}
        self._lock = threading.Lock()

    def allow(self, key):
        now = self.clock()
        with self._lock:
            if len(self._seen) > 10_000:  # forget devices that have been quiet for a second
                self._seen = {k: v for k, v in self._seen.items() if v and now - v[-1] < 1.0}
            recent = self._seen.setdefault(key, deque(maxlen=self.limit))
            if not rules.within_rate(recent, now, self.limit):
                return False
            recent.append(now)
            return True


def authenticate(token):
    """The active device whose token this is; Unauthenticated otherwise (the same for a missing, unknown or retired
    token)."""
    if token:
        device = HomeDevice.query.filter_by(token_hash=token_digest(token)).first()
        if device is not None and device.active:
            return device
    raise Unauthenticated(UNKNOWN_DEVICE, code="device_unknown")


def _device_ref(device):
    """Who acts in the audit row of an intake: the home device (no person is signed in)."""
    return f"home_device:{device.id}"


def _stored_repeat(device_id, kind, raised_at):
    first, last = rules.repeat_window(raised_at)
    return (Alarm.query.filter(Alarm.device_id == device_id, Alarm.kind == kind, Alarm.raised_at > first,
                               Alarm.raised_at < last).order_by(Alarm.raised_at, Alarm.id).first())


def intake(ctx, token, body, rate=None):
    """An alarm from a device: (alarm id, repeat). Refused: Unauthenticated (the token), TooMany (more than the
    rate), IntakeRefused (the body: kind, at, detail)."""
    device = authenticate(token)
    if rate is not None and not rate.allow(device.token_hash):
        raise TooMany(Msg("Too many alarms from this device: wait a second."), retry_after=1)
    errors = rules.validate_intake(body)
    if errors:
        raise IntakeRefused(errors)
    kind, detail = body["kind"], body.get("detail")
    device_at = rules.parse_device_time(body["at"]) if body.get("at") is not None else None
    raised_at, clock_off = rules.raised_time(device_at, ctx.now)
    received_at = rules.utc_naive(ctx.now)
    who = {"device_id": _device_ref(device)}
    try:
        with audited(ctx) as w:
            locked = w.session.execute(select(HomeDevice).where(HomeDevice.id == device.id)
                                       .with_for_update()).scalar_one()
            if not locked.active:  # retired between the look-up and the lock
                raise Unauthenticated(UNKNOWN_DEVICE, code="device_unknown")
            found = _stored_repeat(device.id, kind, raised_at)
            if found is None:
                found = Alarm(home_id=device.home_id, resident_id=device.resident_id, device_id=device.id, kind=kind,
                              raised_at=raised_at, received_at=received_at,
                              raised_minute=rules.minute_of(raised_at), false_alarm=False, detail=detail or None)
                w.session.add(found)
                w.session.flush()
                repeat = False
            else:
                repeat = True
            detail_row = {"kind": kind, "home_device_id": device.id, "resident_id": device.resident_id}
            if detail:
                detail_row["detail"] = detail
            if clock_off:
                detail_row["clock_off"] = True
                detail_row["device_at"] = body["at"]
            w.audit("alarm_repeat" if repeat else "alarm_raise", "alarm", found.id, detail=detail_row, **who)
            alarm_id = found.id
    except IntegrityError:
        # another request stored the same alarm (the same minute) between our check and our insert
        found = _stored_repeat(device.id, kind, raised_at)
        if found is None:
            raise
        with audited(ctx) as w:
            w.audit("alarm_repeat", "alarm", found.id,
                    detail={"kind": kind, "home_device_id": device.id, "resident_id": device.resident_id}, **who)
        return found.id, True
    return alarm_id, repeat


# --- the log ------------------------------------------------------------------------------------------------

def _names(user_ids):
    if not user_ids:
        return {}
    return dict(db.session.execute(select(User.id, User.full_name).where(User.id.in_(user_ids))).all())


def alarm_dicts(alarms):
    """The log's rows: the alarm with its person, device, steps (who, when, note) and time to acknowledge."""
    if not alarms:
        return []
    residents = {r.id: r for r in Resident.query.filter(Resident.id.in_({a.resident_id for a in alarms}))}
    devices = {d.id: d for d in HomeDevice.query.filter(HomeDevice.id.in_({a.device_id for a in alarms}))}
    steps = {}
    for step in AlarmStep.query.filter(AlarmStep.alarm_id.in_([a.id for a in alarms])).order_by(AlarmStep.id):
        steps.setdefault(step.alarm_id, []).append(step)
    names = _names({s.by_user for rows in steps.values() for s in rows})
    out = []
    for alarm in alarms:
        resident, device, rows = residents[alarm.resident_id], devices[alarm.device_id], steps.get(alarm.id, [])
        acknowledged = next((s.at for s in rows if s.step == "acknowledged"), None)
        out.append({
            "id": alarm.id, "kind": alarm.kind, "raised_at": alarm.raised_at, "received_at": alarm.received_at,
            "detail": alarm.detail,
            "closed_at": alarm.closed_at, "open": alarm.closed_at is None, "false_alarm": alarm.false_alarm,
            "outcome": alarm.outcome, "unit_id": resident.unit_id,
            "person": {"id": resident.id, "full_name": resident.full_name, "address": resident.address,
                       "phone": resident.phone},
            "device": {"id": device.id, "kind": device.kind, "label": device.label, "active": device.active},
            "steps": [{"id": s.id, "step": s.step, "by_user": s.by_user, "by_name": names.get(s.by_user, ""),
                       "at": s.at, "note": s.note} for s in rows],
            "acknowledged_at": acknowledged,
            "acknowledge_seconds": rules.acknowledgement_seconds(alarm.received_at,
                                                                 [(s.step, s.at) for s in rows]),
        })
    return out


def _local_bounds(zone, start, end):
    """The UTC instants (naive) of the start of `start` and the end of `end` in the home's zone."""
    first = datetime.combine(start, day_time(0), tzinfo=zone)
    last = datetime.combine(end + timedelta(days=1), day_time(0), tzinfo=zone)
    return rules.utc_naive(first), rules.utc_naive(last)


def alarm_log(actor, now, unit_id=None, start=None, end=None, open_only=None):
    """Her units' alarms (one unit's with `unit_id`) raised between two of the home's days (both included; by
    default the last seven days up to today), newest first; `open_only` True: open ones, False: closed ones."""
    units = [access.get_unit(actor, unit_id).id] if unit_id is not None else access.unit_ids(actor)
    zone = homes.home_zone(actor.home_id)
    today = homes.home_today(zone, now)
    end = end or today
    start = start or end - timedelta(days=6)
    if end < start:
        raise invalid({"to": Msg("must not be before the start")})
    if (end - start).days >= MAX_DAYS:
        raise invalid({"to": Msg("at most %(n)s days at once", n=MAX_DAYS)})
    first, last = _local_bounds(zone, start, end)
    query = (Alarm.query.join(Resident, Resident.id == Alarm.resident_id)
             .filter(Alarm.home_id == actor.home_id, Resident.unit_id.in_(units), Alarm.raised_at >= first,
                     Alarm.raised_at < last))
    if open_only is True:
        query = query.filter(Alarm.closed_at.is_(None))
    elif open_only is False:
        query = query.filter(Alarm.closed_at.isnot(None))
    return alarm_dicts(query.order_by(Alarm.raised_at.desc(), Alarm.id.desc()).all())


def get_alarm(actor, alarm_id):
    alarm = db.session.get(Alarm, alarm_id)
    if alarm is None or alarm.home_id != actor.home_id:
        raise NotFound(Msg("No such alarm."))
    resident = db.session.get(Resident, alarm.resident_id)
    if resident is None or resident.unit_id not in access.unit_ids(actor):
        raise NotFound(Msg("No such alarm."))
    return alarm


def _record(ctx, alarm, step, note, close=None):
    """Append `step` (and the acknowledgement it implies) to the alarm, under its row's lock; `close`:
    (outcome, false_alarm) when the step closes it."""
    alarm_id = alarm.id
    with audited(ctx) as w:
        alarm = w.session.execute(select(Alarm).where(Alarm.id == alarm_id).with_for_update()).scalar_one()
        existing = [s for (s,) in w.session.execute(select(AlarmStep.step).where(AlarmStep.alarm_id == alarm_id)
                                                    .order_by(AlarmStep.id))]
        names = rules.steps_to_record(existing, step)
        at = rules.utc_naive(ctx.now)
        for name in names:
            w.session.add(AlarmStep(alarm_id=alarm_id, step=name, by_user=ctx.actor.id, at=at,
                                    note=note if name == step else None))
        detail = {"steps": names}
        if step == "closed":
            outcome, false_alarm = close if close is not None else (note, False)
            alarm.closed_at, alarm.outcome, alarm.false_alarm = at, outcome, bool(false_alarm)
            detail["false_alarm"] = bool(false_alarm)
        w.audit("alarm_step", "alarm", alarm_id, detail=detail)
    db.session.expire_all()
    return alarm_dicts([db.session.get(Alarm, alarm_id)])[0]


def add_step(ctx, alarm_id, step, note=None):
    alarm = get_alarm(ctx.actor, alarm_id)
    return _record(ctx, alarm, step, (note or "").strip() or None)


def close(ctx, alarm_id, outcome, false_alarm):
    alarm = get_alarm(ctx.actor, alarm_id)
    outcome = (outcome or "").strip() or None
    return _record(ctx, alarm, "closed", outcome, close=(outcome, false_alarm))
