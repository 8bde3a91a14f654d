"""Reconnect storm: every tablet of the region comes back online at the same moment with a shift's backlog.

    .venv/bin/python -m benchmarks.region.storm --database postgresql+psycopg://postgres@127.0.0.1:5432/<db> \
        [--manifest region.json] [--size tiny|quick|full] [--json out.json]

Before the clock: each tablet signs in (password, with its device id; an enrolled tablet presents its credential),
takes its first pull, and makes its backlog -- `backlog` entries of its post's round (every slot of every card item
of its residents, in round order from a random place, walking back a day when one is not enough), numbered on from
the highest number the server holds for the device and signed as the tablet signs them. The request bodies are
encoded before the clock too.

The storm: one thread per tablet, all released together by a barrier. Each pushes its outbox as frontend/lib/sync.js
does: the oldest 200 pending entries per request with the outbox length, the next batch when the reply has answered
every entry `accepted` or `duplicate`. A failed request (a network error, HTTP 429, 503 or any other non-200, an
entry answered otherwise) is counted and the same batch is sent again after the tablet's back-off (2 s doubling to
60 s, jittered between half and all of it). An outbox is empty when its last batch is acknowledged; the figure is the
time from the release to the last outbox emptied.

Afterwards the answers are checked twice: in the database (every entry's id stored, once: the id is the primary key,
and the count by id must equal the number sent) and through the API (each post pulled from the cursor it had before
the storm: every backlog entry comes back exactly once).
"""
import json
import math
import random
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from urllib.parse import urlencode

import requests

from ..server import CSRF, THREADS, WORKERS, BenchmarkError, Server
from . import load

SIZES = {"tiny": {"tablets": 4, "backlog": 20}, "quick": {"tablets": 40, "backlog": 300},
         "full": {"tablets": 320, "backlog": 300}}
BATCH = 200
TARGET_DRAIN_S = 60
BACKOFF_START_S = 2.0
BACKOFF_CAP_S = 60.0
#: Give up on a tablet after this many failed attempts in a row (a run that never drains still ends).
MAX_ATTEMPTS = 12


def make_backlog(layout, first_seq, n, rng):
    groups = load.build_groups(layout, first_seq, n, rng)
    return [e for g in groups for e in g]


def bodies_of(layout, entries):
    """The tablet's push requests: the oldest BATCH pending entries each, with the outbox length left."""
    out = []
    for i in range(0, len(entries), BATCH):
        chunk = entries[i:i + BATCH]
        out.append((chunk, json.dumps({"device_id": layout.device_id, "post_id": layout.post_id,
                                       "outbox_len": len(entries) - i, "entries": chunk}).encode()))
    return out


class TabletRun:
    """One tablet's storm: its session, its batches, what happened."""

    def __init__(self, url, cookie, headers, layout, batches):
        self.url = url
        self.layout = layout
        self.batches = batches
        self.session = requests.Session()
        self.session.headers.update({"Content-Type": "application/json", "Cookie": cookie,
                                     "Accept-Encoding": "gzip", **CSRF, **headers})
        self.latencies = []      # seconds per answered request
        self.failures = {}       # cause -> count
        self.drained_at = None   # seconds after the release
        self.acknowledged = 0
        self.rng = random.Random(layout.device_id)

    def _fail(self, cause):
        self.failures[cause] = self.failures.get(cause, 0) + 1

    def storm(self, barrier, t0):
        barrier.wait()
        start = t0[0]
        backoff = 0.0
        for chunk, body in self.batches:
            for _attempt in range(MAX_ATTEMPTS):
                t = time.perf_counter()
                try:
                    r = self.session.post(self.url + "/api/sync/push", data=body, timeout=120)
                except requests.RequestException as exc:
                    self.latencies.append(time.perf_counter() - t)
                    self._fail(type(exc).__name__)
                else:
                    self.latencies.append(time.perf_counter() - t)
                    if r.status_code == 200:
                        results = r.json()["results"]
                        if (len(results) == len(chunk)
                                and all(x["id"] == e["id"] and x["status"] in ("accepted", "duplicate")
                                        for x, e in zip(results, chunk))):
                            self.acknowledged += len(chunk)
                            backoff = 0.0
                            break
                        self._fail("entry not acknowledged")
                    else:
                        self._fail(f"HTTP {r.status_code}")
                backoff = min(BACKOFF_CAP_S, backoff * 2 if backoff else BACKOFF_START_S)
                time.sleep(backoff / 2 + self.rng.random() * backoff / 2)
            else:
                return  # gave up: this outbox never empties
        self.drained_at = time.perf_counter() - start

    def close(self):
        self.session.close()


def pull_since(url, cookie, headers, post_id, device_id, cursor):
    """Every entry of the post numbered above `cursor` (following has_more)."""
    session = requests.Session()
    session.headers.update({"Cookie": cookie, **CSRF, **headers})
    entries = []
    try:
        for _ in range(1000):
            q = urlencode({"post_id": post_id, "cursor": cursor, "device_id": device_id})
            r = session.get(f"{url}/api/sync/pull?{q}", timeout=120)
            if r.status_code != 200:
                raise BenchmarkError(f"pull after the storm: HTTP {r.status_code} {r.text[:300]}")
            page = r.json()
            entries += page["entries"]
            cursor = page["cursor"]
            if not page["has_more"]:
                return entries
    finally:
        session.close()
    raise BenchmarkError("pull after the storm did not end")


def verify(database_url, url, tablets, runs):
    """Every backlog entry stored exactly once: in the database by id, and through a pull of each post."""
    sent = [e["id"] for r in runs for chunk, _ in r.batches for e in chunk]
    sent_set = set(sent)
    if len(sent_set) != len(sent):
        raise BenchmarkError("the backlog holds an id twice (a benchmark bug)")
    rows = load.query(database_url, "SELECT id FROM entry WHERE id = ANY(%s)", [sent])
    stored = [i for (i,) in rows]
    missing_db = len(sent_set - set(stored))
    duplicates_db = len(stored) - len(set(stored))
    # Through the API: each post once, from the lowest cursor its tablets had before the storm.
    by_post = {}
    for (layout, cookie, cursor, _epoch, spec) in tablets:
        have = by_post.get(layout.post_id)
        if have is None or cursor < have[2]:
            by_post[layout.post_id] = (layout, cookie, cursor, spec)
    seen = {}
    for layout, cookie, cursor, spec in by_post.values():
        for e in pull_since(url, cookie, load.device_headers(spec), layout.post_id, layout.device_id, cursor):
            if e["id"] in sent_set:
                seen[e["id"]] = seen.get(e["id"], 0) + 1
    return {"sent": len(sent), "stored": len(set(stored)), "missing_in_database": missing_db,
            "duplicates_in_database": duplicates_db, "pulled": len(seen),
            "missing_in_pull": len(sent_set - set(seen)), "pulled_twice": sum(1 for n in seen.values() if n > 1),
            "posts_pulled": len(by_post)}


def run(database_url, size="quick", work_dir=None, log=print, manifest=None, workers=WORKERS, threads=THREADS):
    """One storm on `database_url` (PostgreSQL); manifest as in load.run (None: seed the empty database with the demo)."""
    params = SIZES[size]
    if isinstance(manifest, str):
        manifest = load.load_manifest(manifest)
    started = time.time()
    run_tag = f"s{int(started) % 1000000}"
    rng = random.Random(23)
    results = {"size": size, "params": dict(params), "database": load.db_name(database_url),
               "server": f"gunicorn {workers} workers x {threads} threads", "load_before": load._loadavg()}
    if manifest is not None:
        load.upgrade_schema(database_url)
    with (tempfile.TemporaryDirectory(prefix="bedside-storm-", dir=work_dir) as work,
          Server(base_dir=work, database_url=database_url, seed=manifest is None, workers=workers,
                 threads=threads) as srv):
        if manifest is None:
            fleet = load.fleet_from_demo(srv.url, params["tablets"], units=1)
        else:
            fleet = load.fleet_from_manifest(manifest, params["tablets"], units=1)
        log(f"storm [{size}]: {len(fleet['tablets'])} tablets x {params['backlog']} entries on "
            f"{results['database']}")
        t = time.perf_counter()
        with ThreadPoolExecutor(load.SIGN_IN_THREADS) as pool:
            tablets = list(pool.map(lambda a: load.sign_in_tablet(srv.url, a[1], fleet["password"], run_tag, a[0]),
                                    enumerate(fleet["tablets"])))
        starts = load.device_max_seq(database_url, [layout.device_id for layout, *_ in tablets])
        runs = []
        for layout, cookie, _cursor, _epoch, spec in tablets:
            entries = make_backlog(layout, starts.get(layout.device_id, 0), params["backlog"], rng)
            runs.append(TabletRun(srv.url, cookie, load.device_headers(spec), layout, bodies_of(layout, entries)))
        results["prepare_s"] = time.perf_counter() - t
        barrier = threading.Barrier(len(runs) + 1)
        t0 = [0.0]
        sampler = load.Sampler(srv, every=1.0)
        threads_ = [threading.Thread(target=r.storm, args=(barrier, t0), daemon=True) for r in runs]
        for th in threads_:
            th.start()
        sampler.start()
        t0[0] = time.perf_counter()
        barrier.wait()
        for th in threads_:
            th.join()
        wall = time.perf_counter() - t0[0]
        machine = sampler.stop()
        for r in runs:
            r.close()
        log(f"  storm over in {wall:.1f} s; checking what was stored")
        results["check"] = verify(database_url, srv.url, tablets, runs)
    drained = [r.drained_at for r in runs]
    latencies = sorted(x * 1000 for r in runs for x in r.latencies)
    failures = {}
    for r in runs:
        for cause, n in r.failures.items():
            failures[cause] = failures.get(cause, 0) + n
    done = [d for d in drained if d is not None]
    results.update({
        "tablets": len(runs), "entries": sum(len(c) for r in runs for c, _ in r.batches),
        "requests": len(latencies), "wall_s": wall,
        "drain_s": max(done) if len(done) == len(runs) else None,
        "drained_tablets": len(done), "drain_p50_s": load.percentile(sorted(done), 50),
        "drain_p95_s": load.percentile(sorted(done), 95),
        "push_p50_ms": load.percentile(latencies, 50), "push_p95_ms": load.percentile(latencies, 95),
        "push_p99_ms": load.percentile(latencies, 99), "push_max_ms": latencies[-1] if latencies else None,
        "failures": failures, "errors": sum(failures.values()),
        "http_429": failures.get("HTTP 429", 0), "http_503": failures.get("HTTP 503", 0),
        "memory": machine, "load_after": load._loadavg(), "seconds": time.time() - started})
    results["entries_per_s"] = results["entries"] / results["drain_s"] if results["drain_s"] else None
    return results


def met(results):
    c = results["check"]
    exact = (c["missing_in_database"] == 0 and c["duplicates_in_database"] == 0 and c["missing_in_pull"] == 0
             and c["pulled_twice"] == 0 and c["stored"] == c["sent"])
    return {"drained": results["drain_s"] is not None and results["drain_s"] < TARGET_DRAIN_S, "exact": exact}


def markdown(results):
    p, c = results["params"], results["check"]
    m = met(results)
    drain = "not drained" if results["drain_s"] is None else f"{results['drain_s']:.1f} s"
    cpu = results["memory"]["cpu_cores"]
    out = [f"### Reconnect storm: {results['tablets']} tablets x {p['backlog']} entries (`{results['database']}`)", "",
           (f"{results['server']}. All tablets released at once by a barrier (one thread each, keep-alive session); "
           f"each pushes its outbox as the tablet does, {BATCH} entries a request, and retries a failed request "
           f"after the tablet's back-off. Sign-ins, first pulls and signing the backlog "
           f"({results['prepare_s']:.0f} s) are before the clock. Load average {results['load_before']} → "
           f"{results['load_after']}."), "",
           "| | |", "|---|---:|",
           f"| Entries pushed | {results['entries']:,} in {results['requests']:,} requests |",
           f"| **Time until every outbox is empty** | **{drain}** |",
           f"| Outboxes emptied: median / p95 | {_s(results['drain_p50_s'])} / {_s(results['drain_p95_s'])} |",
           f"| Entries per second (whole storm) | {_n(results['entries_per_s'])} |",
           (f"| Push request p50 / p95 / p99 / max (ms) | {_n(results['push_p50_ms'])} / {_n(results['push_p95_ms'])} / "
           f"{_n(results['push_p99_ms'])} / {_n(results['push_max_ms'])} |"),
           f"| Errors (all causes) | {results['errors']} {_causes(results['failures'])} |",
           f"| HTTP 429 / 503 | {results['http_429']} / {results['http_503']} |",
           (f"| Stored (database, by id) | {c['stored']:,} of {c['sent']:,}; missing {c['missing_in_database']}, "
           f"twice {c['duplicates_in_database']} |"),
           (f"| Pulled afterwards ({c['posts_pulled']} posts) | {c['pulled']:,}; missing {c['missing_in_pull']}, "
           f"twice {c['pulled_twice']} |"),
           (f"| CPU during the storm (cores) | gunicorn {cpu.get('gunicorn', 0):.2f}, PostgreSQL "
           f"{cpu.get('postgres', 0):.2f}, machine {cpu.get('machine', 0):.2f} |"),
           "| Worker memory, max RSS / PSS (MiB) | "
           + ", ".join(f"{w['rss_max'] / 2**20:.0f} / {w['pss_max'] / 2**20:.0f}" for w in results["memory"]["workers"])
           + " |", ""]
    reading = []
    if results["size"] == "full":
        reading.append(f"Target: drained in under {TARGET_DRAIN_S} s — **{'met' if m['drained'] else 'missed'}** "
                       f"({drain}).")
    else:
        reading.append(f"Size `{results['size']}`: the drain target is judged on the full run only.")
    reading.append(f"No entry lost or stored twice — **{'met' if m['exact'] else 'missed'}**.")
    out += ["Reading:", ""] + [f"- {line}" for line in reading] + [""]
    return "\n".join(out)


def _s(x):
    return "–" if x is None else f"{x:.1f} s"


def _n(x):
    return "–" if x is None or (isinstance(x, float) and math.isnan(x)) else f"{x:,.0f}"


def _causes(failures):
    return f"({', '.join(f'{k}: {v}' for k, v in failures.items())})" if failures else ""


def main(argv=None):
    args = load.cli_parser("python -m benchmarks.region.storm", __doc__, SIZES).parse_args(argv)
    load.cli_run(args, run, markdown, manifest=args.manifest)


if __name__ == "__main__":
    main()
