"""Machine description and the Markdown report (docs/benchmarks.md)."""
import os
import platform
import re
import sqlite3
import subprocess
import sys
from datetime import datetime, timezone
from importlib import metadata

from .server import REPO, THREADS, WORKERS

NOTES_START = "<!-- notes:start (hand-written; kept when the benchmarks rewrite this file) -->"
NOTES_END = "<!-- notes:end -->"


def loadavg():
    try:
        return " / ".join(f"{x:.2f}" for x in os.getloadavg())
    except OSError:
        return "n/a"


def _cpu_model():
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as fh:
            for line in fh:
                if line.lower().startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def _version(dist):
    try:
        return metadata.version(dist)
    except metadata.PackageNotFoundError:
        return "not installed"


def _git():
    try:
        head = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=REPO, capture_output=True, text=True,
                              timeout=10).stdout.strip()
        return head or "unknown"
    except OSError:
        return "unknown"


def machine_info():
    return {"date": datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC"), "cpu": _cpu_model(),
            "cores": os.cpu_count(), "os": platform.platform(), "python": platform.python_version(),
            "sqlite": sqlite3.sqlite_version, "gunicorn": _version("gunicorn"), "flask": _version("flask"),
            "sqlalchemy": _version("sqlalchemy"), "marshmallow": _version("marshmallow"),
            "requests": _version("requests"), "git": _git(), "load_before": loadavg(),
            "server": f"gunicorn {WORKERS} workers x {THREADS} threads (gthread), as `bedside serve`"}


def _n(x):
    return f"{x:,.0f}"


def _kb(x):
    return f"{x / 1024:,.1f}"


def _range(s, key, fmt):
    return f"{fmt(s[key])} ({fmt(s[key + '_min'])}–{fmt(s[key + '_max'])})"


def _r(x):
    return f"{x:.3f}"


def _kept_notes(path):
    try:
        with open(path, encoding="utf-8") as fh:
            text = fh.read()
    except FileNotFoundError:
        return ""
    m = re.search(re.escape(NOTES_START) + r"\n(.*?)" + re.escape(NOTES_END), text, re.S)
    return m.group(1) if m else ""


def render(results, notes=""):
    m, p = results["machine"], results["params"]
    out = ["# Benchmarks", "",
           "Written by the benchmark run; do not edit the figures by hand. Rerun (about two minutes at `full`):", "",
           "```sh", results["command"], "```", "",
           "Every figure below comes from that one run. The machine is shared and noisy, so the run compares "
           "rates taken back to back (ratios) and reports medians over repetitions with their range. Nothing "
           "here is asserted in the test suite; `tests/benchmarks/test_benchmark_smoke.py` only runs the code "
           "at a tiny size and checks the server's answers.", "",
           "## Machine", "",
           "| | |", "|---|---|",
           f"| Date | {m['date']} |", f"| Command | `{results['command']}` (size `{results['size']}`) |",
           f"| CPU | {m['cpu']}, {m['cores']} cores |", f"| OS | {m['os']} |",
           f"| Load average (1/5/15 min) before / after | {m['load_before']} → {m.get('load_after', 'n/a')} |",
           f"| Python | {m['python']} |", f"| SQLite | {m['sqlite']} |",
           f"| gunicorn | {m['gunicorn']} ({m['server']}) |",
           f"| Flask / SQLAlchemy / marshmallow / requests | {m['flask']} / {m['sqlalchemy']} / "
           f"{m['marshmallow']} / {m['requests']} |",
           f"| Commit | {m['git']} (working tree may hold others' uncommitted changes) |",
           f"| Run time | {results.get('seconds', 0):.0f} s |", ""]
    out += _push_section(results, p)
    if "profile" in results:
        out += _profile_section(results["profile"])
    out += _pull_section(results["pull"])
    out += _shell_section(results["shell"])
    out += ["## Reading", ""] + [f"- {line}" for line in reading(results)] + [""]
    out += ["## Notes", "", NOTES_START, notes.rstrip("\n") + ("\n" if notes.strip() else ""), NOTES_END, ""]
    return "\n".join(out).replace("\n\n\n", "\n\n")


def _push_section(results, p):
    t = results["target"]
    out = ["## 1. Push throughput: `POST /api/sync/push` vs raw SQLite", "",
           "A fresh database seeded by `bedside demo`, served by gunicorn on 127.0.0.1; one `requests.Session` "
           "signed in as nurse1 on a tablet id (keep-alive, header `X-Bedside: 1`) pushes the demo post's realistic entries "
           "(every slot of every card item of its 12 residents, walking back day by day from today: ticks, 5 % "
           "of them \"not done\" with a reason, and vital signs with values) in batches, one request after the "
           "other. Each entry is signed as the tablet signs it (HMAC-SHA256 over its canonical text under the key the "
           "server issued nurse1 for that tablet at sign-in), and request bodies are encoded, before the clock "
           "starts; the server verifies every signature. Every reply is checked: each entry "
           "`accepted` on the first push, `duplicate` on the replay of the same bodies — the run stops on "
           "anything else.", "",
           "Raw SQLite: the same rows (as the push path stores them: seq, unit, flags, payload hash, signature, ...) with "
           "`sqlite3.executemany` into a table with the `entry` table's columns and primary key, in a fresh WAL "
           "database with `synchronous=FULL`, one transaction per batch (median of 3 fresh databases per "
           "measurement). \"+ indexes\" adds the `entry` table's "
           "unique `seq` and its three secondary indexes (shown for reading only; the ratio uses the plain "
           "table).", "",
           f"Per batch size and repetition: {p['per_pass']:,} fresh entries pushed, replayed, then inserted raw, "
           f"back to back; {p['repetitions']} repetitions, interleaved across batch sizes. Figures are medians "
           "(min–max) in entries per second; the ratio is taken per repetition, then its median.", "",
           "| Batch | Requests per pass | Push, first (entries/s) | Replay, all duplicates | Raw SQLite | "
           "Raw + indexes | **Push / raw** | Replay / raw |",
           "|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for size in sorted(results["push"], key=int):
        s = results["push"][size]
        out.append(f"| {size} | {s['requests']} | {_range(s, 'push_rate', _n)} | {_range(s, 'replay_rate', _n)} | "
                   f"{_range(s, 'raw_rate', _n)} | {_range(s, 'raw_idx_rate', _n)} | "
                   f"**{_range(s, 'ratio', _r)}** | {_range(s, 'replay_ratio', _r)} |")
    verdict = "**met**" if t["met"] else "**missed**"
    out += ["", f"Target: at batch {t['batch']} the push path reaches at least {t['ratio']:.0%} of the raw SQLite "
            f"rate — {verdict}: {t['measured']:.1%} (median ratio at batch {t['measured_batch']}).", ""]
    return out


def _profile_section(prof):
    out = ["### Where a push's time goes (cProfile)", "",
           f"{prof['batches']} batches of {prof['batch']} entries pushed in-process through the Flask test client "
           f"(same app code and SQLite settings, no gunicorn or socket), {prof['total_s']:.2f} s under the "
           f"profiler ({prof['entries'] / prof['total_s']:,.0f} entries/s with profiling overhead). Shares are of "
           "the profiled time.", "",
           "Inclusive time of the steps (· marks parts of `services.sync.push`):", "",
           "| Step | Calls | Seconds | Share |", "|---|---:|---:|---:|"]
    out += [f"| {r['step']} | {'' if r['calls'] is None else format(r['calls'], ',')} | {r['cum_s']:.3f} | "
            f"{r['share']:.0%} |" for r in prof["steps"]]
    out += ["", "Own time by module / library:", "", "| Where | Own seconds | Share |", "|---|---:|---:|"]
    out += [f"| {r['owner']} | {r['own_s']:.3f} | {r['share']:.0%} |" for r in prof["owners"]]
    out += ["", "Functions with the most own time:", "", "| Function | Calls | Own s | Inclusive s |",
            "|---|---:|---:|---:|"]
    out += [f"| `{f['function']}` | {f['calls']:,} | {f['own_s']:.3f} | {f['cum_s']:.3f} |" for f in prof["functions"]]
    return out + [""]


def _pull_section(pl):
    def row(name, r, entries):
        per = f"{r['raw'] / entries:,.0f} / {r['gzip'] / entries:,.0f}" if entries else "–"
        return (f"| {name} | {entries:,} | {r['pages']} | {_kb(r['raw'])} | {_kb(r['gzip'])} | "
                f"{r['raw'] / r['gzip']:.1f}× | {per} |")
    return ["## 2. Pull size of a duty post", "",
            f"The demo's post 1 with its {pl['residents']} residents. A day is every slot of every card item "
            f"recorded ({pl['day_entries']:,} entries, vital signs included); the month is {pl['month_days']} such "
            f"days ({pl['month_entries']:,} entries), pushed through the API. Bytes are the JSON response bodies "
            "(no headers) as the server sends them; gzip is level 6 per response, summed. Incremental pulls "
            "follow the cursor from the snapshot's cursor taken before any entry existed (default page size "
            "1000).", "",
            "| Pull | Entries | Requests | KiB raw | KiB gzip | gzip factor | Bytes per entry raw / gzip |",
            "|---|---:|---:|---:|---:|---:|---:|",
            row("Snapshot `cursor=0`, no entries yet (residents, cards, staff)", pl["empty_snapshot"], 0),
            row(f"Snapshot `cursor=0` after the month (today + {pl['history_days']} days of history)",
                pl["snapshot"], pl["snapshot"]["entries"]),
            row("Incremental, one day", pl["day"], pl["day"]["entries"]),
            row(f"Incremental, one month ({pl['month_days']} days)", pl["month"], pl["month"]["entries"]), ""]


def _shell_section(sh):
    out = ["## 3. App shell", "",
           "Every file under `frontend/` fetched from the server as served (`/sw.js` with its version filled "
           "in), plus the three catalogs `/i18n/{ru,zh_Hans,en}.json`. Gzip: each file on its own at level 6, "
           "summed.", "", "| Type | Files | KiB raw | KiB gzip |", "|---|---:|---:|---:|"]
    for ext, t in sh["by_type"].items():
        out.append(f"| {ext} | {t['files']} | {_kb(t['raw'])} | {_kb(t['gzip'])} |")
    tot = sh["total"]
    out.append(f"| **Total** | **{tot['files']}** | **{_kb(tot['raw'])}** | **{_kb(tot['gzip'])}** |")
    if sh["not_served"]:
        out += ["", "Not served (not part of the shell, or failing): " + ", ".join(
            f"`{n['path']}` (HTTP {n['status']})" for n in sh["not_served"]) + "."]
    largest = sorted(sh["files"], key=lambda f: -f["raw"])[:8]
    if largest:
        out += ["", "Largest files: " + ", ".join(f"`{f['path']}` {_kb(f['raw'])} KiB ({_kb(f['gzip'])} gz)"
                                                 for f in largest) + "."]
    return out + [""]


def reading(results):
    lines = []
    t = results["target"]
    pushes = results["push"]
    big = pushes[t["measured_batch"]]
    lines.append(f"At batch {t['measured_batch']} the HTTP push path stores {_n(big['push_rate'])} entries/s, "
                 f"{t['measured']:.1%} of raw SQLite's {_n(big['raw_rate'])} entries/s on the same rows: the "
                 f"{t['ratio']:.0%} target is {'met' if t['met'] else 'missed'}.")
    if len(pushes) > 1:
        small = pushes[min(pushes, key=int)]
        lines.append(f"Batch {min(pushes, key=int)} reaches {small['ratio']:.1%} of raw "
                     f"({_n(small['push_rate'])} entries/s): per-request cost (HTTP, session, JSON, the feed "
                     f"lock, one fsync'd commit) is paid {int(max(pushes, key=int)) // int(min(pushes, key=int))}× "
                     "as often.")
    lines.append(f"A replay (all duplicates) runs at {_n(big['replay_rate'])} entries/s at batch "
                 f"{t['measured_batch']}, {big['replay_rate'] / big['push_rate']:.1f}× the first push: no rows "
                 "are written, but every entry is still parsed, validated and hashed.")
    lines.append(f"Raw SQLite with the `entry` table's unique `seq` and secondary indexes runs at "
                 f"{_n(big['raw_idx_rate'])} entries/s ({big['raw_idx_rate'] / big['raw_rate']:.0%} of the plain "
                 f"table); the push path is still {big['raw_idx_rate'] / big['push_rate']:.0f}× slower than that, "
                 "so index upkeep explains little of the gap: the push path is CPU-bound Python.")
    if len(pushes) > 1:
        n1, n2 = int(min(pushes, key=int)), int(max(pushes, key=int))
        t1, t2 = n1 / pushes[min(pushes, key=int)]["push_rate"], n2 / pushes[max(pushes, key=int)]["push_rate"]
        per_entry = (t2 - t1) / (n2 - n1)
        fixed = t1 - per_entry * n1
        if per_entry > 0 and fixed > 0:
            lines.append(f"From the two batch sizes, one push request costs about {fixed * 1000:.0f} ms plus "
                         f"{per_entry * 1000:.2f} ms per entry over HTTP (a {n2}-entry batch takes "
                         f"{t2 * 1000:.0f} ms).")
    if "profile" in results:
        steps = results["profile"]["steps"]
        if steps:
            top = sorted((s for s in steps if not s["step"].startswith(("Whole", "`services.sync.push`"))),
                         key=lambda s: -s["cum_s"])[:4]
            lines.append("Under the profiler the largest steps are " + "; ".join(
                f"{s['step']} {s['share']:.0%}" for s in top) + " (see the profile tables).")
    pl = results["pull"]
    day, month, snap = pl["day"], pl["month"], pl["snapshot"]
    lines.append(f"A day of the post ({pl['day_entries']:,} entries) is {_kb(day['raw'])} KiB to pull "
                 f"({_kb(day['gzip'])} KiB gzipped, {day['raw'] / day['gzip']:.1f}× smaller); a month is "
                 f"{_kb(month['raw'])} KiB ({_kb(month['gzip'])} KiB gzipped) in {month['pages']} requests; the "
                 f"snapshot a tablet takes when it starts is {_kb(snap['raw'])} KiB ({_kb(snap['gzip'])} KiB "
                 "gzipped).")
    sh = results["shell"]["total"]
    lines.append(f"The app shell with its catalogs is {_kb(sh['raw'])} KiB raw, {_kb(sh['gzip'])} KiB gzipped, "
                 f"over {sh['files']} requests.")
    return lines


def write(path, results):
    notes = _kept_notes(path)
    text = render(results, notes)
    os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
    with open(path, "w", encoding="utf-8") as fh:
        fh.write(text)
    return text


def rerender(raw_json, path):
    """Rewrite the report from a run's raw figures (benchmarks/results/<size>.json), e.g. after a wording change."""
    import json
    with open(raw_json, encoding="utf-8") as fh:
        results = json.load(fh)
    results["push"] = {int(k): v for k, v in results["push"].items()}
    return write(path, results)


if __name__ == "__main__":  # pragma: no cover
    if len(sys.argv) == 3:
        rerender(sys.argv[1], sys.argv[2])
    else:
        sys.exit("run `python -m benchmarks.run`, or `python -m benchmarks.report RESULTS.json OUTPUT.md`")
