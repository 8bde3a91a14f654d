"""Locust users of the region load run. Started headless as a subprocess by benchmarks/region/load.py, never imported
by it (locust monkey-patches the process with gevent).

The runner has already signed every person in, taken each tablet's first pull (the cursor-0 snapshot) and signed
every entry a tablet will record; it hands all that over in a JSON plan (env BEDSIDE_LOAD_PLAN), so the measured
window holds only the steady work:

* `Tablet` (one per duty-post tablet): records the nurse's entries as a Poisson stream of small groups, each group
  pushed as one `POST /api/sync/push` (what the online tablet does: it pushes 3 s after the last tap, so taps closer
  than that share a push); and pulls its post by cursor every `pull_every` seconds, following `has_more`.
* `Office` (one per unit): the supervisor's day screen every `office_every` seconds -- what
  frontend/views/supervisor.js asks for: `GET /api/units/<unit>/days/<day>`, then `GET /api/cards?resident_id=` for
  each resident of the day view (the screen reads item titles from the cards) -- and, half a period later, the
  resident list `GET /api/residents?unit_id=` (the planner's and care-card screens).

Every answer is checked (HTTP 200, a push answered `accepted` or `duplicate` for each entry, a pull with the same
server epoch); anything else is a failure. Connections: gunicorn closes a keep-alive connection idle for 2 s; a
request sent on it at that moment finds it closed (HTTP status 0). A browser resends a request that failed so on a
reused connection (Chromium does, POSTs included); geventhttpclient does not resend a POST, so a user here does not
reuse a connection idle for more than KEEPALIVE_S and opens a new one, as the browser's resend would. Each request's time and outcome is written to the JSON file named by env
BEDSIDE_LOAD_OUT when the test stops; the runner computes the figures from it.
"""
import json
import os
import random
import time
from urllib.parse import urlencode

from locust import FastHttpUser, events, task

PLAN_PATH = os.environ.get("BEDSIDE_LOAD_PLAN")
OUT_PATH = os.environ.get("BEDSIDE_LOAD_OUT")
if PLAN_PATH:
    with open(PLAN_PATH, encoding="utf-8") as fh:
        PLAN = json.load(fh)
else:  # imported without a plan (a syntax check): no users
    PLAN = {"host": "http://127.0.0.1", "tablets": [], "offices": [], "settings": {}}
SETTINGS = PLAN["settings"]
_tablets = iter(PLAN["tablets"])
_offices = iter(PLAN["offices"])
_rng = random.Random(SETTINGS.get("seed", 1))
#: Below gunicorn's keep-alive timeout (2 s): a connection idle longer is not reused.
KEEPALIVE_S = 1.5

#: name -> [response time in ms, ...] of the answered requests; failures by name and cause; counters.
SAMPLES = {}
FAILURES = {}
FIRST_FAILURES = []  # (seconds into the window, name, cause) of the first ones, for reading the log
COUNTS = {"entries_pushed": 0, "entries_acknowledged": 0, "entries_pulled": 0, "pull_pages": 0,
          "cards_read": 0, "tablets_out_of_entries": 0}
WINDOW = {}
ACKNOWLEDGED = []  # ids the server answered accepted/duplicate for (the runner checks they are stored)


@events.request.add_listener
def _on_request(request_type, name, response_time, response_length, exception=None, response=None, **_kw):
    if exception is None:
        SAMPLES.setdefault(name, []).append(response_time)
        return
    status = getattr(response, "status_code", None)
    # A failed check names itself (the message given to r.failure); else the HTTP status or the network error.
    cause = (str(exception)[:160] if type(exception).__name__ == "CatchResponseError"
             else f"HTTP {status}" if status else type(exception).__name__)
    per = FAILURES.setdefault(name, {})
    per[cause] = per.get(cause, 0) + 1
    if len(FIRST_FAILURES) < 50:
        FIRST_FAILURES.append((round(time.time() - WINDOW.get("start", time.time()), 1), name, cause))
    # A failed request's time still counts in its percentiles: the user waited for it.
    SAMPLES.setdefault(name, []).append(response_time)


@events.test_start.add_listener
def _on_start(**_kw):
    WINDOW["start"] = time.time()


@events.test_stop.add_listener
def _on_stop(**_kw):
    WINDOW["stop"] = time.time()
    if OUT_PATH:
        with open(OUT_PATH, "w", encoding="utf-8") as fh:
            json.dump({"window": WINDOW, "samples": SAMPLES, "failures": FAILURES, "counts": COUNTS,
                       "acknowledged": ACKNOWLEDGED, "first_failures": FIRST_FAILURES}, fh)


class Base(FastHttpUser):
    abstract = True
    host = PLAN["host"]
    network_timeout = 120.0
    connection_timeout = 60.0

    def setup(self, who):
        self.headers = {"X-Bedside": "1", "Cookie": who["cookie"], "Content-Type": "application/json",
                        **who.get("headers", {})}
        self.schedule = {}
        self.idle_since = time.monotonic()

    def on_wake(self):
        """Before the next action: drop connections the server may have closed meanwhile (see KEEPALIVE_S)."""
        if time.monotonic() - self.idle_since > KEEPALIVE_S:
            self.client.client.close()

    def on_idle(self):
        self.idle_since = time.monotonic()

    def wait_time(self):
        return max(0.0, min(self.schedule.values()) - time.monotonic())

    def due(self):
        name = min(self.schedule, key=self.schedule.get)
        return name if self.schedule[name] <= time.monotonic() else None


class Tablet(Base):
    fixed_count = len(PLAN["tablets"])

    def on_start(self):
        self.t = next(_tablets)
        self.setup(self.t)
        self.outbox = []       # entries recorded and not yet acknowledged
        self.groups = iter(self.t["groups"])
        self.cursor = self.t["cursor"]
        now = time.monotonic()
        self.schedule = {"pull": now + _rng.uniform(0, SETTINGS["pull_every"]),
                         "push": now + _rng.expovariate(1 / SETTINGS["push_every"])}

    @task
    def step(self):
        what = self.due()
        self.on_wake()
        if what == "push":
            self.record_and_push()
        elif what == "pull":
            self.pull()
            self.schedule["pull"] += SETTINGS["pull_every"]
        self.on_idle()

    def record_and_push(self):
        group = next(self.groups, None)
        if group is None:
            COUNTS["tablets_out_of_entries"] += 1
            self.schedule["push"] = float("inf")
            return
        self.outbox.extend(group)
        batch = self.outbox[:SETTINGS["batch"]]
        body = json.dumps({"device_id": self.t["device_id"], "post_id": self.t["post_id"],
                           "outbox_len": len(self.outbox), "entries": batch})
        COUNTS["entries_pushed"] += len(group)
        ok = False
        with self.client.post("/api/sync/push", data=body, headers=self.headers, name="push",
                              catch_response=True) as r:
            if r.status_code != 200:
                r.failure(f"HTTP {r.status_code}")
            else:
                results = r.json()["results"]
                bad = [x for x in results if x["status"] not in ("accepted", "duplicate")]
                if len(results) != len(batch) or bad:
                    r.failure(f"push answered {bad[:1] or len(results)} for {len(batch)} entries")
                else:
                    ok = True
        if ok:
            ACKNOWLEDGED.extend(e["id"] for e in batch)
            COUNTS["entries_acknowledged"] += len(batch)
            del self.outbox[:len(batch)]
        # The next group is recorded after an exponential pause (a Poisson stream of taps); a failed push stays in
        # the outbox and goes with it (the tablet retries after a back-off of about that order too).
        self.schedule["push"] = time.monotonic() + _rng.expovariate(1 / SETTINGS["push_every"])

    def pull(self):
        for _ in range(100):
            query = urlencode({"post_id": self.t["post_id"], "cursor": self.cursor, "device_id": self.t["device_id"]})
            with self.client.get(f"/api/sync/pull?{query}", headers=self.headers, name="pull",
                                 catch_response=True) as r:
                if r.status_code != 200:
                    r.failure(f"HTTP {r.status_code}")
                    return
                page = r.json()
                if page.get("server_epoch") != self.t["epoch"]:
                    r.failure("the server epoch changed")
                    return
            COUNTS["pull_pages"] += 1
            COUNTS["entries_pulled"] += len(page["entries"])
            self.cursor = page["cursor"]
            if not page["has_more"]:
                return


class Office(Base):
    fixed_count = len(PLAN["offices"])

    def on_start(self):
        self.o = next(_offices)
        self.setup(self.o)
        start = time.monotonic() + _rng.uniform(0, SETTINGS["office_every"])
        self.schedule = {"day": start, "list": start + SETTINGS["office_every"] / 2}

    @task
    def step(self):
        what = self.due()
        self.on_wake()
        if what == "day":
            self.day_screen()
            self.schedule["day"] += SETTINGS["office_every"]
        elif what == "list":
            self.resident_list()
            self.schedule["list"] += SETTINGS["office_every"]
        self.on_idle()

    def day_screen(self):
        with self.client.get(f"/api/units/{self.o['unit_id']}/days/{self.o['day']}", headers=self.headers,
                             name="day view", catch_response=True) as r:
            if r.status_code != 200:
                r.failure(f"HTTP {r.status_code}")
                return
            residents = [row["resident"]["id"] for row in r.json()["residents"]]
        if not SETTINGS.get("screen_cards", False):
            return
        for rid in residents:
            with self.client.get(f"/api/cards?resident_id={rid}", headers=self.headers, name="day view: cards",
                                 catch_response=True) as r:
                if r.status_code != 200:
                    r.failure(f"HTTP {r.status_code}")
                else:
                    COUNTS["cards_read"] += len(r.json())

    def resident_list(self):
        with self.client.get(f"/api/residents?unit_id={self.o['unit_id']}", headers=self.headers,
                             name="resident list", catch_response=True) as r:
            if r.status_code != 200:
                r.failure(f"HTTP {r.status_code}")
            elif not isinstance(r.json(), list):
                r.failure("not a list")
