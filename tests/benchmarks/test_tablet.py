"""The tablet benchmark still runs: the tiny size in headless Chromium against a real gunicorn, with its answers
checked -- the taps were stored on the tablet and on the server, the backlog was pushed and the outbox is empty, the
offline cold starts drew the residents, the first pull brought the post. No timing is asserted: the figures live in
docs/benchmarks.md, written by the benchmark run at its full size."""
import pytest

from benchmarks import tablet

from ..conftest import DEMO_RESIDENTS_PER_POST

pytestmark = pytest.mark.browser


def test_the_tablet_benchmark_runs_at_a_tiny_size(tmp_path):
    results = tablet.run("tiny", work_dir=str(tmp_path), log=lambda *_args: None)
    p = tablet.SIZES["tiny"]
    rates = (tablet.THROTTLE, 1)

    # Cold starts: each drew the post's residents from the tablet with the server stopped.
    for rate in rates:
        runs = results["cold_start"][rate]["runs"]
        assert len(runs) == p["cold_starts"]
        assert all(r["rows"] == DEMO_RESIDENTS_PER_POST and r["interactive"] > 0 for r in runs)

    # Ticks: every tap was stored and pushed (tick_round raises otherwise), each with its commit and paint.
    assert results["ticks"][tablet.THROTTLE]["painted"]["n"] == p["ticks"]
    assert results["ticks"][1]["painted"]["n"] == p["ticks_ref"]
    for rate in rates:
        t = results["ticks"][rate]
        assert 0 < t["committed"]["p50"] <= t["painted"]["p50"]
    assert set(results["ticks"]["floor"]) == {"tap", "tap + one read"}

    # Backlog: recorded offline, then pushed until the outbox was empty.
    for rate in rates:
        b = results["backlog"][rate]
        assert b["entries"] == p["backlog"] and b["outbox_after"] == 0 and b["requests"] >= 1

    # First pull: the post's residents, cards and the history window's entries.
    for rate in rates:
        pl = results["pull"][rate]
        assert pl["residents"] == DEMO_RESIDENTS_PER_POST <= pl["cards"] and pl["entries"] > 0
        assert pl["total_ms"]["n"] == p["pulls"] and pl["apply_ms"]["p50"] > 0

    text = tablet.markdown(results)
    for heading in ("## Tablet", "### Offline cold start", "### A tick", "### Backlog after reconnecting",
                    "### A duty post's first pull", "Reading:"):
        assert heading in text
