"""The family view (issue 5 §3): a relative sees a linked resident's coming week (routine, activities, events), the
home's coming events and recent participation in their own language, and answers the satisfaction questionnaire;
they reach no medical field and no other resident. The walk over every API route is generic (every route the app
declares, whoever added it), so a route added later is checked too."""
import re
import uuid
from datetime import date, timedelta

import pytest

from backend.api.family_schemas import FamilyOverviewSchema, FamilySurveyOutSchema, FamilySurveySchema
from backend.api.registry import PUBLIC, ROUTES
from backend.extensions import db
from backend.models import (
    Activity,
    ActivitySession,
    CareCard,
    Entry,
    ProgrammeItem,
    Resident,
    SessionChange,
    SurveyResponse,
    User,
)

from .conftest import DAY
from .test_audit_chain import events
from .test_family import NEVER, assert_allow_listed
from .. import factories
from ..conftest import LOGINS

TODAY = date.fromisoformat(DAY)
#: Key names that would carry care documentation; none may appear anywhere in a relative's reply.
MEDICAL = NEVER | {"vitals", "assessment", "assessments", "score", "condition", "category", "goal", "item_id",
                   "care_card", "card", "plan", "diagnosis", "reason", "direction", "staff_id", "author_id",
                   "birth_date", "needs_reassessment", "signature", "subscores", "answers"}
#: Words of the fixture's medical or private content: none may appear anywhere in a relative's reply.
SECRETS = ("ЛФК", "Exercise therapy", "Вакцинация", "Vaccination", "knee pain", "одышка", "Перевязка голени",
           "Unit two only")


def _t(ru, zh, en):
    return {"ru": ru, "zh_Hans": zh, "en": en}


def _entry(resident, author_id, day, status, values, note=None, supersedes=None, n=[0]):  # noqa: B006 (a counter)
    n[0] += 1
    return Entry(id=str(uuid.uuid4()), seq=10_000_000 + n[0], kind="attendance", resident_id=resident.id,
                 unit_id=resident.unit_id, day=day, status=status, values=values, note=note, supersedes=supersedes,
                 author_id=author_id, device_id="act-tab", client_seq=n[0], device_time=f"{day}T12:00:00+07:00",
                 received_at=TODAY, payload_hash="0" * 64)


@pytest.fixture
def milieu(demo, world):
    """A small catalogue and timetable around the clock's day (a Wednesday), a programme and attendance for the
    demo relative's resident, with medical and private things the family view must leave out."""
    with demo.app_context():
        r1 = db.session.get(Resident, world.r1)
        home_id = r1.unit.home_id
        staff = User.query.filter_by(username=LOGINS.activities1).one().id
        art = Activity(home_id=home_id, name=_t("Живопись", "绘画", "Painting"), direction="cultural_leisure",
                       mode="active", format="group", place="Зал")
        physio = Activity(home_id=home_id, name=_t("ЛФК", "体疗", "Exercise therapy"), direction="medical",
                          mode="active", format="group", place="Кабинет ЛФК")
        concert = Activity(home_id=home_id, name=_t("Концерт", "音乐会", "Concert"), direction="cultural_leisure",
                           mode="passive", format="group", place="Большой зал")
        db.session.add_all([art, physio, concert])
        db.session.flush()
        weekly_art = ActivitySession(home_id=home_id, activity_id=art.id, kind="weekly", weekday=4, start_time="11:00",
                                     duration_minutes=60)
        weekly_physio = ActivitySession(home_id=home_id, activity_id=physio.id, kind="weekly", weekday=3,
                                        start_time="10:00", duration_minutes=30)
        autumn = ActivitySession(home_id=home_id, activity_id=concert.id, kind="event",
                                 on_date=TODAY + timedelta(days=3), start_time="16:30", duration_minutes=90,
                                 title=_t("Осенний концерт", "秋季音乐会", "Autumn concert"))
        unit2_only = ActivitySession(home_id=home_id, activity_id=concert.id, kind="event", unit_id=world.unit2,
                                     on_date=TODAY + timedelta(days=2), start_time="15:00",
                                     title=_t("Unit two only", "Unit two only", "Unit two only"))
        vaccination = ActivitySession(home_id=home_id, activity_id=physio.id, kind="event",
                                      on_date=TODAY + timedelta(days=4), start_time="09:00",
                                      title=_t("Вакцинация", "疫苗接种", "Vaccination"))
        tea = ActivitySession(home_id=home_id, activity_id=concert.id, kind="event", on_date=TODAY - timedelta(days=3),
                              start_time="16:00", title=_t("Чаепитие", "茶会", "Tea party"))
        db.session.add_all([weekly_art, weekly_physio, autumn, unit2_only, vaccination, tea])
        db.session.flush()
        db.session.add(SessionChange(session_id=weekly_art.id, on_date=TODAY + timedelta(days=1), start_time="11:30",
                                     note="В зале второго этажа", changed_by=staff, changed_at=TODAY))
        for activity, goal in ((art, "Общение"), (physio, "Less knee pain")):
            db.session.add(ProgrammeItem(resident_id=r1.id, activity_id=activity.id, goal=goal, created_by=staff,
                                         created_at=TODAY))
        wrong = _entry(r1, staff, TODAY - timedelta(days=2), "active", {"session_id": None, "activity_id": art.id,
                                                                        "minutes": 30})
        # a care item of her card: the care documentation a relative never sees
        factories.make_item(db.session.get(CareCard, world.cards[world.r1]["id"]), title="Перевязка голени",
                             times=("10:00",))
        db.session.add_all([
            _entry(r1, staff, TODAY - timedelta(days=6), "active", {"session_id": weekly_art.id, "activity_id": art.id,
                                                                    "minutes": 45}, note="одышка после занятия"),
            _entry(r1, staff, TODAY - timedelta(days=1), "active", {"session_id": None, "activity_id": physio.id,
                                                                    "minutes": 20}),
            _entry(r1, staff, TODAY - timedelta(days=3), "passive", {"session_id": tea.id, "activity_id": concert.id,
                                                                     "minutes": None}),
            _entry(r1, staff, TODAY - timedelta(days=13), "refused", {"session_id": None, "activity_id": art.id,
                                                                      "minutes": None}),
            _entry(r1, staff, TODAY - timedelta(days=20), "active", {"session_id": None, "activity_id": art.id,
                                                                     "minutes": None}),
            wrong])
        db.session.flush()
        db.session.add(_entry(r1, staff, TODAY - timedelta(days=2), "absent", {"session_id": None,
                                                                               "activity_id": art.id, "minutes": None},
                              supersedes=wrong.id))
        db.session.commit()
        db.session.remove()
    return world


@pytest.fixture
def relative(world, make_api):
    client = make_api()
    me = client.login(LOGINS.relative1)
    return client, me


def walk(value, path=""):
    """(path, key, value) of every key, all the way down."""
    if isinstance(value, dict):
        for key, inner in value.items():
            yield path, key, inner
            yield from walk(inner, f"{path}.{key}")
    elif isinstance(value, list):
        for i, inner in enumerate(value):
            yield from walk(inner, f"{path}[{i}]")


def assert_nothing_medical(reply):
    for where, key, _value in walk(reply):
        assert key not in MEDICAL, (where, key)
    text = str(reply)
    for word in SECRETS:
        assert word not in text, word


# --- the overview --------------------------------------------------------------------------------

def test_the_coming_week_events_and_participation_in_the_relatives_language(demo, milieu, relative):
    client, _me = relative
    assert client.patch("/api/auth/me", {"locale": "zh_Hans"})[0] == 200
    status, body = client.get(f"/api/family/residents/{milieu.r1}/overview")
    assert status == 200, body
    assert_allow_listed(body, FamilyOverviewSchema())
    assert_nothing_medical(body)
    assert body["today"] == DAY and body["language"] == "zh_Hans" and body["resident"]["id"] == milieu.r1
    assert [d["date"] for d in body["days"]] == [(TODAY + timedelta(days=i)).isoformat() for i in range(8)]
    today = body["days"][0]["rows"]
    assert {r["kind"] for r in today} == {"routine"}  # Wednesday: only the physiotherapy, which is medical
    assert [r["title"] for r in today][:2] == ["起床、晨间洗漱", "早餐"]
    thursday = [r for r in body["days"][1]["rows"] if r["kind"] != "routine"]
    assert thursday == [{"time": "11:30", "end": "12:30", "kind": "activity", "title": "绘画", "place": "Зал",
                         "cancelled": False, "changed": True, "original_time": "11:00",
                         "note": "В зале второго этажа"}]
    saturday = [r for r in body["days"][3]["rows"] if r["kind"] != "routine"]
    assert [(r["kind"], r["title"], r["time"]) for r in saturday] == [("event", "秋季音乐会", "16:30")]
    assert [(e["date"], e["title"]) for e in body["events"]] == [((TODAY + timedelta(days=3)).isoformat(), "秋季音乐会")]
    assert body["participation"] == [
        {"date": (TODAY - timedelta(days=3)).isoformat(), "title": "茶会", "engagement": "passive", "minutes": None},
        {"date": (TODAY - timedelta(days=6)).isoformat(), "title": "绘画", "engagement": "active", "minutes": 45}]
    [read] = [e for e in events(demo, action="read") if e["detail"].get("view") == "family_overview"]
    assert read["object_id"] == str(milieu.r1)


@pytest.mark.parametrize("lang,title", [("ru", "Живопись"), ("en", "Painting")])
def test_titles_follow_the_relatives_language(demo, milieu, relative, lang, title):
    client, _me = relative
    client.patch("/api/auth/me", {"locale": lang})
    body = client.get(f"/api/family/residents/{milieu.r1}/overview")[1]
    assert [r["title"] for r in body["days"][1]["rows"] if r["kind"] == "activity"] == [title]


def test_a_missing_language_falls_back(demo, milieu, relative):
    with demo.app_context():
        art = Activity.query.filter(Activity.place == "Зал").one()
        art.name = {"ru": "Живопись", "zh_Hans": "", "en": "Painting"}
        db.session.commit()
        db.session.remove()
    client, _me = relative
    client.patch("/api/auth/me", {"locale": "zh_Hans"})
    body = client.get(f"/api/family/residents/{milieu.r1}/overview")[1]
    assert [r["title"] for r in body["days"][1]["rows"] if r["kind"] == "activity"] == ["Painting"]


def test_other_residents_answer_like_missing_ones(demo, milieu, relative):
    client, _me = relative
    missing = client.get("/api/family/residents/999999/overview")
    assert missing[0] == 404 and missing[1]["error"] == "not_found"
    for rid in (milieu.r2, milieu.residents[milieu.unit1][1], 2**31, "abc", f"0{milieu.r1}", -milieu.r1):
        assert client.get(f"/api/family/residents/{rid}/overview") == missing, rid
    status, body = client.post("/api/family/surveys", {"form_id": "satisfaction_relative", "resident_id": milieu.r2,
                                                       "answers": {}})
    assert (status, body) == missing


# --- the questionnaire ---------------------------------------------------------------------------

ANSWERS = {"living": "satisfied", "care": "satisfied", "food": "partly", "activities": "satisfied",
           "staff": "satisfied", "safety": "satisfied", "information": "partly", "overall": "satisfied",
           "comment": "Спасибо за концерты"}


def test_the_questionnaire_is_stored_and_scored_by_the_server(demo, world, relative, clock):
    client, me = relative
    status, listed = client.get("/api/family/surveys")
    assert status == 200 and listed == [{"form_id": "satisfaction_relative", "resident_id": world.r1,
                                         "period": "2026-11", "answered_at": None, "last_answered_at": None}]
    assert_allow_listed(listed, FamilySurveySchema())
    status, body = client.post("/api/family/surveys", {"form_id": "satisfaction_relative", "resident_id": world.r1,
                                                       "answers": {"living": "great", "care": "satisfied"}})
    assert status == 400 and body["error"] == "validation_error"
    assert body["fields"]["answers.living"] == "not one of the choices"
    assert body["fields"]["answers.food"] == "an answer is required"
    status, body = client.post("/api/family/surveys", {"form_id": "mmse", "resident_id": world.r1, "answers": {}})
    assert status == 400 and set(body["fields"]) == {"form_id"}
    status, body = client.post("/api/family/surveys", {"form_id": "satisfaction_relative", "resident_id": world.r1,
                                                       "answers": ANSWERS})
    assert status == 201, body
    assert_allow_listed(body, FamilySurveyOutSchema())
    assert (body["points"], body["band"]) == (14, "satisfied")
    with demo.app_context():
        [stored] = SurveyResponse.query.all()
        assert (stored.respondent_id, stored.resident_id, stored.form_id) == (me["id"], world.r1,
                                                                            "satisfaction_relative")
        assert stored.answers == ANSWERS and stored.score["total"] == 14 and stored.score["band"] == "satisfied"
        assert stored.home_id == db.session.get(Resident, world.r1).unit.home_id
        db.session.remove()
    listed = client.get("/api/family/surveys")[1]
    assert listed[0]["answered_at"] and listed[0]["answered_at"] == listed[0]["last_answered_at"]
    assert events(demo, action="survey_submit")[0]["detail"] == {"form_id": "satisfaction_relative",
                                                                 "resident_id": world.r1}
    clock.set("2026-12-02T10:00:00+07:00")  # next month: a new period
    client = relative[0].__class__(relative[0].client.application.test_client())
    client.login(LOGINS.relative1)
    listed = client.get("/api/family/surveys")[1]
    assert listed[0]["period"] == "2026-12" and listed[0]["answered_at"] is None and listed[0]["last_answered_at"]


# --- every route, as a relative ------------------------------------------------------------------

def _path(rule, world):
    def fill(match):
        converter, name = match.group(1), match.group(2)
        if "resident" in name:
            return str(world.r1)
        if converter == "int":
            return "1"
        return DAY if name == "day" else "1"
    return re.sub(r"<(?:(\w+):)?(\w+)>", fill, rule)


def test_a_relative_reaches_nothing_but_their_account_and_the_family_view(demo, milieu, relative):
    """Every declared route, with the relative's session and the ids of their own resident: refused (401/403/404)
    unless it is the relative's own account, the family view or a public route; what they do reach carries no
    medical key or content."""
    client, _me = relative
    reached = []
    for spec in sorted(ROUTES, key=lambda s: s.rule == "/api/auth/logout"):
        path = _path(spec.rule, milieu)
        query = f"?resident_id={milieu.r1}&unit_id={milieu.unit1}&post_id={milieu.post1}&day={DAY}"
        for method in spec.methods:
            status, body = client.call(method, path + query, json={} if method != "GET" else None)
            mine = spec.rule.startswith(("/api/family/", "/api/auth/")) or spec.roles is PUBLIC
            if not mine:
                assert status in (401, 403, 404), (method, spec.rule, status, body)
                assert status == 403 or spec.roles is PUBLIC, (method, spec.rule, status)
            else:
                assert status < 500, (method, spec.rule, status, body)
            if status < 300 and spec.rule != "/api/openapi.json":
                reached.append(spec.rule)
                if spec.rule.startswith("/api/auth/"):  # their own account (pinned in test_family.py)
                    assert not any(word in str(body) for word in SECRETS)
                else:
                    assert_nothing_medical(body)
    assert {"/api/family/residents", "/api/family/residents/<resident_id>",
            "/api/family/residents/<resident_id>/overview", "/api/family/surveys"} <= set(reached)
