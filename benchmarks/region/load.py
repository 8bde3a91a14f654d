"""Load run: a region's tablets and supervisors against one server, driven by locust (benchmarks/region/locustfile.py).

    .venv/bin/python -m benchmarks.region.load --database postgresql+psycopg://postgres@127.0.0.1:5432/<db> \
        [--manifest region.json] [--size tiny|quick|full] [--json out.json]

The server is `bedside serve`'s model (gunicorn, 2 workers x 4 threads, benchmarks/server.py) on the given
PostgreSQL database; the database, gunicorn and locust share the machine. Without a manifest the database must be
empty and is seeded with the bare demo (two posts), whose layout is read through the API.

What one tablet does (the realism choices):

* **Entries.** The issue's region records about 160,000 entries a day on 320 tablets: 500 per tablet per day, 21 an
  hour on average. Work is not spread evenly: the busiest hour of the cards' own schedules (every slot of every
  card item of the tablet's residents, counted per hour of the day across all tablets) carries `peak_factor` times
  the average hour, and the run records at that peak-hour rate, 500 / 24 x peak_factor entries an hour per tablet
  (the morning round). The entries are the post's real ones (every slot of every card item of today's cards, in
  round order: slot time, then resident), ticks with 5 % "not done", vital signs with plausible values, made and
  signed (HMAC under the key the server issued the nurse for that tablet at her sign-in) before the window.
* **Pushes.** The tablet pushes 3 s after the last tap (frontend/lib/sync.js, FLUSH_DELAY), so taps less than 3 s
  apart share a push: a push carries 1 to 3 entries (uniform, mean 2), and pushes are a Poisson stream at
  entries-per-hour / 2 (about one every two minutes per tablet at a peak factor of 3). A failed push stays in the
  outbox and goes with the next one. Batches of at most 200, as the tablet.
* **Pulls.** Every 30 s with the tablet's cursor (the app pulls every 60 s; the issue says 30), following `has_more`;
  the first pull (the cursor-0 snapshot) is taken before the window. First pull at a random phase.
* **Supervisors.** One per unit, refreshing the day screen every 60 s: the day view
  (`GET /api/units/<unit>/days/<today>`, which carries the item titles the screen shows; before bb50dcc the screen
  also asked for every resident's cards, `--screen-cards` to measure that); half a period later the unit's resident list
  (`GET /api/residents?unit_id=`, the planner's screens). Pessimistic: a supervisor reviews a day a few times a shift.
* **Before the window**, not in the figures: the sign-ins (password hashing; the login rate limiter counts failures
  only, backend/services/auth.py, and is untouched), each tablet's first pull, and each supervisor's first look at
  her unit's day (the first look ever at a tablet's history reads all its entry numbers once and keeps what it
  found, backend/services/supervision.py; a supervisor has looked before, and it is kept in the database).
* **Schema**: `bedside init` runs on the database first (a region generated before the newest migration gets it).

Sizes: `full` is the issue's run (320 tablets, 10 minutes); `quick` 40 tablets for 60 s; `tiny` 4 tablets for 10 s
with compressed intervals (a smoke test of the machinery: its figures mean nothing).

A load run pushes real entries through the API into the database it is given; reruns add data (the report states the
entry count before and after). Run on a copy (`scratch_copy`) to keep a generated region as it was.
"""
import argparse
import json
import math
import os
import random
import resource
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from datetime import date, timedelta
from urllib.parse import urlsplit

from ..server import REPO, THREADS, WORKERS, BenchmarkError, HttpClient, Server, get_json, sign_in
from ..workload import EntryFactory, Layout

#: The issue's region: entries a day over its tablets.
REGION_ENTRIES_PER_DAY = 160_000
REGION_TABLETS = 320
#: Used when the cards give no schedule to count (never on a generated region or the demo).
DEFAULT_PEAK_FACTOR = 3.0
#: Targets (issue 6): p95 and p99 of push and pull on the 6-month region, and growth from the empty one.
TARGET_P95_MS = 150
TARGET_P99_MS = 400
TARGET_GROWTH = 1.5

SIZES = {
    "tiny": {"tablets": 4, "seconds": 10, "pull_every": 3, "office_every": 4, "push_every": 2.0, "units": 2},
    "quick": {"tablets": 40, "seconds": 60, "pull_every": 30, "office_every": 60, "push_every": None, "units": None},
    "full": {"tablets": 320, "seconds": 600, "pull_every": 30, "office_every": 60, "push_every": None,
             "units": None},
}
#: Entries per push: uniform 1..3 (taps closer than the 3 s flush delay share a push).
GROUP_SIZES = (1, 2, 3)
BATCH = 200
SIGN_IN_THREADS = 4
MEMORY_EVERY_S = 2.0
REQUEST_NAMES = ("push", "pull", "day view", "day view: cards", "resident list")


# --- the database ----------------------------------------------------------------------------------------------

def libpq_url(database_url):
    """postgresql+psycopg://... -> postgresql://... (what psql and psycopg.connect take)."""
    scheme, rest = database_url.split("://", 1)
    return "postgresql://" + rest if scheme.startswith("postgres") else database_url


def db_name(database_url):
    return urlsplit(libpq_url(database_url)).path.lstrip("/")


def with_db_name(database_url, name):
    parts = urlsplit(database_url)
    return parts._replace(path="/" + name).geturl()


def query(database_url, sql, params=None):
    """Rows of one read-only query (a separate connection; the benchmark never writes outside the API)."""
    import psycopg
    with psycopg.connect(libpq_url(database_url), autocommit=True) as con:
        return con.execute(sql, params).fetchall()


def _admin(database_url, sql):
    import psycopg
    with psycopg.connect(libpq_url(with_db_name(database_url, "postgres")), autocommit=True) as con:
        con.execute(sql)


def drop_database(database_url):
    _admin(database_url, f'DROP DATABASE IF EXISTS "{db_name(database_url)}" WITH (FORCE)')


def create_database(database_url, template=None):
    name = db_name(database_url)
    drop_database(database_url)
    if template:  # a file copy: fast for a big region (the default WAL_LOG strategy writes it all to the WAL)
        _admin(database_url, f'CREATE DATABASE "{name}" TEMPLATE "{template}" STRATEGY FILE_COPY')
    else:
        _admin(database_url, f'CREATE DATABASE "{name}"')


@contextmanager
def scratch_copy(database_url, name):
    """A copy of the database under `name` (CREATE DATABASE ... TEMPLATE), dropped at the end."""
    target = with_db_name(database_url, name)
    create_database(target, template=db_name(database_url))
    try:
        yield target
    finally:
        drop_database(target)


def upgrade_schema(database_url):
    """`bedside init` on the database: the newest migrations, as an upgrade of the app does (a region generated
    before a migration gets its tables; nothing else changes)."""
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "SECRET_KEY", "FLASK_APP")}
    env["DATABASE_URL"] = database_url
    with tempfile.TemporaryDirectory(prefix="bedside-init-") as instance:
        env["BEDSIDE_INSTANCE"] = instance
        done = subprocess.run([sys.executable, "-c", "from backend.cli import main; main()", "init"], check=False,
                              cwd=REPO, env=env, capture_output=True, text=True, timeout=600)
    if done.returncode != 0:
        raise BenchmarkError(f"`bedside init` failed:\n{done.stdout}\n{done.stderr}")


def database_figures(database_url):
    (size,), = query(database_url, "SELECT pg_database_size(current_database())")
    (entries,), = query(database_url, "SELECT count(*) FROM entry")
    (residents,), = query(database_url, "SELECT count(*) FROM resident WHERE active")
    (homes,), = query(database_url, "SELECT count(*) FROM home")
    return {"bytes": size, "entries": entries, "residents": residents, "homes": homes}


def device_max_seq(database_url, device_ids):
    """{device id: highest client_seq the server holds or the device reported} (a tablet numbers on from there)."""
    out = dict(query(database_url, "SELECT id, coalesce(max_client_seq, 0) FROM device WHERE id = ANY(%s)",
                     [list(device_ids)]))
    rows = query(database_url, "SELECT d, (SELECT max(client_seq) FROM entry WHERE device_id = d) "
                               "FROM unnest(%s::text[]) AS d", [list(device_ids)])
    for device_id, highest in rows:
        out[device_id] = max(out.get(device_id, 0), highest or 0)
    return out


# --- who takes part ----------------------------------------------------------------------------------------------

def load_manifest(path):
    with open(path, encoding="utf-8") as fh:
        return json.load(fh)


def _spread(items, n):
    """n items spread evenly over the list (every home and unit gets its share at smaller sizes)."""
    if n >= len(items):
        return list(items)
    step = len(items) / n
    return [items[int(i * step)] for i in range(n)]


def fleet_from_manifest(manifest, tablets, units=None):
    """The tablets (one per duty post, spread over the region: the post's day nurse on its enrolled tablet) and one
    supervisor for each unit they belong to (at most `units` of them).

    Manifest (benchmarks/region/generate.py): {"password", "posts": [{"post_id", "unit_id", "nurse", "device_id",
    "device_key", ...}], "units": [{"unit_id", "supervisor", ...}], ...}."""
    posts = _spread(sorted(manifest["posts"], key=lambda p: p["post_id"]), tablets)
    chosen_units = sorted({p["unit_id"] for p in posts})
    by_unit = {u["unit_id"]: u for u in manifest["units"]}
    if units:
        chosen_units = _spread(chosen_units, units)
    return {"password": manifest.get("password", "demo"),
            "tablets": [{"username": p["nurse"], "post_id": p["post_id"], "device_id": p["device_id"],
                         "device_key": p.get("device_key")} for p in posts],
            "offices": [{"username": by_unit[u]["supervisor"], "unit_id": u} for u in chosen_units]}


def fleet_from_demo(url, tablets, units=None):
    """The bare demo: two posts (nurse1's and nurse2's); tablets alternate between them; supervisor1 for each unit."""
    with HttpClient.login(url, "supervisor1", "demo", device_id=None) as sup:
        unit_ids = [u["id"] for u in get_json(sup, "/api/units")]
    if units:
        unit_ids = unit_ids[:units]
    return {"password": "demo",
            "tablets": [{"username": ("nurse1", "nurse2")[i % 2], "post_id": None, "device_id": None}
                        for i in range(tablets)],
            "offices": [{"username": "supervisor1", "unit_id": u} for u in unit_ids]}


# --- before the window: sign-ins, first pulls, the entries ------------------------------------------------------

def device_headers(spec):
    """An enrolled tablet proves its id with its credential on every request (backend/api/context.py)."""
    if spec.get("device_key"):
        return {"X-Device-Id": spec["device_id"], "X-Device-Key": spec["device_key"]}
    return {}


def _cookie(client):
    return "; ".join(f"{k}={v}" for k, v in client.session.cookies.get_dict().items())


def sign_in_tablet(url, spec, password, run_tag, index):
    """Password sign-in on the tablet, its first pull (the snapshot). Returns (layout, cookie, cursor, epoch)."""
    device_id = spec.get("device_id") or f"load-{run_tag}-{index:03d}"
    client = HttpClient(url)
    client.session.headers.update(device_headers(spec))
    try:
        sign_in(client, spec["username"], password, device_id)
        me = get_json(client, "/api/auth/me")
        post_id = spec.get("post_id") or min(p["id"] for p in get_json(client, "/api/posts"))
        snap = get_json(client, f"/api/sync/pull?post_id={post_id}&cursor=0&device_id={device_id}")
        today = date.fromisoformat(snap["today"])
        items = {}
        # Today's card (a region may already hold next month's): the newest month not after today's wins.
        for card in sorted(snap["cards"], key=lambda c: c["month"]):
            if date.fromisoformat(card["month"]) <= today:
                items[card["resident_id"]] = card["items"]
        unit_id = me["unit_ids"][0] if me["unit_ids"] else None  # a region's nurses work in one unit each
        layout = Layout(user_id=me["id"], unit_id=unit_id, post_id=post_id, timezone=me["timezone"],
                        today=today, residents=sorted(snap["residents"], key=lambda r: r["id"]), items=items,
                        device_id=device_id, signing_key=client.signing_key)
        return layout, _cookie(client), snap["cursor"], snap["server_epoch"], spec
    finally:
        client.session.close()  # the server session lives on; locust presents its cookie


def sign_in_office(url, spec, password, day):
    """The supervisor signs in and opens her unit's day once: what a first look at a tablet's history costs (its
    entry numbers read once and kept, backend/services/supervision.py) is not part of the steady load."""
    client = HttpClient.login(url, spec["username"], password, device_id=None)
    try:
        get_json(client, f"/api/units/{spec['unit_id']}/days/{day}")
        return _cookie(client)
    finally:
        client.session.close()


def _round_order(entries):
    """A round: by slot time, then resident (the factory makes them resident by resident)."""
    return sorted(entries, key=lambda e: (e["device_time"][11:16], e["resident_id"]))


def hourly_load(layout):
    """Entries due per hour of the day on this tablet's cards (today)."""
    hours = [0] * 24
    factory = EntryFactory(layout, seed=1)
    for e in factory.day(layout.today):
        hours[int(e["device_time"][11:13])] += 1
    return hours


def build_groups(layout, first_seq, needed, rng):
    """At least `needed` signed entries from the post's round, grouped as pushes (1-3 entries), starting at a random
    place in today's round and walking back day by day if one day is not enough."""
    factory = EntryFactory(layout, seed=rng.randrange(1 << 30))
    factory.client_seq = first_seq
    entries, day = [], layout.today
    for _ in range(400):
        todays = _round_order(factory.day(day))
        if not entries and todays:
            start = rng.randrange(len(todays))
            todays = todays[start:] + todays[:start]
        entries += todays
        if len(entries) >= needed:
            break
        day -= timedelta(days=1)
    if not entries:
        raise BenchmarkError(f"post {layout.post_id} has no card items to record")
    entries = entries[:needed]
    groups, i = [], 0
    while i < len(entries):
        n = rng.choice(GROUP_SIZES)
        groups.append(entries[i:i + n])
        i += n
    return groups


def prepare(url, database_url, fleet, params, run_tag, log, screen_cards=False):
    """Sign everyone in (before the window) and write the plan for locust."""
    rng = random.Random(11)
    password = fleet["password"]
    t0 = time.perf_counter()
    with ThreadPoolExecutor(SIGN_IN_THREADS) as pool:
        tablets = list(pool.map(lambda a: sign_in_tablet(url, a[1], password, run_tag, a[0]),
                                enumerate(fleet["tablets"])))
        days = [next((layout.today for layout, *_ in tablets if layout.unit_id == spec["unit_id"]),
                     tablets[0][0].today).isoformat() for spec in fleet["offices"]]
        offices = list(pool.map(lambda a: sign_in_office(url, a[0], password, a[1]), zip(fleet["offices"], days)))
    sign_in_s = time.perf_counter() - t0
    # The peak hour of the cards' schedules, over all tablets.
    hours = [sum(col) for col in zip(*(hourly_load(layout) for layout, *_ in tablets))]
    daily = sum(hours)
    peak_factor = (max(hours) / (daily / 24)) if daily else DEFAULT_PEAK_FACTOR
    entries_per_hour = REGION_ENTRIES_PER_DAY / REGION_TABLETS / 24 * peak_factor
    mean_group = sum(GROUP_SIZES) / len(GROUP_SIZES)
    push_every = params["push_every"] or 3600 / (entries_per_hour / mean_group)
    # Entries to sign per tablet: the expected pushes of the window x 3 entries, with a wide margin.
    expected_pushes = params["seconds"] / push_every
    needed = int((expected_pushes + 6 * math.sqrt(expected_pushes) + 5) * max(GROUP_SIZES))
    starts = device_max_seq(database_url, [layout.device_id for layout, *_ in tablets])
    plan_tablets = []
    for layout, cookie, cursor, epoch, spec in tablets:
        groups = build_groups(layout, starts.get(layout.device_id, 0), needed, rng)
        plan_tablets.append({"device_id": layout.device_id, "post_id": layout.post_id, "cookie": cookie,
                             "headers": device_headers(spec), "cursor": cursor, "epoch": epoch, "groups": groups})
    plan_offices = [{"unit_id": spec["unit_id"], "cookie": cookie, "day": day}
                    for spec, cookie, day in zip(fleet["offices"], offices, days)]
    settings = {"pull_every": params["pull_every"], "office_every": params["office_every"],
                "push_every": push_every, "batch": BATCH, "seed": 5, "screen_cards": screen_cards}
    log(f"  signed in {len(tablets)} tablets and {len(offices)} supervisors in {sign_in_s:.1f} s; peak factor "
        f"{peak_factor:.2f} -> {entries_per_hour:.0f} entries/h per tablet, a push every {push_every:.0f} s")
    return {"host": url, "tablets": plan_tablets, "offices": plan_offices, "settings": settings}, {
        "sign_in_s": sign_in_s, "peak_factor": peak_factor, "hours": hours, "entries_per_hour": entries_per_hour,
        "push_every_s": push_every, "residents": sum(len(layout.residents) for layout, *_ in tablets),
        "cards_items": sum(len(v) for layout, *_ in tablets for v in layout.items.values())}


# --- during the window: worker memory and CPU ----------------------------------------------------------------

def _rollup(pid):
    """(RSS, PSS) in bytes from /proc/<pid>/smaps_rollup."""
    rss = pss = 0
    with open(f"/proc/{pid}/smaps_rollup", encoding="ascii") as fh:
        for line in fh:
            if line.startswith("Rss:"):
                rss = int(line.split()[1]) * 1024
            elif line.startswith("Pss:"):
                pss = int(line.split()[1]) * 1024
    return rss, pss


CLK_TCK = os.sysconf("SC_CLK_TCK")


def cpu_seconds(pid, children=False):
    """User + system CPU seconds of a process (with children: plus those of its children it has reaped)."""
    with open(f"/proc/{pid}/stat", encoding="ascii") as fh:
        fields = fh.read().rsplit(")", 1)[1].split()
    ticks = int(fields[11]) + int(fields[12])
    if children:
        ticks += int(fields[13]) + int(fields[14])
    return ticks / CLK_TCK


def postgres_pids():
    pids = []
    for name in os.listdir("/proc"):
        if name.isdigit():
            try:
                with open(f"/proc/{name}/comm", encoding="ascii") as fh:
                    if fh.read().strip() in ("postgres", "postmaster"):
                        pids.append(int(name))
            except OSError:
                pass
    return pids


def machine_busy():
    """(busy jiffies, total jiffies) over all CPUs."""
    with open("/proc/stat", encoding="ascii") as fh:
        values = [int(x) for x in fh.readline().split()[1:]]
    idle = values[3] + values[4]
    return sum(values) - idle, sum(values)


class Sampler:
    """Samples the gunicorn workers' RSS and PSS every MEMORY_EVERY_S, and the CPU time of the server, of PostgreSQL
    (all its processes: the machine's other databases included) and of the machine between start() and stop()."""

    def __init__(self, server, every=MEMORY_EVERY_S):
        self.server = server
        self.every = every
        self.samples = {}      # pid -> [(rss, pss), ...]
        self.stop_event = threading.Event()
        self.thread = None
        self.cpu0 = {}

    def _cpu(self):
        worker = sum(self._safe_cpu(p) for p in self.server.worker_pids())
        # Backends that ended are counted in the postmaster's reaped children.
        pg = sum(self._safe_cpu(p, children=True) for p in postgres_pids())
        return {"gunicorn": worker, "postgres": pg}

    @staticmethod
    def _safe_cpu(pid, children=False):
        try:
            return cpu_seconds(pid, children)
        except (OSError, IndexError, ValueError):
            return 0.0

    def start(self):
        self.t0 = time.monotonic()
        self.cpu0 = self._cpu()
        self.busy0 = machine_busy()
        self.pids0 = set(self.server.worker_pids())
        self.thread = threading.Thread(target=self._loop, daemon=True)
        self.thread.start()

    def _loop(self):
        while not self.stop_event.wait(self.every):
            self.sample()

    def sample(self):
        for pid in self.server.worker_pids():
            try:
                self.samples.setdefault(pid, []).append(_rollup(pid))
            except OSError:
                pass

    def stop(self):
        self.sample()
        self.stop_event.set()
        self.thread.join()
        seconds = time.monotonic() - self.t0
        cpu1 = self._cpu()
        busy1 = machine_busy()
        cores = os.cpu_count() or 1
        cpu = {k: (cpu1.get(k, 0) - v) / seconds for k, v in self.cpu0.items()}  # cores used on average
        cpu["machine"] = (busy1[0] - self.busy0[0]) / max(1, busy1[1] - self.busy0[1]) * cores
        workers = []
        for pid, rows in sorted(self.samples.items()):
            rss = [r for r, _ in rows]
            pss = [p for _, p in rows]
            workers.append({"pid": pid, "samples": len(rows), "rss_max": max(rss), "rss_mean": sum(rss) / len(rss),
                            "pss_max": max(pss), "pss_mean": sum(pss) / len(pss)})
        return {"workers": workers, "cpu_cores": cpu, "seconds": seconds,
                "worker_restarts": len(set(self.samples) - self.pids0)}


# --- the figures -----------------------------------------------------------------------------------------------

def percentile(sorted_values, q):
    """Nearest-rank percentile of a sorted list (q in 0..100)."""
    if not sorted_values:
        return None
    k = max(0, math.ceil(q / 100 * len(sorted_values)) - 1)
    return sorted_values[k]


def summarise(raw, window_s):
    out = {}
    for name in REQUEST_NAMES:
        times = sorted(raw["samples"].get(name, []))
        failures = raw["failures"].get(name, {})
        out[name] = {"requests": len(times), "rps": len(times) / window_s if window_s else 0,
                     "p50": percentile(times, 50), "p95": percentile(times, 95), "p99": percentile(times, 99),
                     "max": times[-1] if times else None, "failures": sum(failures.values()),
                     "failure_causes": failures}
    return out


def verify_stored(database_url, acknowledged):
    """Every entry the server acknowledged is stored, once (the id is the primary key; counted to be sure)."""
    if not acknowledged:
        return {"acknowledged": 0, "stored": 0, "missing": 0}
    ids = list(set(acknowledged))
    (stored,), = query(database_url, "SELECT count(*) FROM entry WHERE id = ANY(%s)", [ids])
    return {"acknowledged": len(ids), "stored": stored, "missing": len(ids) - stored}


# --- the run ---------------------------------------------------------------------------------------------------

def run_locust(plan, seconds, work_dir, log):
    plan_path = os.path.join(work_dir, "plan.json")
    out_path = os.path.join(work_dir, "locust-out.json")
    with open(plan_path, "w", encoding="utf-8") as fh:
        json.dump(plan, fh)
    users = len(plan["tablets"]) + len(plan["offices"])
    env = dict(os.environ, BEDSIDE_LOAD_PLAN=plan_path, BEDSIDE_LOAD_OUT=out_path, PYTHONUNBUFFERED="1")
    cmd = [sys.executable, "-m", "locust", "-f", os.path.join(REPO, "benchmarks", "region", "locustfile.py"),
           "--headless", "--users", str(users), "--spawn-rate", str(min(users, 100)), "--run-time", f"{seconds}s",
           "--stop-timeout", "30", "--only-summary", "--loglevel", "WARNING", "--exit-code-on-error", "0",
           "--csv", os.path.join(work_dir, "locust")]
    log_path = os.path.join(work_dir, "locust.log")
    with open(log_path, "w", encoding="utf-8") as out:
        proc = subprocess.Popen(cmd, cwd=REPO, env=env, stdout=out, stderr=subprocess.STDOUT)
    return proc, out_path, log_path


def _tail(path, n=3000):
    try:
        with open(path, encoding="utf-8", errors="replace") as fh:
            return fh.read()[-n:]
    except OSError:
        return ""


def run(database_url, size="quick", work_dir=None, log=print, manifest=None, workers=WORKERS, threads=THREADS,
        screen_cards=False, office_every=None, seconds=None):
    """One load run on `database_url` (PostgreSQL). manifest: a region's manifest (dict or path); None: the database
    must be empty and is seeded with the bare demo. screen_cards: the supervisor's screen also asks for each
    resident's cards after the day view, as frontend/views/supervisor.js did before bb50dcc (before/after); office_every: seconds between her
    refreshes (default: the size's). Returns plain figures (see markdown())."""
    params = dict(SIZES[size])
    if office_every:
        params["office_every"] = office_every
    if seconds:
        params["seconds"] = seconds
    if isinstance(manifest, str):
        manifest = load_manifest(manifest)
    started = time.time()
    run_tag = f"{os.getpid()}{int(started) % 100000}"
    results = {"size": size, "params": dict(params), "database": db_name(database_url),
               "server": f"gunicorn {workers} workers x {threads} threads", "region": manifest is not None,
               "load_before": _loadavg()}
    with tempfile.TemporaryDirectory(prefix="bedside-load-", dir=work_dir) as work:
        if manifest is not None:
            upgrade_schema(database_url)
            results["db_before"] = database_figures(database_url)
        with Server(base_dir=work, database_url=database_url, seed=manifest is None, workers=workers,
                    threads=threads) as srv:
            if manifest is None:
                results["db_before"] = database_figures(database_url)
                fleet = fleet_from_demo(srv.url, params["tablets"], params["units"])
            else:
                fleet = fleet_from_manifest(manifest, params["tablets"], params["units"])
            log(f"load [{size}]: {len(fleet['tablets'])} tablets, {len(fleet['offices'])} supervisors, "
                f"{params['seconds']} s on {results['database']}")
            plan, prep = prepare(srv.url, database_url, fleet, params, run_tag, log, screen_cards)
            results["prepare"] = prep
            results["tablets"] = len(plan["tablets"])
            results["offices"] = len(plan["offices"])
            results["settings"] = plan["settings"]
            sampler = Sampler(srv)
            children0 = resource.getrusage(resource.RUSAGE_CHILDREN)
            proc, out_path, log_path = run_locust(plan, params["seconds"], work, log)
            sampler.start()
            try:
                proc.wait(timeout=params["seconds"] + 180)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
                raise BenchmarkError(f"locust did not stop:\n{_tail(log_path)}") from None
            finally:
                machine = sampler.stop()
            children1 = resource.getrusage(resource.RUSAGE_CHILDREN)  # locust is the only child reaped meanwhile
            machine["cpu_cores"]["locust"] = ((children1.ru_utime + children1.ru_stime - children0.ru_utime
                                               - children0.ru_stime) / machine["seconds"])
            if not os.path.exists(out_path):
                raise BenchmarkError(f"locust wrote no figures (exit {proc.returncode}):\n{_tail(log_path)}")
            with open(out_path, encoding="utf-8") as fh:
                raw = json.load(fh)
            window = raw["window"]["stop"] - raw["window"]["start"]
            results["window_s"] = window
            results["requests"] = summarise(raw, window)
            results["counts"] = raw["counts"]
            results["first_failures"] = raw.get("first_failures", [])
            results["memory"] = machine
            results["stored"] = verify_stored(database_url, raw["acknowledged"])
            if any(r["failures"] for r in results["requests"].values()):
                results["server_log_tail"] = srv._log_tail()
        results["db_after"] = database_figures(database_url)
    results["errors"] = sum(r["failures"] for r in results["requests"].values())
    results["load_after"] = _loadavg()
    results["seconds"] = time.time() - started
    return results


def _loadavg():
    try:
        return " / ".join(f"{x:.2f}" for x in os.getloadavg())
    except OSError:
        return "n/a"


# --- the report ------------------------------------------------------------------------------------------------

def _ms(x):
    return "–" if x is None else f"{x:,.0f}"


def _mib(x):
    return f"{x / 2**20:,.0f}"


def targets(results):
    """{name: (met, text)} for the issue's targets this run can judge."""
    req = results["requests"]
    out = {}
    for name in ("push", "pull"):
        r = req[name]
        met = r["p95"] is not None and r["p95"] < TARGET_P95_MS and r["p99"] < TARGET_P99_MS
        out[name] = (met, (f"{name}: p95 {_ms(r['p95'])} ms (< {TARGET_P95_MS}), p99 {_ms(r['p99'])} ms "
                          f"(< {TARGET_P99_MS})"))
    out["errors"] = (results["errors"] == 0, f"errors: {results['errors']}")
    return out


def growth(empty, full):
    """p95 on the full database over p95 on the empty one, per request type."""
    out = {}
    for name in REQUEST_NAMES:
        a, b = empty["requests"][name]["p95"], full["requests"][name]["p95"]
        out[name] = (b / a) if a and b is not None else None
    return out


def _shown(results):
    """The request types of the run (the per-resident cards only when the screen asked for them)."""
    return [n for n in REQUEST_NAMES if n != "day view: cards" or results["settings"].get("screen_cards")]


def _table(results):
    rows = ["| Request | Requests | Per second | p50 (ms) | p95 (ms) | p99 (ms) | max (ms) | Errors |",
            "|---|---:|---:|---:|---:|---:|---:|---:|"]
    for name in _shown(results):
        r = results["requests"][name]
        causes = ", ".join(f"{k}: {v}" for k, v in r["failure_causes"].items())
        rows.append(f"| {name} | {r['requests']:,} | {r['rps']:.2f} | {_ms(r['p50'])} | {_ms(r['p95'])} | "
                    f"{_ms(r['p99'])} | {_ms(r['max'])} | {r['failures']}{f' ({causes})' if causes else ''} |")
    return rows


def _memory_table(results):
    m = results["memory"]
    rows = ["| Worker | Samples | RSS max (MiB) | RSS mean | PSS max (MiB) | PSS mean |", "|---|---:|---:|---:|---:|---:|"]
    for i, w in enumerate(m["workers"], 1):
        rows.append(f"| {i} (pid {w['pid']}) | {w['samples']} | {_mib(w['rss_max'])} | {_mib(w['rss_mean'])} | "
                    f"{_mib(w['pss_max'])} | {_mib(w['pss_mean'])} |")
    return rows


def markdown(results, empty=None):
    """The report section of a load run; with `empty` (a run on the empty region) also the growth table."""
    p, prep = results["params"], results["prepare"]
    db = results["db_before"]
    cpu = results["memory"]["cpu_cores"]
    out = [(f"### Load: {results['tablets']} tablets and {results['offices']} supervisors for {p['seconds']} s "
           f"(`{results['database']}`: {db['homes']} homes, {db['residents']:,} residents, {db['entries']:,} entries, "
           f"{db['bytes'] / 2**30:.1f} GiB)"), "",
           (f"{results['server']} on the same machine as PostgreSQL and locust. Per tablet: a push every "
           f"{prep['push_every_s']:.0f} s on average (1–3 entries, {prep['entries_per_hour']:.0f} entries an hour: "
           f"the issue's 500 a day x the cards' peak-hour factor {prep['peak_factor']:.2f}), a pull every "
           f"{p['pull_every']} s; per unit, the supervisor's day screen every {p['office_every']} s (the day view"
           f"{', then each resident’s cards, as the screen did before bb50dcc' if results['settings']['screen_cards'] else ''}"
           f") and the resident list. Sign-ins, first pulls and first looks "
           f"({prep['sign_in_s']:.0f} s) are before the window. Window {results['window_s']:.0f} s; load average "
           f"{results['load_before']} → {results['load_after']}."), ""]
    out += _table(results) + [""]
    st = results["stored"]
    out += [(f"Entries: {results['counts']['entries_acknowledged']:,} acknowledged, {st['stored']:,} of them found "
            f"stored ({st['missing']} missing); {results['counts']['entries_pulled']:,} entries pulled in "
            f"{results['counts']['pull_pages']:,} pages. CPU (cores, average over the window): gunicorn "
            f"{cpu.get('gunicorn', 0):.2f}, PostgreSQL {cpu.get('postgres', 0):.2f}, locust "
            f"{cpu.get('locust', 0):.2f}, whole machine {cpu.get('machine', 0):.2f} of {os.cpu_count()}."), "",
            ("Memory per gunicorn worker (`/proc/<pid>/smaps_rollup`, sampled every "
            f"{MEMORY_EVERY_S:.0f} s during the window):"), ""]
    out += _memory_table(results) + [""]
    if results["memory"]["worker_restarts"]:
        out += [f"**{results['memory']['worker_restarts']} worker(s) restarted during the window.**", ""]
    reading = []
    if results["region"] and results["size"] == "full":
        for met, text in targets(results).values():
            reading.append(f"Target {text}: **{'met' if met else 'missed'}**.")
    else:
        reading.append(f"Size `{results['size']}`: the issue's targets are judged on the full run only.")
    ours = sum(cpu.get(k, 0) for k in ("gunicorn", "postgres", "locust"))
    others = cpu.get("machine", 0) - ours
    if others > 0.25:
        reading.append(f"The machine was shared: other processes used {others:.2f} of its {os.cpu_count()} cores on "
                       f"average during the window (load average {results['load_before']} → "
                       f"{results['load_after']}); the latencies include waiting for them.")
    total = sum(r["requests"] for r in results["requests"].values())
    cards = results["requests"]["day view: cards"]["requests"]
    if cards and total:
        reading.append(f"The supervisors' screens asked for {cards:,} residents' cards ({cards / total:.0%} of all "
                       "requests), as the screen did before bb50dcc (`--screen-cards`): it read the item titles from "
                       "every resident's cards after each day view; it now takes them from the day view's reply.")
    if empty is not None:
        g = growth(empty, results)
        out += [("Growth: p95 on this database over p95 on the empty region under the same load (target ≤ "
                f"{TARGET_GROWTH}):"), "", "| Request | p95 empty (ms) | p95 here (ms) | Ratio |", "|---|---:|---:|---:|"]
        for name in _shown(results):
            ratio = g[name]
            out.append(f"| {name} | {_ms(empty['requests'][name]['p95'])} | {_ms(results['requests'][name]['p95'])} "
                       f"| {'–' if ratio is None else f'{ratio:.2f}'} |")
        out.append("")
        worst = max((r for r in g.values() if r is not None), default=None)
        if worst is not None:
            reading.append(f"Growth: the worst p95 ratio is {worst:.2f} — target ≤ {TARGET_GROWTH} "
                           f"**{'met' if worst <= TARGET_GROWTH else 'missed'}**.")
    out += ["Reading:", ""] + [f"- {line}" for line in reading] + [""]
    return "\n".join(out)


def main(argv=None):
    parser = cli_parser("python -m benchmarks.region.load", __doc__, SIZES)
    parser.add_argument("--screen-cards", action="store_true",
                        help="the supervisor's screen before bb50dcc: after the day view, each resident's cards (for the "
                             "item titles the day view now carries)")
    parser.add_argument("--supervisor-every", type=float, help="seconds between a supervisor's refreshes")
    parser.add_argument("--seconds", type=int, help="the window's length (default: the size's)")
    args = parser.parse_args(argv)
    options = {"manifest": args.manifest, "screen_cards": args.screen_cards,
               "office_every": args.supervisor_every, "seconds": args.seconds}
    cli_run(args, run, markdown, **options)


def cli_parser(prog, doc, sizes):
    """The arguments the load and storm command lines share."""
    parser = argparse.ArgumentParser(prog=prog, description=doc.split("\n")[0])
    parser.add_argument("--database", required=True, help="PostgreSQL URL")
    parser.add_argument("--manifest", help="the region's manifest (JSON); none: seed the empty database with the demo")
    parser.add_argument("--size", choices=sorted(sizes), default="quick")
    parser.add_argument("--copy", metavar="NAME", help="run on a copy of the database named NAME (dropped after)")
    parser.add_argument("--json", help="write the figures here")
    return parser


def cli_run(args, run_fn, markdown_fn, **options):
    """The command line's run: on the database or a scratch copy of it (--copy), figures to --json, the report
    section printed (load and storm)."""
    if args.copy:
        with scratch_copy(args.database, args.copy) as url:
            results = run_fn(url, args.size, **options)
    else:
        results = run_fn(args.database, args.size, **options)
    if args.json:
        with open(args.json, "w", encoding="utf-8") as fh:
            json.dump(results, fh, indent=1, default=str)
    print(markdown_fn(results))


if __name__ == "__main__":
    main()
