"""The home's figures (backend/domain/figures.py) on small fixtures, every value worked out by hand."""
from datetime import date

from backend.domain import figures, forms, roles

NOV = date(2026, 11, 1)
#: The activities of these fixtures by direction: 10-12 leisure (social occupation), 20 a massage (medical), 21 a
#: talk with the psychologist, 22 work therapy.
DIRECTIONS = {10: "physical_health", 11: "cultural_leisure", 12: "cultural_leisure", 20: "medical",
              21: "psychological", 22: "work_therapy"}


def att(rid, day, status, activity, *, eid=None, supersedes=None, session=None, time="10:00"):
    return {"id": eid or f"a-{rid}-{day}-{activity}-{status}", "kind": "attendance", "resident_id": rid,
            "day": date(2026, 11, day), "status": status, "supersedes": supersedes,
            "values": {"session_id": session, "activity_id": activity, "minutes": 30},
            "device_time": f"2026-11-{day:02d}T{time}:00+07:00"}


def tick(item, slot, day, status="done", *, eid=None, supersedes=None, time="10:00"):
    return {"id": eid or f"t-{item}-{slot}-{day}-{status}", "kind": "tick", "item_id": item, "slot": slot,
            "day": date(2026, 11, day), "status": status, "supersedes": supersedes,
            "device_time": f"2026-11-{day:02d}T{time}:00+07:00"}


def test_days_passed_and_the_last_day_counted():
    assert figures.days_passed(NOV, date(2026, 11, 4)) == [date(2026, 11, d) for d in (1, 2, 3)]
    assert len(figures.days_passed(NOV, date(2026, 12, 10))) == 30
    assert figures.days_passed(NOV, date(2026, 10, 31)) == []
    assert figures.last_counted_day(NOV, date(2026, 11, 25)) == date(2026, 11, 25)
    assert figures.last_counted_day(NOV, date(2027, 1, 2)) == date(2026, 11, 30)
    assert figures.add_months(date(2026, 11, 1), 6) == date(2027, 5, 1)
    assert figures.add_months(date(2026, 11, 1), -11) == date(2025, 12, 1)


def test_residents_of_the_month_have_a_card_or_an_entry():
    assert figures.residents_of_month({1, 2}, [{"resident_id": 3}, {"resident_id": 1}]) == {1, 2, 3}


def test_engagement_counts_active_and_passive_once_per_resident():
    entries = [
        att(1, 2, "active", 10), att(1, 9, "passive", 11),           # 1: twice -> once
        att(2, 3, "refused", 10),                                      # 2: refused -> no
        att(3, 4, "absent", 10),                                       # 3: absent -> no
        att(4, 5, "active", 10, eid="x"),                              # 4: corrected to refused -> no
        att(4, 5, "refused", 10, eid="y", supersedes="x", time="11:00"),
        att(5, 6, "refused", 12, eid="p"),                             # 5: corrected to passive -> yes
        att(5, 6, "passive", 12, eid="q", supersedes="p", time="11:00"),
        att(9, 6, "active", 12),                                       # 9: not a resident of the month
    ]
    fig = figures.engagement({1, 2, 3, 4, 5}, entries, DIRECTIONS)
    assert (fig.numerator, fig.denominator, fig.value, fig.target, fig.before) == (2, 5, 0.4, 0.98, 0.45)


def test_two_tablets_marking_one_occurrence_the_later_stands():
    entries = [att(1, 2, "active", 10, eid="a", session=7, time="10:00"),
               att(1, 2, "absent", 10, eid="b", session=7, time="10:05")]
    assert figures.engagement({1}, entries, DIRECTIONS).numerator == 0


def test_engagement_is_social_occupation_a_massage_does_not_engage():
    """000: the share "вовлеченных в социальную занятость (досуговую и общественно-полезную деятельность)". A
    passive massage (medical) or a talk with the psychologist does not make a resident engaged; work therapy (001:
    socially useful activity) and leisure do. Those who took part only in the others are counted apart."""
    entries = [
        att(1, 2, "passive", 20),                    # 1: a massage only -> not engaged
        att(2, 3, "active", 21),                     # 2: the psychologist only -> not engaged
        att(3, 4, "active", 22),                     # 3: work therapy -> engaged
        att(4, 5, "passive", 20), att(4, 6, "passive", 11),   # 4: a massage and a concert -> engaged
        att(5, 7, "active", 99),                     # 5: an activity not in the catalogue -> not engaged
        att(6, 8, "refused", 11), att(6, 8, "active", 20),    # 6: refused the concert, had the massage -> no
    ]
    fig = figures.engagement({1, 2, 3, 4, 5, 6}, entries, DIRECTIONS)
    assert (fig.numerator, fig.denominator) == (2, 6)
    assert fig.extra == {"directions": ["physical_health", "cultural_leisure", "educational", "work_therapy"],
                         "other_only": 4}
    assert figures.engagement({1}, [att(1, 2, "passive", 20)], DIRECTIONS).value == 0


def test_participation_by_direction():
    directions = {10: "physical_health", 11: "cultural_leisure", 12: "cultural_leisure"}
    entries = [att(1, 2, "active", 10), att(1, 3, "active", 10), att(2, 3, "passive", 11),
               att(2, 4, "active", 12), att(3, 4, "refused", 11)]
    by = figures.participation_by_direction({1, 2, 3, 4}, entries, directions)
    assert list(by) == list(figures.DIRECTIONS)
    assert (by["physical_health"].numerator, by["physical_health"].denominator) == (1, 4)
    assert by["physical_health"].extra["times"] == 2
    assert (by["cultural_leisure"].numerator, by["cultural_leisure"].extra["times"]) == (1, 2)
    assert by["medical"].numerator == 0 and by["medical"].value == 0


def test_satisfaction_latest_per_respondent():
    responses = [
        {"id": 1, "respondent": ("resident", 1), "at": "2026-11-02", "band": "partly", "source": "residents"},
        {"id": 2, "respondent": ("resident", 1), "at": "2026-11-20", "band": "satisfied", "source": "residents"},
        {"id": 3, "respondent": ("resident", 2), "at": "2026-11-03", "band": "not_satisfied", "source": "residents"},
        {"id": 4, "respondent": ("relative", 5, 1), "at": "2026-11-04", "band": "satisfied", "source": "relatives"},
        {"id": 5, "respondent": ("relative", 5, 2), "at": "2026-11-04", "band": "partly", "source": "relatives"},
        {"id": 6, "respondent": ("relative", 5, 2), "at": "2026-11-01", "band": "satisfied", "source": "relatives"},
    ]
    fig = figures.satisfaction(responses)
    assert (fig.numerator, fig.denominator, fig.value, fig.target, fig.before) == (1, 2, 0.5, 0.999, 0.8)
    relatives = figures.relatives_satisfaction(responses)
    assert (relatives.key, relatives.numerator, relatives.denominator, relatives.value) == (
        "satisfaction_relatives", 1, 2, 0.5)
    assert (relatives.target, relatives.before) == (None, None)  # the practice sets no relatives' figure
    assert figures.satisfaction([]).value is None and figures.relatives_satisfaction([]).value is None


def test_satisfaction_is_the_residents_share_relatives_beside_it():
    """000's 80% -> 99.9% is the share of service recipients satisfied: one satisfied resident and one unsatisfied
    relative read residents 1 of 1 (100%), relatives 0 of 1 -- never 1 of 2."""
    responses = [
        {"id": 1, "respondent": ("resident", 1), "at": "2026-11-02", "band": "satisfied", "source": "residents"},
        {"id": 2, "respondent": ("relative", 7, 1), "at": "2026-11-03", "band": "not_satisfied",
         "source": "relatives"},
    ]
    residents, relatives = figures.satisfaction(responses), figures.relatives_satisfaction(responses)
    assert (residents.numerator, residents.denominator, residents.value) == (1, 1, 1.0)
    assert (relatives.numerator, relatives.denominator, relatives.value) == (0, 1, 0.0)
    # relatives only: the residents' figure has nobody to count
    assert figures.satisfaction(responses[1:]).denominator == 0


def test_satisfaction_comparison_baseline_six_months_a_year():
    base = date(2025, 11, 1)
    by_month = {
        base: [{"id": i, "respondent": i, "at": "x", "band": "satisfied" if i < 4 else "partly",
                "source": "residents"} for i in range(5)],
        date(2026, 5, 1): [{"id": i, "respondent": i, "at": "x", "band": "satisfied" if i < 9 else "partly",
                            "source": "residents"} for i in range(10)],
        date(2026, 11, 1): [{"id": i, "respondent": i, "at": "x", "band": "satisfied", "source": "residents"}
                            for i in range(8)]
        + [{"id": 99, "respondent": ("relative", 1), "at": "x", "band": "not_satisfied", "source": "relatives"}],
    }
    rows = figures.satisfaction_comparison(by_month, base)
    assert [(r["month"], r["offset"], r["figure"].numerator, r["figure"].denominator) for r in rows] == [
        (base, 0, 4, 5), (date(2026, 5, 1), 6, 9, 10), (date(2026, 11, 1), 12, 8, 8)]
    assert [r["figure"].value for r in rows] == [0.8, 0.9, 1.0]


def test_card_completion_counts_due_slots_and_their_records():
    items = [
        {"id": 1, "schedule_kind": "times", "schedule": {"times": ["08:00", "20:00"]}, "days_of_week": None,
         "valid_from": None, "valid_to": None},                         # 2 slots a day
        {"id": 2, "schedule_kind": "times", "schedule": {"times": ["09:00"]}, "days_of_week": [1],
         "valid_from": None, "valid_to": None},                         # Mondays only: 2 Nov
        {"id": 3, "schedule_kind": "as_needed", "schedule": {}, "days_of_week": None,
         "valid_from": None, "valid_to": None},                         # not counted
        {"id": 4, "schedule_kind": "times", "schedule": {"times": ["12:00"]}, "days_of_week": None,
         "valid_from": date(2026, 11, 3), "valid_to": None},            # from the 3rd: 1 slot
    ]
    ticks = [tick(1, "08:00", 1), tick(1, "20:00", 1, "not_done"), tick(1, "08:00", 2),
             tick(2, "09:00", 2, eid="m"), tick(2, "09:00", 2, "not_done", eid="n", supersedes="m", time="11:00"),
             tick(3, None, 1), tick(1, "08:00", 3),
             tick(1, "07:00", 3),            # a former slot: not due, not counted
             tick(1, "08:00", 5)]            # outside the days counted
    days = [date(2026, 11, d) for d in (1, 2, 3)]  # Sun 1, Mon 2, Tue 3
    fig = figures.card_completion([{"items": items, "ticks": ticks}], days)
    # due: item 1: 2 x 3 = 6; item 2: 1 (Mon 2nd); item 4: 1 (3rd) -> 8; recorded: 1@1 x2, 1@2 08:00, 2@2, 1@3 08:00
    assert (fig.numerator, fig.denominator) == (5, 8)
    assert fig.value == 5 / 8


def test_card_completion_shift_slots():
    items = [{"id": 1, "schedule_kind": "per_shift", "schedule": {"shifts": ["day", "night"]}, "days_of_week": None,
              "valid_from": None, "valid_to": None}]
    ticks = [tick(1, "shift:day", 1), tick(1, "shift:night", 2)]
    fig = figures.card_completion([{"items": items, "ticks": ticks}], [date(2026, 11, 1), date(2026, 11, 2)])
    assert (fig.numerator, fig.denominator) == (2, 4)


def test_confirmed_days_are_whole_unit_confirmations():
    days = [date(2026, 11, d) for d in range(1, 11)]
    confirmations = [{"unit_id": 1, "resident_id": None, "day": date(2026, 11, d)} for d in (1, 2, 3, 3)] + [
        {"unit_id": 1, "resident_id": 7, "day": date(2026, 11, 4)},    # one resident's day: not the unit's
        {"unit_id": 2, "resident_id": None, "day": date(2026, 11, 1)},
        {"unit_id": 2, "resident_id": None, "day": date(2026, 11, 20)},  # not passed yet
        {"unit_id": 3, "resident_id": None, "day": date(2026, 11, 1)}]   # another unit
    fig = figures.confirmed_days([1, 2], confirmations, days)
    assert (fig.numerator, fig.denominator, fig.value) == (4, 20, 0.2)


def test_overdue_reassessments():
    on = date(2026, 11, 30)
    decisions = {1: (date(2025, 5, 1), 1),     # group I: due 1 Nov 2026 -> overdue
                 2: (date(2025, 6, 1), 1),     # group I: due 1 Dec 2026 -> not yet
                 3: (date(2025, 11, 30), 2),   # II: due 30 Nov 2026 -> due that day, not overdue
                 4: (date(2025, 11, 29), 4),   # IV: due 29 Nov 2026 -> overdue
                 5: None}
    fig = figures.overdue_reassessments(decisions, on)
    assert (fig.numerator, fig.denominator, fig.extra) == (2, 4, {"overdue": [1, 4], "never_assessed": 1})


def test_caregiver_load_and_the_warning_above_ten():
    day = date(2026, 11, 25)
    sitter = {"post": "sitter"}
    assignments = [{"day": day, "shift": "day", "unit_id": 1, "carer_id": 100, "resident_id": r, **sitter}
                   for r in range(11)]
    assignments += [{"day": day, "shift": "day", "unit_id": 1, "carer_id": 101, "resident_id": r, **sitter}
                    for r in range(11, 21)]
    assignments += [{"day": day, "shift": "night", "unit_id": 1, "carer_id": 100, "resident_id": r, **sitter}
                    for r in range(8)]
    fig = figures.caregiver_load(assignments)
    assert (fig.value, fig.numerator, fig.denominator) == (11, 1, 3)
    assert fig.extra["mean"] == round((11 + 10 + 8) / 3, 2)
    shift = figures.shift_load(list(range(24)), assignments[:21], sitters={100, 101})
    assert shift["per_carer"] == {100: 11, 101: 10}
    assert shift["over"] == [100]
    assert shift["without"] == [21, 22, 23]
    assert not figures.over_limit(10) and figures.over_limit(11)
    assert figures.caregiver_load([]).value is None


def test_the_load_norm_is_the_sitter_posts_not_the_junior_nurses():
    """000 item 1.1: "Введена должность сиделки с нагрузкой 8 – 10 человек на одного сотрудника". The norm belongs
    to the sitter post: the figure and the warning count the carers whose post is sitter; an assignment of a junior
    nurse (made before posts, or her post changed since) is no sitter's load -- reported apart, not counted."""
    day = date(2026, 11, 25)
    assignments = [{"day": day, "shift": "day", "unit_id": 1, "carer_id": 100, "resident_id": r, "post": "sitter"}
                   for r in range(9)]
    assignments += [{"day": day, "shift": "day", "unit_id": 1, "carer_id": 200, "resident_id": r,
                     "post": "junior_nurse"} for r in range(9, 21)]
    assignments += [{"day": day, "shift": "night", "unit_id": 1, "carer_id": 201, "resident_id": r, "post": None}
                    for r in range(3)]
    fig = figures.caregiver_load(assignments)
    assert (fig.value, fig.numerator, fig.denominator) == (9, 0, 1)  # the sitter's shift only
    assert fig.extra["post"] == figures.LOAD_POST == "sitter"
    assert fig.extra["others"] == {"shifts": 2, "highest": 12}
    assert (fig.extra["norm"], fig.extra["limit"]) == ([8, 10], 10)
    shift = figures.shift_load(list(range(21)), assignments[:21], sitters={100})
    assert shift["per_carer"] == {100: 9, 200: 12} and shift["over"] == []  # 12 for a junior nurse: no warning
    assert figures.shift_load(list(range(21)), assignments[:21], sitters={100, 200})["over"] == [200]
    # junior nurses only: no sitter load to judge
    only_nurses = figures.caregiver_load(assignments[9:])
    assert (only_nurses.value, only_nurses.denominator) == (None, 0)
    definition = str(figures.DEFINITIONS["caregiver_load"])
    assert "sitter post" in definition and "not its junior nurses" in definition


def form(rid, name, band, day, *, values=None, time="10:00", eid=None):
    return {"id": eid or f"m-{rid}-{name}-{day}-{time}", "resident_id": rid, "form": name, "band": band,
            "at": (date(2026, 11, day), f"2026-11-{day:02d}T{time}:00+07:00"), "values": values or {}}


def test_milieu_monitoring_of_the_month():
    """001's monthly monitoring: every observation counts; an interview or a report once per resident (her latest);
    residents not of the month and incomplete forms are left out."""
    held = {"interior": True, "social_medical": True, "psychological": True}
    records = [
        form(1, "milieu_observation", "no_remarks", 3, values=held),
        form(1, "milieu_observation", "remarks", 9, values=dict(held, interior=False)),
        form(2, "milieu_observation", "remarks", 4, values=dict(held, psychological=False, social_medical=False)),
        form(2, "milieu_observation", None, 5, values={}),  # incomplete: not an observation
        form(9, "milieu_observation", "no_remarks", 5, values=held),  # not a resident of the month
        form(1, "milieu_interview", "negative", 2), form(1, "milieu_interview", "positive", 20),  # latest positive
        form(2, "milieu_interview", "positive", 2), form(2, "milieu_interview", "neutral", 20, time="09:00"),
        form(3, "specialist_report", "positive", 28),
        form(9, "specialist_report", "positive", 28),
    ]
    got = {f.key: (f.numerator, f.denominator) for f in figures.milieu_monitoring({1, 2, 3, 4}, records)}
    assert got == {"monitoring_observations": (1, 3), "environment_interior": (2, 3),
                   "environment_social_medical": (2, 3), "environment_psychological": (2, 3),
                   "monitoring_interviewed": (2, 4), "monitoring_attitude": (1, 2),
                   "monitoring_reported": (1, 4), "monitoring_dynamics": (1, 1)}
    empty = {f.key: f.value for f in figures.milieu_monitoring({1, 2}, [])}
    assert empty["monitoring_observations"] is None and empty["monitoring_interviewed"] == 0


def test_the_monitoring_forms_are_filled_by_activity_staff_and_their_bands_exist():
    """The figures read bands and questions of the forms themselves: a renamed band or factor would read 0."""
    for name in figures.MONITORING_FORMS:
        assert name in roles.SURVEY_FORMS and roles.may_record([roles.ACTIVITIES], "assessment", name)
        assert not roles.may_record([roles.NURSE], "assessment", name)
    bands = {name: {b["key"] for b in forms.load(name)["scoring"]["bands"]["ranges"]}
             for name in figures.MONITORING_FORMS}
    assert figures.NO_REMARKS_BAND in bands["milieu_observation"]
    assert figures.POSITIVE_BAND in bands["milieu_interview"] and figures.POSITIVE_BAND in bands["specialist_report"]
    asked = {q["id"] for s in forms.load("milieu_observation")["sections"] for q in s["questions"]}
    assert set(figures.ENVIRONMENT_FACTORS) <= asked


def test_every_figure_has_a_definition():
    assert set(figures.DEFINITIONS) == {"engagement", "direction", "satisfaction", "satisfaction_relatives",
                                        "card_completion", "confirmed_days", "overdue_reassessments",
                                        "caregiver_load", "monitoring_observations", "environment_interior",
                                        "environment_social_medical", "environment_psychological",
                                        "monitoring_interviewed", "monitoring_attitude", "monitoring_reported",
                                        "monitoring_dynamics"}
