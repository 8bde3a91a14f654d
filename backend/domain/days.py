"""The state of a care day: what was due, what was recorded, what is missing or late, and locking."""
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from . import entries as entry_rules
from . import schedule
from . import stay


@dataclass
class Cell:
    """One slot of one item: its state and the entry that stands for it, if any."""
    item_id: int
    slot: str | None
    time: str | None
    state: str            # done | not_done | missing | overdue | due | upcoming | recorded | away
    entry: dict | None = None
    late: bool = False    # recorded after the slot's window closed


@dataclass
class DayOfResident:
    resident_id: int
    cells: list = field(default_factory=list)
    #: Periodic items recorded on an earlier day of the period that `day` lies in: (item_id, slot, entry). Not
    #: cells (the recording is counted on its own day); the tablet shows them as done for the period.
    period_done: list = field(default_factory=list)

    def count(self, *states):
        return sum(1 for c in self.cells if c.state in states)


def minutes_into_day(moment: datetime, day: date):
    """Minutes from the start of `day` to a local datetime (may be negative or over 1440)."""
    delta = datetime.combine(moment.date(), moment.time()) - datetime.combine(day, datetime.min.time())
    return int(delta.total_seconds() // 60)


def series(item):
    """What a periodic item's recordings belong to: its plan service (the items a service has had over a month, when
    the plan changed, share their periods) or, written by hand, the item itself."""
    return item.get("plan_service") or f"#{item['id']}"


def _periodic_cell(result, item, by_key, done_elsewhere, day, now_min, away):
    """A periodic item on `day` (docs/domain.md, "Periodic services"): the recording of its period made that day;
    none when it was recorded on another day of the period (on an earlier day: noted in `period_done`); else open
    ('due' today, 'upcoming' ahead) from its due day, and on the period's last day 'missing' once the day is over
    ('away' when she was away as the period closed). A past day before the last one has no cell."""
    period = schedule.period_on(item["schedule_kind"], item["schedule"], day)
    if period is None:
        return
    e = entry_rules.latest(by_key.get((item["id"], period.key), []))
    if e is not None:
        result.cells.append(Cell(item["id"], period.key, None, e["status"], e))
        return
    others = [x for x in done_elsewhere.get((series(item), period.key), []) if period.due <= x["day"] <= period.end]
    if others:
        earlier = [x for x in others if x["day"] < day]
        if earlier:
            result.period_done.append((item["id"], period.key, entry_rules.latest(earlier)))
        return
    last = day == period.end
    day_minutes = 24 * 60
    if last and stay.slot_away(away, day_minutes - 1, day_minutes):
        state = "away"
    elif now_min >= day_minutes:
        state = "missing" if last else None
    else:
        state = "due" if now_min >= 0 else "upcoming"
    if state:
        result.cells.append(Cell(item["id"], period.key, None, state))


def day_of_resident(resident_id, items, day_entries, day, now_local, grace_minutes=60, away=(), period_entries=()):
    """Cells for one resident on one care day.

    items: dicts with id, schedule_kind, schedule, days_of_week, valid_from, valid_to.
    day_entries: tick entries of that resident and day (dicts with device_time as local datetime).
    now_local: the home's local time now; a past day has no 'due' or 'upcoming' cells.
    away: the parts of the day she was away ([start, end) minutes, domain/stay.py `windows`): a slot that overlaps
    them and has no entry is 'away' -- not due, never missing.
    period_entries: her tick entries of the month's other days (with `day`), for the periodic items: what was
    recorded on another day of a period (items: all the card's items, ended ones too, with plan_service).
    """
    result = DayOfResident(resident_id)
    ticks = [e for e in entry_rules.standing(day_entries) if e["kind"] == "tick"]
    by_key = {}
    for e in ticks:
        by_key.setdefault((e["item_id"], e.get("slot")), []).append(e)
    of_item = {i["id"]: series(i) for i in items}
    done_elsewhere = {}
    for e in entry_rules.standing(list(period_entries)):
        if (e["kind"] == "tick" and e.get("day") != day and e.get("item_id") in of_item
                and (e.get("slot") or "").startswith(schedule.PERIOD_PREFIX)):
            done_elsewhere.setdefault((of_item[e["item_id"]], e["slot"]), []).append(e)
    now_min = minutes_into_day(now_local, day)
    for item in items:
        if not schedule.applies_on(day, item.get("days_of_week"), item.get("valid_from"), item.get("valid_to")):
            continue
        if item["schedule_kind"] in schedule.PERIODIC:
            _periodic_cell(result, item, by_key, done_elsewhere, day, now_min, away)
            continue
        slots = schedule.slots(item["schedule_kind"], item["schedule"], grace_minutes)
        if not slots:  # as needed: one cell per recording
            for e in sorted(by_key.get((item["id"], None), []), key=lambda e: e["device_time"]):
                result.cells.append(Cell(item["id"], None, None, e["status"], e))
            continue
        for slot in slots:
            e = entry_rules.latest(by_key.get((item["id"], slot.key), []))
            if e is not None:
                late = minutes_into_day(e["device_time"], day) > slot.due
                result.cells.append(Cell(item["id"], slot.key, schedule.fmt_hhmm(slot.time), e["status"], e, late))
                continue
            if stay.slot_away(away, slot.start, slot.due):
                state = "away"
            elif now_min >= slot.due:
                state = "missing"
            elif now_min >= slot.start:
                state = "due"
            else:
                state = "upcoming"
            result.cells.append(Cell(item["id"], slot.key, schedule.fmt_hhmm(slot.time), state))
    result.cells.sort(key=lambda c: (c.time or "99:99", c.item_id))
    return result


# --- confirmation -------------------------------------------------------------------------------------------
# A confirmation covers what has happened by its moment (docs/domain.md, "Confirming a day"). Made once the care
# day is over, it covers the whole day: the day is locked, and anything recorded for it later is late. Made during
# the day (a supervisor whose shift ends at 15:00), it covers what was recorded up to its moment: an entry recorded
# before it that arrives later is late, but the slots still ahead stay open, and what is recorded for them is not
# late; it waits for the next confirmation. Confirmations are dicts with unit_id, resident_id (None: the unit's day),
# day, seq and confirmed_at (naive UTC, as stored); `timezone` is the home's.

def day_end(day, timezone):
    """The moment a care day ends in the home's zone (00:00 of the next day), as naive UTC."""
    local = datetime.combine(day + timedelta(days=1), time(0), tzinfo=ZoneInfo(timezone))
    return local.astimezone(UTC).replace(tzinfo=None)


def covering(confirmations, unit_id, resident_id, day):
    """The confirmations that cover a resident's day: the unit's day or hers."""
    return [c for c in confirmations
            if c["unit_id"] == unit_id and c["day"] == day and c.get("resident_id") in (None, resident_id)]


def is_locked(confirmations, unit_id, resident_id, day, timezone):
    """The whole day is confirmed for the resident: a covering confirmation was made once the day was over."""
    end = day_end(day, timezone)
    return any(c["confirmed_at"] >= end for c in covering(confirmations, unit_id, resident_id, day))


def confirmed_until(confirmations, unit_id, resident_id, day, timezone):
    """(moment, whole): the latest covering confirmation's moment (naive UTC) and whether it covers the whole day;
    (None, False) when the day is not confirmed for her."""
    mine = covering(confirmations, unit_id, resident_id, day)
    if not mine:
        return None, False
    latest = max(c["confirmed_at"] for c in mine)
    return latest, latest >= day_end(day, timezone)


def is_late(confirmations, unit_id, resident_id, day, recorded_at, timezone):
    """An entry of `day` recorded at `recorded_at` (naive UTC, the tablet's clock) and arriving now is late when a
    confirmation already covers it: one made after the day ended, or one made after the entry was recorded."""
    end = day_end(day, timezone)
    return any(c["confirmed_at"] >= end or recorded_at <= c["confirmed_at"]
               for c in covering(confirmations, unit_id, resident_id, day))


def unreviewed_late(late_entries, confirmations, unit_id):
    """Entries that arrived after a confirmation and that no later confirmation has covered."""
    out = []
    for e in late_entries:
        covering = [c["seq"] for c in confirmations
                    if c["unit_id"] == unit_id and c["day"] == e["day"]
                    and c.get("resident_id") in (None, e["resident_id"])]
        if not covering or max(covering) < e["seq"]:
            out.append(e)
    return out


def month_periods(items, ticks, month, away=None):
    """The periods of a card's periodic items in `month`, once per service (`series`) and period, in order of their
    end: [{"item_id", "key", "due", "end", "entry", "closes", "away"}]. entry: the recording that stands for the
    period (the latest standing tick of the service with its key, made between its due day and its end) or None;
    closes: the period's end when an item of the service applies on it (then, with nothing recorded, it is missed
    once that day is over), else None (an item ended inside the period by a plan change does not settle it); away:
    she was away as it closed ({day: [start, end) minute windows}), so it is not missed. ticks: the resident's tick
    entries of the month (with day and device_time)."""
    away = away or {}
    of_item = {i["id"]: series(i) for i in items}
    recorded = {}
    for e in entry_rules.standing(list(ticks)):
        if (e.get("kind", "tick") == "tick" and e.get("item_id") in of_item
                and (e.get("slot") or "").startswith(schedule.PERIOD_PREFIX)):
            recorded.setdefault((of_item[e["item_id"]], e["slot"]), []).append(e)
    found = {}
    for item in items:
        if item["schedule_kind"] not in schedule.PERIODIC:
            continue
        for p in schedule.periods(item["schedule_kind"], item["schedule"], month):
            start, end = max(p.due, item.get("valid_from") or p.due), min(p.end, item.get("valid_to") or p.end)
            if start > end:
                continue  # the item does not apply in this period
            ident = (series(item), p.key)
            row = found.get(ident)
            if row is None:
                mine = [e for e in recorded.get(ident, []) if p.due <= e["day"] <= p.end]
                row = found[ident] = {"item_id": item["id"], "key": p.key, "due": p.due, "end": p.end,
                                      "entry": entry_rules.latest(mine), "closes": None, "away": False}
            if end == p.end:
                row.update(item_id=item["id"], closes=p.end,
                           away=stay.slot_away(away.get(p.end, ()), 24 * 60 - 1, 24 * 60))
    return sorted(found.values(), key=lambda r: (r["end"], r["due"], r["item_id"]))
