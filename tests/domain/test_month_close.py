"""Month close rules and the paper-card grid (backend/domain/month_close.py)."""
from datetime import date, datetime

from backend.domain import month_close as mc

NOV = date(2026, 11, 1)
USERS = {1: "Ольга Сергеевна Ким", 2: "Елена Викторовна Лапина", 3: "王小明", 4: "Оксана Семёновна Кузина"}
TOILET = {"id": 10, "title": "Умывание утром", "schedule_kind": "times", "schedule": {"times": ["07:30", "19:30"]},
          "days_of_week": None, "valid_from": None, "valid_to": None, "position": 1}
WALK = {"id": 11, "title": "Прогулка", "schedule_kind": "per_shift", "schedule": {"shifts": ["day"]},
        "days_of_week": None, "valid_from": None, "valid_to": date(2026, 11, 10), "position": 2}
PRN = {"id": 12, "title": "Обезболивание", "schedule_kind": "as_needed", "schedule": {}, "days_of_week": None,
       "valid_from": None, "valid_to": None, "position": 3}
_n = iter(range(1, 10_000))


def e(day, item=10, slot="07:30", status="done", author=1, **kw):
    n = next(_n)
    d = date(2026, 11, day)
    out = {"id": f"e{n:04d}", "seq": n, "kind": "tick", "resident_id": 7, "item_id": item, "day": d, "slot": slot,
           "status": status, "reason": None, "author_id": author, "supersedes": None, "amendment_reason": None,
           "late_after_confirmation": False, "device_time": datetime(2026, 11, day, 8, 0, n % 60),
           "received_at": datetime(2026, 11, day, 2, 0, n % 60), "note": None, "values": None, "category": None}
    out.update(kw)
    return out


def cells(sheet, item, slot):
    return next(r for r in sheet["rows"] if r["item_id"] == item and r["slot"] == slot)["cells"]


# --- closable ---------------------------------------------------------------------------------------

def test_the_month_must_be_over_in_the_homes_time_zone():
    all_days = mc.month_days(NOV)
    assert [r.code for r in mc.closable(NOV, date(2026, 11, 30), all_days)] == ["month_not_over"]
    assert mc.closable(NOV, date(2026, 12, 1), all_days) == []


def test_unconfirmed_days_are_named():
    confirmed = [d for d in mc.month_days(NOV) if d.day not in (3, 17)]
    [reason] = mc.closable(NOV, date(2026, 12, 5), confirmed)
    assert reason.as_dict() == {"code": "days_not_confirmed", "days": [3, 17]}


def test_days_still_ahead_are_not_listed_as_unconfirmed():
    """The current month (issue 16, finding 15): the days after today are not yet due, so not 'not confirmed'."""
    confirmed = [d for d in mc.month_days(NOV) if d.day < 10 and d.day != 3]
    reasons = mc.closable(NOV, date(2026, 11, 12), confirmed)
    assert [r.as_dict() for r in reasons] == [{"code": "month_not_over", "days": []},
                                              {"code": "days_not_confirmed", "days": [3, 10, 11, 12]}]
    assert [r.code for r in mc.closable(NOV, date(2026, 11, 9), confirmed)] == ["month_not_over", "days_not_confirmed"]


def test_only_days_that_need_it_must_be_confirmed_and_late_entries_must_be_reviewed():
    item = dict(TOILET, valid_from=date(2026, 11, 20))  # admitted on the 20th
    needed = mc.days_needing_confirmation(NOV, [item], [e(5, kind="note", item=None, slot=None)])
    assert [d.day for d in needed] == [5] + list(range(20, 31))
    assert mc.closable(NOV, date(2026, 12, 1), needed, days_needed=needed) == []
    reasons = mc.closable(NOV, date(2026, 12, 1), needed, days_needed=needed, late_waiting=[date(2026, 11, 22)])
    assert [r.as_dict() for r in reasons] == [{"code": "late_not_reviewed", "days": [22]}]


def test_confirmation_state_reuses_the_day_rules():
    def made(day, hour=2):  # 09:00 home time (UTC+7) on the day after: the whole day
        return datetime(2026, 11, day + 1, hour, 0)
    confirmations = [{"unit_id": 1, "resident_id": None, "day": date(2026, 11, 2), "seq": 5, "confirmed_at": made(2)},
                     {"unit_id": 1, "resident_id": 7, "day": date(2026, 11, 3), "seq": 6, "confirmed_at": made(3)},
                     {"unit_id": 1, "resident_id": 8, "day": date(2026, 11, 4), "seq": 7, "confirmed_at": made(4)},
                     {"unit_id": 2, "resident_id": None, "day": date(2026, 11, 5), "seq": 8, "confirmed_at": made(5)},
                     # made at 14:00 home time on the 6th itself: covers the morning, not the day
                     {"unit_id": 1, "resident_id": None, "day": date(2026, 11, 6), "seq": 10,
                      "confirmed_at": datetime(2026, 11, 6, 7, 0)}]
    late = [dict(e(2), seq=9, late_after_confirmation=True), dict(e(3), seq=4, late_after_confirmation=True)]
    locked, waiting = mc.confirmation_state(NOV, confirmations, late, 1, 7, "Asia/Krasnoyarsk")
    assert sorted(d.day for d in locked) == [2, 3]
    assert [d.day for d in waiting] == [2]  # the one on the 3rd came before that day's confirmation


def test_status_reasons():
    days = mc.month_days(NOV)
    assert [r.code for r in mc.closable(NOV, date(2026, 12, 1), days, status="closed")] == ["closed"]
    assert [r.code for r in mc.closable(NOV, date(2026, 12, 1), days, status="draft")] == ["not_published"]


# --- the grid -----------------------------------------------------------------------------------------

def test_marks_are_initials_made_unique():
    marks = mc.staff_marks(USERS)
    assert marks == {1: "ОСК", 2: "ЕВЛ", 3: "王小", 4: "ОСК2"}


def test_cells_done_not_done_refused_missing_and_not_scheduled():
    entries = [e(1), e(2, status="not_done", reason="asleep"), e(3, status="not_done", reason="refused", author=2),
               e(1, item=11, slot="shift:day")]
    sheet = mc.grid([TOILET, WALK], entries, NOV, USERS, date(2026, 12, 1))
    morning = cells(sheet, 10, "07:30")
    assert morning[0]["state"] == "done" and morning[0]["by"] == ["ОСК"]
    assert morning[1]["state"] == "not_done" and morning[1]["reason"] == "asleep" and morning[1]["reason_number"] == 1
    assert morning[2]["state"] == "refused" and morning[2]["by"] == ["ЕВЛ"]
    assert morning[3]["state"] == "missing" and morning[3]["by"] == []
    walk = cells(sheet, 11, "shift:day")
    assert walk[0]["state"] == "done"
    assert walk[9]["state"] == "missing" and walk[10]["state"] == "not_scheduled"  # ended on the 10th
    assert all(c["state"] == "not_scheduled" for c in walk[10:])
    assert len(morning) == 30 and sheet["days"][-1] == 30 and sheet["weekdays"][0] == 7  # 1 Nov 2026: Sunday
    assert [r["slot"] for r in sheet["rows"]] == ["07:30", "19:30", "shift:day"]


def test_days_to_come_are_pending_on_an_open_card():
    sheet = mc.grid([TOILET], [e(1)], NOV, USERS, date(2026, 11, 15))
    morning = cells(sheet, 10, "07:30")
    assert morning[13]["state"] == "missing" and morning[14]["state"] == "pending"


def test_corrected_amended_and_late_marks():
    first = e(4)
    correction = e(4, status="not_done", reason="absent", supersedes=first["id"],
                   device_time=datetime(2026, 11, 4, 9, 0))
    amended_from = e(5, status="not_done", reason="asleep")
    amendment = e(5, status="done", author=2, supersedes=amended_from["id"], amendment_reason="по журналу",
                  device_time=datetime(2026, 11, 6, 9, 0))
    late = e(6, late_after_confirmation=True)
    sheet = mc.grid([TOILET], [first, correction, amended_from, amendment, late], NOV, USERS, date(2026, 12, 1))
    morning = cells(sheet, 10, "07:30")
    assert morning[3]["state"] == "not_done" and morning[3]["corrected"] and not morning[3]["amended"]
    assert morning[4]["state"] == "done" and morning[4]["amended"] and not morning[4]["corrected"]
    assert morning[4]["by"] == ["ЕВЛ"]
    assert morning[5]["late"] and not morning[5]["corrected"]
    [a] = sheet["amendments"]
    assert a["old"]["reason"] == "asleep" and a["new"]["status"] == "done" and a["reason"] == "по журналу"
    assert a["by"] == USERS[2] and a["item"] == "Умывание утром"
    [c] = sheet["corrections"]
    assert c["old"]["status"] == "done" and c["new"]["reason"] == "absent"
    assert [x["entry_id"] for x in sheet["late"]] == [late["id"]]


def test_as_needed_is_one_row_counting_its_recordings():
    entries = [e(2, item=12, slot=None), e(2, item=12, slot=None, author=2),
               e(3, item=12, slot=None, status="not_done", reason="refused")]
    sheet = mc.grid([PRN], entries, NOV, USERS, date(2026, 12, 1))
    [row] = sheet["rows"]
    assert row["as_needed"] and row["slot"] is None
    assert row["cells"][1]["state"] == "as_needed" and row["cells"][1]["count"] == 2
    assert row["cells"][1]["by"] == ["ОСК", "ЕВЛ"]
    assert row["cells"][2]["count"] == 0 and row["cells"][2]["by"] == ["ОСК"]
    assert row["cells"][0]["count"] == 0 and row["cells"][0]["state"] == "as_needed"


def test_a_slot_the_item_no_longer_has_keeps_its_recordings():
    sheet = mc.grid([TOILET], [e(2, slot="08:00")], NOV, USERS, date(2026, 12, 1))
    former = cells(sheet, 10, "08:00")
    assert former[1]["state"] == "done" and former[0]["state"] == "not_scheduled"
    assert next(r for r in sheet["rows"] if r["slot"] == "08:00")["former"]


def test_a_closed_card_lists_what_arrived_after_it_and_keeps_its_grid():
    closed_at = datetime(2026, 12, 1, 3, 0)
    before = e(7)
    after = e(8, received_at=datetime(2026, 12, 2, 5, 0))
    same_instant = e(9, received_at=closed_at, seq=500)
    sheet = mc.grid([TOILET], [before, after, same_instant], NOV, USERS, date(2026, 12, 5), closed_at=closed_at,
                    close_seq=400)
    morning = cells(sheet, 10, "07:30")
    assert morning[6]["state"] == "done"
    assert morning[7]["state"] == "missing" and morning[7]["after_close"]
    assert morning[8]["state"] == "missing" and morning[8]["after_close"]
    assert [x["entry_id"] for x in sheet["after_close"]] == [after["id"], same_instant["id"]]
    assert sheet["entry_count"] == 1


def test_other_entries_confirmations_and_staff():
    vitals = e(3, kind="vitals", item=None, slot=None, status=None, values={"pulse": 70})
    note = e(4, kind="note", item=None, slot=None, status=None, note="Спокойна")
    confirmations = [{"unit_id": 1, "resident_id": None, "day": date(2026, 11, 3), "seq": 1, "confirmed_by": 2,
                      "confirmed_by_post": "ward_nurse", "confirmed_at": datetime(2026, 11, 4, 2, 0), "note": None},
                     {"unit_id": 1, "resident_id": 8, "day": date(2026, 11, 3), "seq": 2, "confirmed_by": 2,
                      "confirmed_at": datetime(2026, 11, 4, 2, 0), "note": None}]
    sheet = mc.grid([TOILET], [vitals, note, e(3)], NOV, USERS, date(2026, 12, 1), confirmations=confirmations,
                    unit_id=1, resident_id=7)
    assert sheet["other_counts"] == {"vitals": 1, "note": 1}
    assert [x["kind"] for x in sheet["other_entries"]] == ["vitals", "note"]
    assert [(c["day"].day, c["scope"], c["by"]) for c in sheet["confirmations"]] == [(3, "unit", USERS[2])]
    assert sheet["confirmations"][0]["post"] == "ward_nurse"  # «должность», as recorded when she confirmed
    # each person's posts as recorded with what she did (none recorded: an entry from before posts)
    assert sheet["staff"] == [{"mark": "ЕВЛ", "name": USERS[2], "posts": ["ward_nurse"]},
                              {"mark": "ОСК", "name": USERS[1], "posts": []}]


def test_the_card_holds_care_card_documentation_only():
    """Attendance belongs to the programme and an assessment to its form: neither is counted or listed among the
    card's entries, nor 'arrives after the close'; assessments are listed apart, with their answers and score."""
    closed_at = datetime(2026, 12, 1, 3, 0)
    attendance = e(5, kind="attendance", item=None, slot=None, status="active", category="3")
    late_attendance = e(29, kind="attendance", item=None, slot=None, status="active", category="3",
                        received_at=datetime(2026, 12, 2, 5, 0))
    assessment = e(10, kind="assessment", item=None, slot=None, status=None, category="age_no_barrier",
                   values={"falls": True}, score={"total": 1})
    vitals = e(3, kind="vitals", item=None, slot=None, status=None, values={"pulse": 70})
    sheet = mc.grid([TOILET], [attendance, late_attendance, assessment, vitals, e(3)], NOV, USERS, date(2026, 12, 5),
                    closed_at=closed_at, close_seq=10_000)
    assert [x["kind"] for x in sheet["other_entries"]] == ["vitals"] and sheet["other_counts"] == {"vitals": 1}
    assert sheet["after_close"] == [] and sheet["entry_count"] == 2
    assert [(a["entry_id"], a["form"], a["answers"], a["score"]) for a in sheet["assessments"]] == [
        (assessment["id"], "age_no_barrier", {"falls": True}, {"total": 1})]
