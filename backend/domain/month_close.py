"""Month close and the archive copy of a care card (forms.md §f: the cards are archived in the personal file).

A card may be closed when its month is over in the home's time zone and every care day that needs it is
confirmed: a day needs confirmation when an item of the card applies on it or something was recorded for the
resident on it (a day with nothing scheduled and nothing recorded has nothing to confirm). A day counts as
confirmed when it is locked for the resident (days.is_locked: the unit's day or the resident's day confirmed) and
no entry that arrived late after a confirmation is still waiting for a later one (days.unreviewed_late).

`grid` lays the card out as the paper card does: items down the side (one row per item and time slot, one row
for an item recorded "as needed" and one for an item less often than daily: its recordings on their days, a miss on
the day its period closed without one), the month's days across. A closed card shows what was on the server when it
was closed; entries that arrive later (an offline tablet) are kept, listed apart and marked in their cell.
"""
import calendar
from dataclasses import dataclass, field
from datetime import date, timedelta

from . import days as day_rules
from . import entries as entry_rules
from . import schedule, stay

#: Cell states, in the order the legend lists them.
STATES = ("done", "not_done", "refused", "missing", "as_needed", "pending", "not_scheduled", "away")
#: Reasons of "not done" other than refusal get a number in the cell (legend: reasons in the tablet's order).
REASON_NUMBERS = {reason: n for n, reason in enumerate(entry_rules.REASONS, 1)}


def month_days(month: date):
    first = month.replace(day=1)
    return [first.replace(day=d) for d in range(1, calendar.monthrange(first.year, first.month)[1] + 1)]


def last_day(month: date):
    return month_days(month)[-1]


def days_needing_confirmation(month, items, entries):
    """Days of the month on which an item applies or anything was recorded for the resident."""
    recorded = {e["day"] for e in entries}
    return [d for d in month_days(month)
            if d in recorded or any(schedule.applies_on(d, i.get("days_of_week"), i.get("valid_from"),
                                                        i.get("valid_to")) for i in items)]


def confirmation_state(month, confirmations, late_entries, unit_id, resident_id, timezone):
    """(days locked for the resident, days with late entries not yet covered by a later confirmation). A day counts
    as confirmed only by a confirmation made once it was over (days.is_locked): one made during the day covers what
    was recorded up to then, not the rest of the day."""
    locked = {d for d in month_days(month) if day_rules.is_locked(confirmations, unit_id, resident_id, d, timezone)}
    waiting = {e["day"] for e in day_rules.unreviewed_late(late_entries, confirmations, unit_id)
               if e["resident_id"] == resident_id}
    return locked, waiting


@dataclass
class Reason:
    code: str               # closed | not_published | month_not_over | days_not_confirmed | late_not_reviewed
    days: list = field(default_factory=list)

    def as_dict(self):
        return {"code": self.code, "days": [d.day for d in self.days]}


def closable(month, today, days_confirmed, *, status="published", days_needed=None, late_waiting=()):
    """Why the card of `month` cannot be closed on `today` (the home's date); an empty list means it can.

    days_confirmed: the days locked for the resident; days_needed: the days that need it (default: all).
    late_waiting: days with late entries that no later confirmation has covered yet.
    """
    if status == "closed":
        return [Reason("closed")]
    reasons = []
    if status != "published":
        reasons.append(Reason("not_published"))
    if today <= last_day(month):
        reasons.append(Reason("month_not_over"))
    needed = month_days(month) if days_needed is None else list(days_needed)
    # a day still ahead is not yet due: the current month's card lists only the days up to today as unconfirmed
    unconfirmed = [d for d in needed if d <= today and d not in set(days_confirmed)]
    if unconfirmed:
        reasons.append(Reason("days_not_confirmed", unconfirmed))
    waiting = sorted(d for d in set(late_waiting) if d not in unconfirmed)
    if waiting:
        reasons.append(Reason("late_not_reviewed", waiting))
    return reasons


def initials(full_name):
    """'Ольга Сергеевна Кравец' -> 'ОСК'; a name written without spaces (王小明) -> its first two characters."""
    words = (full_name or "").split()
    if not words:
        return "?"
    if len(words) == 1:
        return words[0][:2]
    return "".join(w[0] for w in words[:3]).upper()


def staff_marks(users):
    """{user id: short mark} for a {user id: full name} map; equal initials get a number (ОСК, ОСК2)."""
    marks, seen = {}, {}
    for uid in sorted(users):
        base = initials(users[uid])
        seen[base] = seen.get(base, 0) + 1
        marks[uid] = base if seen[base] == 1 else f"{base}{seen[base]}"
    return marks


def _slot_label(slot_key):
    return slot_key.split(":", 1)[1] if slot_key and slot_key.startswith("shift:") else slot_key


def _chains(entries):
    """{entry id: the entries it replaced, oldest last} for following corrections back."""
    by_id = {e["id"]: e for e in entries}

    def chain(e):
        out, seen = [], set()
        while e.get("supersedes") and e["supersedes"] in by_id and e["supersedes"] not in seen:
            seen.add(e["supersedes"])
            e = by_id[e["supersedes"]]
            out.append(e)
        return out
    return chain


def _rows(items, ticks):
    rows = []
    for item in sorted(items, key=lambda i: (i.get("position") or 0, i["id"])):
        if item["schedule_kind"] in schedule.PERIODIC:  # one row: its recordings on their days, a miss at the close
            rows.append({"item_id": item["id"], "title": item["title"], "slot": None, "as_needed": False,
                         "periodic": True, "former": False, "schedule_kind": item["schedule_kind"],
                         "schedule": item["schedule"]})
            continue
        keys = [s.key for s in schedule.slots(item["schedule_kind"], item["schedule"])]
        if not keys:
            rows.append({"item_id": item["id"], "title": item["title"], "slot": None, "as_needed": True,
                         "former": False})
            continue
        extra = sorted({e.get("slot") for e in ticks if e.get("item_id") == item["id"]} - set(keys) - {None})
        for key in keys + extra:
            rows.append({"item_id": item["id"], "title": item["title"], "slot": key, "slot_label": _slot_label(key),
                         "as_needed": False, "former": key in extra})
    return rows


def _cell(item, row, day, standing, chain, marks, today, after_close, slot=None, away=(), closes=None):
    applies = schedule.applies_on(day, item.get("days_of_week"), item.get("valid_from"), item.get("valid_to"))
    mine = [e for e in standing if e["day"] == day]
    cell = {"state": None, "reason": None, "by": [], "corrected": False, "amended": False, "late": False,
            "after_close": any(e["day"] == day for e in after_close), "count": 0}
    if row.get("periodic") and not mine:
        # a period closes on this day with nothing recorded for it (days.month_periods): missed once it is over
        period = (closes or {}).get(day)
        if period is None or not applies:
            cell["state"] = "not_scheduled"
        elif period["away"]:
            cell["state"] = "away"
        else:
            cell["state"] = "pending" if day >= today else "missing"
        return cell
    if row["as_needed"]:
        if not mine and not applies:
            cell["state"] = "not_scheduled"
            return cell
        done = [e for e in mine if e.get("status") == "done"]
        cell.update(state="as_needed" if mine or day < today else "pending", count=len(done))
        used = mine
    else:
        e = entry_rules.latest(mine)
        if e is None:
            if not applies or row["former"]:
                cell["state"] = "not_scheduled"
            elif slot is not None and stay.slot_away(away, slot.start, slot.due):
                cell["state"] = "away"
            else:
                cell["state"] = "pending" if day >= today else "missing"
            return cell
        used = [e]
        if e.get("status") == "done":
            cell["state"] = "done"
        elif e.get("reason") == "refused":
            cell["state"] = "refused"
        else:
            cell.update(state="not_done", reason=e.get("reason"), reason_number=REASON_NUMBERS.get(e.get("reason")))
    for e in used:
        mark = marks.get(e["author_id"], "?")
        if mark not in cell["by"]:
            cell["by"].append(mark)
        earlier = chain(e)
        links = [e] + earlier[:-1] if earlier else []
        if any(x.get("amendment_reason") for x in links):
            cell["amended"] = True
        if any(not x.get("amendment_reason") for x in links):
            cell["corrected"] = True
        cell["late"] = cell["late"] or bool(e.get("late_after_confirmation"))
    return cell


#: The kinds of entry that document the care card (the rest are attendance and assessments).
CARD_KINDS = ("tick", "vitals", "note", "condition")


def _order(e):
    return (e["day"], e["received_at"], e["id"])


def _describe(e):
    return {"status": e.get("status"), "reason": e.get("reason"), "note": e.get("note"), "values": e.get("values"),
            "category": e.get("category")}


def grid(items, entries, month, users, today, *, closed_at=None, close_seq=None, confirmations=(), unit_id=None,
         resident_id=None, away=None):
    """The paper card as data.

    items: dicts as supervision.item_dict; entries: the resident's entries of the month (dicts with day, kind,
    item_id, slot, status, reason, author_id, supersedes, amendment_reason, late_after_confirmation, received_at,
    device_time comparable among themselves); users: {id: full name}; today: the home's date (days from today on
    are 'pending' on a card not yet closed); closed_at: naive UTC close time and close_seq the card's feed position
    at the close (entries received later, or dated outside the month, are listed apart, not in the grid);
    confirmations: dicts with unit_id, resident_id, day, confirmed_by, confirmed_at, note; away: {day: [start, end)
    minute windows she was away} (domain/stay.py): a slot she was away for, with nothing recorded, is 'away'.
    """
    away = away or {}
    days = month_days(month)
    marks = staff_marks(users)
    # The card is the care card's documentation: ticks, vital signs, notes, reported changes. Attendance at
    # activities belongs to the resident's programme (milieu therapy) and an assessment to its own form: neither is
    # counted, corrected or listed here, and neither "arrives after the close". Assessments are listed apart (title,
    # score and band) for the reader's reference.
    assessments = sorted((e for e in entry_rules.standing(entries) if e["kind"] == "assessment" and e["day"] in days),
                         key=_order)
    entries = [e for e in entries if e["kind"] in CARD_KINDS]
    if closed_at is not None:
        def later(e):  # the feed position orders commits exactly; the clock alone may tie
            return e["received_at"] > closed_at or (close_seq is not None and e["seq"] > close_seq)
        after = [e for e in entries if later(e) or e["day"] not in days]
        kept = [e for e in entries if not (later(e) or e["day"] not in days)]
        today = max(today, last_day(month) + timedelta(days=1))
    else:
        kept, after = list(entries), []
    chain = _chains(kept)
    standing = entry_rules.standing(kept)
    ticks = [e for e in standing if e["kind"] == "tick"]
    items_by_id = {i["id"]: i for i in items}
    rows = []
    # periodic items: the periods left without a recording, by the item and day that close them
    unrecorded = {}
    for period in day_rules.month_periods(items, ticks, month, away):
        if period["entry"] is None and period["closes"] is not None:
            unrecorded.setdefault(period["item_id"], {})[period["closes"]] = period

    def same_row(e, row):
        if row.get("periodic"):
            return (e.get("item_id") == row["item_id"]
                    and (e.get("slot") or "").startswith(schedule.PERIOD_PREFIX))
        return e.get("item_id") == row["item_id"] and e.get("slot") == row["slot"]
    for row in _rows(items, ticks):
        item = items_by_id[row["item_id"]]
        mine = [e for e in ticks if same_row(e, row)]
        late_here = [e for e in after if e["kind"] == "tick" and same_row(e, row)]
        slot = {x.key: x for x in schedule.slots(item["schedule_kind"], item["schedule"])}.get(row["slot"])
        row["cells"] = [_cell(item, row, d, mine, chain, marks, today, late_here, slot, away.get(d, ()),
                              unrecorded.get(item["id"])) for d in days]
        rows.append(row)
    titles = {i["id"]: i["title"] for i in items}
    by_id = {e["id"]: e for e in kept}

    def listed(e):
        old = by_id.get(e.get("supersedes"))
        return {"entry_id": e["id"], "day": e["day"], "kind": e["kind"], "item": titles.get(e.get("item_id")),
                "slot": _slot_label(e.get("slot")), "new": _describe(e), "old": _describe(old) if old else None,
                "by": users.get(e["author_id"], "?"), "post": e.get("author_post"),
                "mark": marks.get(e["author_id"], "?"), "at": e["received_at"], "reason": e.get("amendment_reason")}
    mine_conf = [c for c in confirmations if c["day"] in set(days)
                 and (unit_id is None or c["unit_id"] == unit_id)
                 and c.get("resident_id") in (None, resident_id)]
    in_order = sorted(kept, key=_order)
    others = [e for e in standing if e["kind"] != "tick"]
    counts = {}
    for e in others:
        counts[e["kind"]] = counts.get(e["kind"], 0) + 1
    used = {e["author_id"] for e in kept + after} | {c["confirmed_by"] for c in mine_conf}
    # each person's posts as recorded with what she did on the card (the legend's «должность»), in the order met
    posts = {}
    for who, post in [(e["author_id"], e.get("author_post")) for e in sorted(kept + after, key=_order)] + [
            (c["confirmed_by"], c.get("confirmed_by_post")) for c in mine_conf]:
        if post and post not in posts.setdefault(who, []):
            posts[who].append(post)
    return {
        "month": month.replace(day=1), "days": [d.day for d in days],
        "weekdays": [d.isoweekday() for d in days], "rows": rows,
        "confirmations": [{"day": c["day"], "by": users.get(c["confirmed_by"], "?"),
                           "post": c.get("confirmed_by_post"), "at": c["confirmed_at"],
                           "scope": "unit" if c.get("resident_id") is None else "resident", "note": c.get("note")}
                          for c in sorted(mine_conf, key=lambda c: (c["day"], c["confirmed_at"]))],
        "amendments": [listed(e) for e in in_order if e.get("amendment_reason")],
        "corrections": [listed(e) for e in in_order if e.get("supersedes") and not e.get("amendment_reason")],
        "late": [listed(e) for e in in_order if e.get("late_after_confirmation")],
        "after_close": [listed(e) for e in sorted(after, key=_order)],
        "other_entries": [listed(e) for e in sorted(others, key=_order)],
        "other_counts": counts,
        "assessments": [{"entry_id": e["id"], "day": e["day"], "form": e.get("category"), "answers": e.get("values"),
                         "score": e.get("score"), "by": users.get(e["author_id"], "?"), "post": e.get("author_post"),
                         "at": e["received_at"]}
                        for e in assessments],
        "staff": [{"mark": marks[u], "name": users[u], "posts": posts.get(u, [])}
                  for u in sorted(used, key=lambda u: marks.get(u, ""))
                  if u in users],
        "entry_count": len(kept),
    }
