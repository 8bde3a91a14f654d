"""The monthly monitoring page on the demo data (+ the demo's questionnaires and carers, and attendance, ticks,
confirmations and care-group decisions added here): every figure equals a count made here straight from the rows,
without the figure functions; the CSV and the PDF carry the same numbers; who may read; the carers' shifts."""
import csv
import io
from datetime import date, datetime, timedelta

import pypdf
import pytest

from backend.demo import figures as demo_figures
from backend.extensions import db
from backend.models import (
    Activity,
    CareCard,
    CareGroupDecision,
    CarerAssignment,
    DayConfirmation,
    Entry,
    RelativeLink,
    Resident,
    SurveyResponse,
    Unit,
    User,
)
from backend.services import bulk, feed
from backend.services.ids import uuid7
from ..conftest import LOGINS

TODAY = date(2026, 11, 25)
MONTH = date(2026, 11, 1)
TZ_OFFSET = "+07:00"


def _entry(resident, author, day, kind, **fields):
    e = {"id": uuid7(), "kind": kind, "resident_id": resident.id, "unit_id": resident.unit_id, "item_id": None,
         "day": day, "slot": None, "status": None, "reason": None, "note": None, "values": None, "category": None,
         "supersedes": None, "author_id": author.id, "pushed_by": author.id, "device_id": "test", "client_seq": 0,
         "device_time": f"{day}T10:00:00{TZ_OFFSET}", "received_at": datetime(day.year, day.month, day.day, 3),
         "late_after_confirmation": False, "from_revoked_device": False, "payload_hash": "x", "score": None}
    e.update(fields)
    return e


def _insert(rows):
    first = feed.allocate(db.session, len(rows))
    for i, row in enumerate(rows):
        row["seq"] = first + i
    bulk.insert_rows(db.session, Entry.__table__, rows)


@pytest.fixture
def figures_demo(demo):
    """The demo plus what the monitoring page counts."""
    with demo.app_context():
        residents = Resident.query.order_by(Resident.id).all()
        units = Unit.query.order_by(Unit.id).all()
        users = {u.username: u for u in User.query.all()}
        demo_figures.demo_surveys(db.session, residents, [users[LOGINS.relative1]], users[LOGINS.activities1], TODAY)
        nurses = {units[0].id: [users[LOGINS.nurse1], users[LOGINS.nurse3]], units[1].id: [users[LOGINS.nurse2]]}
        demo_figures.demo_carers(db.session, units, nurses, residents, TODAY)
        home_id = units[0].home_id
        acts = {}
        for key, direction in (("gym", "physical_health"), ("concert", "cultural_leisure"), ("talk", "psychological"),
                               ("massage", "medical")):
            a = Activity(home_id=home_id, name={"ru": key, "zh_Hans": key, "en": key}, direction=direction,
                         mode="active", format="group", place="", active=True, seq=0)
            db.session.add(a)
            db.session.flush()
            acts[key] = a.id
        staff = users[LOGINS.activities1]
        rows = []
        # residents 0-9 take part (some twice, some passive); 10 and 11 refuse or are absent; 12 is active then
        # corrected to refused; 13 refused then corrected to active; an October attendance does not count
        for i, r in enumerate(residents[:10]):
            rows.append(_entry(r, staff, date(2026, 11, 2 + i), "attendance", status="active" if i % 3 else "passive",
                               values={"session_id": None, "activity_id": acts["gym" if i < 6 else "concert"],
                                       "minutes": 30}))
        rows.append(_entry(residents[0], staff, date(2026, 11, 20), "attendance", status="active",
                           values={"session_id": None, "activity_id": acts["talk"], "minutes": 45}))
        rows.append(_entry(residents[10], staff, date(2026, 11, 3), "attendance", status="refused",
                           values={"session_id": None, "activity_id": acts["gym"], "minutes": None}))
        rows.append(_entry(residents[11], staff, date(2026, 11, 3), "attendance", status="absent", reason="ill",
                           values={"session_id": None, "activity_id": acts["gym"], "minutes": None}))
        first = _entry(residents[12], staff, date(2026, 11, 4), "attendance", status="active",
                       values={"session_id": None, "activity_id": acts["concert"], "minutes": None})
        rows += [first, _entry(residents[12], staff, date(2026, 11, 4), "attendance", status="refused",
                               supersedes=first["id"], device_time=f"2026-11-04T11:00:00{TZ_OFFSET}",
                               values={"session_id": None, "activity_id": acts["concert"], "minutes": None})]
        second = _entry(residents[13], staff, date(2026, 11, 4), "attendance", status="refused",
                        values={"session_id": None, "activity_id": acts["concert"], "minutes": None})
        rows += [second, _entry(residents[13], staff, date(2026, 11, 4), "attendance", status="passive",
                                supersedes=second["id"], device_time=f"2026-11-04T11:00:00{TZ_OFFSET}",
                                values={"session_id": None, "activity_id": acts["concert"], "minutes": None})]
        rows.append(_entry(residents[14], staff, date(2026, 10, 30), "attendance", status="active",
                           values={"session_id": None, "activity_id": acts["gym"], "minutes": None}))
        # not social occupation (000: leisure and socially useful activity): 14 had a passive massage in November,
        # 15 a talk with the psychologist -- neither is engaged
        rows.append(_entry(residents[14], staff, date(2026, 11, 6), "attendance", status="passive",
                           values={"session_id": None, "activity_id": acts["massage"], "minutes": 20}))
        rows.append(_entry(residents[15], staff, date(2026, 11, 9), "attendance", status="active",
                           values={"session_id": None, "activity_id": acts["talk"], "minutes": 45}))
        # ticks: the first three residents' first timed item at its first slot (the demo: morning toilet, 07:30)
        # on days 1-20, one not done, one corrected; a tick today is not counted (today is not over)
        for r in residents[:3]:
            card = CareCard.query.filter_by(resident_id=r.id, month=MONTH).one()
            toilet = next(i for i in card.items if i.schedule_kind == "times")
            slot = toilet.schedule["times"][0]
            for d in range(1, 21):
                rows.append(_entry(r, users[LOGINS.nurse1], date(2026, 11, d), "tick", item_id=toilet.id, slot=slot,
                                   status="not_done" if d == 7 else "done", reason="asleep" if d == 7 else None))
            rows.append(_entry(r, users[LOGINS.nurse1], TODAY, "tick", item_id=toilet.id, slot=slot, status="done"))
        wrong = _entry(residents[0], users[LOGINS.nurse1], date(2026, 11, 21), "tick", item_id=toilet.id, slot=slot,
                       status="done", resident_id=residents[2].id)
        rows += [wrong, _entry(residents[2], users[LOGINS.nurse1], date(2026, 11, 21), "tick", item_id=toilet.id,
                               slot=slot, status="not_done", reason="refused", supersedes=wrong["id"],
                               device_time=f"2026-11-21T11:00:00{TZ_OFFSET}")]
        _insert(rows)
        # confirmations: unit 1 days 1-12 (day 5 twice), unit 2 days 1-4, a resident's day, and today
        seq = feed.allocate(db.session, 20)
        confirm = [(units[0].id, None, d) for d in range(1, 13)] + [(units[0].id, None, 5)]
        confirm += [(units[1].id, None, d) for d in range(1, 5)] + [(units[1].id, residents[12].id, 9)]
        confirm += [(units[1].id, None, 25)]
        for n, (unit_id, rid, d) in enumerate(confirm):
            db.session.add(DayConfirmation(seq=seq + n, unit_id=unit_id, resident_id=rid, day=date(2026, 11, d),
                                           confirmed_by=users[LOGINS.supervisor1].id,
                                           confirmed_at=datetime(2026, 11, d, 14)))
        # care-group decisions: 0 overdue (group III decided 13 months ago), 1 not yet, 2 overdue (group I, 19
        # months), 3 decided twice (the later one current)
        for rid, decided, group in ((residents[0].id, date(2025, 10, 1), 3), (residents[1].id, date(2026, 1, 10), 3),
                                    (residents[2].id, date(2025, 4, 1), 1), (residents[3].id, date(2025, 1, 1), 2),
                                    (residents[3].id, date(2026, 6, 1), 2)):
            db.session.add(CareGroupDecision(resident_id=rid, group=group, decided_on=decided,
                                             decided_by=users[LOGINS.planner1].id, recorded_at=datetime(2026, 1, 1),
                                             reason="planned"))
        # the relative answers again later in November, not satisfied: her latest answers count, beside the
        # residents' figure and never in it
        relative = users[LOGINS.relative1]
        link = RelativeLink.query.filter_by(user_id=relative.id).order_by(RelativeLink.resident_id).first()
        db.session.add(SurveyResponse(home_id=home_id, form_id="satisfaction_relative", resident_id=link.resident_id,
                                      respondent_id=relative.id, answers={}, submitted_at=datetime(2026, 11, 24, 5),
                                      score={"total": 3, "band": "not_satisfied", "complete": True}))
        db.session.commit()
    return demo


# --- the expected values, counted straight from the rows ------------------------------------------------------

def expected(unit_id=None):
    units = [u.id for u in Unit.query.all()] if unit_id is None else [unit_id]
    end = date(2026, 11, 30)
    residents = {c.resident_id for c in CareCard.query.join(Resident).filter(
        Resident.unit_id.in_(units), CareCard.month == MONTH, CareCard.status.in_(["published", "closed"]))}
    residents |= {e.resident_id for e in Entry.query.filter(Entry.unit_id.in_(units), Entry.day >= MONTH,
                                                            Entry.day <= end)}
    month_entries = Entry.query.filter(Entry.unit_id.in_(units), Entry.day >= MONTH, Entry.day <= end).all()
    superseded = {e.supersedes for e in month_entries if e.supersedes}
    leisure = {a.id for a in Activity.query.filter(Activity.direction.in_(
        ["physical_health", "cultural_leisure", "educational", "work_therapy"]))}
    engaged = {e.resident_id for e in month_entries if e.kind == "attendance" and e.id not in superseded
               and e.status in ("active", "passive") and e.values["activity_id"] in leisure}
    # satisfaction: one questionnaire per respondent in the month (the demo's rounds)
    resident_bands = [e.score["band"] for e in month_entries
                      if e.kind == "assessment" and e.category == "satisfaction_resident"]
    unit_residents = {r.id for r in Resident.query.filter(Resident.unit_id.in_(units))}
    latest = {}  # a relative once per resident, with her latest answers
    for s in SurveyResponse.query.filter(
            SurveyResponse.form_id == "satisfaction_relative",
            SurveyResponse.submitted_at >= datetime(2026, 10, 31, 17),
            SurveyResponse.submitted_at < datetime(2026, 11, 30, 17)).order_by(SurveyResponse.submitted_at):
        if s.resident_id in unit_residents:
            latest[(s.respondent_id, s.resident_id)] = s.score["band"]
    relative_bands = list(latest.values())
    # card completion over days 1-24
    passed = [MONTH + timedelta(days=n) for n in range(24)]
    due = recorded = 0
    for card in CareCard.query.join(Resident).filter(Resident.unit_id.in_(units), CareCard.month == MONTH,
                                                     CareCard.status.in_(["published", "closed"])):
        ticks = {(e.item_id, e.slot, e.day) for e in month_entries if e.kind == "tick" and e.id not in superseded
                 and e.resident_id == card.resident_id and e.status in ("done", "not_done")}
        for item in card.items:
            kind, params = item.schedule_kind, item.schedule
            if kind == "times":
                keys = list(params["times"])
            elif kind == "every_hours":
                start = int(params.get("start", "00:00")[:2]) * 60 + int(params.get("start", "00:00")[3:])
                keys = [f"{m // 60:02d}:{m % 60:02d}" for m in range(start, 24 * 60, params["hours"] * 60)]
            elif kind == "per_shift":
                keys = ["shift:" + s for s in ("day", "night") if s in params.get("shifts", ["day", "night"])]
            else:
                keys = []
            for d in passed:
                if item.valid_from and d < item.valid_from or item.valid_to and d > item.valid_to:
                    continue
                if item.days_of_week and d.isoweekday() not in item.days_of_week:
                    continue
                due += len(keys)
                recorded += sum(1 for k in keys if (item.id, k, d) in ticks)
    confirmed = {(c.unit_id, c.day) for c in DayConfirmation.query.filter(
        DayConfirmation.unit_id.in_(units), DayConfirmation.resident_id.is_(None), DayConfirmation.day < TODAY,
        DayConfirmation.day >= MONTH)}
    loads = {}  # the sitters' carer-shifts only: the norm is the sitter post's
    sitters = {u.id for u in User.query.filter_by(post="sitter")}
    for a in CarerAssignment.query.filter(CarerAssignment.unit_id.in_(units), CarerAssignment.carer_id.in_(sitters)):
        loads[(a.day, a.shift, a.carer_id)] = loads.get((a.day, a.shift, a.carer_id), 0) + 1
    return {"residents": len(residents), "engagement": (len(engaged & residents), len(residents)),
            "satisfaction": (resident_bands.count("satisfied"), len(resident_bands)),
            "satisfaction_relatives": (relative_bands.count("satisfied"), len(relative_bands)),
            "card_completion": (recorded, due),
            "confirmed_days": (len(confirmed), 24 * len(units)),
            "caregiver_load": (max(loads.values(), default=None), sum(1 for n in loads.values() if n > 10),
                               len(loads))}


def by_key(reply):
    return {f["key"]: f for f in reply["figures"]}


@pytest.mark.parametrize("scope", ["home", "unit1", "unit2"])
def test_the_figures_match_counts_from_the_rows(figures_demo, api, world, scope):
    unit_id = {"home": None, "unit1": world.unit1, "unit2": world.unit2}[scope]
    api.login(LOGINS.admin1)
    status, reply = api.get("/api/monitoring/month?month=2026-11" + (f"&unit_id={unit_id}" if unit_id else ""))
    assert status == 200, reply
    with figures_demo.app_context():
        want = expected(unit_id)
    got = by_key(reply)
    assert reply["residents"] == want["residents"] and reply["days_passed"] == 24
    for key in ("engagement", "satisfaction", "satisfaction_relatives", "card_completion", "confirmed_days"):
        assert (got[key]["numerator"], got[key]["denominator"]) == want[key], key
        if want[key][1]:
            assert got[key]["value"] == pytest.approx(want[key][0] / want[key][1]), key
        else:
            assert got[key]["value"] is None, key
        assert got[key]["definition"] and got[key]["title"]
    load = got["caregiver_load"]
    assert (load["value"], load["numerator"], load["denominator"]) == want["caregiver_load"]


def test_hand_computed_values_on_the_whole_home(figures_demo, api):
    """The same figures worked out by hand from the fixture (24 residents, 2 units)."""
    api.login(LOGINS.supervisor1)
    status, reply = api.get("/api/monitoring/month?month=2026-11")
    got = by_key(reply)
    # engaged: residents 0-9 and 13 (the corrected one); 12 corrected to refused, 10 refused, 11 absent; 14 had
    # only a massage and 15 only a talk with the psychologist: taking part, but not in social occupation
    assert (got["engagement"]["numerator"], got["engagement"]["denominator"]) == (11, 24)
    assert got["engagement"]["target"] == 0.98 and got["engagement"]["extra"]["other_only"] == 2
    # this month's round: the 24 residents all satisfied; the relative's latest answers not satisfied -- beside it
    assert (got["satisfaction"]["numerator"], got["satisfaction"]["denominator"]) == (24, 24)
    assert got["satisfaction"]["value"] == 1.0 and got["satisfaction"]["target"] == 0.999
    relatives = got["satisfaction_relatives"]
    assert (relatives["numerator"], relatives["denominator"], relatives["value"]) == (0, 1, 0.0)
    assert relatives["target"] is None and relatives["title"] and relatives["definition"]
    assert [f["key"] for f in reply["figures"]][:3] == ["engagement", "satisfaction", "satisfaction_relatives"]
    # confirmed: unit 1 days 1-12, unit 2 days 1-4 (a resident's day and today do not count) over 2 x 24
    assert (got["confirmed_days"]["numerator"], got["confirmed_days"]["denominator"]) == (16, 48)
    # recorded: 3 residents x 20 days (a not-done counts as recorded) + the corrected tick of the 21st
    assert got["card_completion"]["numerator"] == 61
    # overdue: resident 0 (III, due 1 Oct 2026), resident 2 (I, due 1 Oct 2026); 1 and 3 not; 20 never decided
    assert (got["overdue_reassessments"]["numerator"], got["overdue_reassessments"]["denominator"]) == (2, 4)
    assert got["overdue_reassessments"]["extra"]["never_assessed"] == 20
    # carers today: the sitters only (the norm is the sitter post's, 000 item 1.1): unit 1's nurse3 day 11 (one
    # resident without), night 10 (two without); unit 2 has no sitter (nurse1 and nurse2 are junior nurses)
    assert (got["caregiver_load"]["value"], got["caregiver_load"]["numerator"],
            got["caregiver_load"]["denominator"]) == (11, 1, 2)
    assert got["caregiver_load"]["extra"]["post"] == "sitter"
    assert got["caregiver_load"]["extra"]["others"] == {"shifts": 0, "highest": None}
    directions = {f["direction"]: f for f in reply["directions"]}
    assert (directions["physical_health"]["numerator"], directions["physical_health"]["extra"]["times"]) == (6, 6)
    assert directions["cultural_leisure"]["numerator"] == 5  # residents 6-9 and 13
    # by direction every direction still shows: the psychologist (0 and 15) and the massage (14)
    assert directions["psychological"]["numerator"] == 2 and directions["medical"]["numerator"] == 1


def test_the_satisfaction_comparison(figures_demo, api):
    api.login(LOGINS.planner1)
    status, reply = api.get("/api/monitoring/month?month=2026-11")
    comparison = reply["comparison"]
    assert comparison["baseline"] == "2025-11"
    # the residents' figure, as the practice's (000: service recipients): the demo's rounds had 24 residents and
    # one relative (satisfied in the first two rounds, her latest November answers not): she is not counted
    assert [(r["month"], r["offset"], r["numerator"], r["denominator"]) for r in comparison["rows"]] == [
        ("2025-11", 0, 19, 24), ("2026-05", 6, 22, 24), ("2026-11", 12, 24, 24)]
    assert comparison["rows"][0]["value"] == pytest.approx(19 / 24) and comparison["practice_before"] == 0.8
    with figures_demo.app_context():
        baseline = [e.score["band"] for e in Entry.query.filter(
            Entry.kind == "assessment", Entry.category == "satisfaction_resident", Entry.day >= date(2025, 11, 1),
            Entry.day <= date(2025, 11, 30))]
    assert (baseline.count("satisfied"), len(baseline)) == (19, 24)
    # another baseline by the query: six months later, the rounds after it are 2026-05 and (none) 2026-11 + 6
    status, reply = api.get("/api/monitoring/month?month=2026-11&baseline=2026-05")
    assert [(r["month"], r["denominator"]) for r in reply["comparison"]["rows"]] == [
        ("2026-05", 24), ("2026-11", 24), ("2027-05", 0)]
    assert reply["comparison"]["rows"][2]["value"] is None


def test_csv_has_the_same_numbers(figures_demo, api):
    api.login(LOGINS.admin1)
    status, reply = api.get("/api/monitoring/month?month=2026-11")
    response = api.client.get("/api/monitoring/month.csv?month=2026-11&lang=ru", headers={"X-Bedside": "1"})
    assert response.status_code == 200 and response.mimetype == "text/csv"
    assert "monitoring-2026-11-home.csv" in response.headers["Content-Disposition"]
    # for a Russian spreadsheet: ';' between columns, the decimal comma, shares in percent as Russian writes them
    rows = list(csv.reader(io.StringIO(response.data.decode("utf-8-sig")), delimiter=";"))
    assert rows[0][:3] == ["key", "Показатель", "Значение"]
    table = {row[0]: row for row in rows[1:]}
    for f in reply["figures"]:
        row = table[f["key"]]
        assert row[3:5] == [str(f["numerator"]), str(f["denominator"])], f["key"]
        if f["value"] is None:
            assert row[2] == ""
        elif f["unit"] == "share":
            assert row[2].endswith("%") and "." not in row[2], row
            assert float(row[2][:-1].replace(",", ".")) == pytest.approx(f["value"] * 100, abs=0.05)
    assert table["engagement"][2] == "45,8%"
    assert table["engagement"][3:5] == ["11", "24"]
    assert table["satisfaction:+0"][3:5] == ["19", "24"]
    assert table["satisfaction"][3:5] == ["24", "24"] and table["satisfaction_relatives"][3:5] == ["0", "1"]
    assert "direction:physical_health" in table


@pytest.mark.parametrize("lang,words", [("ru", ["Ежемесячный мониторинг", "ноябрь 2026"]),
                                        ("en", ["Monthly monitoring", "November 2026"]),
                                        ("zh_Hans", ["每月监测"])])
def test_pdf_contains_the_figures(figures_demo, api, lang, words):
    api.login(LOGINS.admin1)
    response = api.client.get(f"/api/monitoring/month.pdf?month=2026-11&lang={lang}", headers={"X-Bedside": "1"})
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    if response.headers.get("X-Bedside-Warning") == "cjk_font_missing":
        pytest.skip("no CJK font on this machine")
    text = "\n".join(p.extract_text() for p in pypdf.PdfReader(io.BytesIO(response.data)).pages)
    for word in words:
        assert word in text, text[:500]
    for number in ("11 / 24", "24 / 24", "0 / 1", "16 / 48", "19 / 24", "22 / 24", "45,8" if lang == "ru" else "45.8"):
        assert number in text, (number, text[:2000])
    assert (lang == "ru") == ("45.8" not in text)  # the locale's decimal mark, never '84.0 %' in Russian


@pytest.mark.parametrize("user", [LOGINS.nurse1, LOGINS.relative1, LOGINS.activities1])
def test_who_may_not_read(figures_demo, api, user):
    api.login(user)
    for path in ("/api/monitoring/month?month=2026-11", "/api/monitoring/month.csv?month=2026-11",
                 "/api/monitoring/month.pdf?month=2026-11",
                 "/api/monitoring/carers?unit_id=1&day=2026-11-25&shift=day"):
        status, body = api.get(path)
        assert (status, body["error"]) == (403, "forbidden"), path


def test_bad_queries(figures_demo, api):
    api.login(LOGINS.admin1)
    for query in ("month=2026-13", "month=", "month=2026-11&unit_id=999", "month=2026-11&baseline=x",
                  "month=2026-11&unit_id=abc"):
        status, body = api.get("/api/monitoring/month?" + query)
        assert status in (400, 404), (query, status)
    status, body = api.get("/api/monitoring/month")
    assert status == 400 and "month" in body["fields"]


# --- carers ---------------------------------------------------------------------------------------------------

def test_the_demo_shift_shows_the_warning(figures_demo, api, world):
    api.login(LOGINS.supervisor1)
    status, shift = api.get(f"/api/monitoring/carers?unit_id={world.unit1}&day=2026-11-25&shift=day")
    assert status == 200
    nurse3 = world.users[LOGINS.nurse3]  # the demo's sitter; nurse1 is a junior nurse of the same unit
    # the carers are the unit's sitters: not its junior nurses (000 item 1.1 set the norm for the sitter post)
    assert [(c["id"], c["post"], c["sitter"], c["load"], c["over"]) for c in shift["carers"]] == [
        (nurse3, "sitter", True, 11, True)]
    assert shift["over"] == [nurse3] and len(shift["without"]) == 1 and shift["limit"] == 10
    assert shift["post"] == "sitter"
    status, shift = api.get(f"/api/monitoring/carers?unit_id={world.unit2}&day=2026-11-25&shift=day")
    assert shift["carers"] == [] and shift["over"] == []  # unit 2 has no sitter
    assert len(shift["without"]) == 12


def test_a_supervisor_assigns_a_shift(figures_demo, api, world):
    api.login(LOGINS.supervisor1)
    rs = world.residents[world.unit1]
    nurse3 = world.users[LOGINS.nurse3]
    body = {"unit_id": world.unit1, "day": "2026-11-26", "shift": "night",
            "assignments": [{"resident_id": r, "carer_id": nurse3} for r in rs[:8]]
            + [{"resident_id": r, "carer_id": None} for r in rs[8:]]}
    status, shift = api.post("/api/monitoring/carers", body)
    assert status == 200, shift
    assert {c["id"]: c["load"] for c in shift["carers"]} == {nurse3: 8}
    assert shift["without"] == rs[8:] and shift["over"] == []
    # replaced as a whole: 11 for nurse3, the sitter -> a warning
    body["assignments"] = [{"resident_id": r, "carer_id": nurse3} for r in rs[:11]]
    status, shift = api.post("/api/monitoring/carers", body)
    assert shift["over"] == [nurse3] and shift["without"] == rs[11:]
    # a junior nurse is no carer here: the sitter post's norm and assignments are not hers
    status, reply = api.post("/api/monitoring/carers", dict(body, assignments=[
        {"resident_id": rs[0], "carer_id": world.nurse1}]))
    assert status == 400 and "assignments.0.carer_id" in reply["fields"], reply
    with figures_demo.app_context():
        assert CarerAssignment.query.filter_by(day=date(2026, 11, 26)).count() == 11


@pytest.mark.parametrize("change,field", [
    (lambda b, w: b["assignments"].append({"resident_id": w.residents[w.unit2][0], "carer_id": w.nurse1}),
     "assignments.1.resident_id"),
    (lambda b, w: b["assignments"].append(dict(b["assignments"][0])), "assignments.1.resident_id"),
    (lambda b, w: b["assignments"][0].update(carer_id=w.nurse2), "assignments.0.carer_id"),
    (lambda b, w: b["assignments"][0].update(carer_id=w.nurse1), "assignments.0.carer_id"),  # a junior nurse
    (lambda b, w: b["assignments"][0].update(carer_id=w.supervisor), "assignments.0.carer_id"),
    (lambda b, w: b.update(shift="evening"), "shift"),
    (lambda b, w: b.update(day="2027-02-01"), "day"),
])
def test_assignments_are_checked(figures_demo, api, world, change, field):
    api.login(LOGINS.supervisor1)
    body = {"unit_id": world.unit1, "day": "2026-11-26", "shift": "day",
            "assignments": [{"resident_id": world.r1, "carer_id": world.users[LOGINS.nurse3]}]}  # the sitter
    change(body, world)
    status, reply = api.post("/api/monitoring/carers", body)
    assert status == 400 and field in reply["fields"], reply


def test_only_supervisors_assign(figures_demo, api, world):
    for user in (LOGINS.planner1, LOGINS.admin1, LOGINS.nurse1):
        api.login(user)
        status, body = api.post("/api/monitoring/carers", {"unit_id": world.unit1, "day": "2026-11-26",
                                                           "shift": "day", "assignments": []})
        assert (status, body["error"]) == (403, "forbidden"), user
