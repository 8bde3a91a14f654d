"""The region's load run and reconnect storm (benchmarks/region/load.py, storm.py) still run: a tiny region made by
the generator in a database of the test's own (TEST_DATABASE_URL's server, its name + "_load_region"; the generator
insists on "region" in the name), a tiny load with locust, then a tiny storm, every answer checked.

Skipped without a PostgreSQL TEST_DATABASE_URL (the region is PostgreSQL-only). No timings are asserted: only that the
runs end without an error, every acknowledged entry is stored, the storm's entries are stored and pulled exactly once,
and the figures are there.
"""
import os

import pytest

from tests.helpers import postgres_sibling_url

LOAD_URL = postgres_sibling_url("_load_region")
pytestmark = pytest.mark.skipif(LOAD_URL is None, reason="needs a PostgreSQL TEST_DATABASE_URL")


@pytest.fixture(scope="module")
def region():
    from benchmarks.region import generate as gen
    from benchmarks.region import load
    manifest = gen.generate(LOAD_URL, "tiny", log=lambda *a: None)
    yield manifest
    try:
        os.remove(manifest["manifest_path"])
    except (KeyError, OSError):
        pass
    load.drop_database(LOAD_URL)


def test_tiny_load_run(region, tmp_path):
    from benchmarks.region import load
    results = load.run(LOAD_URL, "tiny", work_dir=str(tmp_path), log=lambda *a: None, manifest=region)
    assert results["errors"] == 0, results["requests"]
    assert results["tablets"] == len(region["posts"]) and results["offices"] == len(region["units"])
    requests = results["requests"]
    for name in ("push", "pull", "day view", "resident list"):
        r = requests[name]
        assert r["requests"] > 0 and r["failures"] == 0, name
        assert 0 < r["p50"] <= r["p95"] <= r["p99"] <= r["max"], name
    # Every entry the server acknowledged is stored; the database grew by exactly those.
    counts, stored = results["counts"], results["stored"]
    assert counts["entries_acknowledged"] > 0 and counts["tablets_out_of_entries"] == 0
    assert stored["acknowledged"] == counts["entries_acknowledged"] == stored["stored"]
    assert results["db_after"]["entries"] - results["db_before"]["entries"] >= stored["stored"]
    # Memory of both workers was sampled.
    workers = results["memory"]["workers"]
    assert len(workers) == 2 and all(w["rss_max"] >= w["pss_max"] > 0 for w in workers)
    text = load.markdown(results, empty=results)
    assert "| push |" in text and "Growth" in text and "Reading" in text


def test_tiny_storm(region, tmp_path):
    from benchmarks.region import storm
    results = storm.run(LOAD_URL, "tiny", work_dir=str(tmp_path), log=lambda *a: None, manifest=region)
    assert results["errors"] == 0 and results["http_429"] == results["http_503"] == 0, results["failures"]
    assert results["drained_tablets"] == results["tablets"] > 0 and results["drain_s"] > 0
    check = results["check"]
    assert check["sent"] == results["entries"] == results["tablets"] * storm.SIZES["tiny"]["backlog"]
    assert check["stored"] == check["sent"] and check["missing_in_database"] == check["duplicates_in_database"] == 0
    assert check["pulled"] == check["sent"] and check["missing_in_pull"] == check["pulled_twice"] == 0
    assert storm.met(results)["exact"]
    assert "Time until every outbox is empty" in storm.markdown(results)
