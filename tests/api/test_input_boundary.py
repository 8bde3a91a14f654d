"""The one input boundary (backend/api/input_guard.py, strict_json.py): every /api/ request is checked before any
view runs, the same on SQLite and PostgreSQL; what fails is a 400 naming the field (413 for a body too large), never
a 500 and never a row written (docs/security.md, "The input boundary")."""
import json
import pathlib

import pytest
from sqlalchemy import func, select

from backend.api import input_guard, strict_json
from backend.extensions import db
from backend.models import AuditEvent, Device, Entry, LoginAttempt

from .conftest import DAY, tick
from ..conftest import DEMO_PASSWORD, LOGINS

JSON = "application/json"


def send(api, method, path, body, **kwargs):
    """POST raw bytes as JSON (the test client's own encoder would refuse a lone surrogate or write NaN)."""
    data = body if isinstance(body, bytes) else json.dumps(body).encode()
    return api.call(method, path, json=None, data=data, content_type=JSON, **kwargs)


def count(demo, model):
    with demo.app_context():
        return db.session.scalar(select(func.count()).select_from(model))


def refused(reply, *fields):
    status, body = reply
    assert (status, body["error"], set(body["fields"])) == (400, "validation_error", set(fields)), reply
    return body


@pytest.fixture
def nurse(demo, api):
    api.login(LOGINS.nurse1)
    return api


# --- text: lone surrogates (and NUL) anywhere --------------------------------------------------------

def test_lone_surrogates_are_refused_naming_the_field_and_nothing_is_stored(demo, world, nurse):
    before = count(demo, Entry)
    body = refused(send(nurse, "POST", "/api/sync/push", {"device_id": "tab-1", "entries": [
        tick(world), tick(world, slot="20:00", note="ok \ud800")]}), "entries.1.note")
    assert "surrogate" in body["fields"]["entries.1.note"]
    refused(send(nurse, "POST", "/api/sync/push", {"device_id": "tab-1", "entries": [tick(world, id="\udfff")]}),
            "entries.0.id")
    vitals = tick(world, kind="vitals", item_id=None, slot=None, status=None, values={"pulse\udc00": 70})
    refused(send(nurse, "POST", "/api/sync/push", {"device_id": "tab-1", "entries": [vitals]}), "entries.0.values")
    refused(send(nurse, "POST", "/api/sync/push", {"device_id": "tab-\ud83d", "entries": []}), "device_id")
    assert count(demo, Entry) == before
    # a surrogate *pair* is one character (an emoji, as an ASCII-only encoder writes it): accepted
    emoji = tick(world, note="ok \U0001F600")
    nurse.keyring.sign([emoji])
    raw = json.dumps({"device_id": "tab-1", "entries": [emoji]}).encode()
    assert b"\\ud83d\\ude00" in raw
    status, reply = send(nurse, "POST", "/api/sync/push", raw)
    assert (status, [r["status"] for r in reply["results"]]) == (200, ["accepted"])


def test_lone_surrogate_in_a_login_name_and_an_enrolment(demo, api, world):
    refused(send(api, "POST", "/api/auth/login", {"username": LOGINS.nurse1 + "\ud800", "password": DEMO_PASSWORD}),
            "username")
    assert count(demo, LoginAttempt) == 0
    api.login(LOGINS.admin1)
    refused(send(api, "POST", "/api/devices", {"device_id": "tab-9", "name": "Post \ud800",
                                               "post_id": world.post1}), "name")
    refused(send(api, "POST", "/api/devices", {"device_id": "\udbff", "name": "Post", "post_id": world.post1}),
            "device_id")
    with demo.app_context():
        assert db.session.get(Device, "tab-9") is None


def test_nul_in_query_path_and_headers(demo, nurse, make_api, world):
    refused(nurse.get(f"/api/sync/pull?post_id={world.post1}&device_id=tab%00"), "device_id")
    # an encoded surrogate in a query is decoded with replacement characters: never a 500
    assert nurse.get(f"/api/sync/pull?post_id={world.post1}&device_id=%ED%A0%80")[0] != 500
    sup = make_api()
    sup.login(LOGINS.supervisor1)
    refused(sup.post("/api/entries/ab%00cd/amend", {"reason": "typo fixed"}), "entry_id")
    refused(nurse.get("/api/auth/me", headers={"X-Device-Id": "tab\x00"}), "X-Device-Id")


# --- numbers ---------------------------------------------------------------------------------------

@pytest.mark.parametrize("constant", [b"NaN", b"Infinity", b"-Infinity", b"1e400"])
def test_non_finite_numbers_in_values_are_refused(demo, nurse, world, constant):
    before = count(demo, Entry)
    entry = tick(world, kind="vitals", item_id=None, slot=None, status=None, values={"pulse": 70, "temp": 36.6})
    raw = json.dumps({"device_id": "tab-1", "entries": [entry]}).encode().replace(b"36.6", constant)
    body = refused(send(nurse, "POST", "/api/sync/push", raw), "entries.0.values.temp")
    assert "NaN" in body["fields"]["entries.0.values.temp"]
    assert count(demo, Entry) == before


def test_integers_beyond_javascripts_safe_range_are_refused(demo, nurse, world):
    raw = json.dumps({"device_id": "tab-1", "entries": [tick(world, client_seq=424242)]}).encode()
    refused(send(nurse, "POST", "/api/sync/push", raw.replace(b"424242", b"9" * 401)), "entries.0.client_seq")
    refused(send(nurse, "POST", "/api/sync/push", raw.replace(b"424242", str(2**53).encode())),
            "entries.0.client_seq")
    refused(send(nurse, "POST", "/api/sync/push", {"device_id": "tab-1", "entries": [],
                                                    "outbox_len": -(2**53)}), "outbox_len")
    # the largest safe integer passes the boundary; the schema then bounds it to its 32-bit column
    body = refused(send(nurse, "POST", "/api/sync/push", {"device_id": "tab-1", "entries": [],
                                                           "outbox_len": 2**53 - 1}), "outbox_len")
    assert "Whole numbers" not in body["fields"]["outbox_len"]


# --- nesting, malformed JSON ------------------------------------------------------------------------

@pytest.mark.parametrize("path", ["/api/auth/login", "/api/sync/push"])
def test_a_body_nested_500_deep_is_a_400_not_a_recursion_error(demo, nurse, path):
    deep = b'{"username": ' + b"[" * 500 + b"]" * 500 + b"}"
    status, body = send(nurse, "POST", path, deep)
    assert (status, body["error"]) == (400, "validation_error")
    assert "32" in " ".join(body["fields"].values())
    very_deep = b"[" * 100_000 + b"]" * 100_000  # json itself would recurse: caught, still a 400
    assert send(nurse, "POST", path, very_deep)[0] == 400
    # 32 levels are allowed (a push is 4 deep)
    assert strict_json.parse(b"[" * strict_json.MAX_DEPTH + b"]" * strict_json.MAX_DEPTH)


@pytest.mark.parametrize("raw", [b'{"username": "nurse1", ', b'{"username": "\xff"}', b"\xef\xbb\xbf{}",
                                 b'{"username": "a\x01"}'])
def test_malformed_json_is_a_400_in_the_one_error_shape(demo, api, raw):
    status, body = send(api, "POST", "/api/auth/login", raw)
    assert (status, body["error"], list(body["fields"])) == (400, "validation_error", ["_"])
    assert "JSON" in body["fields"]["_"] and body["message"]


def test_an_empty_body_is_still_asked_for_as_an_object(demo, api):
    status, body = send(api, "POST", "/api/auth/login", b"")
    assert (status, body["error"], list(body["fields"])) == (400, "validation_error", ["_"])


# --- size ------------------------------------------------------------------------------------------

class Endless:
    """A request body produced on demand (never 50 MB in memory), counting what the server read of it."""

    def __init__(self, size):
        self.size, self.position, self.read_bytes = size, 0, 0

    def tell(self):
        return self.position

    def seek(self, offset, whence=0):
        self.position = self.size + offset if whence == 2 else offset

    def read(self, n=-1):
        left = self.size - self.position
        n = left if n is None or n < 0 else min(n, left)
        self.position += n
        self.read_bytes += n
        return b" " * n

    def readline(self, *args):
        return self.read(*args)


def test_a_50_mb_body_is_a_413_and_is_not_read(demo, api):
    body = Endless(50 * 1024 * 1024)
    response = api.client.post("/api/auth/login", input_stream=body, content_length=body.size, content_type=JSON,
                               headers={"X-Bedside": "1", "Accept-Language": "ru"})
    assert response.status_code == 413
    reply = response.get_json()
    assert reply["error"] == "request_entity_too_large" and "16" in reply["message"]
    assert body.read_bytes == 0


def test_the_limit_fits_the_largest_honest_bodies(demo, nurse, world):
    """A push of 500 entries with notes of the longest allowed length, in Chinese, and a 2,000,000-character CSV:
    both below the limit, even with every character escaped as \\uXXXX."""
    entries = [tick(world, slot="07:30", note="中" * 2000) for _ in range(500)]
    push_bytes = len(json.dumps({"device_id": "tab-1", "post_id": world.post1, "outbox_len": 0,
                                 "entries": entries}).encode())
    csv_bytes = len(json.dumps({"csv": "中" * 2_000_000, "dry_run": True}).encode())
    assert push_bytes < csv_bytes < input_guard.MAX_BODY_BYTES
    with demo.app_context():
        assert demo.config["MAX_CONTENT_LENGTH"] == input_guard.MAX_BODY_BYTES


# --- text within its column ---------------------------------------------------------------------------

@pytest.mark.parametrize("fields", [{"kind": "note", "item_id": None, "slot": None, "status": "x" * 100,
                                     "note": "ok"},
                                    {"status": "not_done", "reason": "r" * 100},
                                    {"kind": "condition", "item_id": None, "slot": None, "status": None,
                                     "category": "c" * 100, "note": "worse"}])
def test_overlong_entry_text_is_refused_never_a_500(demo, nurse, world, fields):
    status, reply = nurse.post("/api/sync/push", {"device_id": "tab-1", "entries": [tick(world, **fields)]})
    assert status in (200, 400), reply
    if status == 200:
        assert [r["status"] for r in reply["results"]] == ["rejected"]
    assert count(demo, Entry) == 0


def test_an_unknown_70_character_login_name_is_audited_within_its_column(demo, api):
    name = "n" * 70
    status, body = api.post("/api/auth/login", {"username": name, "password": "x"})
    assert (status, body["error"]) == (401, "bad_credentials")
    with demo.app_context():
        row = AuditEvent.query.filter_by(action="login_failed").one()
        assert row.object_id == name[:AuditEvent.object_id.type.length]
        assert LoginAttempt.query.one().username == name
    # lower-casing may lengthen a name past its column: refused before the sign-in writes it
    refused(api.post("/api/auth/login", {"username": "İ" * 60, "password": "x"}), "username")


def test_a_100_character_device_id_header_is_refused_before_it_reaches_an_audit_row(demo, api, world):
    before = count(demo, AuditEvent)
    refused(api.get(f"/api/units/{world.unit1}/days/{DAY}", headers={"X-Device-Id": "d" * 100}), "X-Device-Id")
    refused(api.post("/api/sync/push", {"device_id": "tab-1", "entries": []}, headers={"X-Device-Id": "d" * 100}),
            "X-Device-Id")
    assert count(demo, AuditEvent) == before
    # at the column's length it is an ordinary refused request, audited with its device id
    assert api.get(f"/api/units/{world.unit1}/days/{DAY}", headers={"X-Device-Id": "d" * 64})[0] == 401
    with demo.app_context():
        assert AuditEvent.query.filter_by(action="refused").one().device_id == "d" * 64


def test_an_origin_that_is_not_a_url_is_refused_as_cross_site(demo, api):
    status, body = api.post("/api/auth/login", {"username": LOGINS.nurse1, "password": DEMO_PASSWORD},
                            headers={"Origin": "http://["})
    assert (status, body["error"]) == (403, "csrf")


# --- dates in paths and queries ---------------------------------------------------------------------

def test_days_out_of_the_plausible_range_are_refused_naming_the_day(demo, make_api, world):
    sup = make_api()
    sup.login(LOGINS.supervisor1)
    body = refused(sup.get(f"/api/units/{world.unit1}/days/9999-12-31"), "day")
    assert "1880" in body["fields"]["day"]
    refused(sup.post(f"/api/units/{world.unit1}/days/0001-01-01/confirm", {}), "day")
    assert sup.get(f"/api/units/{world.unit1}/days/not-a-day")[0] == 404
    assert sup.get(f"/api/units/{world.unit1}/days/{DAY}")[0] == 200
    activities = make_api()
    activities.login(LOGINS.activities1)
    refused(activities.get(f"/api/attendance/day?unit_id={world.unit1}&day=9999-12-31"), "day")
    assert activities.get(f"/api/attendance/day?unit_id={world.unit1}&day={DAY}")[0] == 200


def test_views_read_the_boundarys_parse_never_a_second_one():
    """One parse: a view reading request.get_json would accept NaN, endless integers and any depth again."""
    root = pathlib.Path(__file__).resolve().parents[2] / "backend"
    readers = [str(path) for path in root.rglob("*.py") if "get_json(" in path.read_text(encoding="utf-8")]
    assert readers == []
