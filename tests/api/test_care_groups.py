"""Care-group decisions, the suggestion, the reassessment board with goals due, and admitting a resident."""
from datetime import date, datetime, timedelta

import pytest

from backend.domain import care_groups as rules
from backend.domain import forms
from backend.extensions import db
from backend.models import AuditEvent, CareGroupDecision, CarePlan, CarePlanVersion, Entry, Resident, Unit, User
from backend.services import feed
from backend.services.ids import uuid7

from ..helpers import entry as make_entry
from .conftest import DAY, push
from ..conftest import LOGINS

TODAY = date.fromisoformat(DAY)
OBSERVATION = [q["id"] for q in forms.questions(forms.load("adl_observation")) if q["type"] == "rating"]
MMSE_ALL = {q["id"]: (True if q["type"] == "yes_no" else q.get("max", 5))
            for q in forms.questions(forms.load("mmse")) if q["type"] in ("yes_no", "number")}


def mmse_answers(total_wrong=0):
    """MMSE answers with `total_wrong` yes/no items answered no (30 - total_wrong points)."""
    answers = dict(MMSE_ALL, attention_task="serial_sevens")
    for qid in [k for k, v in answers.items() if v is True][:total_wrong]:
        answers[qid] = False
    return answers


def add_assessment(app, resident_id, author_id, form_id, answers, day=DAY):
    """An assessment entry as the push stores it (with the server's score)."""
    with app.app_context():
        definition = forms.load(form_id)
        score = forms.score(definition, answers)
        score.pop("errors")
        resident = db.session.get(Resident, resident_id)
        seq = feed.allocate(db.session, 1)
        entry = Entry(id=uuid7(), seq=seq, kind="assessment", resident_id=resident_id, unit_id=resident.unit_id,
                      day=date.fromisoformat(day), author_id=author_id, device_id="tab-9", client_seq=seq,
                      device_time=f"{day}T10:00:00+07:00", received_at=datetime(2026, 11, 25, 3),
                      payload_hash="x" * 64, category=form_id, values=answers, score=score)
        db.session.add(entry)
        db.session.commit()
        return entry.id


def observation(default=1, **rows):
    answers = {row: default for row in OBSERVATION}
    answers.update(rows)
    return answers


@pytest.fixture
def planner(make_api):
    client = make_api()
    client.login(LOGINS.planner1)
    return client


def decision(resident_id, group=2, decided_on=DAY, reason="planned", **extra):
    """A decision body; its grounds by default the first criterion of the group's definition."""
    return dict({"resident_id": resident_id, "group": group, "decided_on": decided_on, "reason": reason,
                 "grounds": [rules.GROUNDS[group][0]] if group in rules.GROUNDS else ["regular_need"]}, **extra)


def test_suggestion_then_decision_sets_group_keeps_history_and_clears_the_mark(demo, world, api, planner):
    r = world.r1
    status, view = planner.get(f"/api/care-groups?resident_id={r}")
    assert status == 200, view
    assert view["suggestion"] == {"group": None, "reasons": [{"code": "no_observation", "params": {}, "answers": []},
                                                              {"code": "no_mmse", "params": {}, "answers": []}],
                                  "unseen": [{"code": "behaviour", "params": {}, "answers": []},
                                             {"code": "no_age_no_barrier", "params": {}, "answers": []}]}
    assert view["history"] == [] and view["reassessment"]["status"] == "never_assessed"
    obs = add_assessment(demo, r, world.users[LOGINS.planner1], "adl_observation", observation(a25=3, a14=2))
    mmse = add_assessment(demo, r, world.users[LOGINS.planner1], "mmse", mmse_answers(2))
    status, view = planner.get(f"/api/care-groups?resident_id={r}")
    assert view["suggestion"]["group"] == 2
    assert view["suggestion"]["reasons"][0] == {"code": "needs_much_help", "params": {"rows": [25]}, "answers": [
        {"form": "adl_observation", "item": "a25", "value": 3}]}
    assert view["suggestion"]["reasons"][-1] == {"code": "mmse", "params": {"total": 28, "band": "normal"},
                                                 "answers": [{"form": "mmse", "item": "total", "value": 28}]}
    assert view["basis"] == [obs, mmse]
    assert [a["form_id"] for a in view["assessments"]] == ["adl_observation", "mmse"]
    assert view["assessments"][0]["answers"]["a25"] == 3 and view["assessments"][1]["score"]["total"] == 28
    # a condition report from the bedside marks the resident
    api.login(LOGINS.nurse1)
    push(api, [make_entry(r, world.nurse1, kind="condition", category="fall", note="found on the floor")])
    status, cursor_page = api.get(f"/api/sync/pull?post_id={world.post1}")
    cursor = cursor_page["cursor"]
    status, view = planner.get(f"/api/care-groups?resident_id={r}")
    assert view["resident"]["needs_reassessment"] is True
    # the team decides (group III, not the suggestion: a person's decision)
    status, view = planner.post("/api/care-groups", decision(r, group=3, reason="unplanned", note="after the fall"))
    assert status == 201, view
    assert view["care_group"] == 3 and view["resident"]["care_group"] == 3
    assert view["resident"]["needs_reassessment"] is False
    assert view["reassessment"] == {"due_on": "2027-11-25", "status": "ok", "marked": False}
    [latest] = view["history"]
    assert (latest["group"], latest["decided_on"], latest["reason"], latest["note"]) == (3, DAY, "unplanned",
                                                                                         "after the fall")
    assert latest["decided_by_name"] == world.names.staff[LOGINS.planner1]
    assert latest["suggestion"]["group"] == 2 and latest["basis"] == [obs, mmse]
    # the tablets receive the new group
    status, page = api.get(f"/api/sync/pull?post_id={world.post1}&cursor={cursor}")
    assert [(x["id"], x["care_group"], x["needs_reassessment"]) for x in page["residents"]] == [(r, 3, False)]
    # a later decision goes on top; the assessments before it no longer suggest
    planner.post("/api/care-groups", decision(r, group=4, reason="planned"))
    status, view = planner.get(f"/api/care-groups?resident_id={r}")
    assert [d["group"] for d in view["history"]] == [4, 3]
    assert view["suggestion"]["group"] == 2  # assessments of the decision's own day still count
    with demo.app_context():
        assert db.session.get(Resident, r).care_group == 4
        actions = [a.action for a in AuditEvent.query.filter_by(action="care_group_decide")]
        assert len(actions) == 2


def test_older_assessments_do_not_suggest_after_a_decision(demo, world, planner):
    r = world.r1
    add_assessment(demo, r, world.users[LOGINS.planner1], "adl_observation", observation(), day="2026-11-01")
    add_assessment(demo, r, world.users[LOGINS.planner1], "mmse", mmse_answers(0), day="2026-11-01")
    planner.post("/api/care-groups", decision(r, group=1, decided_on="2026-11-10", reason="initial"))
    status, view = planner.get(f"/api/care-groups?resident_id={r}")
    assert status == 200 and view["suggestion"]["group"] is None
    assert [x["code"] for x in view["suggestion"]["reasons"]] == ["observation_stale", "mmse_stale"]


def test_the_decision_records_its_grounds_from_the_definition(demo, world, planner):
    r = world.r1
    body = decision(r, group=3, grounds=["behaviour_not_controlled", "constant_need", "behaviour_not_controlled"],
                    note="wanders at night; aggressive when approached")
    status, view = planner.post("/api/care-groups", body)
    assert status == 201, view
    assert view["history"][0]["grounds"] == ["constant_need", "behaviour_not_controlled"]  # the definition's order
    assert view["grounds"]["3"] == list(rules.GROUNDS[3])
    with demo.app_context():
        assert CareGroupDecision.query.filter_by(resident_id=r).one().grounds == ["constant_need",
                                                                                  "behaviour_not_controlled"]
        [event] = AuditEvent.query.filter_by(action="care_group_decide").all()
        assert event.detail["grounds"] == ["constant_need", "behaviour_not_controlled"]


@pytest.mark.parametrize("grounds", [[], None, ["disorientation"], ["regular_need", "intensive_care"], ["whim"]],
                         ids=["empty", "missing", "group-III-ground", "one-foreign", "unknown"])
def test_grounds_are_required_and_belong_to_the_chosen_group(demo, world, planner, grounds):
    body = decision(world.r1, group=2, grounds=grounds)
    if grounds is None:
        del body["grounds"]
    status, reply = planner.post("/api/care-groups", body)
    assert status == 400 and "grounds" in reply["fields"], reply
    with demo.app_context():
        assert CareGroupDecision.query.filter_by(resident_id=world.r1).count() == 0


def test_the_view_reads_the_age_is_no_barrier_screen(demo, world, planner):
    """The three assessments of functional and cognitive state side by side; "Age is no barrier" (004 §2.2) is
    read by the suggestion: probable frailty with a little help suggests group II."""
    r, p = world.r1, world.users[LOGINS.planner1]
    obs = add_assessment(demo, r, p, "adl_observation", observation(a26=2))
    mmse = add_assessment(demo, r, p, "mmse", mmse_answers(0))
    status, view = planner.get(f"/api/care-groups?resident_id={r}")
    assert view["suggestion"]["group"] == 1
    assert [u["code"] for u in view["suggestion"]["unseen"]] == ["behaviour", "no_age_no_barrier"]
    frail = {"weight_loss": True, "vision_hearing": True, "falls": True, "mood": False, "memory": True,
             "incontinence": False, "moving": True}
    anb = add_assessment(demo, r, p, "age_no_barrier", frail)
    status, view = planner.get(f"/api/care-groups?resident_id={r}")
    assert [a["form_id"] for a in view["assessments"]] == ["adl_observation", "mmse", "age_no_barrier"]
    assert view["assessments"][2]["score"]["total"] == 5 and view["assessments"][2]["score"]["band"] == "frailty"
    assert view["basis"] == [obs, mmse, anb]
    assert view["suggestion"]["group"] == 2
    assert view["suggestion"]["reasons"][0]["code"] == "frailty_little_help"
    assert {"form": "age_no_barrier", "item": "falls", "value": True} in view["suggestion"]["reasons"][0]["answers"]
    assert [u["code"] for u in view["suggestion"]["unseen"]] == ["behaviour"]


@pytest.mark.parametrize("body, field", [
    ({"group": 5}, "group"), ({"group": 0}, "group"), ({"group": "II"}, "group"),
    ({"decided_on": "2026-11-26"}, "decided_on"),  # tomorrow in the home
    ({"decided_on": "nope"}, "decided_on"), ({"reason": "whim"}, "reason"),
    ({"basis": ["not-an-entry"]}, "basis"), ({"note": "x" * 2001}, "note"),
])
def test_validation_errors_name_the_field(demo, world, planner, body, field):
    status, reply = planner.post("/api/care-groups", dict(decision(world.r1), **body))
    assert status == 400, reply
    assert field in reply["fields"], reply


@pytest.mark.parametrize("lang, label", [("ru", "Дата решения"), ("zh_Hans", "决定日期"),
                                         ("en", "Date of the decision")])
def test_validation_errors_name_the_field_by_its_label(demo, world, planner, lang, label):
    """The message names what to correct as the form does, in the reader's language -- never `decided_on`."""
    status, reply = planner.post(f"/api/care-groups?lang={lang}", decision(world.r1, decided_on="2026-11-26"))
    assert status == 400 and "decided_on" in reply["fields"], reply
    assert label in reply["message"] and "decided_on" not in reply["message"], reply["message"]
    status, reply = planner.post(f"/api/residents?lang={lang}",
                                 {"full_name": "", "unit_id": world.unit1, "post_id": world.post1})
    assert status == 400 and "full_name" not in reply["message"], reply["message"]


def test_a_decision_cannot_be_dated_before_the_last_one(demo, world, planner):
    assert planner.post("/api/care-groups", decision(world.r1, decided_on="2026-11-20"))[0] == 201
    status, reply = planner.post("/api/care-groups", decision(world.r1, decided_on="2026-11-19"))
    assert status == 400 and "decided_on" in reply["fields"]


def test_permissions(demo, world, make_api):
    nurse = make_api()
    nurse.login(LOGINS.nurse1)
    assert nurse.get(f"/api/care-groups?resident_id={world.r1}")[0] == 403
    assert nurse.post("/api/care-groups", decision(world.r1))[0] == 403
    assert nurse.get(f"/api/care-groups/board?unit_id={world.unit1}")[0] == 403
    supervisor = make_api()
    supervisor.login(LOGINS.supervisor1)
    assert supervisor.get(f"/api/care-groups?resident_id={world.r1}")[0] == 200
    assert supervisor.get(f"/api/care-groups/board?unit_id={world.unit1}")[0] == 200
    assert supervisor.post("/api/care-groups", decision(world.r1))[0] == 403
    with demo.app_context():
        home_id = db.session.get(User, world.users[LOGINS.planner1]).home_id
        hashed = db.session.get(User, world.users[LOGINS.planner1]).password_hash
        db.session.add(User(username="planner_u2", password_hash=hashed,
                            full_name="Unit two planner", role="planner", home_id=home_id,
                            units=[db.session.get(Unit, world.unit2)]))
        db.session.commit()
    other = make_api()
    other.login("planner_u2")
    assert other.get(f"/api/care-groups?resident_id={world.r1}")[0] == 404
    assert other.post("/api/care-groups", decision(world.r1))[0] == 404
    assert other.get(f"/api/care-groups/board?unit_id={world.unit1}")[0] == 404
    assert other.post("/api/residents", {"full_name": "X", "unit_id": world.unit1, "post_id": world.post1})[0] == 404
    assert other.get(f"/api/care-groups/board?unit_id={world.unit2}")[0] == 200


def _decide_directly(app, resident_id, group, decided_on, planner_id, marked=False):
    with app.app_context():
        db.session.add(CareGroupDecision(resident_id=resident_id, group=group, decided_on=decided_on,
                                         decided_by=planner_id, recorded_at=datetime(2020, 1, 1), reason="planned"))
        resident = db.session.get(Resident, resident_id)
        resident.care_group = group
        resident.needs_reassessment = marked
        db.session.commit()


def test_board_statuses_for_every_group(demo, world, planner):
    rs = world.residents[world.unit1]
    p = world.users[LOGINS.planner1]
    expected = {}
    i = 0
    for group in (1, 2, 3, 4):
        months = rules.PERIOD_MONTHS[group]
        cases = {
            "overdue": rules.add_months(TODAY - timedelta(days=1), -months),
            "due": rules.add_months(TODAY + timedelta(days=rules.DUE_WINDOW_DAYS), -months),
            "ok": rules.add_months(TODAY + timedelta(days=rules.DUE_WINDOW_DAYS + 1), -months),
        }
        for status, decided in cases.items():
            _decide_directly(demo, rs[i], group, decided, p)
            expected[rs[i]] = (status, group, rules.add_months(decided, months).isoformat())
            i += 1
    status, board = planner.get(f"/api/care-groups/board?unit_id={world.unit1}")
    assert status == 200, board
    rows = {row["resident_id"]: row for row in board["residents"]}
    for rid, (status_, group, due) in expected.items():
        assert (rows[rid]["status"], rows[rid]["care_group"], rows[rid]["due_on"]) == (status_, group, due), rid
    order = [row["status"] for row in board["residents"]]
    assert order == sorted(order, key=rules.STATUS_ORDER.index)
    assert [row["due_on"] for row in board["residents"][:4]] == sorted(row["due_on"] for row in board["residents"][:4])
    assert board["counts"] == {"overdue": 4, "marked": 0, "never_assessed": 0, "due": 4, "ok": 4}
    assert board["today"] == DAY and board["due_window_days"] == 30
    # unit 2: a condition report marks a resident of any group; the others were never assessed
    rs2 = world.residents[world.unit2]
    for group, rid in zip((1, 2, 3, 4), rs2):
        _decide_directly(demo, rid, group, TODAY - timedelta(days=40), p, marked=True)
    _decide_directly(demo, rs2[4], 2, rules.add_months(TODAY, -13), p, marked=True)  # overdue and marked
    status, board = planner.get(f"/api/care-groups/board?unit_id={world.unit2}")
    rows = {row["resident_id"]: row for row in board["residents"]}
    assert [(rows[rid]["status"], rows[rid]["marked"]) for rid in rs2[:5]] == [("marked", True)] * 4 + [
        ("overdue", True)]
    assert all(rows[rid]["status"] == "never_assessed" and rows[rid]["due_on"] is None for rid in rs2[5:])
    assert board["counts"] == {"overdue": 1, "marked": 4, "never_assessed": len(rs2) - 5, "due": 0, "ok": 0}
    assert board["residents"][0]["resident_id"] == rs2[4]


def test_goals_due_for_review_appear_on_the_board(demo, world, planner):
    r = world.r1
    content = {"header": {}, "sections": [
        {"id": "mobility", "rows": [
            {"id": "m1", "problem": "Риск падений", "goal": "Ходит с ходунками", "measures": "ЛФК",
             "set_on": "2026-08-01", "review_on": "2026-11-20"},
            {"id": "m2", "problem": "", "goal": "Later", "measures": "", "set_on": "2026-08-01",
             "review_on": "2026-12-20"}]},
        {"id": "nutrition", "rows": [
            {"id": "n1", "problem": "Мало пьёт", "goal": "1.5 л в день", "measures": "", "set_on": "2026-10-01",
             "review_on": DAY},
            {"id": "n2", "problem": "no goal", "goal": "", "review_on": "2026-11-01"}]}]}
    with demo.app_context():
        plan = CarePlan(resident_id=r, current_version=2)
        db.session.add(plan)
        db.session.flush()
        old = {"header": {}, "sections": [{"id": "safety", "rows": [
            {"id": "s1", "goal": "old version", "review_on": "2026-01-01"}]}]}
        for number, body in ((1, old), (2, content)):
            db.session.add(CarePlanVersion(plan_id=plan.id, number=number, content=body,
                                           created_by=world.users[LOGINS.planner1], created_at=datetime(2026, 11, 1)))
        db.session.commit()
    status, board = planner.get(f"/api/care-groups/board?unit_id={world.unit1}")
    assert [(g["resident_id"], g["section"], g["row_id"], g["review_on"], g["overdue_days"])
            for g in board["goals"]] == [(r, "mobility", "m1", "2026-11-20", 5), (r, "nutrition", "n1", DAY, 0)]
    assert board["goals"][0]["goal"] == "Ходит с ходунками" and board["goals"][0]["plan_version"] == 2
    status, board = planner.get(f"/api/care-groups/board?unit_id={world.unit2}")
    assert status == 200 and board["goals"] == []


def test_admitting_a_resident(demo, world, api, planner, make_api):
    admin = make_api()
    admin.login(LOGINS.admin1)
    assert admin.post("/api/rooms", {"unit_id": world.unit1, "name": "115", "post_id": world.post1,
                                     "beds": ["1", "2"]})[0] == 201  # the demo's rooms are 101-106
    api.login(LOGINS.nurse1)
    status, snap = api.get(f"/api/sync/pull?post_id={world.post1}")
    body = {"full_name": "Орлова Вера Ивановна", "birth_date": "1940-03-08", "unit_id": world.unit1,
            "post_id": world.post1, "room": "115", "bed": "1"}
    status, resident = planner.post("/api/residents", body)
    assert status == 201, resident
    assert (resident["full_name"], resident["room"], resident["bed"], resident["care_group"],
            resident["birth_date"]) == (body["full_name"], "115", "1", None, "1940-03-08")
    status, board = planner.get(f"/api/care-groups/board?unit_id={world.unit1}")
    row = next(x for x in board["residents"] if x["resident_id"] == resident["id"])
    assert row["status"] == "never_assessed" and row["care_group"] is None
    status, page = api.get(f"/api/sync/pull?post_id={world.post1}&cursor={snap['cursor']}")
    assert [x["id"] for x in page["residents"]] == [resident["id"]]
    admin = make_api()
    admin.login(LOGINS.admin1)
    status, reply = admin.post("/api/residents", dict(body, full_name="Second"))  # the bed is taken
    assert (status, list(reply["fields"])) == (400, ["bed"])
    assert admin.post("/api/residents", dict(body, full_name="Second", bed="2"))[0] == 201
    status, reply = admin.post("/api/residents", dict(body, full_name="Third", room="999"))
    assert (status, list(reply["fields"])) == (400, ["room"])  # not one of the unit's rooms
    nurse = make_api()
    nurse.login(LOGINS.nurse1, device_id="tab-2")
    assert nurse.post("/api/residents", body)[0] == 403
    with demo.app_context():
        assert AuditEvent.query.filter_by(action="resident_admit").count() == 2


@pytest.mark.parametrize("change, field", [
    ({"full_name": ""}, "full_name"), ({"full_name": "   "}, "full_name"), ({"post_id": "post"}, "post_id"),
    ({"birth_date": "2030-01-01"}, "birth_date"), ({"room": "x" * 21}, "room"), ({"unit_id": None}, "unit_id"),
])
def test_admission_validation_names_the_field(demo, world, planner, change, field):
    body = dict({"full_name": "Орлова В. И.", "unit_id": world.unit1, "post_id": world.post1}, **change)
    status, reply = planner.post("/api/residents", body)
    assert status == 400 and field in reply["fields"], reply


def test_admission_post_must_be_in_the_unit(demo, world, planner):
    status, reply = planner.post("/api/residents", {"full_name": "X", "unit_id": world.unit1, "post_id": world.post2})
    assert status == 400 and "post_id" in reply["fields"]


def test_demo_history_gives_the_board_every_status(demo, world, planner):
    from backend.demo.assessments import demo_history
    with demo.app_context():
        residents = Resident.query.filter_by(unit_id=world.unit1).order_by(Resident.id).all()
        added = demo_history(db.session, residents, db.session.get(User, world.users[LOGINS.planner1]), TODAY)
        db.session.commit()
        assert {d.resident_id for d in added} <= {r.id for r in residents} and added
        fifth = residents[4].id
    status, board = planner.get(f"/api/care-groups/board?unit_id={world.unit1}")
    assert {k for k, v in board["counts"].items() if v} == set(rules.STATUS_ORDER)
    status, view = planner.get(f"/api/care-groups?resident_id={fifth}")
    assert status == 200 and [d["reason"] for d in view["history"]] == ["planned", "initial"]


def _js_block(name):
    """{code: msgid} of a `(x) => ({code: gettext('...'), ...}` table of frontend/lib/care_group.js."""
    import re
    from pathlib import Path
    text = (Path(__file__).resolve().parents[2] / "frontend" / "lib" / "care_group.js").read_text(encoding="utf-8")
    block = text.split(f"export const {name}", 1)[1].split("}[", 1)[0]
    return {k: v.replace("\\'", "'") for k, v in re.findall(r"(\w+): gettext\('((?:[^'\\]|\\.)*)'\)", block)}


def test_the_printed_card_names_the_group_by_its_definition(app):
    """The card's header line: "Care group: III (constant need … behaviour not controlled)", in the tablet's words."""
    from backend import pdf_card
    with app.test_request_context("/?lang=en"):
        printed = {str(g): pdf_card.group_brief(g) for g in rules.GROUPS}
    assert printed == _js_block("groupBrief")
    assert "behaviour not controlled" in printed["3"] and "intensive care" in printed["4"]


def test_each_ground_has_words_on_the_tablet():
    labels = _js_block("groundLabel")
    assert set(labels) == {code for codes in rules.GROUNDS.values() for code in codes}
    definitions = _js_block("groupDefinition")
    assert set(definitions) == {str(g) for g in rules.GROUPS}
    # 004 Appendix 4: group III is disorientation *or* inability to control one's behaviour
    assert "cannot control his or her behaviour" in definitions["3"] and "(intensive care)" in definitions["4"]
