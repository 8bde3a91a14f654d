"""The home-care benchmark still runs: the tiny size in headless Chromium against a real gunicorn, with its answers
checked -- the grown community centre has the carer's caseload, her pull brought her people and visits, her day's
outbox was pushed whole and the phone's outbox is empty, the offline cold start drew her stops, every arrival saved
without location is on the dispatcher's board as arrived, yesterday's board holds every visit done. No timing is
asserted: the figures live in docs/benchmarks.md, written by the benchmark run at its full size."""
import pytest

from benchmarks import homecare

pytestmark = pytest.mark.browser


def test_the_homecare_benchmark_runs_at_a_tiny_size(tmp_path):
    results = homecare.run("tiny", work_dir=str(tmp_path), log=lambda *_args: None)
    p, t = homecare.SIZES["tiny"], homecare.TARGETS
    thr = str(homecare.THROTTLE)
    world = results["world"]

    # The world: the carer's caseload of 25, each visited three times a week, and two weeks of visits done.
    assert world["carer"]["caseload"] == homecare.CASELOAD == t["pull_people"]
    assert world["carer"]["today"] >= t["outbox_visits"]
    assert world["history_entries"] > 0 and world["people"] > homecare.CASELOAD

    # Her pull: her 25 people and her visits of the window, measured raw and gzipped; each fresh phone stored them.
    ps = results["pull_size"]
    assert ps["residents"] == t["pull_people"] and ps["visits"] > 0 and ps["entries"] > 0
    assert ps["raw"] > ps["gzip"] > 0
    pl = results["pull"][thr]
    assert pl["total_ms"]["n"] == p["pulls"][0]
    assert (pl["residents"], pl["visits"]) == (ps["residents"], ps["visits"]) and pl["apply_ms"]["p50"] > 0

    # Her day's outbox: 10 visits of 8 entries each, pushed until the phone's outbox was empty (day_outbox raises
    # on an entry held or refused).
    ob = results["outbox"][thr]
    assert (ob["visits"], ob["entries"]) == (t["outbox_visits"], t["outbox_visits"] * homecare.OUTBOX_PER_VISIT)
    assert ob["requests"] >= 1 and ob["sent"] > 0

    # The offline cold start drew her stops.
    cs = results["cold_start"][thr]
    assert cs["drawn"]["n"] == p["cold_starts"][0] and cs["stops"] > 0
    assert 0 < cs["drawn"]["p50"] <= cs["painted"]["p50"]

    # Arrivals at both rates, each committed before it was drawn; every one is on the board as arrived (run checks).
    for rate, n in zip((thr, "1"), p["arrivals"], strict=True):
        saved = results["arrivals"][rate]["save"]
        assert saved["painted"]["n"] == n
        assert 0 < saved["committed"]["p50"] <= saved["painted"]["p50"]
    today = results["board"]["today"]["counts"]
    assert today["arrived"] >= sum(p["arrivals"])

    # Yesterday's board: every visit of the day, all of them done; the screen drew them all.
    yesterday = results["board"]["yesterday"]
    assert yesterday["visits"] == world["visits_by_day"][yesterday["day"]] == yesterday["counts"]["left"]
    assert results["board_screen"]["rows"] == yesterday["visits"]

    # The report: the section and the summary's rows; the board is not judged with fewer than 300 visits.
    text = homecare.markdown(results)
    for heading in ("## Home care", "### The carer's phone", "### The dispatcher's board"):
        assert heading in text
    verdicts = {label: met for label, _value, met in homecare.targets(results)}
    assert verdicts[f"The dispatcher's board with {t['board_visits']} visits, p95 < {t['board_p95_ms']} ms"] is None
    assert len(verdicts) == 6
