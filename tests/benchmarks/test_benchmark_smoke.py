"""The benchmarks still run: a tiny size against a real gunicorn, with every server answer checked.

No timing assertions: only that the run produces numbers and a report. The figures themselves live in
docs/benchmarks.md, written by `python -m benchmarks.run --size full`. The benchmark signs its entries as a tablet
does (nurse1 signs in with a device id and signs with the key the server issues her for it): an unsigned or
mis-signed entry would be answered `bad_signature`, which stops the run.
"""
from benchmarks import push as push_bench
from benchmarks import run as bench


def test_benchmarks_run_at_a_tiny_size(tmp_path):
    output = tmp_path / "benchmarks.md"
    # The region, the tablet and Lighthouse have tests of their own (test_load, test_region, test_tablet); the
    # test command runs every part at the quick size (scripts/test.sh).
    results = bench.run("tiny", output=str(output), profile="always", work_dir=str(tmp_path),
                        log=lambda *_args: None, parts=("push", "sizes"))
    assert set(results["measured"]) == {"push", "sizes"}

    # Push: every (signed) entry was accepted, then came back a duplicate (push.check_replies raises otherwise), on
    # SQLite, and on PostgreSQL when a server is reachable (benchmarks/push.py POSTGRES_URL).
    (size,) = bench.SIZES["tiny"]["batch_sizes"]
    expected = {"sqlite"} | (set() if push_bench.postgres_unavailable() else {"postgresql"})
    assert set(results["push"]) == expected
    for database in expected:
        push = results["push"][database][size]
        assert push["entries"] == bench.SIZES["tiny"]["per_pass"]
        for key in ("push_rate", "replay_rate", "raw_rate", "raw_idx_rate", "ratio"):
            assert push[key] > 0, (database, key)

    # Pull: the day and the month came back whole, and the snapshot holds the history window.
    pull = results["pull"]
    assert pull["day"]["entries"] == pull["day_entries"] > 0
    assert pull["month"]["entries"] == pull["month_entries"] == pull["day_entries"] * pull["month_days"]
    assert 0 < pull["snapshot"]["entries"] <= pull["month_entries"]
    for name in ("empty_snapshot", "snapshot", "day", "month"):
        assert pull[name]["raw"] > pull[name]["gzip"] > 0, name

    # App shell: at least the page itself, sized raw and gzipped.
    shell = results["shell"]
    assert "index.html" in {f["path"] for f in shell["files"]}
    assert shell["total"]["raw"] > 0 and shell["total"]["gzip"] > 0

    # The profile of the push path and the report.
    assert results["profile"]["entries"] == size * bench.SIZES["tiny"]["profile_batches"]
    assert results["profile"]["steps"]
    text = output.read_text(encoding="utf-8")
    for heading in ("## Targets", "## Machine", "## 1. Push throughput", "## Pull size", "## App shell",
                    "### Reading"):
        assert heading in text
    # The summary judges the push ratio, the shell and the month pull, each with a verdict.
    judged = {part for _label, _value, met, part in bench.report.targets(results) if met is not None}
    assert judged == {"push", "sizes"}
