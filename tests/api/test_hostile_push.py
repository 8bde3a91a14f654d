"""Issue 14: hostile values pushed beside honest entries, driven by Hypothesis. Whatever one entry holds -- lone
surrogates, NUL, text at and over its column's length, NaN, Infinity, huge integers, deep nesting, every spelling
of a UUID, days and clocks at year 1 and 9999, empty and enormous arrays -- the server never answers 5xx; a batch is
either refused whole, with nothing of it stored, or answered entry by entry, and exactly the entries the reply
calls accepted are stored; every pull of the post is JSON a strict parser takes (no bare NaN); the day views answer
200. Runs on SQLite and, with TEST_DATABASE_URL, on PostgreSQL."""
import json
import uuid

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from backend.extensions import db
from backend.models import Entry

from ..conftest import LOGINS, CSRF
from .conftest import DAY, tick

_NESTED = {"a": None}
for _ in range(200):
    _NESTED = {"a": _NESTED}

TEXT = st.sampled_from(["\ud800", "a\udfffb", "x\x00y", "s" * 16, "s" * 17, "s" * 64, "s" * 65, "n" * 2000,
                        "n" * 2001, "", " ", "🙂", "\u202e", "<script>"])
NUMBER = st.sampled_from([float("nan"), float("inf"), float("-inf"), 10 ** 400, -2 ** 63, 2 ** 53, 2 ** 53 - 1,
                          1e308, -0.0, 0, True])
WEIRD = st.one_of(TEXT, NUMBER, st.sampled_from([None, [], [1] * 10_000, {}, {str(i): i for i in range(200)},
                                                 _NESTED, [[[[[[]]]]]]]))
DAYS = st.sampled_from(["0001-01-01", "9999-12-31", "2026-02-30", "1880-01-01", DAY, "2026-11-24", "x"])
CLOCKS = st.sampled_from(["0001-01-01T00:00:00+00:00", "9999-12-31T23:59:59+14:00", "2026-11-25T07:35:00",
                          "2026-11-25T07:35:00+07:00", "not a time", "2026-11-25T07:35:00+99:00"])


def spellings(eid):
    return st.sampled_from([eid.upper(), eid.replace("-", ""), "{" + eid + "}", "urn:uuid:" + eid, eid[:-1],
                            eid + "0", "not-a-uuid"])


@st.composite
def hostile_entry(draw, world):
    e = tick(world, note="ok", kind="note", item_id=None, slot=None, status=None)
    field = draw(st.sampled_from(["note", "status", "reason", "category", "slot", "values", "values.key",
                                  "values.pulse", "device_id", "device_time", "day", "id", "supersedes",
                                  "resident_id", "author_id", "client_seq", "item_id", "kind", "extra"]))
    if field == "id":
        e["id"] = draw(spellings(e["id"]))
    elif field == "supersedes":
        e["supersedes"] = draw(st.one_of(spellings(str(uuid.uuid4())), WEIRD))
    elif field == "day":
        e["day"] = draw(DAYS)
    elif field == "device_time":
        e["device_time"] = draw(st.one_of(CLOCKS, WEIRD))
    elif field == "values.key":
        e["values"] = {draw(TEXT): 1}
    elif field == "values.pulse":
        e.update(kind="vitals", note=None, values={"pulse": draw(st.one_of(NUMBER, WEIRD))})
    elif field in ("resident_id", "author_id", "client_seq", "item_id"):
        e[field] = draw(st.one_of(NUMBER, WEIRD))
    elif field == "extra":
        e[draw(TEXT)] = draw(WEIRD)
    else:
        e[field] = draw(WEIRD)
    return e


def _strict(text):
    def refuse(constant):
        raise ValueError(f"not JSON: {constant}")
    return json.loads(text, parse_constant=refuse)


def _sign(api, entries):
    for e in entries:
        try:
            api.keyring.sign([e])
        except Exception:  # a value the signing text cannot hold: sent unsigned (bad_signature, or refused first)
            e.pop("sig", None)
            e.pop("key_id", None)


def _stored(app, ids):
    with app.app_context():
        found = {e.id for e in Entry.query.filter(Entry.id.in_([i for i in ids if isinstance(i, str)]))}
        db.session.remove()
    return found


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                  HealthCheck.too_slow, HealthCheck.data_too_large])
@given(data=st.data())
def test_hostile_values_never_take_the_honest_entries_or_the_views_down(demo, world, api, make_api, data):
    if api.get("/api/auth/me")[0] != 200:
        api.login(LOGINS.nurse1)
    honest = [tick(world, note="first", kind="note", item_id=None, slot=None, status=None), tick(world)]
    bad = data.draw(hostile_entry(world))
    batch = [honest[0], bad, honest[1]]
    _sign(api, batch)
    body = json.dumps({"device_id": "tab-1", "post_id": world.post1, "entries": batch}, allow_nan=True)
    response = api.client.post("/api/sync/push", data=body, content_type="application/json", headers=dict(CSRF))
    assert response.status_code < 500, response.data[:500]
    ids = [e["id"] for e in honest] + [bad.get("id")]
    if response.status_code != 200:  # refused whole at the boundary: nothing of it stored, the field named
        assert response.status_code in (400, 413), response.data[:500]
        assert _strict(response.get_data(as_text=True))["fields"]
        assert _stored(demo, ids) == set()
    else:
        reply = _strict(response.get_data(as_text=True))
        assert [r["status"] for r in (reply["results"][0], reply["results"][2])] == ["accepted", "accepted"]
        accepted = {r["id"] for r in reply["results"] if r["status"] == "accepted"}
        assert _stored(demo, ids) == accepted
    page = api.client.get(f"/api/sync/pull?post_id={world.post1}&cursor=0", headers=dict(CSRF))
    assert page.status_code == 200 and _strict(page.get_data(as_text=True))["cursor"] >= 0
    # what the supervisor reads of the day, and of the month, still opens
    supervisor = make_api()
    supervisor.login(LOGINS.supervisor1, device_id="office")
    days = {DAY} | ({bad["day"]} if bad.get("day") in ("1880-01-01", "2026-11-24") else set())
    for day in days:
        view = supervisor.client.get(f"/api/units/{world.unit1}/days/{day}", headers=dict(CSRF))
        assert view.status_code == 200, (day, view.data[:300])
        _strict(view.get_data(as_text=True))
    month = supervisor.client.get("/api/monitoring/month?month=2026-11", headers=dict(CSRF))
    assert month.status_code == 200, month.data[:300]


# --- every operation of the OpenAPI document ---------------------------------------------------------------------

HOSTILE_RAW = ['"\\ud800"', '"a\\u0000b"', '"' + "x" * 10_000 + '"', "NaN", "-Infinity", "1" * 401, "1e400",
               "[" * 300 + "]" * 300, '"9999-12-31"', '"0001-01-01"', "[" + ",".join(["1"] * 5000) + "]", "{}", "null"]


def _operations(app, world, entry_id):
    spec = app.test_client().get("/api/openapi.json").get_json()
    schemas = spec.get("components", {}).get("schemas", {})
    real = {"card_id": world.cards[world.r1]["id"], "item_id": world.toilet, "unit_id": world.unit1, "day": DAY,
            "entry_id": entry_id, "resident_id": world.r1, "post_id": world.post1, "user_id": world.nurse2,
            "device_id": "tab-1", "room_id": 1, "kind": "staff", "invitation_id": 1, "activity_id": 1}
    out = []
    for path, methods in spec["paths"].items():
        for method, op in methods.items():
            body = op.get("requestBody", {}).get("content", {}).get("application/json", {}).get("schema")
            if body is None or (method, path) == ("post", "/api/auth/logout"):
                continue
            if "$ref" in body:
                body = schemas[body["$ref"].rsplit("/", 1)[1]]
            url = path
            for name in [p["name"] for p in op.get("parameters", []) if p.get("in") == "path"]:
                url = url.replace("{" + name + "}", str(real.get(name, 1)))
            for prop in sorted(body.get("properties", {})) or ["_"]:
                out.append((method.upper(), url, prop))
    return out


@settings(max_examples=400, deadline=None, derandomize=True, database=None,
          suppress_health_check=list(HealthCheck))
@given(data=st.data())
def test_no_operation_answers_5xx_to_a_hostile_field(demo, world, make_api, app, data):
    """Every operation with a JSON body, every field of it, a hostile value in raw JSON (NaN and huge numbers
    cannot be written by a well-behaved client), as a supervisor, a planner or an administrator."""
    if not hasattr(world, "hostile_clients"):
        world.hostile_clients = {}
        for username in (LOGINS.supervisor1, LOGINS.planner1, LOGINS.admin1):
            client = make_api()
            client.login(username, device_id=f"dev-{username}")
            world.hostile_clients[username] = client
        world.hostile_ops = _operations(app, world, str(uuid.uuid4()))
        assert len(world.hostile_ops) > 50
    method, url, prop = data.draw(st.sampled_from(world.hostile_ops))
    value = data.draw(st.sampled_from(HOSTILE_RAW))
    client = world.hostile_clients[data.draw(st.sampled_from(sorted(world.hostile_clients)))]
    body = "{" + json.dumps(prop) + ": " + value + "}"
    response = client.client.open(url, method=method, data=body, content_type="application/json",
                                  headers=dict(CSRF))
    assert response.status_code < 500, (method, url, prop, value[:40], response.data[:300])
    if response.status_code >= 400:
        _strict(response.get_data(as_text=True))
