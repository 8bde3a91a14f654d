"""Run every benchmark once and write docs/benchmarks.md.

    .venv/bin/python -m benchmarks.run [--size quick|full] [--output docs/benchmarks.md] [--profile auto|always|never]

No timed assertions anywhere: the run fails only on wrong answers (a refused entry, a missing duplicate,
an entry missing from a pull). Rates are compared as ratios taken under the same load.
"""
import argparse
import json
import os
import shlex
import sys
import tempfile
import time

from . import pull, push, report, shell
from . import profile as push_profile
from .server import REPO, Server
from .workload import DayStream, EntryFactory, read_layout

#: Target: at batch 500 the push path reaches at least this fraction of the raw SQLite rate.
TARGET_RATIO = 0.10
TARGET_BATCH = 500

SIZES = {
    # entries per (repetition, batch size) pass; repetitions; days in the "month" pull; profiled batches
    "tiny": {"batch_sizes": (20,), "per_pass": 20, "repetitions": 1, "month_days": 2, "profile_batches": 1},
    "quick": {"batch_sizes": (100, 500), "per_pass": 2000, "repetitions": 3, "month_days": 30,
              "profile_batches": 4},
    "full": {"batch_sizes": (100, 500), "per_pass": 10000, "repetitions": 5, "month_days": 30,
             "profile_batches": 10},
}


def run(size="quick", output=None, profile="auto", work_dir=None, log=print, command=None, raw_json=None):
    params = SIZES[size]
    started = time.time()
    machine = report.machine_info()
    results = {"size": size, "params": params, "machine": machine,
               "command": command or "python -m benchmarks.run --size " + size,
               "target": {"ratio": TARGET_RATIO, "batch": TARGET_BATCH}}
    with tempfile.TemporaryDirectory(prefix="bedside-bench-", dir=work_dir) as work:
        log(f"[1/3] push throughput ({size}: {params['repetitions']} x {params['per_pass']:,} entries per batch size)")
        with Server(base_dir=work) as srv, srv.client("nurse1") as client:
            layout = read_layout(client)
            stream = DayStream(EntryFactory(layout))
            results["push"] = push.run(client, layout, stream, srv.database, work, params["batch_sizes"],
                                       params["per_pass"], params["repetitions"], log=log)
        log(f"[2/3] pull size (post {layout.post_id}, {len(layout.residents)} residents) and [3/3] app shell")
        with Server(base_dir=work) as srv, srv.client("nurse1") as client:
            layout = read_layout(client)
            history = _history_days()
            results["pull"] = pull.run(client, layout, EntryFactory(layout, seed=3), params["month_days"],
                                       history, log=log)
            results["shell"] = shell.run(client, log=log)
    target_batch = TARGET_BATCH if TARGET_BATCH in results["push"] else max(results["push"])
    ratio = results["push"][target_batch]["ratio"]
    results["target"].update(measured_batch=target_batch, measured=ratio, met=ratio >= TARGET_RATIO)
    if profile == "always" or (profile == "auto" and not results["target"]["met"]):
        log("profiling the push path")
        results["profile"] = push_profile.run(target_batch, params["profile_batches"], log=log)
    results["machine"]["load_after"] = report.loadavg()
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


def _history_days():
    from backend.config import DEFAULTS
    return DEFAULTS["PULL_HISTORY_DAYS"]


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m benchmarks.run", description=__doc__.split("\n")[0])
    parser.add_argument("--size", choices=sorted(SIZES), default="quick")
    parser.add_argument("--output", default=os.path.join(REPO, "docs", "benchmarks.md"))
    parser.add_argument("--profile", choices=("auto", "always", "never"), default="auto",
                        help="profile the push path: auto = only when the target is missed")
    args = parser.parse_args(argv)
    command = ".venv/bin/python -m benchmarks.run " + shlex.join(argv if argv is not None else sys.argv[1:])
    raw_json = os.path.join(REPO, "benchmarks", "results", f"{args.size}.json")  # git-ignored
    results = run(args.size, args.output, args.profile, command=command.strip(), raw_json=raw_json)
    t = results["target"]
    print(f"target (push >= {t['ratio']:.0%} of raw SQLite at batch {t['measured_batch']}): "
          f"{'met' if t['met'] else 'MISSED'} ({t['measured']:.3f})")


if __name__ == "__main__":
    main()
