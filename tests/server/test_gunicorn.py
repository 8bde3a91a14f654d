"""Behaviour that only shows with the real server: several gunicorn workers share the login throttle,
and a session cookie replayed after logout is refused by whichever worker answers."""
import requests

from ..browser.conftest import demo_workers
from ..conftest import DEMO_PASSWORD, LOGINS

HEADERS = {"X-Bedside": "1"}


def _login(url, password, session=None):
    s = session or requests.Session()
    return s.post(url + "/api/auth/login", json={"username": LOGINS.nurse1, "password": password}, headers=HEADERS,
                  timeout=10)


def test_throttle_and_logout_hold_across_workers(tmp_path):
    with demo_workers(tmp_path) as server:
        # New connections each time, so the attempts are spread over the workers.
        statuses = [_login(server.url, "wrong").status_code for _ in range(5)]
        assert statuses == [401] * 5
        blocked = _login(server.url, DEMO_PASSWORD)  # even the right password waits out the window
        assert blocked.status_code == 429 and int(blocked.headers["Retry-After"]) > 0
        other = requests.post(server.url + "/api/auth/login",
                              json={"username": LOGINS.nurse2, "password": DEMO_PASSWORD}, headers=HEADERS, timeout=10)
        assert other.status_code == 200  # a colleague is not locked out

        s = requests.Session()
        assert _login(server.url, DEMO_PASSWORD, requests.Session()).status_code == 429
        s.post(server.url + "/api/auth/login", json={"username": LOGINS.nurse2, "password": DEMO_PASSWORD},
               headers=HEADERS)
        cookie = s.cookies.get("bedside_session")
        assert s.get(server.url + "/api/auth/me").status_code == 200
        assert s.post(server.url + "/api/auth/logout", headers=HEADERS).status_code == 200
        for _ in range(6):  # replay the old cookie on fresh connections (any worker)
            replay = requests.get(server.url + "/api/auth/me", cookies={"bedside_session": cookie}, timeout=10)
            assert replay.status_code == 401
