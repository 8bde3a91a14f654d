"""A month's care card from a care-plan version, and its regeneration when the plan changes mid-month.

`items_for_month(content, month)` turns the plan's services into card items (one per service with `on_card`
true whose term meets the month), each clipped to the service's term within the month.

`regenerate(existing, new_items, effective_day, ...)` compares a card's items with freshly generated ones and
says what to do, so that the rest of the month follows the new plan and nothing recorded changes:
* items added by hand (no `plan_service`) and items that ended before the effective day are left alone;
* an item whose service is unchanged (same content and same days from the effective day on) is kept as it is;
* an item whose service changed or left the plan ends the day before the effective day, or on the last day
  something was recorded for it if that is later (nothing recorded leaves its item or its day); the new
  version of the service starts the day after the old one ends. So a service never has two items on one day;
* an item that has not started yet (it starts after `today`, or its card is a draft) and has nothing recorded
  is deleted instead of ended: it never applied;
* a service whose only change is the end of its term has its item's end moved (never before what was recorded);
* entries point at item ids; no item with entries is ever deleted, and ended items keep their entries.
"""
from calendar import monthrange
from datetime import date, timedelta

from . import schedule
from .care_plan import parse_date, periodicity_schedule

CATEGORIES = ("hygiene", "nutrition", "mobility", "vitals", "medication", "elimination", "leisure", "other")
#: The fields that make an item what it is (its days of validity aside).
CONTENT = ("category", "title", "instructions", "schedule_kind", "schedule", "days_of_week", "measures")


def month_bounds(month):
    first = month.replace(day=1)
    return first, first.replace(day=monthrange(first.year, first.month)[1])


def item_instructions(service):
    volume, text = (service.get("volume") or "").strip(), (service.get("instructions") or "").strip()
    return "\n".join(part for part in (volume, text) if part)


def items_for_month(content, month):
    """Card items for the month from a plan's content, in the plan's order (positions from 1).

    valid_from / valid_to are the service's term clipped to the month; None when the term covers the start
    (or the end) of the month, as for an item written by hand."""
    first, last = month_bounds(month)
    items = []
    for section in content["sections"]:
        for service in section["services"]:
            if not service.get("on_card", True):
                continue
            term = service.get("term") or {}
            start, end = parse_date(term.get("from")), parse_date(term.get("to"))
            if (start and start > last) or (end and end < first):
                continue
            kind, params, days = periodicity_schedule(service["periodicity"])
            items.append({
                "category": service["category"], "title": service["name"][:200],
                "instructions": item_instructions(service), "schedule_kind": kind, "schedule": params,
                "days_of_week": days, "measures": service.get("measures") or None,
                "plan_service": service["id"], "position": len(items) + 1,
                "valid_from": start if start and start > first else None,
                "valid_to": end if end and end < last else None,
            })
    return items


def _same_content(a, b):
    return all(a.get(k) == b.get(k) for k in CONTENT)


def regenerate(existing, new_items, effective_day, month, today=None, draft=False):
    """What to do with a card's items so that from `effective_day` on they follow `new_items`.

    existing: dicts with id, plan_service, the CONTENT fields, position, valid_from, valid_to and
    `last_recorded` (the latest care day with an entry for the item, or None). new_items: from
    items_for_month. today: the home's care day (items starting after it, with nothing recorded, may be deleted);
    draft: the card has never been published (nothing could be recorded: its changed items are deleted).

    Returns {"keep": [ids], "end": {id: valid_to}, "retime": {id: valid_to}, "delete": [ids], "add": [items]}.
    """
    first, last = month_bounds(month)
    effective = max(effective_day, first)
    plan = {"keep": [], "end": {}, "retime": {}, "delete": [], "add": []}
    if effective > last:
        return plan
    wanted = {}
    for item in new_items:
        if (item["valid_to"] or last) >= effective:
            wanted.setdefault(item["plan_service"], []).append(item)
    starts_after = {}  # service -> the first day its new item may start (after the old item's last day)
    next_position = max([i.get("position") or 0 for i in existing] + [0]) + 1
    positions = {}
    # Per service, the item that started first comes first: when it ends, the next one may start after it.
    for item in sorted(existing, key=lambda i: (i.get("position") or 0, i.get("valid_from") or first, i["id"])):
        service = item.get("plan_service")
        if service is None or (item.get("valid_to") and item["valid_to"] < effective):
            continue
        old_start = max(item.get("valid_from") or first, effective)
        old_end = item.get("valid_to") or last
        candidates = wanted.get(service, [])
        new = candidates[0] if candidates else None
        if new is not None and _same_content(item, new):
            new_start = max(new["valid_from"] or first, effective, starts_after.get(service, first))
            new_end = new["valid_to"] or last
            if (new_start, new_end) == (old_start, old_end):
                plan["keep"].append(item["id"])
                candidates.pop(0)
                continue
            if new_start == old_start and new_end >= max(item.get("last_recorded") or first, effective - timedelta(1)):
                plan["retime"][item["id"]] = new["valid_to"]
                candidates.pop(0)
                continue
        positions.setdefault(service, item.get("position"))
        not_started = draft or (today is not None and (item.get("valid_from") or first) > today
                                and (item.get("valid_from") or first) >= effective)
        if not_started and item.get("last_recorded") is None:
            plan["delete"].append(item["id"])
            continue
        end = max(effective - timedelta(days=1), item.get("last_recorded") or first)
        plan["end"][item["id"]] = end
        starts_after[service] = max(starts_after.get(service, first), end + timedelta(days=1))
    for service, candidates in wanted.items():
        for new in candidates:
            start = max(new["valid_from"] or first, effective, starts_after.get(service, first))
            end = new["valid_to"] or last
            if start > end:
                continue
            added = dict(new, valid_from=start if start > first else None)
            if service in positions and positions[service] is not None:
                added["position"] = positions[service]
            else:
                added["position"] = next_position
                next_position += 1
            plan["add"].append(added)
    return plan


def slots_by_day(item, month):
    """{day: [slot keys]} of one item over a month (as_needed items have days but no slots). For tests and
    the planner's preview."""
    first, last = month_bounds(month)
    out = {}
    day = first
    while day <= last:
        if schedule.applies_on(day, item.get("days_of_week"), item.get("valid_from"), item.get("valid_to")):
            out[day] = [s.key for s in schedule.slots(item["schedule_kind"], item["schedule"])]
        day += timedelta(days=1)
    return out


def next_month(day: date):
    return month_bounds(day)[1] + timedelta(days=1)
