"""The region part of `python -m benchmarks.run`: an empty region and one with history (generated, or reused when
a complete region of the same size is already there), the same load run on each (growth), and the reconnect storm.

Databases on the PostgreSQL server of `postgres_url` (their names contain "region": the generator drops and builds
only such databases): `full` uses bench_region_empty and bench_region_full (the 6-month region, about 30 million
entries; generating it takes 15 to 25 minutes, so it is reused), other sizes bench_region_<size>_empty and
bench_region_<size>. A load run and the storm push real entries into the region they run on; the report gives the
entry count before and after, and a later `--reuse` tops the history up to yesterday.
"""
from . import generate as region_generate
from . import load, storm


def database_names(size):
    """(empty region, region with history) for a size."""
    if size == "full":
        return "bench_region_empty", "bench_region_full"
    return f"bench_region_{size}_empty", f"bench_region_{size}"


def run(postgres_url, size, work_dir, log=print):
    """Plain figures: {"generate": {...}, "empty": load figures, "history": load figures, "storm": storm figures}."""
    empty_name, history_name = database_names(size)
    empty_url = load.with_db_name(postgres_url, empty_name)
    history_url = load.with_db_name(postgres_url, history_name)
    results = {"generate": {}}
    manifests = {}
    for key, url, days in (("empty", empty_url, 0), ("history", history_url, None)):
        log(f"region [{size}] {key}: {load.db_name(url)} (generated unless a complete one is there)")
        manifest = region_generate.generate(url, size, days=days, log=log, reuse=True)
        manifests[key] = manifest
        results["generate"][key] = {k: manifest.get(k) for k in ("size", "days", "entries", "homes", "residents",
                                                                 "today", "first_day", "last_day")}
        results["generate"][key]["posts"] = len(manifest["posts"])
    for key, url in (("empty", empty_url), ("history", history_url)):
        log(f"load [{size}] on the {key} region")
        results[key] = load.run(url, size, work_dir=work_dir, log=log, manifest=manifests[key])
    log(f"reconnect storm [{size}] on the region with history")
    # The load moved the tablets' numbers on: the storm reads them from the database (load.device_max_seq).
    results["storm"] = storm.run(history_url, size, work_dir=work_dir, log=log, manifest=manifests["history"])
    return results


def targets(results):
    """[(target, measured, met)] for the summary; judged on the full size only (None: not judged here)."""
    full = results["history"]["size"] == "full"
    rows = []
    for name, (met, text) in load.targets(results["history"]).items():
        goal = (f"p95 < {load.TARGET_P95_MS} ms, p99 < {load.TARGET_P99_MS} ms" if name != "errors" else "no errors")
        rows.append((f"320 tablets on the 6-month region: {name}, {goal}" if name != "errors"
                     else f"320 tablets on the 6-month region: {goal}",
                     text.split(": ", 1)[1], met if full else None))
    worst = max((g for g in load.growth(results["empty"], results["history"]).values() if g is not None),
                default=None)
    rows.append((f"p95 growth, empty → 6-month region ≤ {load.TARGET_GROWTH}×",
                 "–" if worst is None else f"worst {worst:.2f}×",
                 (worst is not None and worst <= load.TARGET_GROWTH) if full else None))
    s = results["storm"]
    m = storm.met(s)
    drain = "not drained" if s["drain_s"] is None else f"{s['drain_s']:.1f} s"
    rows.append((f"Reconnect storm drained in < {storm.TARGET_DRAIN_S} s", drain, m["drained"] if full else None))
    rows.append(("Reconnect storm: no entry lost or duplicated", f"{s['check']['stored']:,} of {s['check']['sent']:,} "
                 f"stored, {s['check']['duplicates_in_database']} twice", m["exact"]))
    return rows


def markdown(results):
    g = results["generate"]["history"]
    out = ["## 4. A region on one server (PostgreSQL)", "",
           (f"The region with history: {g['homes']} homes, {g['residents']:,} residents, {g['posts']} duty posts, "
            f"{g['days']} days of history ({g['first_day']} to {g['last_day']}), {g['entries']:,} entries, made by "
            "`benchmarks/region/generate.py` (its docstring gives the mix of entries, pushes, confirmations and audit "
            "rows). The empty region has the same homes, residents, staff and cards and no history. The same load "
            "runs on both, the empty one first."), ""]
    out.append(load.markdown(results["empty"]))
    out.append(load.markdown(results["history"], empty=results["empty"]))
    out.append(storm.markdown(results["storm"]))
    return "\n".join(out)
