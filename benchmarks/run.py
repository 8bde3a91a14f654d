"""Run the benchmarks and write docs/benchmarks.md.

    .venv/bin/python -m benchmarks.run [--size tiny|quick|full] [--only push,sizes,region,tablet,lighthouse,homecare]
                                       [--postgres URL] [--output docs/benchmarks.md] [--profile auto|always|never]

Parts: `push` (the push endpoint under gunicorn beside a raw insert, SQLite and PostgreSQL), `sizes` (a duty post's
pulls and the app shell), `region` (a region in PostgreSQL: the load run on an empty and on a region with history,
growth, the reconnect storm, worker memory), `tablet` (headless Chromium with the CPU slowed 4x), `lighthouse`,
`homecare` (issue 18: the carer's phone at 4x, her pull and her day's outbox on a slow link, the dispatcher's board).
`--only` runs some parts and keeps the others' figures from the last run of the same size
(benchmarks/results/<size>.json), so the report always holds every part with the date each was measured.

No timed assertions anywhere: the run fails only on wrong answers (a refused entry, a missing duplicate, an entry
missing from a pull, an error in the load run's checks). Rates are compared as ratios taken under the same load.
"""
import argparse
import json
import os
import shlex
import sys
import tempfile
import time

from backend.config import DEFAULTS

from . import homecare, lighthouse, pull, push, report, shell, tablet
from . import profile as push_profile
from .region import suite as region_suite
from .server import REPO, Server
from .workload import EntryFactory, read_layout

#: Target (issue 6): on SQLite at batch 500 the push path reaches at least 1/8 of the raw SQLite insert rate.
TARGET_RATIO = 0.125
TARGET_BATCH = 500
TARGET_DATABASE = "sqlite"

PARTS = ("push", "sizes", "region", "tablet", "lighthouse", "homecare")

SIZES = {
    # entries per (repetition, batch size) pass; repetitions; days in the "month" pull; profiled batches
    "tiny": {"batch_sizes": (20,), "per_pass": 20, "repetitions": 1, "month_days": 2, "profile_batches": 1},
    "quick": {"batch_sizes": (100, 500), "per_pass": 1000, "repetitions": 2, "month_days": 30,
              "profile_batches": 4},
    "full": {"batch_sizes": (100, 500), "per_pass": 10000, "repetitions": 5, "month_days": 30,
             "profile_batches": 10},
}


def _push(results, size, params, work, log, postgres_url, profile):
    log(f"[push] {size}: {params['repetitions']} x {params['per_pass']:,} entries per batch size")
    databases = push.DATABASES if postgres_url else ("sqlite",)
    results["push"] = push.run(work, params["batch_sizes"], params["per_pass"], params["repetitions"], log=log,
                               databases=databases, postgres_url=postgres_url or push.POSTGRES_URL)
    on_target = results["push"][TARGET_DATABASE]
    target_batch = TARGET_BATCH if TARGET_BATCH in on_target else max(on_target)
    ratio = on_target[target_batch]["ratio"]
    results["target"] = {"ratio": TARGET_RATIO, "batch": TARGET_BATCH, "database": TARGET_DATABASE,
                         "measured_batch": target_batch, "measured": ratio, "met": ratio >= TARGET_RATIO}
    results.pop("profile", None)
    if profile == "always" or (profile == "auto" and not results["target"]["met"]):
        log("[push] profiling the push path")
        results["profile"] = push_profile.run(target_batch, params["profile_batches"], log=log)


def _sizes(results, size, params, work, log, postgres_url, profile):
    log("[sizes] a duty post's pulls and the app shell")
    with Server(base_dir=work) as srv, srv.client("nurse1") as client:
        layout = read_layout(client)
        results["pull"] = pull.run(client, layout, EntryFactory(layout, seed=3), params["month_days"],
                                   DEFAULTS["PULL_HISTORY_DAYS"], log=log)
        results["shell"] = shell.run(client, log=log)


def _region(results, size, params, work, log, postgres_url, profile):
    if postgres_url is None:
        log("[region] skipped: no PostgreSQL server (--postgres)")
        return
    results["region"] = region_suite.run(postgres_url, size, work, log=log)


def _tablet(results, size, params, work, log, postgres_url, profile):
    results["tablet"] = tablet.run(size, work_dir=work, log=log)


def _lighthouse(results, size, params, work, log, postgres_url, profile):
    log("[lighthouse] the nurse's screens")
    results["lighthouse"] = lighthouse.run(size, work_dir=work, log=log)


def _homecare(results, size, params, work, log, postgres_url, profile):
    results["homecare"] = homecare.run(size, work_dir=work, log=log)


RUNNERS = {"push": _push, "sizes": _sizes, "region": _region, "tablet": _tablet, "lighthouse": _lighthouse,
           "homecare": _homecare}


def previous(raw_json, size):
    """The last run's figures of this size (kept for the parts not run now), or {}."""
    try:
        with open(raw_json, encoding="utf-8") as fh:
            old = json.load(fh)
    except (OSError, ValueError):
        return {}
    # Figures of the same size written by this version of the run (it notes when each part was measured).
    return report.from_json(old) if old.get("size") == size and "measured" in old else {}


def run(size="quick", output=None, profile="auto", work_dir=None, log=print, command=None, raw_json=None,
        parts=PARTS, postgres_url=push.POSTGRES_URL):
    """Run `parts` at `size`; postgres_url None (or unreachable) leaves PostgreSQL out. Returns every figure."""
    params = SIZES[size]
    if postgres_url is not None and push.postgres_unavailable(postgres_url):
        log(f"PostgreSQL not reachable ({push.postgres_unavailable(postgres_url)}): SQLite only")
        postgres_url = None
    results = previous(raw_json, size) if raw_json and set(parts) != set(PARTS) else {}
    results.update(size=size, params=params, command=command or "python -m benchmarks.run --size " + size)
    results.setdefault("measured", {})
    started = time.time()
    machine = report.machine_info()
    with tempfile.TemporaryDirectory(prefix="bedside-bench-", dir=work_dir) as work:
        for part in PARTS:
            if part not in parts:
                continue
            t0, load_before = time.time(), report.loadavg()
            RUNNERS[part](results, size, params, work, log, postgres_url, profile)
            results["measured"][part] = {"date": report.machine_info()["date"], "seconds": time.time() - t0,
                                         "load_before": load_before, "load_after": report.loadavg(),
                                         "git": machine["git"]}
    machine["load_after"] = report.loadavg()
    if postgres_url:
        machine["postgres"] = report.postgres_version(postgres_url)
    results["machine"] = machine
    results["seconds"] = time.time() - started
    if output:
        report.write(output, results)
        log(f"wrote {output}")
    if raw_json:
        os.makedirs(os.path.dirname(os.path.abspath(raw_json)), exist_ok=True)
        with open(raw_json, "w", encoding="utf-8") as fh:
            json.dump(results, fh, indent=1, default=str)
        log(f"raw figures: {raw_json}")
    return results


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m benchmarks.run", description=__doc__.split("\n")[0])
    parser.add_argument("--size", choices=sorted(SIZES), default="quick")
    parser.add_argument("--only", default=",".join(PARTS),
                        help=f"comma-separated parts to run: {', '.join(PARTS)} (default: all)")
    parser.add_argument("--postgres", default=push.POSTGRES_URL,
                        help="a PostgreSQL server (any database on it) for the PostgreSQL parts; 'none' to skip them")
    parser.add_argument("--output", default=os.path.join(REPO, "docs", "benchmarks.md"))
    parser.add_argument("--raw", default=None,
                        help="the raw figures' file, merged with when --only runs some parts "
                             "(default benchmarks/results/<size>.json)")
    parser.add_argument("--profile", choices=("auto", "always", "never"), default="auto",
                        help="profile the push path: auto = only when the target is missed")
    args = parser.parse_args(argv)
    parts = [p.strip() for p in args.only.split(",") if p.strip()]
    unknown = set(parts) - set(PARTS)
    if unknown:
        parser.error(f"unknown part(s) {', '.join(sorted(unknown))}: choose from {', '.join(PARTS)}")
    command = ".venv/bin/python -m benchmarks.run " + shlex.join(argv if argv is not None else sys.argv[1:])
    raw_json = args.raw or os.path.join(REPO, "benchmarks", "results", f"{args.size}.json")  # git-ignored
    postgres_url = None if args.postgres.lower() == "none" else args.postgres
    results = run(args.size, args.output, args.profile, command=command.strip(), raw_json=raw_json, parts=parts,
                  postgres_url=postgres_url)
    judged = args.size == "full"
    if not judged:
        print(f"Size {args.size}: indicative figures, taken on whatever else the machine is doing (the test command "
              "runs them beside a test pass); the targets are judged at --size full (docs/benchmarks.md).")
    for label, measured, met, _section in report.targets(results):
        if met is None:
            verdict = "not judged at this size"
        elif judged:
            verdict = "met" if met else "MISSED"
        else:
            verdict = "within the target here" if met else "over the target here"
        print(f"{label}: {measured} — {verdict}")


if __name__ == "__main__":
    main()
