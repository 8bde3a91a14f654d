"""The sign-in hold is atomic (issue 14, point 5): eight wrong passwords for one account sent at the same moment get
at most five password checks, in one process (threads) and across gunicorn workers (processes). An attempt is
written as a failure before its password is checked, and only while the account has fewer than five in the window
(backend/services/auth.py). On SQLite, or on PostgreSQL when TEST_DATABASE_URL is set."""
import os
import threading
import time

import requests
from sqlalchemy import create_engine, text
from werkzeug.security import check_password_hash

from backend.extensions import db
from backend.models import AuditEvent, LoginAttempt

from ..browser.conftest import demo_workers
from ..conftest import DEMO_PASSWORD, LOGINS, CSRF

SENT = 8
LIMIT = 5


def _all_at_once(send, count=SENT):
    """Run `send(i)` in `count` threads released together; their results in order."""
    barrier = threading.Barrier(count)
    results = [None] * count

    def run(i):
        barrier.wait()
        results[i] = send(i)

    threads = [threading.Thread(target=run, args=(i,)) for i in range(count)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    return results


def test_wrong_passwords_sent_together_get_at_most_five_checks(demo, monkeypatch):
    checked, lock = [], threading.Lock()

    def counting_check(pwhash, password):
        with lock:
            checked.append(password)
        time.sleep(0.2)  # a slow hash: every request is in flight before the first one is answered
        return check_password_hash(pwhash, password)

    monkeypatch.setattr("backend.services.auth.check_password_hash", counting_check)

    def send(i):
        return demo.test_client().post("/api/auth/login", json={"username": LOGINS.nurse1, "password": f"wrong{i}"},
                                       headers=CSRF).status_code

    statuses = _all_at_once(send)
    assert len(checked) == LIMIT
    assert sorted(statuses) == [401] * LIMIT + [429] * (SENT - LIMIT)
    # unknown names are held the same way (throttled by name)
    checked.clear()
    statuses = _all_at_once(lambda i: demo.test_client().post(
        "/api/auth/login", json={"username": "nobody-here", "password": "x"}, headers=CSRF).status_code)
    assert len(checked) == LIMIT and sorted(statuses) == [401] * LIMIT + [429] * (SENT - LIMIT)
    with demo.app_context():
        assert LoginAttempt.query.filter_by(username=LOGINS.nurse1, success=False).count() == LIMIT
        assert AuditEvent.query.filter_by(action="login_failed").count() == 2 * LIMIT
        assert AuditEvent.query.filter_by(action="login_throttled").count() == 2 * (SENT - LIMIT)
        db.session.remove()
    # a right password in the window is held too, and a colleague is not
    client = demo.test_client()
    assert client.post("/api/auth/login", json={"username": LOGINS.nurse1, "password": DEMO_PASSWORD},
                       headers=CSRF).status_code == 429
    assert client.post("/api/auth/login", json={"username": LOGINS.nurse2, "password": DEMO_PASSWORD},
                       headers=CSRF).status_code == 200
    with demo.app_context():  # the colleague's attempt was marked a success: it holds nobody
        assert LoginAttempt.query.filter_by(username=LOGINS.nurse2).one().success is True


def test_wrong_current_passwords_sent_together_get_at_most_five_checks(demo, make_api, monkeypatch):
    """A password change checks the current password under the same hold (a stolen session cannot guess faster)."""
    clients = [make_api() for _ in range(SENT)]
    for client in clients:
        client.login(LOGINS.nurse1)
    checked = []

    def counting_matches(user, password):
        checked.append(password)
        time.sleep(0.2)
        return False

    monkeypatch.setattr("backend.services.auth.password_matches", counting_matches)
    statuses = _all_at_once(lambda i: clients[i].post("/api/auth/password", {
        "current_password": f"guess{i}", "new_password": "Long-enough-password-1"})[0])
    assert len(checked) == LIMIT
    assert sorted(statuses) == [400] * LIMIT + [429] * (SENT - LIMIT)


def test_the_hold_is_atomic_across_gunicorn_workers(tmp_path):
    pg = os.environ.get("TEST_DATABASE_URL")
    with demo_workers(tmp_path) as server:
        def send(i):  # a fresh connection each: spread over the workers
            return requests.post(server.url + "/api/auth/login", json={"username": LOGINS.nurse1, "password": f"x{i}"},
                                 headers=CSRF, timeout=30).status_code

        statuses = _all_at_once(send)
    assert sorted(statuses) == [401] * LIMIT + [429] * (SENT - LIMIT)
    engine = create_engine(pg or f"sqlite:///{tmp_path / 'bedside.sqlite'}")
    with engine.connect() as conn:  # one row per password checked
        rows = conn.execute(text("SELECT count(*) FROM login_attempt WHERE username = :u"),
                            {"u": LOGINS.nurse1}).scalar_one()
    engine.dispose()
    assert rows == LIMIT
