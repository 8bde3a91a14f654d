"""A server that rides out database faults (issue 14, point 9; docs/operations.md).

gunicorn (2 workers x 4 threads) talks to PostgreSQL through a TCP relay this test runs, which can cut the database
(drop every connection and refuse new ones) or freeze it (keep the connections but forward nothing, as a hung
database or a network that swallows packets). The limits are set low (statement 2 s, answer 3 s, connect 2 s) so
the test is short; production uses backend/config.py's defaults.

- cut: pushes and sign-ins get the app's 503 in its error shape (not Werkzeug's HTML 500); the app shell and
  /version.json still load; readiness says 503;
- a restart while idle (every pooled connection dead): the next sign-ins succeed at the first try;
- back: a sign-in and the tablet's re-push succeed at the first try (stale pooled connections are replaced);
- freeze: no request waits past the answer and connect limits (a bound, not a speed check), and the app shell and
  /version.json keep loading meanwhile;
- every entry pushed is stored exactly once.

PostgreSQL only (TEST_DATABASE_URL; the database is wiped first); skipped on SQLite.
"""
import os
import random
import select
import socket
import threading
import time
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest
import requests
from sqlalchemy import create_engine, make_url, text

from ..browser.conftest import LiveServer, _reset_postgres
from .test_crash import _batch_maker, _demo_ids
from ..conftest import DEMO_PASSWORD, LOGINS

PG = os.environ.get("TEST_DATABASE_URL") or ""
pytestmark = pytest.mark.skipif(not PG.startswith("postgres"), reason="PostgreSQL only (TEST_DATABASE_URL)")

HEADERS = {"X-Bedside": "1"}
LIMITS = {"DATABASE_STATEMENT_TIMEOUT": 2, "DATABASE_ANSWER_TIMEOUT": 3, "DATABASE_CONNECT_TIMEOUT": 2,
          "DATABASE_POOL_TIMEOUT": 2}
#: The longest a request may wait on a frozen database: a pooled connection's ping gives up after the answer limit,
#: the new connection after the connect limit; plus a margin for a loaded machine.
BOUND = LIMITS["DATABASE_ANSWER_TIMEOUT"] + LIMITS["DATABASE_CONNECT_TIMEOUT"] + 4
BACK_WITHIN = 10  # seconds after the database returns
SHELL = ("/app.js", "/version.json", "/")


class Relay:
    """A TCP relay between the app and PostgreSQL: open, cut (connections dropped, new ones closed at once) or
    frozen (connections accepted and kept, nothing forwarded either way)."""

    def __init__(self, target):
        self.target = target
        self.mode = "open"
        self.pairs, self.lock = [], threading.Lock()
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        self.closed = False
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self):
        while not self.closed:
            try:
                client, _addr = self.listener.accept()
            except OSError:
                return
            if self.mode == "cut":
                client.close()
                continue
            try:
                upstream = socket.create_connection(self.target, timeout=5)
            except OSError:
                client.close()
                continue
            pair = (client, upstream)
            with self.lock:
                self.pairs.append(pair)
            threading.Thread(target=self._pump, args=(pair,), daemon=True).start()

    def _pump(self, pair):
        client, upstream = pair
        other = {client: upstream, upstream: client}
        try:
            while not self.closed and self.mode != "cut":
                if self.mode == "frozen":
                    time.sleep(0.05)
                    continue
                readable, _w, _x = select.select([client, upstream], [], [], 0.1)
                for sock in readable:
                    data = sock.recv(65536)
                    if not data:
                        return
                    other[sock].sendall(data)
        except (OSError, ValueError):  # cut: another thread closed the pair (a closed socket's fd is -1)
            pass
        finally:
            self._close(pair)

    def _close(self, pair):
        for sock in pair:
            try:
                sock.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
            sock.close()
        with self.lock:
            if pair in self.pairs:
                self.pairs.remove(pair)

    def cut(self):
        self.mode = "cut"
        with self.lock:
            pairs = list(self.pairs)
        for pair in pairs:
            self._close(pair)

    def freeze(self):
        self.mode = "frozen"

    def restore(self):
        self.mode = "open"

    def close(self):
        self.closed = True
        self.cut()
        self.listener.close()


def _timed(method, url, **kwargs):
    started = time.monotonic()
    try:
        response = requests.request(method, url, timeout=BOUND + 30, **kwargs)
    except requests.RequestException as exc:
        return exc, time.monotonic() - started
    return response, time.monotonic() - started


def _in_threads(calls):
    results = [None] * len(calls)

    def run(i):
        results[i] = calls[i]()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(calls))]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=BOUND + 60)
    return results


def _is_app_503(response):
    return (isinstance(response, requests.Response) and response.status_code == 503
            and response.headers.get("Content-Type", "").startswith("application/json")
            and response.json()["error"] == "database_unavailable" and response.json()["message"])


class Tablet:
    def __init__(self, url, device_id, make_batch, post):
        self.url, self.device_id, self.make_batch, self.post = url, device_id, make_batch, post
        self.session = requests.Session()
        self.key = None

    def sign_in(self):
        r = self.session.post(self.url + "/api/auth/login", json={"username": LOGINS.nurse1, "password": DEMO_PASSWORD,
                                                                  "device_id": self.device_id},
                              headers=HEADERS, timeout=BOUND + 30)
        if r.status_code == 200:
            from backend.domain import signing
            key = r.json()["signing_key"]
            self.key = (key["id"], signing.decode_key(key["secret"]))
        return r

    def push(self, batch):
        body = {"device_id": self.device_id, "post_id": self.post, "outbox_len": len(batch), "entries": batch}
        return _timed("POST", self.url + "/api/sync/push", json=body, headers=HEADERS,
                      cookies=self.session.cookies)


def _until_ok(call, within):
    """Call until it answers 200; (response, seconds taken, tries)."""
    started, tries = time.monotonic(), 0
    while True:
        tries += 1
        response = call()
        if isinstance(response, tuple):
            response = response[0]
        if isinstance(response, requests.Response) and response.status_code == 200:
            return response, time.monotonic() - started, tries
        assert time.monotonic() - started < within, (
            f"not back within {within} s: {getattr(response, 'status_code', response)} "
            f"{getattr(response, 'text', '')[:300]}")
        time.sleep(0.2)


def test_the_server_rides_out_a_cut_and_a_frozen_database(tmp_path):
    _reset_postgres(PG)
    url = make_url(PG)
    relay = Relay((url.host or "127.0.0.1", url.port or 5432))
    through_relay = url.set(host="127.0.0.1", port=relay.port).render_as_string(hide_password=False)
    server = LiveServer(tmp_path, database_url=PG, workers=2)
    server.bedside("demo", "--no-history", "--no-community")  # seeded directly, not through the relay
    nurse, post, residents, items, tz, before = _demo_ids(PG)
    day = datetime.now(UTC).astimezone(ZoneInfo(tz)).date().isoformat()
    server.env.update({"DATABASE_URL": through_relay, **{k: str(v) for k, v in LIMITS.items()}})
    tablet = Tablet(server.url, "fault-tab", _batch_maker("fault-tab", random.Random(14), nurse, residents, items,
                                                          day), post)
    pushed, report = [], {}
    server.start()
    try:
        assert tablet.sign_in().status_code == 200
        batch = tablet.make_batch(tablet.key)
        response, _s = tablet.push(batch)
        assert response.status_code == 200, response.text
        pushed.append(batch)
        assert requests.get(server.url + "/api/health/ready", timeout=10).json() == {"database": "ok"}

        # -- a restart while nobody asks: every pooled connection is dead; the first requests still succeed
        for _ in range(8):  # fresh connections: both workers' pools hold connections
            assert requests.get(server.url + "/api/health/ready", timeout=10).status_code == 200
        relay.cut()
        relay.restore()
        answers = _in_threads([lambda: _timed("POST", server.url + "/api/auth/login", headers=HEADERS,
                                              json={"username": LOGINS.nurse2, "password": DEMO_PASSWORD})
                               for _ in range(4)]
                              + [lambda: _timed("GET", server.url + "/api/health/ready") for _ in range(4)])
        assert [r.status_code for r, _s in answers] == [200] * 8, [getattr(r, "text", r)[:200] for r, _s in answers]

        # -- cut: the app's 503 everywhere the database is needed; the shell still loads
        relay.cut()
        cut_batch = tablet.make_batch(tablet.key)
        answers = _in_threads([lambda: tablet.push(cut_batch) for _ in range(4)]
                              + [lambda: _timed("POST", server.url + "/api/auth/login", headers=HEADERS,
                                                json={"username": LOGINS.nurse2, "password": DEMO_PASSWORD})]
                              + [lambda: _timed("GET", server.url + "/api/health/ready")])
        for response, seconds in answers:
            assert _is_app_503(response), getattr(response, "text", response)
            assert seconds < BOUND, seconds
        for path in SHELL:
            response, seconds = _timed("GET", server.url + path)
            assert response.status_code == 200 and seconds < BOUND, (path, seconds)
        report["cut"] = [round(s, 2) for _r, s in answers]

        # -- back: a sign-in and the re-push succeed within seconds
        relay.restore()
        back = time.monotonic()
        _response, report["sign_in_after"], tries = _until_ok(tablet.sign_in, BACK_WITHIN)
        assert tries == 1  # no stale pooled connection answers first
        response, _s, tries = _until_ok(lambda: tablet.push(cut_batch), BACK_WITHIN)
        assert tries == 1
        assert {x["status"] for x in response.json()["results"]} == {"accepted"}
        pushed.append(cut_batch)
        report["back_in"] = round(time.monotonic() - back, 2)

        # -- freeze: every request answered within the bound, the shell keeps loading meanwhile
        relay.freeze()
        frozen_batch = tablet.make_batch(tablet.key)
        shell_times = []

        def shell_meanwhile():
            out = []
            for _ in range(3):
                for path in SHELL:
                    out.append((path,) + _timed("GET", server.url + path))
            return out

        answers = _in_threads([lambda: tablet.push(frozen_batch) for _ in range(3)]
                              + [lambda: _timed("GET", server.url + "/api/auth/me", cookies=tablet.session.cookies),
                                 lambda: _timed("GET", server.url + "/api/health/ready"),
                                 shell_meanwhile])
        shell = answers.pop()
        for response, seconds in answers:
            assert _is_app_503(response), getattr(response, "text", response)
            assert seconds < BOUND, seconds
        for path, response, seconds in shell:
            assert isinstance(response, requests.Response) and response.status_code == 200, (path, response)
            assert seconds < BOUND, (path, seconds)
            shell_times.append(seconds)
        report["frozen"] = [round(s, 2) for _r, s in answers]
        report["shell_during_freeze_max"] = round(max(shell_times), 2)

        # -- thawed: the tablet's re-push goes through
        relay.restore()
        response, report["thaw_push_after"], _t = _until_ok(lambda: tablet.push(frozen_batch), BACK_WITHIN)
        assert {x["status"] for x in response.json()["results"]} == {"accepted"}
        pushed.append(frozen_batch)
        assert server.process.poll() is None
    finally:
        server.stop()
        server.log.close()
        relay.close()
    print("database faults:", report)

    ids = [e["id"] for batch in pushed for e in batch]
    engine = create_engine(PG)
    with engine.connect() as conn:
        stored = conn.execute(text("SELECT id FROM entry WHERE device_id = 'fault-tab'")).scalars().all()
        total = conn.execute(text("SELECT count(*) FROM entry")).scalar_one()
    engine.dispose()
    assert sorted(stored) == sorted(ids) and len(set(ids)) == len(ids)  # each entry stored exactly once
    assert total == before + len(ids)
