"""Care groups I-IV: the app's suggestion, and when the next reassessment is due.

THE SUGGESTION RULE IS OURS. The regulation (004, forms.md §a.1) describes the four groups in words and gives
no rule from the observation form (§d) or the MMSE (§b) to a group. This rule reads the group descriptions
against the form's rows; it only ever *suggests*: the team decides, and nothing here is applied without a
person's decision (services/care_groups.py stores the decision with the suggestion that was shown).

The observation form rates each activity 1 "can do independently", 2 "with a little help", 3 "with mostly
help", 4 "cannot do alone". The rows it reads (numbers as printed in the source):

* mobility: 14 walks independently, 15 moves about with aids. The resident's mobility is the better of the
  two (someone who walks only with a walker is rated 4 on 14 and 1 on 15: mobile). Row 16 ("cannot move about,
  even with aids") and row 18 ("eats only with staff help") describe a state, not an activity, so a rating on
  them is ambiguous (forms.md §d.4): the rule leaves them out.
* self-care: 17 eats, 20 and 24 use the toilet, 25 washes all over, 26 brushes teeth, 27 washes face and
  hands, 29 chooses clothes, 30 changes clothes (§2.2: self-care, hygiene, toilet use).
* continence: 19 controls urination, 23 controls defecation (§2.2: "pelvic functions").
* orientation: 11 perceives oneself adequately, 12 orients in time, 13 orients in space; safety: 7 recognises
  danger and acts for self-protection.

The first group whose test holds, from IV down:

* IV "complete loss of the ability to care for oneself and to move about": mobility at 4 *and* at least three
  quarters of the self-care rows at 4. Checked first: group IV applies "including where a mental disorder is
  present".
* III "cannot adequately perceive oneself or the surroundings (disorientation) or control one's behaviour":
  MMSE <= 9 (severe dementia); or MMSE <= 20 (moderate) with disorientation on the form (one of rows 11-13 at
  3 or 4) or on the MMSE itself (orientation to time and place, items 1 and 2, at 5 of 10 points or fewer --
  our threshold); or row 7 at 4 (cannot recognise danger) with disorientation on the form, whatever the MMSE.
  BEHAVIOUR IS NOT MEASURED: none of the 29 rows of the observation form, the MMSE items or the seven "Age is
  no barrier" questions asks whether the resident can control their behaviour (row 7 is the sense of danger,
  row 10 resilience, rows 11-13 orientation). The rule therefore never suggests group III for behaviour; every
  suggestion says so in `unseen` ("behaviour"), and the team decides on that ground.
* II "partial loss ... regular need for assistance": a mobility, self-care or continence row at 3 or 4, or at
  least three of those rows at 2; or -- ours -- one or two of those rows at 2 with probable frailty (5-7 of 7)
  on the "Age is no barrier" screen: a little help for a frail resident is a regular need.
* I "periodic need; self-care and moving about retained, including with a mental disorder": otherwise. A mild
  dementia (MMSE 21-24) alone does not raise the group. With probable pre-frailty or frailty on the "Age is no
  barrier" screen the group stays I but the reason "frailty_attention" asks the team to look again.

"AGE IS NO BARRIER" (004 §2.2 names it for the assessment of functional state; forms.md §c): read as a frailty
signal, never required (the observation form and the MMSE are): its total and band are a reason of every
suggestion it can be read for (supporting groups II-IV), it raises I to II as above, and it is listed in
`unseen` when missing, incomplete or older than the last decision.

No suggestion (group None) when the observation form or the MMSE is missing or incomplete, or was done
before the last decision (the decision already took it into account; a new suggestion needs new
assessments). Assessments made on the day of the decision count as current.

Reasons are machine-readable codes with their parameters and the answers they read ({"form", "item",
"value"}); the tablet words them in the reader's language. frontend/lib/care_group.js is the same rule on the
tablet: tests/fixtures/care_group_cases.json holds the cases both must answer alike.

GROUNDS: the team's decision records the criteria of the chosen group's definition it rests on (GROUNDS).

REASSESSMENT (§a.2, §a.3): planned reassessment 18 months after the last decision for group I, 12 months
for groups II and III, and -- our choice, the source names no period for IV -- 12 months for group IV too:
intensive care changes often, and the closing sentence asks for every recipient to be examined "no less
often than once a year or a year and a half". It is "due" from DUE_WINDOW_DAYS (30) days before the due date
up to and including the due date, "overdue" after it. A condition-change report after the last decision
marks the resident for unplanned reassessment ("marked"), regardless of group.
"""
import calendar
from datetime import timedelta

GROUPS = (1, 2, 3, 4)
REASONS = ("initial", "planned", "unplanned")
#: Months from the last decision to the planned reassessment, by group (IV: our choice, see above).
PERIOD_MONTHS = {1: 18, 2: 12, 3: 12, 4: 12}
DEFAULT_PERIOD_MONTHS = 12
#: "Due" this many days before the due date.
DUE_WINDOW_DAYS = 30

OBSERVATION_FORM = "adl_observation"
MMSE_FORM = "mmse"
AGE_NO_BARRIER_FORM = "age_no_barrier"

#: The criteria of each group's definition (004, Appendix 4), from which the team's decision records its
#: grounds (at least one, all of the chosen group). Texts in the three languages: frontend/lib/care_group.js.
GROUNDS = {
    1: ("periodic_need", "self_care_retained", "mobility_retained"),
    2: ("regular_need", "self_care_partly_lost", "mobility_partly_lost", "basic_needs_partly_lost",
        "regular_accompaniment"),
    3: ("constant_need", "disorientation", "behaviour_not_controlled", "constant_observation"),
    4: ("constant_need", "self_care_lost", "mobility_lost", "intensive_care"),
}

MOBILITY_ROWS = ("a14", "a15")
SELF_CARE_ROWS = ("a17", "a20", "a24", "a25", "a26", "a27", "a29", "a30")
CONTINENCE_ROWS = ("a19", "a23")
ORIENTATION_ROWS = ("a11", "a12", "a13")
DANGER_ROW = "a07"
#: Rows the rule reads; all must be rated for a suggestion.
READ_ROWS = MOBILITY_ROWS + SELF_CARE_ROWS + CONTINENCE_ROWS + ORIENTATION_ROWS + (DANGER_ROW,)

MMSE_SEVERE_MAX = 9
MMSE_MODERATE_MAX = 20
MMSE_MILD_MAX = 24
#: The MMSE's orientation: item 1 (time, 0-5) and item 2 (place, 0-5), sub-scores of mmse.json.
MMSE_ORIENTATION_ITEMS = ("item1", "item2")
MMSE_ORIENTATION_MAX = 10
#: Ours: half of the orientation points or fewer is disorientation on the MMSE.
MMSE_DISORIENTED_MAX = 5
#: "Age is no barrier" bands (age_no_barrier.json, forms.md §c): <= 2 no frailty, 3-4 pre-frailty, 5-7 frailty.
FRAILTY_PRE_MIN = 3
FRAILTY_MIN = 5
AGE_NO_BARRIER_MAX = 7

#: Status order on the board, most urgent first.
STATUS_ORDER = ("overdue", "marked", "never_assessed", "due", "ok")


def _reason(code, answers=(), **params):
    """A reason: its code, its parameters, and the answers it read ([{"form", "item", "value"}])."""
    return {"code": code, "params": params, "answers": list(answers)}


def _answer(form, item, value):
    return {"form": form, "item": item, "value": value}


def _rating(answers, row):
    value = answers.get(row)
    return value if isinstance(value, int) and not isinstance(value, bool) and 1 <= value <= 4 else None


def _iso(day):
    return day if day is None or isinstance(day, str) else day.isoformat()


def _missing(observation_answers, mmse_total, mmse_complete, observation_on, mmse_on, last_decided_on):
    reasons = []
    if observation_answers is None:
        reasons.append(_reason("no_observation"))
    else:
        unrated = [row for row in READ_ROWS if _rating(observation_answers, row) is None]
        if unrated:
            reasons.append(_reason("observation_incomplete", rows=_numbers(unrated)))
        elif last_decided_on is not None and observation_on is not None and observation_on < last_decided_on:
            reasons.append(_reason("observation_stale", on=_iso(observation_on), decided_on=_iso(last_decided_on)))
    if mmse_total is None:
        reasons.append(_reason("no_mmse"))
    elif not mmse_complete:
        reasons.append(_reason("mmse_incomplete"))
    elif last_decided_on is not None and mmse_on is not None and mmse_on < last_decided_on:
        reasons.append(_reason("mmse_stale", on=_iso(mmse_on), decided_on=_iso(last_decided_on)))
    return reasons


def mmse_band(total):
    if total <= MMSE_SEVERE_MAX:
        return "severe"
    if total <= MMSE_MODERATE_MAX:
        return "moderate"
    if total <= MMSE_MILD_MAX:
        return "mild"
    return "normal"


def frailty_band(total):
    """The "Age is no barrier" band of a total (the keys of age_no_barrier.json)."""
    if total >= FRAILTY_MIN:
        return "frailty"
    if total >= FRAILTY_PRE_MIN:
        return "pre_frailty"
    return "no_frailty"


def _numbers(rows):
    return sorted(int(r[1:]) for r in rows)


def _is_int(value):
    return isinstance(value, int) and not isinstance(value, bool)


def _frailty(total, complete, answers, on, last_decided_on):
    """(the screen's reading {"total", "band", "answers"} or None, what keeps it unread or None)."""
    if total is None:
        return None, _reason("no_age_no_barrier")
    if not complete:
        return None, _reason("age_no_barrier_incomplete")
    if last_decided_on is not None and on is not None and on < last_decided_on:
        return None, _reason("age_no_barrier_stale", on=_iso(on), decided_on=_iso(last_decided_on))
    read = [_answer(AGE_NO_BARRIER_FORM, "total", total)]
    read += [_answer(AGE_NO_BARRIER_FORM, q, True) for q in sorted(answers or {}) if (answers or {})[q] is True]
    return {"total": total, "band": frailty_band(total), "answers": read}, None


def suggest(observation_answers, mmse_total, *, mmse_complete=True, mmse_subscores=None, observation_on=None,
            mmse_on=None, last_decided_on=None, age_no_barrier_total=None, age_no_barrier_complete=True,
            age_no_barrier_answers=None, age_no_barrier_on=None):
    """{"group": 1..4 or None, "reasons": [...], "unseen": [...]} from the latest observation form's answers
    ({"a01": 1..4, ...}), MMSE total (and sub-scores, for orientation) and "Age is no barrier" total (and
    answers). Each reason is {"code", "params", "answers": [{"form", "item", "value"}]}: the answers that led to
    it. `unseen` says what the suggestion cannot see: behaviour always (no form measures it), and the "Age is no
    barrier" screen when it is missing, incomplete or older than the last decision. Dates are datetime.date (or
    ISO strings): the assessments' days and the last decision's."""
    unseen = [_reason("behaviour")]
    frailty, unread = _frailty(age_no_barrier_total, age_no_barrier_complete, age_no_barrier_answers,
                               age_no_barrier_on, last_decided_on)
    if unread is not None:
        unseen.append(unread)
    missing = _missing(observation_answers, mmse_total, mmse_complete, observation_on, mmse_on, last_decided_on)
    if missing:
        return {"group": None, "reasons": missing, "unseen": unseen}
    group, reasons = _rule(observation_answers, mmse_total, mmse_subscores, frailty)
    return {"group": group, "reasons": reasons, "unseen": unseen}


def _rule(observation_answers, mmse_total, mmse_subscores, frailty):
    rating = {row: _rating(observation_answers, row) for row in READ_ROWS}

    def rows(which):
        return [_answer(OBSERVATION_FORM, r, rating[r]) for r in sorted(which, key=lambda r: int(r[1:]))]

    mobility = min(rating[r] for r in MOBILITY_ROWS)
    self_care_4 = [r for r in SELF_CARE_ROWS if rating[r] == 4]
    disoriented = [r for r in ORIENTATION_ROWS if rating[r] >= 3]
    subscores = mmse_subscores or {}
    orientation_parts = [subscores.get(item) for item in MMSE_ORIENTATION_ITEMS]
    orientation = sum(orientation_parts) if all(_is_int(v) for v in orientation_parts) else None
    band = mmse_band(mmse_total)
    total_answer = _answer(MMSE_FORM, "total", mmse_total)
    mmse_info = _reason("mmse", [total_answer], total=mmse_total, band=band)
    frailty_info = ([_reason("age_no_barrier", frailty["answers"], total=frailty["total"], band=frailty["band"])]
                    if frailty else [])

    if mobility == 4 and 4 * len(self_care_4) >= 3 * len(SELF_CARE_ROWS):
        return 4, [_reason("immobile", rows(MOBILITY_ROWS), rows=_numbers(MOBILITY_ROWS)),
                   _reason("self_care_lost", rows(self_care_4), count=len(self_care_4), of=len(SELF_CARE_ROWS),
                           rows=_numbers(self_care_4)),
                   mmse_info] + frailty_info

    group3 = []
    if mmse_total <= MMSE_SEVERE_MAX:
        group3.append(_reason("mmse_severe", [total_answer], total=mmse_total))
    elif mmse_total <= MMSE_MODERATE_MAX:
        if disoriented:
            group3.append(_reason("mmse_moderate_disoriented", [total_answer] + rows(disoriented), total=mmse_total,
                                  rows=_numbers(disoriented)))
        if orientation is not None and orientation <= MMSE_DISORIENTED_MAX:
            group3.append(_reason("mmse_moderate_orientation",
                                  [total_answer] + [_answer(MMSE_FORM, item, subscores[item])
                                                    for item in MMSE_ORIENTATION_ITEMS],
                                  total=mmse_total, orientation=orientation, of=MMSE_ORIENTATION_MAX))
    if rating[DANGER_ROW] == 4 and disoriented:
        group3.append(_reason("danger_disoriented", rows((DANGER_ROW,) + tuple(disoriented)),
                              rows=_numbers((DANGER_ROW,) + tuple(disoriented))))
    if group3:
        return 3, group3 + ([] if group3[0]["code"] == "mmse_severe" else [mmse_info]) + frailty_info

    body_rows = MOBILITY_ROWS + SELF_CARE_ROWS + CONTINENCE_ROWS
    mostly = [r for r in body_rows if rating[r] >= 3 and not (r in MOBILITY_ROWS and mobility < 3)]
    little = [r for r in body_rows if rating[r] == 2 and not (r in MOBILITY_ROWS and mobility < 2)]
    if mostly or len(little) >= 3:
        reasons = []
        if mostly:
            reasons.append(_reason("needs_much_help", rows(mostly), rows=_numbers(mostly)))
        if little:
            reasons.append(_reason("needs_little_help", rows(little), count=len(little), rows=_numbers(little)))
        return 2, reasons + [mmse_info] + frailty_info

    if frailty and frailty["band"] == "frailty" and little:
        # ours: probable frailty with a little help, even on one or two activities, is a regular need (group II)
        return 2, [_reason("frailty_little_help", frailty["answers"] + rows(little), total=frailty["total"],
                           count=len(little), rows=_numbers(little)), mmse_info]

    independent = _reason("independent", rows(little), little_help=len(little), rows=_numbers(little))
    if frailty and frailty["band"] != "no_frailty":
        # ours: (pre-)frailty beside an independent observation form does not move the group; the team looks again
        return 1, [independent, mmse_info,
                   _reason("frailty_attention", frailty["answers"], total=frailty["total"], band=frailty["band"])]
    return 1, [independent, mmse_info] + frailty_info


def add_months(day, months):
    """The same day `months` later, clipped to the month's last day (31 Aug + 18 months = 28/29 Feb)."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    month += 1
    return day.replace(year=year, month=month, day=min(day.day, calendar.monthrange(year, month)[1]))


def due_on(last_decided_on, group):
    return add_months(last_decided_on, PERIOD_MONTHS.get(group, DEFAULT_PERIOD_MONTHS))


def reassessment(last_decided_on, group, marked, today):
    """{"due_on": date or None, "status": "overdue"|"marked"|"due"|"ok"|"never_assessed", "marked": bool}.

    never_assessed: no decision yet (a new resident: the first assessments are due). Otherwise overdue after the
    due date, then marked (a condition-change report since the last decision), then due (within DUE_WINDOW_DAYS
    of the due date, the due date included), else ok. `marked` is also given on its own, since an overdue
    resident can be marked too.
    """
    marked = bool(marked)
    if last_decided_on is None:
        return {"due_on": None, "status": "never_assessed", "marked": marked}
    due = due_on(last_decided_on, group)
    if today > due:
        status = "overdue"
    elif marked:
        status = "marked"
    elif today >= due - timedelta(days=DUE_WINDOW_DAYS):
        status = "due"
    else:
        status = "ok"
    return {"due_on": due, "status": status, "marked": marked}


def urgency(row):
    """Sort key for a board row {"status", "due_on", "name"}: most urgent first, then the earliest due date."""
    due = row.get("due_on")
    return (STATUS_ORDER.index(row["status"]), due is None, due.toordinal() if due else 0, row.get("name") or "")
