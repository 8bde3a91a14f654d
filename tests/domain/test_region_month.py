"""The region's month by provider and its settlement (issue 18, the inspector; domain/region_month.py): visits
planned, delivered and verified from their entries, people served, family care beds at the month's end, flags,
alarm acknowledgement times, follow-up calls (the latest counts), satisfaction from the follow-up calls'
questionnaires against the 95 % target (never passed off from confirmed calls), blocks standing in the month (the
region's clock), and the settlement of what was verified."""
from datetime import UTC, date, datetime
from decimal import Decimal

from backend.domain import region_month

ZONE = "Asia/Shanghai"
MONTH = date(2026, 11, 1)
HOME = {"id": 7, "lat": 40.842, "lon": 111.687, "radius_m": 200}


def visit(visit_id, person=7, day=date(2026, 11, 10), items=(101,), carers=(5,), **fields):
    return dict({"id": visit_id, "resident_id": person, "day": day, "start_time": "09:00", "planned_minutes": 60,
                 "item_ids": list(items), "cancelled_at": None, "location_accepted": False,
                 "carer_ids": list(carers), "funding": "government"}, **fields)


def event(visit_id, status, hhmm, person=7, day="2026-11-10", author=5, flags=None, **values):
    presence = values.pop("presence", "fix")
    if presence == "fix":
        values = dict({"lat": 40.842, "lon": 111.687, "accuracy_m": 10}, **values)
    elif presence == "none":
        values = dict({"presence_reason": "denied"}, **values)
    return {"id": f"{visit_id}-{status}-{hhmm}", "kind": "visit", "resident_id": person, "day": day,
            "status": status, "author_id": author, "device_time": f"{day}T{hhmm}:00+08:00", "key_id": "k",
            "flags": flags or {}, "values": dict({"visit_id": visit_id, "presence": presence}, **values)}


def tick(item_id, person=7, day="2026-11-10", author=5, status="done"):
    return {"id": f"tick-{item_id}-{person}-{day}", "kind": "tick", "resident_id": person, "day": day,
            "item_id": item_id, "status": status, "author_id": author, "device_time": f"{day}T09:30:00+08:00",
            "key_id": "k", "flags": {}, "values": {}}


def utc(*args):
    return datetime(*args, tzinfo=UTC)


def provider():
    """Six visits of one provider: 1 verified; 2 left without presence shown (delivered, not verified); 3 arrived
    only; 4 never started; 5 cancelled, yet recorded (flagged); 6 left without an arrival (delivered, flagged)."""
    visits = [visit(1), visit(2, person=8), visit(3, person=9), visit(4, person=9, day=date(2026, 11, 11)),
              visit(5, cancelled_at=utc(2026, 11, 9, 1, 0), day=date(2026, 11, 12)), visit(6, person=8,
                                                                                          day=date(2026, 11, 13))]
    entries = [event(1, "arrived", "09:01"), tick(101), event(1, "left", "10:02", confirmed_by="person"),
               event(2, "arrived", "09:00", person=8, presence="none", flags={"no_location": True}),
               tick(101, person=8), event(2, "left", "09:40", person=8, presence="none", confirmed_by="nobody",
                                          flags={"no_location": True, "duration_off_plan": True}),
               event(3, "arrived", "09:05", person=9),
               event(5, "arrived", "09:00", day="2026-11-12", flags={"cancelled_visit": True}),
               event(6, "left", "09:50", person=8, day="2026-11-13", confirmed_by="family",
                     flags={"left_without_arrival": True})]
    people = {7: dict(HOME, family_bed_since=date(2026, 3, 1), left_on=None),
              8: {"id": 8, "lat": 40.85, "lon": 111.69, "radius_m": 200, "family_bed_since": date(2026, 11, 30),
                  "left_on": None},
              9: {"id": 9, "lat": None, "lon": None, "radius_m": 200, "family_bed_since": date(2026, 12, 1),
                  "left_on": None},
              10: {"id": 10, "lat": None, "lon": None, "radius_m": 200, "family_bed_since": date(2025, 1, 1),
                   "left_on": date(2026, 10, 31)}}
    return visits, entries, people


ALARMS = [{"received_at": utc(2026, 11, 3, 2, 0), "steps": [("acknowledged", utc(2026, 11, 3, 2, 1))],
           "false_alarm": False},
          # telling the family acknowledged it first, at the same moment (domain/alarms.py steps_to_record)
          {"received_at": utc(2026, 11, 4, 2, 0), "steps": [("acknowledged", utc(2026, 11, 4, 2, 3)),
                                                            ("family_told", utc(2026, 11, 4, 2, 3)),
                                                            ("carer_sent", utc(2026, 11, 4, 2, 9))],
           "false_alarm": True},
          {"received_at": utc(2026, 11, 5, 2, 0), "steps": [], "false_alarm": False}]
CALLS = [{"visit_id": 1, "result": "confirmed", "called_at": utc(2026, 11, 12, 2)},
         {"visit_id": 1, "result": "unreachable", "called_at": utc(2026, 11, 11, 2)},  # earlier: the later counts
         {"visit_id": 2, "result": "not_confirmed", "called_at": utc(2026, 11, 12, 3)}]
BLOCKS = [  # the month is 2026-10-31T16:00Z .. 2026-11-30T16:00Z (Shanghai's November)
    {"carer_id": 21, "blocked_at": datetime(2026, 10, 1), "lifted_at": datetime(2026, 11, 2)},       # into it
    {"carer_id": 22, "blocked_at": datetime(2026, 9, 1), "lifted_at": datetime(2026, 10, 31, 15, 59)},  # before
    {"carer_id": 23, "blocked_at": datetime(2026, 11, 30, 16, 0), "lifted_at": None},                 # after it
    {"carer_id": 24, "blocked_at": datetime(2026, 10, 31, 16, 0), "lifted_at": None},                 # its first
    {"carer_id": 24, "blocked_at": datetime(2026, 6, 1), "lifted_at": datetime(2026, 11, 1)},         # twice
]


def figures():
    visits, entries, people = provider()
    checked = region_month.check_visits(visits, entries, people, ZONE)
    return region_month.provider_figures(MONTH, ZONE, visits, checked, people, ALARMS, CALLS, BLOCKS), checked


def test_the_month_is_the_regions_calendar_month():
    assert region_month.month_days(date(2026, 2, 14)) == (date(2026, 2, 1), date(2026, 2, 28))
    assert region_month.month_bounds(MONTH, ZONE) == (utc(2026, 10, 31, 16), utc(2026, 11, 30, 16))
    # a zone with DST: Berlin's March 2026 starts at UTC+1 and ends at UTC+2
    assert region_month.month_bounds(date(2026, 3, 1), "Europe/Berlin") == (utc(2026, 2, 28, 23), utc(2026, 3, 31, 22))


def test_each_visit_is_read_once_with_the_boards_rules():
    _figures, checked = figures()
    assert checked[1] == {"cancelled": False, "delivered": True, "verified": True, "missing": [], "minutes": 61,
                          "items_done": [101], "flags": []}
    assert (checked[2]["delivered"], checked[2]["verified"], checked[2]["missing"]) == (True, False, ["location"])
    assert checked[2]["flags"] == ["no_location", "duration_off_plan"]
    assert (checked[3]["delivered"], checked[3]["verified"], checked[3]["minutes"]) == (False, False, None)
    assert checked[4]["missing"] == ["service", "person", "day", "location", "carer", "times"]
    # a cancelled visit is neither delivered nor verified, whatever was recorded; its flag is kept
    assert (checked[5]["cancelled"], checked[5]["delivered"], checked[5]["flags"]) == (True, False,
                                                                                     ["cancelled_visit"])
    assert (checked[6]["delivered"], checked[6]["verified"]) == (True, False)


def test_a_providers_month():
    result, _checked = figures()
    assert result["visits"] == {"planned": 5, "cancelled": 1, "delivered": 3, "verified": 1,
                                "share_delivered": 3 / 5, "share_verified": 1 / 3}
    assert result["people_served"] == 2  # persons 7 and 8; 9 had an arrival only
    # 7 (since March) and 8 (since the month's last day); not 9 (December), not 10 (left in October)
    assert result["family_beds"] == 2
    assert {k: v for k, v in result["flags"].items() if v} == {"no_location": 1, "duration_off_plan": 1,
                                                                "cancelled_visit": 1, "left_without_arrival": 1}
    assert set(result["flags"]) >= {"far", "wrong_code", "clock_off", "not_assigned", "second_arrival"}
    # acknowledged after 60 s and 180 s (the first acknowledgement counts, not later steps); one never
    assert result["alarms"] == {"alarms": 3, "acknowledged": 2, "median_seconds": 60, "p90_seconds": 180,
                                "median_minutes": 1.0, "p90_minutes": 3.0, "false_alarms": 1}
    assert result["follow_up"] == {"made": 2, "confirmed": 1, "not_confirmed": 1, "unreachable": 0,
                                   "share_confirmed": 0.5}
    # calls without a questionnaire: no satisfaction, and no share of confirmed calls in its place
    assert result["satisfaction"] == {"n": 0, "satisfied": 0, "share": None, "target": 0.95, "met": None,
                                      "available": False, "reason": "not_collected"}
    assert result["blocked"]["count"] == 2
    assert [b["carer_id"] for b in result["blocked"]["carers"]] == [21, 24, 24]


def test_an_empty_month_divides_by_nothing():
    result = region_month.provider_figures(MONTH, ZONE, [], {}, {}, [], [], [])
    assert result["visits"]["share_verified"] is None and result["visits"]["share_delivered"] is None
    assert result["alarms"]["median_seconds"] is None and result["follow_up"]["share_confirmed"] is None
    total = region_month.region_total([])
    assert total["visits"]["planned"] == 0 and total["alarms"]["p90_minutes"] is None


def test_the_regions_total_computes_times_and_shares_again():
    first, _checked = figures()
    alarm = {"received_at": utc(2026, 11, 6), "steps": [("acknowledged", utc(2026, 11, 6, 0, 10))],
             "false_alarm": False}
    other = region_month.provider_figures(MONTH, ZONE, [], {}, {}, [alarm], [], [])
    total = region_month.region_total([first, other])
    assert total["visits"]["planned"] == 5 and total["visits"]["share_verified"] == 1 / 3
    # 60, 180, 600 seconds: the median is the region's, not a mean of the providers' medians
    assert (total["alarms"]["alarms"], total["alarms"]["median_seconds"], total["alarms"]["p90_seconds"]) == (4, 180,
                                                                                                           600)
    assert total["blocked"]["count"] == 2 and total["follow_up"]["made"] == 2
    assert total["satisfaction"]["share"] is None and total["satisfaction"]["available"] is False


def scored(visit_id, band, day, hour=2, result="confirmed"):
    return {"visit_id": visit_id, "result": result, "called_at": utc(2026, 11, day, hour),
            "score": {"total": {"satisfied": 12, "partly": 8, "not_satisfied": 2}[band], "subscores": {},
                      "band": band, "complete": True, "version": 1}}


def test_satisfaction_is_the_share_of_questionnaires_satisfied_a_visits_latest_counting():
    calls = [scored(1, "partly", 12), scored(1, "satisfied", 13),        # the later questionnaire counts
             scored(2, "satisfied", 14), scored(2, "not_satisfied", 13),  # given out of order: the latest by time
             dict(scored(3, "satisfied", 12), result="not_confirmed"),   # not confirmed, yet she answered
             scored(3, "satisfied", 15) | {"result": "unreachable", "score": None},  # no questionnaire: passed over
             {"visit_id": 4, "result": "confirmed", "called_at": utc(2026, 11, 12)},  # asked nothing
             scored(5, "partly", 12)]
    assert region_month.questionnaire_bands(calls) == {1: "satisfied", 2: "satisfied", 3: "satisfied", 5: "partly"}
    result = region_month.satisfaction(calls)
    assert result == {"n": 4, "satisfied": 3, "share": 0.75, "target": 0.95, "met": False, "available": True,
                      "reason": None}
    # in the provider's month beside the follow-up figures, which count every call's result
    visits, entries, people = provider()
    checked = region_month.check_visits(visits, entries, people, ZONE)
    month = region_month.provider_figures(MONTH, ZONE, visits, checked, people, [], calls, [])
    assert month["satisfaction"] == result
    assert month["follow_up"]["made"] == 5 and month["follow_up"]["unreachable"] == 1


def test_the_target_is_met_at_95_percent_exactly_and_the_region_adds_questionnaires():
    nineteen = [scored(n, "satisfied", 12) for n in range(1, 20)] + [scored(20, "partly", 12)]
    met = region_month.satisfaction(nineteen)
    assert (met["n"], met["satisfied"], met["share"], met["met"]) == (20, 19, 0.95, True)
    eighteen = region_month.satisfaction(nineteen[1:] + [scored(21, "not_satisfied", 12)])
    assert (eighteen["n"], eighteen["satisfied"], eighteen["met"]) == (20, 18, False)
    first = region_month.provider_figures(MONTH, ZONE, [], {}, {}, [], nineteen, [])
    second = region_month.provider_figures(MONTH, ZONE, [], {}, {}, [], [scored(30, "satisfied", 12)], [])
    none = region_month.provider_figures(MONTH, ZONE, [], {}, {}, [], [], [])
    total = region_month.region_total([first, second, none])
    # the region's share over all questionnaires (20 of 21), not a mean of the providers' shares
    assert (total["satisfaction"]["n"], total["satisfaction"]["satisfied"]) == (21, 20)
    assert total["satisfaction"]["share"] == 20 / 21 and total["satisfaction"]["met"] is True
    assert none["satisfaction"]["share"] is None and none["satisfaction"]["reason"] == "not_collected"


def test_the_funding_is_the_contracts_in_force_that_day():
    contracts = [{"id": 1, "starts_on": date(2026, 1, 1), "ends_on": date(2026, 11, 14), "funding": "self_pay"},
                 {"id": 2, "starts_on": date(2026, 11, 1), "ends_on": None, "funding": "government"}]
    assert region_month.funding_on(contracts, date(2026, 10, 31)) == "self_pay"
    assert region_month.funding_on(contracts, date(2026, 11, 10)) == "government"  # both: the later one
    assert region_month.funding_on(contracts, date(2025, 12, 31)) is None


def test_the_settlement_bills_what_was_verified_and_lists_the_rest_with_why():
    visits, entries, people = provider()
    checked = region_month.check_visits(visits, entries, people, ZONE)
    prices = {101: {"price": Decimal("40.00"), "unit": "hour", "service": 3, "standard_minutes": 60}}
    result = region_month.settlement_of(visits, checked, prices)
    row, = result["rows"]
    # 61 minutes delivered: five quarters
    assert (row["funding"], row["visits"], row["minutes"], row["amount"]) == ("government", 1, 61, Decimal("50.00"))
    why = {u["visit_id"]: u["why"] for u in result["unverified"]}
    assert why[2] == ["location"] and why[5] == ["cancelled"] and set(why) == {2, 3, 4, 5, 6}
    total = region_month.settlement_total([result, result])
    assert (total["visits"], total["amount"], total["unverified"]) == (2, Decimal("100.00"), 10)
    assert [r["funding"] for r in total["rows"]] == ["government"]
