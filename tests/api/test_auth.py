"""Sign-in, throttling, server-side sessions: logout, idle and absolute expiry, disabled accounts."""
from datetime import timedelta

from backend.extensions import db
from backend.models import AuditEvent, LoginAttempt, User, UserSession
from ..conftest import DEMO_PASSWORD, LOGINS

COOKIE = "bedside_session"


def login(api, username, password=DEMO_PASSWORD):
    return api.post("/api/auth/login", {"username": username, "password": password})


def test_login_ok_returns_the_user_and_a_working_session(demo, api):
    status, body = login(api, LOGINS.nurse1)
    assert status == 200
    assert body["username"] == LOGINS.nurse1 and body["roles"] == ["nurse"] and len(body["unit_ids"]) == 1
    assert "password_hash" not in body
    cookie = api.client.get_cookie(COOKIE)
    assert cookie is not None and cookie.http_only
    status, me = api.get("/api/auth/me")
    assert (status, me["username"]) == (200, LOGINS.nurse1)


def test_username_is_case_and_space_insensitive(demo, api):
    assert login(api, "  Nurse1 ")[0] == 200


def test_bad_password_and_unknown_user_get_the_same_401(demo, api):
    s1, b1 = login(api, LOGINS.nurse1, "wrong")
    s2, b2 = login(api, "nobody", "wrong")
    assert (s1, b1["error"]) == (401, "bad_credentials")
    assert (s2, b2) == (s1, b1)
    assert api.get("/api/auth/me")[0] == 401
    with demo.app_context():
        assert AuditEvent.query.filter_by(action="login_failed").count() == 2
        assert LoginAttempt.query.filter_by(success=False).count() == 2


def test_every_sign_in_makes_a_new_session_token(demo, api, make_api):
    login(api, LOGINS.nurse1)
    first = api.client.get_cookie(COOKIE).value
    other = make_api()
    login(other, LOGINS.nurse1)
    assert other.client.get_cookie(COOKIE).value != first
    with demo.app_context():
        assert UserSession.query.count() == 2


def test_five_failures_throttle_the_account_with_retry_after(demo, api, clock):
    for _ in range(5):
        assert login(api, LOGINS.nurse1, "wrong")[0] == 401
    response = api.client.post("/api/auth/login", json={"username": LOGINS.nurse1, "password": DEMO_PASSWORD},
                               headers={"X-Bedside": "1"})
    assert response.status_code == 429
    assert response.get_json()["error"] == "too_many_attempts"
    assert response.headers["Retry-After"] == "900"
    assert api.get("/api/auth/me")[0] == 401  # the right password did not sign in
    with demo.app_context():
        assert AuditEvent.query.filter_by(action="login_throttled").count() == 1
    clock.now += timedelta(minutes=14)
    assert login(api, LOGINS.nurse1)[0] == 429
    clock.now += timedelta(minutes=1, seconds=1)  # the oldest failures leave the 15-minute window
    assert login(api, LOGINS.nurse1)[0] == 200


def test_four_failures_do_not_throttle(demo, api):
    for _ in range(4):
        login(api, LOGINS.nurse1, "wrong")
    assert login(api, LOGINS.nurse1)[0] == 200


def test_a_throttled_account_does_not_lock_out_a_colleague(demo, api, make_api):
    for _ in range(6):
        login(api, LOGINS.nurse1, "wrong")
    assert login(api, LOGINS.nurse1)[0] == 429
    colleague = make_api()
    assert login(colleague, LOGINS.nurse2)[0] == 200  # same address (127.0.0.1), different account


def test_cookie_replayed_after_logout_is_refused(demo, api):
    login(api, LOGINS.nurse1)
    stolen = api.client.get_cookie(COOKIE).value
    assert api.post("/api/auth/logout")[0] == 200
    assert api.get("/api/auth/me")[0] == 401
    api.client.set_cookie(COOKIE, stolen)
    status, body = api.get("/api/auth/me")
    assert (status, body["error"]) == (401, "unauthenticated")
    with demo.app_context():
        assert AuditEvent.query.filter_by(action="logout").count() == 1
        assert UserSession.query.one().ended_at is not None


def test_logout_ends_only_this_session(demo, api, make_api):
    login(api, LOGINS.nurse1)
    other = make_api()
    login(other, LOGINS.nurse1)
    api.post("/api/auth/logout")
    assert api.get("/api/auth/me")[0] == 401
    assert other.get("/api/auth/me")[0] == 200


def test_idle_session_expires(demo, api, clock):
    idle = demo.config["SESSION_IDLE_SECONDS"]
    login(api, LOGINS.nurse1)
    clock.now += timedelta(seconds=idle - 60)
    assert api.get("/api/auth/me")[0] == 200  # activity moves the idle deadline
    clock.now += timedelta(seconds=idle - 60)
    assert api.get("/api/auth/me")[0] == 200
    clock.now += timedelta(seconds=idle + 1)
    assert api.get("/api/auth/me")[0] == 401
    clock.now += timedelta(seconds=1)
    assert api.get("/api/auth/me")[0] == 401  # an ended session stays ended


def test_absolute_session_limit_despite_activity(demo, api, clock):
    idle, absolute = demo.config["SESSION_IDLE_SECONDS"], demo.config["SESSION_ABSOLUTE_SECONDS"]
    login(api, LOGINS.nurse1)
    start = clock.now
    step = timedelta(seconds=idle // 2)
    while clock.now + step - start <= timedelta(seconds=absolute):
        clock.now += step
        assert api.get("/api/auth/me")[0] == 200
    clock.now = start + timedelta(seconds=absolute + 1)
    assert api.get("/api/auth/me")[0] == 401


def test_disabled_user_is_signed_out_on_the_next_request(demo, api):
    login(api, LOGINS.nurse1)
    assert api.get("/api/auth/me")[0] == 200
    with demo.app_context():
        User.query.filter_by(username=LOGINS.nurse1).one().active = False
        db.session.commit()
    assert api.get("/api/auth/me")[0] == 401
    assert login(api, LOGINS.nurse1)[0] == 401  # and cannot sign in again


def test_locale_choice(demo, api):
    login(api, LOGINS.nurse1)
    status, body = api.patch("/api/auth/me", {"locale": "zh_Hans"})
    assert (status, body["locale"]) == (200, "zh_Hans")
    status, body = api.patch("/api/auth/me", {"locale": "de"})
    assert status == 400 and "locale" in body["fields"]


def test_anonymous_gets_401_not_a_redirect(demo, api):
    status, body = api.get("/api/auth/me")
    assert (status, body["error"]) == (401, "unauthenticated")
