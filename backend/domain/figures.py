"""The home's own figures (milieu therapy monitoring, practices.md A6-A7): each a function of plain inputs.

A figure is a value with what it is made of: numerator, denominator, the target where the practice names one,
and its definition (DEFINITIONS, English; the API shows it in the reader's language). Shares are fractions
0..1 (None when nothing is counted). Who counts:

- *Residents of the month*: residents with a care card for the month (published or closed) or with any entry
  dated in the month. Bedside keeps no admission or discharge dates; a resident cared for on any day of the
  month has that month's card or an entry.
- *Days passed*: the month's days before today (all of them once the month is over). Today is not over, so
  card completion and confirmed days count up to yesterday.
"""
import calendar
from dataclasses import asdict, dataclass
from datetime import date

from . import attendance as attendance_rules
from . import care_groups as group_rules
from . import entries as entry_rules
from . import schedule, stay
from .messages import Msg

#: The practice's figures after the introduction (000, A7): 98% engaged, 99.9% satisfied.
ENGAGEMENT_TARGET = 0.98
SATISFACTION_TARGET = 0.999
#: The practice's baseline figures (before the introduction), shown beside the comparison.
ENGAGEMENT_BEFORE = 0.45
SATISFACTION_BEFORE = 0.80
#: Caregiver load: 8-10 residents per carer (000, item 1.1); above LOAD_LIMIT a warning is shown.
LOAD_NORM = (8, 10)
LOAD_LIMIT = 10
#: A respondent counts as satisfied when her questionnaire's band is this (frontend/forms/satisfaction_*.json).
SATISFIED_BAND = "satisfied"
RESIDENT_FORM = "satisfaction_resident"
RELATIVE_FORM = "satisfaction_relative"
#: Activity directions (001, II), in the practice's order.
DIRECTIONS = ("physical_health", "cultural_leisure", "educational", "work_therapy", "psychological", "medical")
#: The comparison points after the baseline, in months (000: before, after 6 months, after a year).
COMPARISON_MONTHS = (0, 6, 12)

DEFINITIONS = {
    "engagement": Msg(
        "Residents who took part (actively or passively) in at least one activity in the month, over the residents "
        "of the month (a care card for the month or any entry dated in it). Attendance marked refused or absent "
        "does not count; a corrected mark counts as corrected."),
    "direction": Msg(
        "Residents who took part at least once in an activity of this direction in the month, over the residents "
        "of the month."),
    "satisfaction": Msg(
        "Respondents satisfied, over the respondents of the period: residents' questionnaires (filled with a "
        "staff member's help) and relatives' questionnaires together. Each respondent counts once with the latest "
        "answers of the period (a relative once per resident). Satisfied: at least 13 of the 16 points."),
    "card_completion": Msg(
        "Care-card slots recorded (done or not done, with a reason) over the slots due: every time or shift slot "
        "of the published cards' items that apply on each day passed of the month. Items given as needed are not "
        "counted. A slot counts once, whatever its corrections."),
    "confirmed_days": Msg(
        "Days a supervisor confirmed for the whole unit, over the days passed of the month, summed over the units."),
    "overdue_reassessments": Msg(
        "Residents whose planned reassessment date (18 months after the last care-group decision for group I, 12 "
        "months for groups II to IV) had passed on the last day counted (the month's end, or today), over the "
        "residents of the month who have a care-group decision. Residents never assessed are counted apart."),
    "caregiver_load": Msg(
        "Residents per carer on a shift: the assignments of the month's shifts, by carer and shift. The value is "
        "the highest load; the practice's norm is 8 to 10 residents, and a load above 10 is a warning."),
}


@dataclass
class Figure:
    key: str
    value: float | None
    numerator: int | None = None
    denominator: int | None = None
    target: float | None = None
    #: share | count | residents
    unit: str = "share"
    #: The practice's figure before its introduction, where it gives one.
    before: float | None = None
    extra: dict | None = None

    def as_dict(self):
        return asdict(self)


def share(numerator, denominator):
    return None if not denominator else numerator / denominator


def month_days(month):
    first = month.replace(day=1)
    return [first.replace(day=d) for d in range(1, calendar.monthrange(first.year, first.month)[1] + 1)]


def days_passed(month, today):
    """The month's days before today (all once the month is over; none for a month to come)."""
    return [d for d in month_days(month) if d < today]


def last_counted_day(month, today):
    """The month's last day, or today while the month runs."""
    last = month_days(month)[-1]
    return min(last, today) if month.replace(day=1) <= today else last


def add_months(month, n):
    index = month.year * 12 + month.month - 1 + n
    return date(index // 12, index % 12 + 1, 1)


def residents_of_month(with_card, entries):
    """Resident ids with a card for the month, or with an entry (dicts with resident_id) in it."""
    return set(with_card) | {e["resident_id"] for e in entries}


def _took_part(attendance):
    """Standing attendance marks that count as taking part (active or passive)."""
    return [e for e in attendance_rules.standing_by_occurrence(attendance).values()
            if attendance_rules.took_part(e)]


def engagement(residents, attendance):
    """Share of `residents` (ids) with a standing active or passive attendance among `attendance` (entry dicts:
    id, kind, resident_id, day, status, values, supersedes, device_time), all of the month."""
    residents = set(residents)
    engaged = {e["resident_id"] for e in _took_part(attendance)} & residents
    return Figure("engagement", share(len(engaged), len(residents)), len(engaged), len(residents),
                  target=ENGAGEMENT_TARGET, before=ENGAGEMENT_BEFORE)


def participation_by_direction(residents, attendance, directions):
    """{direction: Figure} for every direction: residents who took part in an activity of it.
    directions: {activity id: direction}. Also the number of times residents took part (extra.times)."""
    residents = set(residents)
    who = {d: set() for d in DIRECTIONS}
    times = dict.fromkeys(DIRECTIONS, 0)
    for e in _took_part(attendance):
        direction = directions.get((e.get("values") or {}).get("activity_id"))
        if direction in who and e["resident_id"] in residents:
            who[direction].add(e["resident_id"])
            times[direction] += 1
    return {d: Figure("direction", share(len(who[d]), len(residents)), len(who[d]), len(residents),
                      extra={"direction": d, "times": times[d]}) for d in DIRECTIONS}


def latest_per_respondent(responses):
    """The latest response of each respondent. responses: dicts with respondent (any hashable), at (comparable),
    band (or None for an incomplete form), id (a tie-breaker)."""
    out = {}
    for r in responses:
        held = out.get(r["respondent"])
        if held is None or (r["at"], str(r["id"])) > (held["at"], str(held["id"])):
            out[r["respondent"]] = r
    return list(out.values())


def satisfaction(responses):
    """Share of respondents whose latest response of the period is in the band 'satisfied'. Also the count per
    band and per source (extra)."""
    latest = latest_per_respondent(responses)
    satisfied = [r for r in latest if r["band"] == SATISFIED_BAND]
    by_source = {}
    for r in latest:
        source = by_source.setdefault(r.get("source", "all"), {"satisfied": 0, "respondents": 0})
        source["respondents"] += 1
        source["satisfied"] += r["band"] == SATISFIED_BAND
    return Figure("satisfaction", share(len(satisfied), len(latest)), len(satisfied), len(latest),
                  target=SATISFACTION_TARGET, before=SATISFACTION_BEFORE, extra={"by_source": by_source})


def satisfaction_comparison(responses_by_month, baseline):
    """The practice's comparison: [baseline, +6 months, +1 year], each {"month", "offset", figure}.
    responses_by_month: {first day of a month: responses}; baseline: the baseline month's first day."""
    out = []
    for offset in COMPARISON_MONTHS:
        month = add_months(baseline, offset)
        out.append({"month": month, "offset": offset, "figure": satisfaction(responses_by_month.get(month, []))})
    return out


def card_completion(cards, days):
    """Slots recorded over slots due. cards: [{"items": [item dicts: id, schedule_kind, schedule, days_of_week,
    valid_from, valid_to], "ticks": [tick entry dicts: id, kind, item_id, slot, day, status, supersedes,
    device_time], "away": {day: [start, end) minute windows she was away (domain/stay.py)}}], one per published
    card; days: the days counted. A slot she was away for is not due (unless something was recorded for it)."""
    due = recorded = 0
    days = set(days)
    for card in cards:
        standing = {(e["item_id"], e.get("slot"), e["day"])
                    for e in entry_rules.standing(card["ticks"])
                    if e["kind"] == "tick" and e.get("status") in ("done", "not_done")}
        away = card.get("away") or {}
        for item in card["items"]:
            slots = schedule.slots(item["schedule_kind"], item["schedule"])
            for day in days:
                if not slots or not schedule.applies_on(day, item.get("days_of_week"), item.get("valid_from"),
                                                        item.get("valid_to")):
                    continue
                for slot in slots:
                    done = (item["id"], slot.key, day) in standing
                    if not done and stay.slot_away(away.get(day, ()), slot.start, slot.due):
                        continue
                    due += 1
                    recorded += done
    return Figure("card_completion", share(recorded, due), recorded, due, target=1.0)


def confirmed_days(unit_ids, confirmations, days):
    """Unit-days confirmed (a confirmation of the whole unit: resident_id None) over unit-days passed.
    confirmations: dicts with unit_id, resident_id, day."""
    days = set(days)
    confirmed = {(c["unit_id"], c["day"]) for c in confirmations
                 if c.get("resident_id") is None and c["day"] in days and c["unit_id"] in set(unit_ids)}
    return Figure("confirmed_days", share(len(confirmed), len(days) * len(unit_ids)), len(confirmed),
                  len(days) * len(unit_ids), target=1.0)


def overdue_reassessments(decisions, on):
    """Residents overdue for planned reassessment on `on`, over those with a decision.
    decisions: {resident id: (last decision's day on or before `on`, its group) or None}."""
    decided = {rid: d for rid, d in decisions.items() if d is not None}
    overdue = sorted(rid for rid, (day, group) in decided.items()
                     if group_rules.reassessment(day, group, False, on)["status"] == "overdue")
    never = sorted(rid for rid, d in decisions.items() if d is None)
    return Figure("overdue_reassessments", share(len(overdue), len(decided)), len(overdue), len(decided),
                  target=0.0, extra={"overdue": overdue, "never_assessed": len(never)})


def load_per_carer(assignments):
    """{carer id: number of residents} for the assignments of one shift (dicts with carer_id, resident_id)."""
    out = {}
    for a in assignments:
        out.setdefault(a["carer_id"], set()).add(a["resident_id"])
    return {carer: len(residents) for carer, residents in out.items()}


def over_limit(load, limit=LOAD_LIMIT):
    return load > limit


def caregiver_load(assignments):
    """Over the month's assignments (dicts with day, shift, unit_id, carer_id, resident_id): the load of each
    carer on each shift; value = the highest load, numerator = carer-shifts above the limit, denominator =
    carer-shifts; extra.mean the mean load."""
    shifts = {}
    for a in assignments:
        shifts.setdefault((a["day"], a["shift"], a["carer_id"]), set()).add(a["resident_id"])
    loads = [len(r) for r in shifts.values()]
    over = sum(1 for n in loads if over_limit(n))
    return Figure("caregiver_load", max(loads) if loads else None, over, len(loads), target=LOAD_LIMIT,
                  unit="residents",
                  extra={"mean": round(sum(loads) / len(loads), 2) if loads else None, "norm": list(LOAD_NORM),
                         "limit": LOAD_LIMIT})


def shift_load(resident_ids, assignments, limit=LOAD_LIMIT):
    """One shift of one unit: {"per_carer": {carer: n}, "over": [carers above the limit], "without":
    [residents (in the given order) with no carer]}."""
    per = load_per_carer(assignments)
    assigned = {a["resident_id"] for a in assignments}
    return {"per_carer": per, "over": sorted(c for c, n in per.items() if over_limit(n, limit)),
            "without": [r for r in resident_ids if r not in assigned]}
