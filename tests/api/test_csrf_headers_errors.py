"""CSRF defence, security headers on every response, and the one JSON error shape."""
import gzip
import json

import pytest
from sqlalchemy import func, select

from backend.api.registry import ROUTES
from backend.extensions import db
from backend.models import (AuditEvent, CardItem, CareCard, DayConfirmation, Entry, LoginAttempt, Resident,
                            SyncState, User)
from backend.security import CSP

from .conftest import DAY, push, tick
from .test_audit_chain import events, verify
from ..conftest import DEMO_PASSWORD, LOGINS


def raw(api, method, path, **kwargs):
    return api.client.open(path, method=method, **kwargs)


# --- CSRF ----------------------------------------------------------------------------------------

def test_state_change_without_the_custom_header_is_refused(demo, api):
    api.login(LOGINS.nurse1)
    response = raw(api, "POST", "/api/auth/logout", json={})
    assert response.status_code == 403 and response.get_json()["error"] == "csrf"
    assert api.get("/api/auth/me")[0] == 200  # still signed in: the logout did not happen
    response = raw(api, "POST", "/api/auth/login", json={"username": LOGINS.nurse1, "password": DEMO_PASSWORD},
                   headers={"X-Bedside": "0"})
    assert response.status_code == 403


@pytest.mark.parametrize("headers", [{"Origin": "https://evil.example"}, {"Origin": "http://localhost.evil.example"},
                                     {"Sec-Fetch-Site": "cross-site"}])
def test_cross_site_requests_are_refused(demo, api, headers):
    response = raw(api, "POST", "/api/auth/login", json={"username": LOGINS.nurse1, "password": DEMO_PASSWORD},
                   headers={"X-Bedside": "1", **headers})
    assert response.status_code == 403 and response.get_json()["error"] == "csrf"
    with demo.app_context():
        assert LoginAttempt.query.count() == 0


def test_same_origin_is_allowed(demo, api):
    response = raw(api, "POST", "/api/auth/login", json={"username": LOGINS.nurse1, "password": DEMO_PASSWORD},
                   headers={"X-Bedside": "1", "Origin": "http://localhost", "Sec-Fetch-Site": "same-origin"})
    assert response.status_code == 200


def test_csrf_refusals_are_audited(demo, world, make_api):
    nurse = make_api()
    nurse.login(LOGINS.nurse1)
    response = raw(nurse, "POST", "/api/auth/logout", json={}, headers={"X-Device-Id": "tab-7"})
    assert response.status_code == 403 and response.get_json()["error"] == "csrf"
    anonymous = make_api()
    response = raw(anonymous, "POST", "/api/auth/login", json={"username": LOGINS.nurse1, "password": DEMO_PASSWORD},
                   headers={"X-Bedside": "1", "Origin": "https://evil.example"})
    assert response.status_code == 403 and response.get_json()["error"] == "csrf"
    response = raw(nurse, "POST", f"/api/units/{world.unit1}/days/{DAY}/confirm", json={},
                   headers={"X-Bedside": "1", "Sec-Fetch-Site": "cross-site"})
    assert response.status_code == 403 and response.get_json()["error"] == "csrf"
    assert raw(anonymous, "DELETE", "/api/no/such/route").status_code == 403  # refused before routing's 404
    refused = events(demo, action="refused")
    assert [(e["actor_id"], e["role"], e["device_id"], e["detail"]) for e in refused] == [
        (world.nurse1, "nurse", "tab-7", {"route": "/api/auth/logout", "method": "POST", "status": 403,
                                          "error": "csrf"}),
        (None, None, None, {"route": "/api/auth/login", "method": "POST", "status": 403, "error": "csrf"}),
        (world.nurse1, "nurse", None, {"route": "/api/units/<int:unit_id>/days/<day>/confirm", "method": "POST",
                                       "status": 403, "error": "csrf", "args": {"unit_id": world.unit1, "day": DAY}}),
        (None, None, None, {"route": "/api/no/such/route", "method": "DELETE", "status": 403, "error": "csrf"})]
    with demo.app_context():
        addresses = {a for (a,) in db.session.query(AuditEvent.address).filter_by(action="refused")}
        db.session.remove()
    assert addresses == {"127.0.0.1"}
    assert verify(demo)[0] == 0


@pytest.mark.parametrize("content_type", ["text/plain", "application/x-www-form-urlencoded", "multipart/form-data"])
def test_simple_content_types_are_refused(demo, api, content_type):
    response = raw(api, "POST", "/api/auth/login",
                   data=json.dumps({"username": LOGINS.nurse1, "password": DEMO_PASSWORD}),
                   headers={"X-Bedside": "1", "Content-Type": content_type})
    assert response.status_code == 415 and response.get_json()["error"] == "unsupported_media_type"


def _fingerprint(app):
    """Everything a GET must never change (sessions, device sync times and the read/refusal audit are bookkeeping)."""
    with app.app_context():
        counts = {m.__tablename__: db.session.scalar(select(func.count()).select_from(m))
                  for m in (CardItem, CareCard, DayConfirmation, Entry, LoginAttempt, Resident, User)}
        # A GET may only append `read` and `refused` audit rows (tests/api/test_audit_chain.py).
        counts["audit_event"] = db.session.scalar(select(func.count()).select_from(AuditEvent).where(
            AuditEvent.action.not_in(("read", "refused"))))
        counts["seq"] = db.session.get(SyncState, 1).seq
        counts["residents"] = sorted((r.id, r.seq, r.needs_reassessment) for r in Resident.query)
        counts["cards"] = sorted((c.id, c.seq, c.version, c.status) for c in CareCard.query)
        counts["users"] = sorted((u.id, u.locale, u.active) for u in User.query)
        db.session.remove()
        return counts


def test_get_requests_never_change_state(demo, world, make_api):
    nurse = make_api()
    nurse.login(LOGINS.nurse1)
    push(nurse, [tick(world)], post_id=world.post1)
    card = world.cards[world.r1]["id"]
    paths = ["/api/auth/me", "/api/posts", "/api/units", f"/api/residents?unit_id={world.unit1}",
             f"/api/cards?resident_id={world.r1}", f"/api/cards/{card}", f"/api/sync/pull?post_id={world.post1}",
             f"/api/sync/pull?post_id={world.post1}&cursor=1&limit=3", f"/api/units/{world.unit1}/days/{DAY}",
             "/api/openapi.json", "/api/auth/logout", "/api/entries/x/amend", f"/api/units/{world.unit1}/days/{DAY}/confirm",
             "/api/family/residents", f"/api/family/residents/{world.r1}", f"/api/family/residents/{world.r2}"]
    get_rules = {r.rule for r in ROUTES if "GET" in r.methods}
    assert len(get_rules) >= 9
    clients = {}
    for username in (LOGINS.nurse1, LOGINS.supervisor1, LOGINS.planner1, LOGINS.admin1, LOGINS.relative1, None):
        clients[username] = make_api()
        if username:
            clients[username].login(username)
    before = _fingerprint(demo)
    for username, client in clients.items():
        for path in paths:
            status, _ = client.get(path)
            assert status < 500, (username, path, status)
    assert _fingerprint(demo) == before


# --- headers -------------------------------------------------------------------------------------

def _check_security_headers(response, path):
    h = response.headers
    assert h["Content-Security-Policy"] == CSP, path
    for directive in ("default-src 'self'", "script-src 'self'", "object-src 'none'", "base-uri 'none'",
                      "frame-ancestors 'none'", "connect-src 'self'"):
        assert directive in h["Content-Security-Policy"]
    assert h["X-Content-Type-Options"] == "nosniff", path
    assert h["Referrer-Policy"] == "no-referrer", path
    assert h["X-Frame-Options"] == "DENY", path


@pytest.mark.parametrize("method, path, body", [
    ("GET", "/api/auth/me", None), ("GET", "/api/openapi.json", None), ("GET", "/api/nowhere", None),
    ("DELETE", "/api/auth/me", None), ("POST", "/api/auth/login", {"username": "x", "password": "y"}),
    ("POST", "/api/auth/login", {}), ("POST", "/api/auth/logout", {}), ("GET", "/api/sync/pull?post_id=1", None),
    ("GET", "/version.json", None), ("GET", "/no-such-file.js", None), ("GET", "/i18n/xx.json", None)])
def test_security_headers_on_every_response(demo, api, method, path, body):
    response = api.client.open(path, method=method, json=body, headers={"X-Bedside": "1"})
    _check_security_headers(response, path)
    if path.startswith("/api/"):
        assert response.headers["Cache-Control"] == "no-store"


def test_api_success_responses_are_not_stored(demo, api):
    api.login(LOGINS.nurse1)
    response = api.client.get("/api/posts")
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"
    _check_security_headers(response, "/api/posts")


def test_hsts_over_https(demo, api):
    response = api.client.get("/api/auth/me", base_url="https://localhost")
    assert response.headers["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains"
    assert "Strict-Transport-Security" not in api.client.get("/api/auth/me").headers


# --- error shape ---------------------------------------------------------------------------------

def test_400_names_each_field(demo, api):
    status, body = api.post("/api/auth/login", {"username": "", "extra": 1})
    assert status == 400 and body["error"] == "validation_error"
    assert set(body["fields"]) == {"username", "password", "extra"}
    # named as the form names them (issue 16); a field no form has keeps its name
    assert body["message"] == "Please check: extra, Password, User name", body["message"]


def test_400_when_the_body_is_not_an_object(demo, api):
    status, body = api.post("/api/auth/login", [1, 2])
    assert (status, body["error"]) == (400, "validation_error") and "_" in body["fields"]


def test_400_names_query_fields(demo, api):
    api.login(LOGINS.nurse1)
    status, body = api.get("/api/sync/pull?post_id=abc&limit=0")
    assert status == 400 and set(body["fields"]) == {"post_id", "limit"}


def test_400_for_text_holding_a_nul_character_names_the_field_and_stores_nothing(demo, api, world):
    """PostgreSQL cannot store U+0000 in text (schemathesis found a 500 there); refused everywhere, naming where."""
    api.login(LOGINS.nurse1)
    with demo.app_context():
        before = db.session.scalar(select(func.count()).select_from(Entry))
    status, body = api.post("/api/sync/push", {"device_id": "tab-\x00", "entries": [tick(world)]})
    assert (status, body["error"], set(body["fields"])) == (400, "validation_error", {"device_id"})
    assert "U+0000" in body["fields"]["device_id"]
    status, body = api.post("/api/sync/push", {"device_id": "tab-1", "entries": [tick(world), tick(
        world, slot="20:00", note="ok\x00")]})
    assert (status, set(body["fields"])) == (400, {"entries.1.note"})
    status, body = api.post("/api/sync/push", {"device_id": "tab-1", "entries": [{**tick(world), "x\x00": 1}]})
    assert (status, set(body["fields"])) == (400, {"entries.0"})
    status, body = api.get("/api/sync/pull?post_id=1&cursor=%00")
    assert (status, set(body["fields"])) == (400, {"cursor"})
    with demo.app_context():
        assert db.session.scalar(select(func.count()).select_from(Entry)) == before
    # the same push without the NUL is stored
    assert [r["status"] for r in push(api, [tick(world, note="ok")])] == ["accepted"]


def test_404_and_405_are_json(demo, api):
    status, body = api.get("/api/no/such/thing")
    assert (status, body["error"]) == (404, "not_found") and body["message"]
    status, body = api.delete("/api/auth/me")
    assert (status, body["error"]) == (405, "method_not_allowed")


def test_404_for_an_object_that_does_not_exist(demo, api):
    api.login(LOGINS.supervisor1)
    status, body = api.get("/api/cards/999999")
    assert (status, body["error"]) == (404, "not_found")
    status, body = api.get("/api/units/1/days/2026-13-45")
    assert (status, body["error"]) == (404, "not_found")


def test_large_json_replies_are_gzipped_when_the_client_accepts_it(demo, api):
    api.login(LOGINS.nurse1)
    plain = api.client.get("/api/sync/pull?post_id=1")
    zipped = api.client.get("/api/sync/pull?post_id=1", headers={"Accept-Encoding": "gzip, deflate"})
    assert "Content-Encoding" not in plain.headers
    assert zipped.headers["Content-Encoding"] == "gzip" and "Accept-Encoding" in zipped.headers["Vary"]
    assert len(zipped.data) * 5 < len(plain.data)
    assert json.loads(gzip.decompress(zipped.data)) == plain.get_json()
