"""The family API (issue 3): a relative sees only the residents linked to their account, only through fields on an
explicit allow-list, and any other resident's id answers exactly like an id that does not exist."""
import pytest
from marshmallow import fields as ma_fields

from backend.api.family_schemas import FamilyHomeVisitsSchema
from backend.api.registry import ROUTES
from backend.api.schemas import FAMILY_RESIDENT_FIELDS, FamilyResidentSchema
from backend.domain import places
from backend.extensions import db
from backend.models import DutyPost, Home, RelativeLink, Resident, Unit, User

from .conftest import DAY
from .test_audit_chain import events, verify
from ..conftest import LOGINS

STAFF = (LOGINS.nurse1, LOGINS.supervisor1, LOGINS.planner1, LOGINS.activities1, LOGINS.admin1)
#: What a relative's own /api/auth/me (and sign-in) reply carries: UserSchema, about the relative's own account
#: only (their name, role and what it allows (`can`), language, home and its time zone; `unit_ids` is empty for a
#: relative). Nothing in it is about a resident, so it needs no allow-list of its own; this set pins it so a field
#: added to UserSchema later is a decision for relatives too, not a silent leak. (home_kind: her home is a care
#: home or a community home -- about the home, not a person.)
RELATIVE_ACCOUNT_FIELDS = {"id", "username", "full_name", "role", "roles", "unit_ids", "home_id", "locale",
                           "timezone", "home_name", "home_kind", "must_change_password", "can"}
#: Never in a relative's reply, whatever the allow-list grows into.
NEVER = {"care_group", "birth_date", "needs_reassessment", "room", "bed", "cards", "items", "entries", "values",
         "post_id", "unit_id", "seq", "active"}
#: Never in a relative's reply about a person at home (issue 18: location is sensitive personal information):
#: where she lives or was visited, her door's code, notes, reasons, carers, flags, vitals.
HOME_NEVER = {"lat", "lon", "accuracy_m", "radius_m", "presence", "presence_reason", "fix", "code", "code_hash",
              "home_code", "home_code_hash", "home_code_salt", "salt", "note", "notes", "reason", "cancel_reason",
              "flags", "vitals", "carers", "carer_id", "author_id", "key_id", "address", "phone", "steps", "label",
              "device", "item_ids", "missing", "confirmed_by", "duration_reason"}


def allow_list(schema):
    """The explicit allow-list of a family schema (its Meta.fields); fails for a schema that has none."""
    listed = schema.opts.fields
    assert listed, f"{type(schema).__name__} has no explicit allow-list (Meta.fields)"
    return set(listed)


def assert_allow_listed(value, schema):
    """The JSON keys equal the schema's allow-list, and so on down every nested object and list."""
    if isinstance(value, list):
        for element in value:
            assert_allow_listed(element, schema)
        return
    assert isinstance(value, dict), value
    assert set(value) == allow_list(schema), (type(schema).__name__, sorted(value))
    assert not set(value) & NEVER
    for name, field in schema.fields.items():
        inner = field.inner if isinstance(field, ma_fields.List) else field
        if isinstance(inner, ma_fields.Nested) and value.get(name) is not None:
            assert_allow_listed(value[name], inner.schema)
        elif isinstance(field, ma_fields.List) and value.get(name) is not None:  # a list of plain values (names)
            assert isinstance(value[name], list), name
            assert not any(isinstance(v, (dict, list)) for v in value[name]), f"{name}: plain values only"
        else:
            assert not isinstance(value[name], (dict, list)), f"{name}: a nested value needs a nested schema"


def schema_keys(schema, seen=None):
    """Every key a schema may write, all the way down its nested schemas."""
    keys = set(allow_list(schema))
    for field in schema.fields.values():
        inner = field.inner if isinstance(field, ma_fields.List) else field
        if isinstance(inner, ma_fields.Nested):
            keys |= schema_keys(inner.schema)
    return keys


def family_routes():
    return [spec for spec in ROUTES if spec.rule.startswith("/api/family/")]


@pytest.fixture
def relative(world, make_api):
    client = make_api()
    me = client.login(LOGINS.relative1)
    return client, me


def linked_ids(app, user_id):
    with app.app_context():
        found = sorted(r for (r,) in db.session.query(RelativeLink.resident_id).filter_by(user_id=user_id))
        db.session.remove()
    return found


def link(app, user_id, resident_id):
    with app.app_context():
        db.session.add(RelativeLink(user_id=user_id, resident_id=resident_id))
        db.session.commit()
        db.session.remove()


# --- the allow-list ------------------------------------------------------------------------------

def test_the_schema_declares_exactly_the_allow_list():
    assert set(FamilyResidentSchema().fields) == set(FAMILY_RESIDENT_FIELDS)
    assert set(FamilyResidentSchema._declared_fields) == set(FAMILY_RESIDENT_FIELDS)  # nothing declared, then hidden
    assert not set(FAMILY_RESIDENT_FIELDS) & NEVER


def test_every_family_route_replies_through_an_allow_listed_schema():
    routes = family_routes()
    assert {(s.rule, s.methods) for s in routes} >= {("/api/family/residents", ("GET",)),
                                                      ("/api/family/residents/<resident_id>", ("GET",)),
                                                      ("/api/family/residents/<resident_id>/visits", ("GET",))}
    for spec in routes:
        assert spec.roles == ("relative",), spec
        assert spec.response is not None, spec
        allow_list(spec.response())
        assert not schema_keys(spec.response()) & NEVER, spec.rule


def test_a_person_at_homes_visits_are_allow_listed_down_to_each_key():
    """The visits reply can write no location, code, note, reason, carer, flag or vitals key, at any depth (the
    replies themselves are walked in test_family_visits.py)."""
    assert not schema_keys(FamilyHomeVisitsSchema()) & (NEVER | HOME_NEVER)
    assert schema_keys(FamilyHomeVisitsSchema()) == {
        "at_home", "today", "generated_at", "language", "today_visits", "coming_visits", "recent_visits", "alarms",
        "date", "time", "end", "services", "status", "status_at", "verified",  # a visit
        "kind", "raised_at", "open", "closed_at", "outcome", "false_alarm"}  # an alarm


def test_a_relative_sees_their_resident_through_the_allow_list_only(demo, world, relative):
    client, me = relative
    assert linked_ids(demo, me["id"]) == [world.r1]  # the demo links relative1 to unit 1's first resident
    status, listed = client.get("/api/family/residents")
    assert status == 200 and [r["id"] for r in listed] == [world.r1]
    assert_allow_listed(listed, FamilyResidentSchema())
    status, one = client.get(f"/api/family/residents/{world.r1}")
    assert status == 200 and one == listed[0]
    assert_allow_listed(one, FamilyResidentSchema())
    with demo.app_context():
        resident = db.session.get(Resident, world.r1)
        # the unit in her language (English here: she chose none, her browser asks for none), else as entered
        assert one == {"id": resident.id, "full_name": resident.full_name,
                       "unit_name": places.name_in(resident.unit, "en"), "home_name": resident.unit.home.name}
        db.session.remove()


def test_the_relatives_own_account_reply_leaks_nothing(demo, relative):
    client, me = relative
    status, body = client.get("/api/auth/me")
    assert status == 200 and set(body) == RELATIVE_ACCOUNT_FIELDS
    assert body["roles"] == ["relative"] and body["unit_ids"] == [] and body["can"] == ["see_family"]
    # the sign-in reply is the same account, plus what the signing-in device itself needs (not about a resident)
    assert set(me) >= RELATIVE_ACCOUNT_FIELDS and {k: me[k] for k in RELATIVE_ACCOUNT_FIELDS} == body
    assert not (set(body) | set(me)) & NEVER


def test_several_linked_residents_are_listed_by_name(demo, world, relative):
    client, me = relative
    link(demo, me["id"], world.r2)  # a second resident, in the other unit
    status, listed = client.get("/api/family/residents")
    assert status == 200 and sorted(r["id"] for r in listed) == sorted([world.r1, world.r2])
    assert [r["full_name"] for r in listed] == sorted(r["full_name"] for r in listed)
    assert_allow_listed(listed, FamilyResidentSchema())
    assert client.get(f"/api/family/residents/{world.r2}")[0] == 200


# --- any other resident is not found -------------------------------------------------------------

def test_any_resident_not_linked_answers_like_a_missing_one(demo, world, relative):
    client, _ = relative
    missing = client.get("/api/family/residents/999999")
    assert missing[0] == 404 and missing[1]["error"] == "not_found"
    others = {"other unit": world.r2, "same unit, not linked": world.residents[world.unit1][1],
              "huge": 99999999999999, "past the column": 2**31, "not a number": "abc", "leading zero": f"0{world.r1}",
              "negative": -world.r1}
    for case, rid in others.items():
        assert client.get(f"/api/family/residents/{rid}") == missing, case


def test_a_link_to_a_resident_who_left_or_lives_in_another_home_is_not_followed(demo, world, relative):
    client, me = relative
    with demo.app_context():
        home = Home(name="Another home", timezone="Europe/Moscow")
        db.session.add(home)
        db.session.flush()
        unit = Unit(home_id=home.id, name="Elsewhere")
        db.session.add(unit)
        db.session.flush()
        post = DutyPost(unit_id=unit.id, name="P")
        db.session.add(post)
        db.session.flush()
        elsewhere = Resident(unit_id=unit.id, post_id=post.id, full_name="Someone Else")
        db.session.add(elsewhere)
        db.session.flush()
        db.session.add(RelativeLink(user_id=me["id"], resident_id=elsewhere.id))
        db.session.get(Resident, world.r1).active = False
        db.session.commit()
        elsewhere_id = elsewhere.id
        db.session.remove()
    missing = client.get("/api/family/residents/999999")
    assert client.get("/api/family/residents") == (200, [])
    assert client.get(f"/api/family/residents/{elsewhere_id}") == missing
    assert client.get(f"/api/family/residents/{world.r1}") == missing


def test_another_relative_sees_only_their_own(demo, world, make_api):
    with demo.app_context():
        first = User.query.filter_by(username=LOGINS.relative1).one()
        db.session.add(User(username="relative2", password_hash=first.password_hash, full_name="Пётр Смирнов",
                            role="relative", home_id=first.home_id))
        db.session.flush()
        second = User.query.filter_by(username="relative2").one()
        db.session.add(RelativeLink(user_id=second.id, resident_id=world.residents[world.unit1][1]))
        db.session.commit()
        db.session.remove()
    client = make_api()
    client.login("relative2")
    status, listed = client.get("/api/family/residents")
    assert status == 200 and [r["id"] for r in listed] == [world.residents[world.unit1][1]]
    assert client.get(f"/api/family/residents/{world.r1}") == client.get("/api/family/residents/999999")


# --- roles ---------------------------------------------------------------------------------------

@pytest.mark.parametrize("username", STAFF)
def test_staff_roles_may_not_call_the_family_api(demo, world, make_api, username):
    client = make_api()
    client.login(username)
    for path in ("/api/family/residents", f"/api/family/residents/{world.r1}"):
        status, body = client.get(path)
        assert (status, body["error"]) == (403, "forbidden"), (username, path)


def test_anonymous_may_not_call_the_family_api(demo, world, make_api):
    client = make_api()
    for path in ("/api/family/residents", f"/api/family/residents/{world.r1}"):
        assert client.get(path)[0] == 401


def test_a_relative_may_not_call_staff_routes_even_for_their_own_resident(demo, world, relative):
    client, _ = relative
    card = world.cards[world.r1]["id"]
    for path in (f"/api/residents?unit_id={world.unit1}", f"/api/cards?resident_id={world.r1}", f"/api/cards/{card}",
                 f"/api/sync/pull?post_id={world.post1}", f"/api/units/{world.unit1}/days/{DAY}", "/api/posts",
                 "/api/units"):
        status, body = client.get(path)
        assert (status, body["error"]) == (403, "forbidden"), path
    assert client.post(f"/api/units/{world.unit1}/days/{DAY}/confirm", {})[0] == 403
    assert client.post("/api/sync/push", {"device_id": "x", "entries": []})[0] == 403


# --- audit and the document ----------------------------------------------------------------------

def test_reads_and_refusals_are_audited(demo, world, relative):
    client, me = relative
    client.get("/api/family/residents", headers={"X-Device-Id": "phone-1"})
    client.get(f"/api/family/residents/{world.r1}")
    client.get(f"/api/family/residents/{world.r2}")
    reads = events(demo, action="read")
    assert [(e["actor_id"], e["role"], e["object_type"], e["object_id"], e["detail"]) for e in reads] == [
        (me["id"], "relative", "family_residents", str(me["id"]), {"view": "family", "residents": [world.r1]}),
        (me["id"], "relative", "resident", str(world.r1), {"view": "family"})]
    assert reads[0]["device_id"] == "phone-1"
    [refused] = events(demo, action="refused")
    assert refused["actor_id"] == me["id"] and refused["detail"] == {
        "route": "/api/family/residents/<resident_id>", "method": "GET", "status": 404, "error": "not_found",
        "args": {"resident_id": str(world.r2)}}
    assert verify(demo)[0] == 0


def test_the_openapi_document_has_the_family_api(demo, api):
    status, doc = api.get("/api/openapi.json")
    assert status == 200
    listed = doc["paths"]["/api/family/residents"]["get"]
    one = doc["paths"]["/api/family/residents/{resident_id}"]["get"]
    assert listed["x-roles"] == one["x-roles"] == ["relative"]
    ref = one["responses"]["200"]["content"]["application/json"]["schema"]["$ref"]
    schema = doc["components"]["schemas"][ref.rsplit("/", 1)[1]]
    assert set(schema["properties"]) == set(FAMILY_RESIDENT_FIELDS)
    assert listed["responses"]["200"]["content"]["application/json"]["schema"]["items"]["$ref"] == ref
