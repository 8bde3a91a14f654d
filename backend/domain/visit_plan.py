"""Home visits (issue 18, section 3: "generate next week"): the visits to create for some days from a person's card
items whose schedule has times of day. Plain rules: items, days and the visits that exist already are arguments.

An item (a card item dict): id, schedule_kind, schedule (its params), days_of_week (None: every day), valid_from,
valid_to (date or "YYYY-MM-DD", None: open) and, optionally, month (a date in the month of its card: a card item
applies only within its card's month -- without it, its days of validity alone decide). Whether it applies on a
day and at which times is domain/schedule.py's (applies_on, slots), as for the card itself.

Which items make visits:
- "times" and "every_hours": a visit at each of the day's times (schedule.slots' "HH:MM" keys), the items due at
  the same time grouped into one visit;
- "as_needed": no visit -- it has no time; the carer records it during another visit, or the dispatcher adds an
  ad-hoc visit when it is needed;
- "per_shift": no visit -- a shift (08:00-20:00, 20:00-24:00) is a residential ward's window, not a time to be at
  a door; such an item is recorded during the visits of that day;
- the periodic kinds (monthly, every N days or weeks, given dates): no visit -- no time of day; the dispatcher
  plans them as ad-hoc visits (or they are recorded during a timed visit within their period).
"""
from datetime import date

from . import schedule

#: Planned minutes for a card item with no standard minutes (no service-catalogue entry behind it): half an hour,
#: the length of most of the catalogue's single items.
DEFAULT_MINUTES = 30
#: The schedule kinds that have times of day (and so make visits).
TIMED = ("times", "every_hours")


def _date(value):
    if value is None or (isinstance(value, date) and not hasattr(value, "hour")):
        return value
    return date.fromisoformat(str(value)[:10])


def _existing_keys(existing, person_id):
    """(day, "HH:MM") of the visits that exist: visit dicts (day, start_time, optionally resident_id -- another
    person's are ignored) or (day, "HH:MM") pairs. Cancelled visits count: generating again must not bring back a
    visit the dispatcher cancelled."""
    keys = set()
    for visit in existing or ():
        if isinstance(visit, dict):
            if visit.get("resident_id", person_id) != person_id:
                continue
            keys.add((_date(visit["day"]), visit["start_time"]))
        else:
            day, start_time = visit
            keys.add((_date(day), start_time))
    return keys


def _in_month(item, day):
    month = _date(item.get("month"))
    return month is None or (month.year, month.month) == (day.year, day.month)


def due_times(item, day):
    """The "HH:MM" times a card item is due on `day` (empty: none, or not a timed item)."""
    kind = item.get("schedule_kind")
    if kind not in TIMED or not _in_month(item, day):
        return []
    if schedule.validate(kind, item.get("schedule"), item.get("days_of_week")):
        return []  # a schedule the card would refuse: nothing to plan from
    if not schedule.applies_on(day, item.get("days_of_week"), _date(item.get("valid_from")),
                               _date(item.get("valid_to"))):
        return []
    return [slot.key for slot in schedule.slots(kind, item.get("schedule")) if not slot.key.startswith("shift:")]


def generate(person_id, items, days, existing, standard_minutes):
    """The visits to create, sorted by day and time: [{"resident_id", "day" (date), "start_time" ("HH:MM"),
    "planned_minutes", "item_ids" (sorted), "source": "plan"}], one per (day, time) at which some timed items are due,
    except the (day, time) pairs that `existing` has already (so generating twice makes nothing new; a visit moved
    to another time by hand makes the plan's time come back -- the dispatcher cancels it there).

    standard_minutes: {card item id: minutes} (the caller reads them through the contract item and the service
    catalogue); an item without one counts DEFAULT_MINUTES. planned_minutes = the sum over the visit's items."""
    have = _existing_keys(existing, person_id)
    out = []
    for day in sorted({_date(d) for d in days}):
        due = {}
        for item in items:
            for at in due_times(item, day):
                due.setdefault(at, set()).add(item["id"])
        for at in sorted(due):
            if (day, at) in have:
                continue
            ids = sorted(due[at])
            minutes = sum(_minutes(standard_minutes, i) for i in ids)
            out.append({"resident_id": person_id, "day": day, "start_time": at, "planned_minutes": minutes,
                        "item_ids": ids, "source": "plan"})
    return out


def _minutes(standard_minutes, item_id):
    value = (standard_minutes or {}).get(item_id)
    return value if isinstance(value, int) and not isinstance(value, bool) and value > 0 else DEFAULT_MINUTES
