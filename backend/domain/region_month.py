"""The region's month of home care by provider (issue 18, section 3: the inspector), and what its settlement export
bills. Plain rules: the visits, their entries, the people, alarms, follow-up calls and carers' blocks are dicts handed
in; the month and the region's time zone are arguments. Nothing here reads a clock.

A **provider** is a community home of the region. Its month is the calendar month of the visits' days (visit.day is
the home's calendar day); alarms and blocks, which are instants, fall in the month on the region's wall clock.

Figures of a provider's month (`provider_figures`), each from a rule that exists already:
- visits **planned**: the month's visits not cancelled (cancelled ones are counted apart); **delivered**: of those,
  the visits with a standing departure of their own ("arrived and left", or "left" alone -- the board's left);
  **verified**: of those, the visits with the six elements of electronic visit verification
  (visit_board.verification). `share_delivered` = delivered / planned, `share_verified` = verified / delivered (None
  when nothing is counted): the first says whether visits happened, the second whether what happened is shown.
- **people served**: distinct persons with a delivered visit; **family care beds**: the provider's people whose
  family_bed_since is on or before the month's last day, unless they left before its first.
- **flags**: per flag, the visits (cancelled ones too: "entry for a cancelled visit" is a flag) whose standing
  visit entries carry it (visit_board.visit_flags).
- **alarms** raised in the month: time from the server's receipt to the first "acknowledged" step, median and 90th
  percentile by nearest rank (domain/alarms.py), in seconds and minutes; unacknowledged ones are counted, not timed.
- **follow-up calls** (回访) about the month's visits: a visit's latest call counts; made = visits called,
  confirmed = latest result "confirmed".
- **satisfaction** against the 95 % target: the home-care satisfaction questionnaires asked in the follow-up calls
  about the month's visits (frontend/forms/satisfaction_homecare.json, scored by the server: domain/follow_ups.py).
  A visit counts once, with the questionnaire of its latest call that has one (a later unreachable call does not
  undo an answered questionnaire); `n` visits with a questionnaire, `satisfied` those in the band "satisfied",
  `share` = satisfied / n, `met` = share >= the target. With no questionnaire the share is None and says so
  (`available` false, `reason` "not_collected") -- never a share of confirmed calls passed off as satisfaction.
- **blocked carers**: the blocks (黑名单) standing at some moment of the month (blocked before its end, not lifted
  before its start); the count is of distinct carers.

The settlement (`settlement_of`) is settlement.rows on the visits with what verification found: the items done by an
assigned carer and the delivered minutes are billed; unverified visits are listed apart with the elements they lack.
"""
from calendar import monthrange
from datetime import UTC, datetime, time, timedelta
from decimal import Decimal
from fractions import Fraction
from zoneinfo import ZoneInfo

from . import alarms, follow_ups, settlement, visit_board
from . import visits as visit_rules

#: The target of 002 (the pilot regions): 95 % of older people served satisfied.
SATISFACTION_TARGET = 0.95
#: Why the satisfaction is not given: no questionnaire of home care was recorded about the month's visits.
SATISFACTION_NOT_COLLECTED = "not_collected"
FOLLOW_UP_RESULTS = follow_ups.RESULTS


def month_days(month):
    """(first day, last day) of the calendar month of `month` (a date in it)."""
    first = month.replace(day=1)
    return first, first.replace(day=monthrange(first.year, first.month)[1])


def month_bounds(month, zone):
    """(start, end): the month as a half-open span of aware UTC instants, from midnight of its first day to midnight
    after its last on the wall clock of `zone` (an IANA name)."""
    first, last = month_days(month)
    tz = ZoneInfo(zone)
    start = datetime.combine(first, time(0), tzinfo=tz)
    end = datetime.combine(last + timedelta(days=1), time(0), tzinfo=tz)
    return start.astimezone(UTC), end.astimezone(UTC)


def share(part, whole):
    """part / whole, None when whole is 0."""
    return part / whole if whole else None


def funding_on(contracts, day):
    """The funding of the person's contract in force on `day` (starts_on <= day <= ends_on, open-ended when ends_on is
    None): of several, the one that started last; None without one. contracts: dicts with starts_on, ends_on,
    funding."""
    found = [c for c in contracts if c["starts_on"] <= day and (c.get("ends_on") is None or day <= c["ends_on"])]
    return max(found, key=lambda c: (c["starts_on"], c.get("id") or 0))["funding"] if found else None


def check_visits(visits, entries, people, zone):
    """{visit id: {"cancelled", "delivered", "verified", "missing", "minutes", "items_done", "flags"}}: what the
    visit's evidence shows (visit_board's rules, read once per visit and shared by the figures and the settlement).

    visits: dicts with id, resident_id, day, start_time, planned_minutes, item_ids, cancelled_at, location_accepted
    and carer_ids (the current carers); entries: the standing visit entries and ticks of the visits' people on the
    month's days (any order); people: {person id: {"id", "lat", "lon", "radius_m", ...}}; zone: the home's."""
    by_day = {}
    for entry in entries:
        by_day.setdefault((entry["resident_id"], str(entry["day"])), []).append(entry)
    out = {}
    for visit in visits:
        plan = dict(visit, timezone=zone)
        mine = by_day.get((visit["resident_id"], str(visit["day"])), [])
        found = visit_board.evidence(plan, mine, people.get(visit["resident_id"]), visit.get("carer_ids") or [])
        cancelled = bool(visit.get("cancelled_at"))
        out[visit["id"]] = {"cancelled": cancelled, "delivered": not cancelled and found["departed"],
                            "verified": not cancelled and found["verified"], "missing": found["missing"],
                            "minutes": found["minutes"], "items_done": found["items_done"], "flags": found["flags"]}
    return out


def _family_bed(person, first, last):
    since = person.get("family_bed_since")
    left = person.get("left_on")
    return since is not None and since <= last and (left is None or left >= first)


def follow_up(calls):
    """The follow-up calls of the month's visits: a visit's latest call counts (by called_at, then the order
    given). {"made": visits called, "confirmed", "not_confirmed", "unreachable", "share_confirmed"}."""
    latest = {}
    for n, call in enumerate(calls):
        key = (alarms.utc_naive(call["called_at"]), n)
        if call["visit_id"] not in latest or key >= latest[call["visit_id"]][0]:
            latest[call["visit_id"]] = (key, call["result"])
    counts = dict.fromkeys(FOLLOW_UP_RESULTS, 0)
    for _key, result in latest.values():
        counts[result] = counts.get(result, 0) + 1
    return dict(counts, made=len(latest), share_confirmed=share(counts["confirmed"], len(latest)))


def blocks_in_month(blocks, start, end):
    """The blocks standing at some moment of [start, end): blocked before `end`, not lifted before `start`."""
    start, end = alarms.utc_naive(start), alarms.utc_naive(end)
    return [b for b in blocks if alarms.utc_naive(b["blocked_at"]) < end
            and (b.get("lifted_at") is None or alarms.utc_naive(b["lifted_at"]) >= start)]


def _alarm_figures(seconds, false_alarms):
    summary = alarms.acknowledgement_summary(seconds)

    def minutes(value):
        return None if value is None else round(value / 60, 1)
    return dict(summary, false_alarms=false_alarms, median_minutes=minutes(summary["median_seconds"]),
                p90_minutes=minutes(summary["p90_seconds"]))


def questionnaire_bands(calls):
    """{visit id: band} of the questionnaire of each visit's latest call that has one (by called_at, then the order
    given); calls without a score (unreachable, or no questionnaire asked) are passed over."""
    latest = {}
    for n, call in enumerate(calls):
        score = call.get("score")
        if not score:
            continue
        key = (alarms.utc_naive(call["called_at"]), n)
        if call["visit_id"] not in latest or key >= latest[call["visit_id"]][0]:
            latest[call["visit_id"]] = (key, score.get("band"))
    return {visit_id: band for visit_id, (_key, band) in latest.items()}


def satisfaction_of(n, satisfied):
    """Satisfaction against the target from counts: {"n", "satisfied", "share", "target", "met", "available",
    "reason"}; share and met None (and the reason said) when no questionnaire was recorded. `met` compares exactly
    (19 of 20 meets 95 %, whatever the float)."""
    value = share(satisfied, n)
    return {"n": n, "satisfied": satisfied, "share": value, "target": SATISFACTION_TARGET,
            "met": None if value is None else Fraction(satisfied, n) >= Fraction(str(SATISFACTION_TARGET)),
            "available": value is not None,
            "reason": None if value is not None else SATISFACTION_NOT_COLLECTED}


def satisfaction(calls):
    """The share of the month's questionnaires in band "satisfied", a visit's latest counting (see the module's
    text). calls: {"visit_id", "called_at", "score" (None or the questionnaire's score with its "band")}."""
    bands = questionnaire_bands(calls)
    return satisfaction_of(len(bands), sum(1 for band in bands.values() if band == follow_ups.SATISFIED_BAND))


def provider_figures(month, zone, visits, checked, people, alarm_rows, calls, blocks):
    """A provider's month (see the module's text). visits and checked: as check_visits; people: all the provider's
    people ({id: {"family_bed_since", "left_on", ...}}); alarm_rows: the month's alarms ({"received_at", "steps":
    [(step, at)], "false_alarm"}); calls: the follow-up calls of the month's visits ({"visit_id", "result",
    "called_at", "score"}); blocks: the provider's carers' blocks ({"carer_id", "blocked_at", "lifted_at", ...}).
    `alarm_seconds` (each alarm's time to acknowledge) is kept for the region's total."""
    first, last = month_days(month)
    start, end = month_bounds(month, zone)
    rows = [checked[v["id"]] for v in visits]
    live = [c for c in rows if not c["cancelled"]]
    delivered = sum(1 for c in live if c["delivered"])
    verified = sum(1 for c in live if c["verified"])
    flags = dict.fromkeys(visit_rules.FLAGS, 0)
    for c in rows:
        for flag in c["flags"]:
            flags[flag] = flags.get(flag, 0) + 1
    served = {v["resident_id"] for v in visits if checked[v["id"]]["delivered"]}
    seconds = [alarms.acknowledgement_seconds(a["received_at"], a["steps"]) for a in alarm_rows]
    standing = blocks_in_month(blocks, start, end)
    return {
        "people_served": len(served),
        "family_beds": sum(1 for p in people.values() if _family_bed(p, first, last)),
        "visits": {"planned": len(live), "cancelled": len(rows) - len(live), "delivered": delivered,
                   "verified": verified, "share_delivered": share(delivered, len(live)),
                   "share_verified": share(verified, delivered)},
        "flags": flags,
        "alarms": _alarm_figures(seconds, sum(1 for a in alarm_rows if a.get("false_alarm"))),
        "follow_up": follow_up(calls),
        "satisfaction": satisfaction(calls),
        "blocked": {"count": len({b["carer_id"] for b in standing}), "carers": standing},
        "alarm_seconds": seconds,
    }


def region_total(figures):
    """The region's figures from its providers' (provider_figures): counts added, shares and alarm times computed
    again over the whole region."""
    visits = {key: sum(f["visits"][key] for f in figures) for key in ("planned", "cancelled", "delivered",
                                                                        "verified")}
    visits["share_delivered"] = share(visits["delivered"], visits["planned"])
    visits["share_verified"] = share(visits["verified"], visits["delivered"])
    flags = {}
    for f in figures:
        for flag, n in f["flags"].items():
            flags[flag] = flags.get(flag, 0) + n
    calls = {key: sum(f["follow_up"][key] for f in figures) for key in ("made",) + FOLLOW_UP_RESULTS}
    calls["share_confirmed"] = share(calls["confirmed"], calls["made"])
    seconds = [s for f in figures for s in f["alarm_seconds"]]
    return {
        "people_served": sum(f["people_served"] for f in figures),
        "family_beds": sum(f["family_beds"] for f in figures),
        "visits": visits,
        "flags": flags or dict.fromkeys(visit_rules.FLAGS, 0),
        "alarms": _alarm_figures(seconds, sum(f["alarms"]["false_alarms"] for f in figures)),
        "follow_up": calls,
        "satisfaction": satisfaction_of(sum(f["satisfaction"]["n"] for f in figures),
                                        sum(f["satisfaction"]["satisfied"] for f in figures)),
        "blocked": {"count": sum(f["blocked"]["count"] for f in figures),
                    "carers": [b for f in figures for b in f["blocked"]["carers"]]},
        "alarm_seconds": seconds,
    }


def settlement_of(visits, checked, prices):
    """settlement.rows of a provider's month: each visit with its funding (visits' "funding"), the items its carer
    ticked done and its delivered minutes; the verified visits billed, the others listed apart with the elements
    they lack (cancelled ones: "cancelled")."""
    billable = [{"id": v["id"], "resident_id": v["resident_id"], "day": v["day"], "funding": v.get("funding"),
                 "item_ids": list(v.get("item_ids") or []), "items_done": checked[v["id"]]["items_done"],
                 "minutes": checked[v["id"]]["minutes"], "cancelled_at": v.get("cancelled_at"),
                 "missing": checked[v["id"]]["missing"]} for v in visits]
    verified = {v["id"] for v in visits if checked[v["id"]]["verified"]}
    return settlement.rows(billable, prices, verified)


def settlement_total(results):
    """The region's settlement by funding source from its providers' (settlement_of): {"rows": [{"funding",
    "visits", "people", "minutes", "items", "amount"}] in settlement's funding order, "visits", "minutes", "items",
    "amount", "unverified", "unpriced"}. A person is a provider's: people add up."""
    groups = {}
    for result in results:
        for row in result["rows"]:
            group = groups.setdefault(row["funding"], {"funding": row["funding"], "visits": 0, "people": 0,
                                                       "minutes": 0, "items": 0, "amount": Decimal("0.00")})
            for key in ("visits", "people", "minutes", "items", "amount"):
                group[key] += row[key]
    rows = [groups[f] for f in sorted(groups, key=settlement._funding_key)]
    return {"rows": rows, "visits": sum(r["visits"] for r in rows), "minutes": sum(r["minutes"] for r in rows),
            "items": sum(r["items"] for r in rows), "amount": sum((r["amount"] for r in rows), Decimal("0.00")),
            "unverified": sum(len(r["unverified"]) for r in results),
            "unpriced": sum(len(r["unpriced"]) for r in results)}
