"""A database fault is the app's own 503 (issue 14, point 9), and the app shell never touches the database.
The real cut and freeze of PostgreSQL are in tests/server/test_database_faults.py; here the fault is raised where
the database would raise it, on SQLite or PostgreSQL."""
import flask_babel
import pytest
from sqlalchemy import event
from sqlalchemy import exc as sa_exc

from backend.extensions import db

from .conftest import tick
from ..conftest import LOGINS

SHELL = ["/", "/app.js", "/sw.js", "/version.json", "/i18n/ru.json", "/i18n/zh_Hans.json", "/i18n/ru.rest.json",
         "/manifest.webmanifest", "/forms/vitals.json", "/lib/api.js", "/css/app.css"]


def _fault(*args, **kwargs):
    raise sa_exc.OperationalError("SELECT 1", {}, Exception("server closed the connection unexpectedly"))


@pytest.fixture
def database_use(demo):
    """Counts connections taken from the pool and statements run."""
    used = []
    with demo.app_context():
        engine = db.engine
    listeners = [(engine, "checkout", lambda *a: used.append("checkout")),
                 (engine, "before_cursor_execute", lambda *a: used.append("statement"))]
    for target, name, fn in listeners:
        event.listen(target, name, fn)
    yield used
    for target, name, fn in listeners:
        event.remove(target, name, fn)


def test_the_app_shell_is_served_without_the_database(demo, api, database_use):
    api.login(LOGINS.nurse1)
    api.default_headers = {"X-Device-Id": "tab-1", "X-Device-Key": "whatever"}  # checked on /api/ only
    database_use.clear()
    for path in SHELL:
        response = api.client.get(path, headers={"Accept-Language": "ru"})
        assert response.status_code == 200, path
    assert database_use == []


def test_a_database_fault_is_a_translated_503_in_the_error_shape(demo, api, world, monkeypatch):
    api.login(LOGINS.nurse1)
    monkeypatch.setattr("backend.services.sync.push", _fault)
    response = api.client.post("/api/sync/push", json={"device_id": "tab-1", "entries": [tick(world)]},
                               headers={"X-Bedside": "1", "Accept-Language": "ru"})
    assert response.status_code == 503 and response.is_json
    body = response.get_json()
    assert body["error"] == "database_unavailable" and body["message"]  # says nothing was lost, to try again
    assert set(body) == {"error", "message"} and response.headers["Retry-After"] == "5"


def _show_locale(monkeypatch):
    """The 503's message replaced by the language chosen for it."""
    monkeypatch.setattr("backend.errors._", lambda message, **params: str(flask_babel.get_locale()))


def test_the_503_does_not_touch_the_broken_session(demo, api, monkeypatch):
    """The person is not loaded yet when the database fails (the session lookup itself fails), and the rollback
    fails too: still the app's 503, in the browser's language, not Werkzeug's HTML 500."""
    api.login(LOGINS.nurse1)
    monkeypatch.setattr("backend.services.auth.resolve", _fault)
    monkeypatch.setattr(db.session, "rollback", _fault)
    _show_locale(monkeypatch)
    response = api.client.get("/api/auth/me", headers={"Accept-Language": "zh-CN"})
    assert response.status_code == 503 and response.get_json() == {"error": "database_unavailable",
                                                                   "message": "zh_Hans"}


def test_the_503_is_in_the_signed_in_persons_language_without_a_query(demo, api, world, monkeypatch):
    api.login(LOGINS.nurse1)
    assert api.patch("/api/auth/me", {"locale": "ru"})[0] == 200
    monkeypatch.setattr("backend.services.sync.push", _fault)  # she is loaded; the push then fails
    _show_locale(monkeypatch)
    response = api.client.post("/api/sync/push", json={"device_id": "tab-1", "entries": [tick(world)]},
                               headers={"X-Bedside": "1", "Accept-Language": "en"})
    assert (response.status_code, response.get_json()["message"]) == (503, "ru")


def test_the_pool_timing_out_is_a_503_and_other_database_errors_a_500(demo, api, monkeypatch):
    def pool_timeout(*args, **kwargs):
        raise sa_exc.TimeoutError("QueuePool limit of size 5 overflow 10 reached")

    monkeypatch.setattr("backend.services.auth.resolve", pool_timeout)
    assert api.get("/api/auth/me")[0] == 503

    def constraint(*args, **kwargs):
        raise sa_exc.IntegrityError("INSERT", {}, Exception("duplicate key"))

    monkeypatch.setattr("backend.services.auth.resolve", constraint)
    status, body = api.get("/api/auth/me")
    assert (status, body["error"]) == (500, "server_error")


def test_readiness_asks_the_database(demo, api, monkeypatch):
    assert api.get("/api/health/ready") == (200, {"database": "ok"})
    monkeypatch.setattr(db.session, "execute", _fault)
    status, body = api.get("/api/health/ready")
    assert (status, body["error"]) == (503, "database_unavailable")
