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
from . import days as day_rules
from . import entries as entry_rules
from . import posts, schedule, stay
from .messages import Msg

#: The practice's figures after the introduction (000, A7): 98% engaged in social occupation, 99.9% of service
#: recipients (residents) satisfied. docs/domain.md "Figures" quotes each definition.
ENGAGEMENT_TARGET = 0.98
SATISFACTION_TARGET = 0.999
#: The practice's baseline figures (before the introduction), shown beside the comparison.
ENGAGEMENT_BEFORE = 0.45
SATISFACTION_BEFORE = 0.80
#: The load norm of the sitter (сиделка) post: 000, item 1.1 "Введена должность сиделки с нагрузкой 8 – 10 человек
#: на одного сотрудника". The carers assigned to residents (CarerAssignment, services/carers.py) are the sitters
#: (domain/posts.py), never junior nurses; a sitter above LOAD_LIMIT is warned of.
LOAD_POST = posts.SITTER
LOAD_NORM = (8, 10)
LOAD_LIMIT = 10
#: A respondent counts as satisfied when her questionnaire's band is this (frontend/forms/satisfaction_*.json).
SATISFIED_BAND = "satisfied"
RESIDENT_FORM = "satisfaction_resident"
RELATIVE_FORM = "satisfaction_relative"
#: The monitoring forms of the milieu-therapy practice (001 "Система мониторинга": observation of service delivery,
#: interview, specialists' short reports), filled per resident (docs/domain.md "Monitoring forms").
OBSERVATION_FORM = "milieu_observation"
INTERVIEW_FORM = "milieu_interview"
REPORT_FORM = "specialist_report"
MONITORING_FORMS = (OBSERVATION_FORM, INTERVIEW_FORM, REPORT_FORM)
#: The bands of frontend/forms/milieu_*.json and specialist_report.json the figures read.
NO_REMARKS_BAND = "no_remarks"
POSITIVE_BAND = "positive"
#: The environment factors an observation checks (000: interior, social-medical, socio-psycho-pedagogical; 001:
#: interior, psychological): the observation form's questions of the same names.
ENVIRONMENT_FACTORS = ("interior", "social_medical", "psychological")
#: A response's source: the practice's satisfaction figure counts the service recipients (residents) only; the
#: relatives' is a figure of its own beside it.
RESIDENTS = "residents"
RELATIVES = "relatives"
#: The directions the engagement figure counts (social occupation: leisure and socially useful activity).
SOCIAL_OCCUPATION = attendance_rules.SOCIAL_OCCUPATION
#: Activity directions (001, II), in the practice's order.
DIRECTIONS = ("physical_health", "cultural_leisure", "educational", "work_therapy", "psychological", "medical")
#: The comparison points after the baseline, in months (000: before, after 6 months, after a year).
COMPARISON_MONTHS = (0, 6, 12)

DEFINITIONS = {
    "engagement": Msg(
        "Residents engaged in social occupation (leisure and socially useful activity, as source 000 defines the "
        "figure), over the residents of the month (a care card for the month or any entry dated in it): at least "
        "one activity of the physical culture and health, cultural and leisure, informational and educational or "
        "work therapy direction taken part in, actively or passively. Medical and psychological activities (a "
        "massage, a talk with the psychologist) do not count. Attendance marked refused or absent does not count; "
        "a corrected mark counts as corrected."),
    "direction": Msg(
        "Residents who took part at least once in an activity of this direction in the month, over the residents "
        "of the month."),
    "satisfaction": Msg(
        "Residents satisfied, over the residents who answered in the period: the service recipients of source "
        "000, by their own questionnaires (filled with a staff member's help). Each resident counts once with her "
        "latest answers of the period. Satisfied: at least 13 of the 16 points. Relatives' questionnaires are not "
        "counted here: they are reported beside, as a figure of their own."),
    "satisfaction_relatives": Msg(
        "Relatives satisfied, over the relatives who answered in the period (a relative once per resident she "
        "answers about, with her latest answers). Reported beside the residents' figure and not part of it: source "
        "000 measures the satisfaction of service recipients. Satisfied: at least 13 of the 16 points."),
    "card_completion": Msg(
        "Care-card slots recorded (done or not done, with a reason) over the slots due: every time or shift slot "
        "of the published cards' items that apply on each day passed of the month, and once per period every "
        "service less often than daily (monthly, every few days or weeks, on given dates) recorded in its period "
        "or whose period ended without it. Items given as needed are not counted. A slot counts once, whatever "
        "its corrections."),
    "confirmed_days": Msg(
        "Days a supervisor confirmed for the whole unit, over the days passed of the month, summed over the units."),
    "overdue_reassessments": Msg(
        "Residents whose planned reassessment date (18 months after the last care-group decision for group I, 12 "
        "months for groups II to IV) had passed on the last day counted (the month's end, or today), over the "
        "residents of the month who have a care-group decision. Residents never assessed are counted apart."),
    "caregiver_load": Msg(
        "Residents per sitter on a shift, from the assignments of the Carers screen. The norm of 8 to 10 residents "
        "per staff member is the one source 000 set for the sitter post it introduced: the carers are the unit's "
        "sitters, not its junior nurses. An assignment of someone whose post is not sitter (made before posts, or "
        "changed since) is not counted and is shown apart. The value is the highest load; a load above 10 is a "
        "warning."),
    "monitoring_observations": Msg(
        "Observations of service delivery without remarks, over the observations dated in the month (source 001: "
        "the monthly observation of service delivery). An observation has no remarks when the service was given as "
        "in the timetable or individual programme, in full, with an effective contact with the resident, and all "
        "three environment factors held. Every observation counts, its corrections as corrected."),
    "environment_interior": Msg(
        "Observations in which the interior factor held (a comfortable, safe, accessible setting with the "
        "equipment and the rehabilitation and care aids needed: sources 000 and 001), over the month's "
        "observations of service delivery."),
    "environment_social_medical": Msg(
        "Observations in which the social-medical factor held (care and rehabilitation aids and medical support "
        "where they were needed: source 000), over the month's observations of service delivery."),
    "environment_psychological": Msg(
        "Observations in which the psychological factor held (a favourable psychological climate, structured "
        "time, meaningful occupation: sources 000 and 001), over the month's observations of service delivery."),
    "monitoring_interviewed": Msg(
        "Residents interviewed in the month (source 001: the monthly interview, the study of the recipients' "
        "attitude to the process and its results), over the residents of the month."),
    "monitoring_attitude": Msg(
        "Residents whose latest interview of the month reads positive (at least 5 of its 6 points: attitude to "
        "the activities, their benefit, more communication), over the residents interviewed in the month."),
    "monitoring_reported": Msg(
        "Residents with a specialist's short report for the month (source 001: the specialists' short reports on "
        "the work of the individual support programme), over the residents of the month."),
    "monitoring_dynamics": Msg(
        "Residents whose latest specialist's report of the month shows positive dynamics (at least 6 of its 10 "
        "points over self-care skills, interests, communication, the emotional state and conflict, the outcomes "
        "source 001 names), over the residents with a report."),}


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


def engagement(residents, attendance, directions):
    """Share of `residents` (ids) engaged in social occupation: a standing active or passive attendance at an
    activity of a SOCIAL_OCCUPATION direction among `attendance` (entry dicts: id, kind, resident_id, day, status,
    values, supersedes, device_time), all of the month. directions: {activity id: direction}.
    extra.other_only: residents who took part only in other directions (medical, psychological): not engaged."""
    residents = set(residents)
    took = _took_part(attendance)
    engaged = {e["resident_id"] for e in took if attendance_rules.in_social_occupation(e, directions)} & residents
    other_only = ({e["resident_id"] for e in took} & residents) - engaged
    return Figure("engagement", share(len(engaged), len(residents)), len(engaged), len(residents),
                  target=ENGAGEMENT_TARGET, before=ENGAGEMENT_BEFORE,
                  extra={"directions": list(SOCIAL_OCCUPATION), "other_only": len(other_only)})


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


def _satisfied(key, responses, **targets):
    latest = latest_per_respondent(responses)
    satisfied = [r for r in latest if r["band"] == SATISFIED_BAND]
    return Figure(key, share(len(satisfied), len(latest)), len(satisfied), len(latest), **targets)


def satisfaction(responses):
    """The practice's figure (000): the share of service recipients -- residents -- whose latest response of the
    period is in the band 'satisfied'. responses: dicts with respondent, at, band, id and source (RESIDENTS or
    RELATIVES); relatives' responses are left out here (relatives_satisfaction)."""
    return _satisfied("satisfaction", [r for r in responses if r["source"] == RESIDENTS],
                      target=SATISFACTION_TARGET, before=SATISFACTION_BEFORE)


def relatives_satisfaction(responses):
    """Relatives' satisfaction, a figure of its own beside the residents' (no target: the practice sets none)."""
    return _satisfied("satisfaction_relatives", [r for r in responses if r["source"] == RELATIVES])


def satisfaction_comparison(responses_by_month, baseline):
    """The practice's comparison of the residents' figure: [baseline, +6 months, +1 year], each {"month", "offset",
    figure}.
    responses_by_month: {first day of a month: responses}; baseline: the baseline month's first day."""
    out = []
    for offset in COMPARISON_MONTHS:
        month = add_months(baseline, offset)
        out.append({"month": month, "offset": offset, "figure": satisfaction(responses_by_month.get(month, []))})
    return out


def card_completion(cards, days):
    """Slots recorded over slots due. cards: [{"items": [item dicts: id, schedule_kind, schedule, days_of_week,
    valid_from, valid_to, plan_service], "ticks": [tick entry dicts: id, kind, item_id, slot, day, status,
    supersedes, device_time], "away": {day: [start, end) minute windows she was away (domain/stay.py)}, "month":
    the card's month (default: the first day counted's)}], one per published card; days: the days counted. A slot
    she was away for is not due (unless something was recorded for it). A periodic item's period is one slot."""
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
        # A periodic item counts once per period (docs/domain.md, "Periodic services"): recorded on a day counted,
        # or missed when its period closed on a day counted without a recording (not when she was away then).
        month = card.get("month") or min(days, default=None)
        for period in day_rules.month_periods(card["items"], card["ticks"], month.replace(day=1),
                                              away) if month else ():
            entry = period["entry"]
            if entry is not None and entry.get("status") in ("done", "not_done") and entry["day"] in days:
                due += 1
                recorded += 1
            elif entry is None and period["closes"] in days and not period["away"]:
                due += 1
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
    """The sitter post's load (LOAD_POST, 000 item 1.1) over the month's assignments of carers to residents (dicts
    with day, shift, unit_id, carer_id, resident_id, post: the carer's post): the norm is the sitters', so the
    figure is computed over the carer-shifts of staff holding the sitter post only. value = the highest sitter
    load, numerator = sitter-shifts above the limit, denominator = sitter-shifts; extra.mean their mean load,
    extra.post the post the norm was set for, extra.others the carer-shifts of staff whose post is not sitter (an
    assignment made before posts, or of someone whose post changed since: "shifts", "highest"), not counted."""
    shifts, post_of = {}, {}
    for a in assignments:
        key = (a["day"], a["shift"], a["carer_id"])
        shifts.setdefault(key, set()).add(a["resident_id"])
        post_of[key] = a.get("post")
    loads = [len(r) for key, r in shifts.items() if post_of[key] == LOAD_POST]
    others = [len(r) for key, r in shifts.items() if post_of[key] != LOAD_POST]
    over = sum(1 for n in loads if over_limit(n))
    return Figure("caregiver_load", max(loads) if loads else None, over, len(loads), target=LOAD_LIMIT,
                  unit="residents",
                  extra={"mean": round(sum(loads) / len(loads), 2) if loads else None, "norm": list(LOAD_NORM),
                         "limit": LOAD_LIMIT, "post": LOAD_POST,
                         "others": {"shifts": len(others), "highest": max(others) if others else None}})


def shift_load(resident_ids, assignments, sitters, limit=LOAD_LIMIT):
    """One shift of one unit: {"per_carer": {carer: n}, "over": [sitters above the limit], "without":
    [residents (in the given order) with no carer]}. sitters: the carers holding the sitter post (LOAD_POST), the
    only ones the norm is for: another carer with more residents is not "over"."""
    per = load_per_carer(assignments)
    assigned = {a["resident_id"] for a in assignments}
    return {"per_carer": per, "over": sorted(c for c, n in per.items() if c in sitters and over_limit(n, limit)),
            "without": [r for r in resident_ids if r not in assigned]}


def milieu_monitoring(residents, records):
    """The milieu-therapy monitoring of the month (001): [observations without remarks, each environment factor,
    residents interviewed, positive attitude, residents reported, positive dynamics].
    residents: the residents of the month (ids); records: the month's standing monitoring forms, dicts with id,
    resident_id, form (a MONITORING_FORMS id), at (comparable: day and device time), band (None when incomplete)
    and values (the answers). An observation counts each time; an interview or a report counts once per resident,
    her latest of the month."""
    residents = set(residents)
    mine = [r for r in records if r["resident_id"] in residents]
    observed = [r for r in mine if r["form"] == OBSERVATION_FORM and r["band"] is not None]
    clean = [r for r in observed if r["band"] == NO_REMARKS_BAND]
    out = [Figure("monitoring_observations", share(len(clean), len(observed)), len(clean), len(observed))]
    for factor in ENVIRONMENT_FACTORS:
        held = [r for r in observed if (r.get("values") or {}).get(factor) is True]
        out.append(Figure("environment_" + factor, share(len(held), len(observed)), len(held), len(observed),
                          extra={"factor": factor}))
    for form, asked, good in ((INTERVIEW_FORM, "monitoring_interviewed", "monitoring_attitude"),
                              (REPORT_FORM, "monitoring_reported", "monitoring_dynamics")):
        latest = latest_per_respondent([{**r, "respondent": r["resident_id"]} for r in mine
                                        if r["form"] == form and r["band"] is not None])
        positive = [r for r in latest if r["band"] == POSITIVE_BAND]
        out.append(Figure(asked, share(len(latest), len(residents)), len(latest), len(residents)))
        out.append(Figure(good, share(len(positive), len(latest)), len(positive), len(latest)))
    return out
