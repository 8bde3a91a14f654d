"""The tablet never stalls behind one entry (issue 14): a push the server refuses or fails on as a whole is halved
until the entry at fault is alone (frontend/lib/outbox.js sendInHalves); everything else goes through in order, with
few requests, and a server failing on every request is not asked once per entry."""
import json
import math

from ..helpers import run_node


def _run(monkeypatch, cases):
    monkeypatch.setenv("OUTBOX_CASES", json.dumps(cases))
    return run_node("run_outbox.mjs")


def test_the_entry_at_fault_is_set_aside_and_the_rest_goes_in_order(monkeypatch):
    cases = [{"n": 5, "poison": {"3": 500}}, {"n": 200, "poison": {"1": 400}}, {"n": 200, "poison": {"200": 413}},
             {"n": 200, "poison": {"17": 500, "18": 400, "150": 422}}, {"n": 1, "poison": {"1": 500}},
             {"n": 7, "poison": {}}, {"n": 6, "poison": {str(i): 400 for i in range(1, 7)}}]
    got = _run(monkeypatch, cases)
    for case, run in zip(cases, got["runs"]):
        bad = {int(k): v for k, v in case["poison"].items()}
        good = [s for s in range(1, case["n"] + 1) if s not in bad]
        assert run["sent"] == good, case  # every good entry, in client_seq order
        assert run["lone"] == sorted([s, status] for s, status in bad.items()), case
        assert run["failed"] is None, case
        # each request's entries are in order, and no entry is sent after a later one got through
        assert all(r == sorted(r) for r in run["requests"])
        # a few requests per entry at fault, not one per entry
        assert len(run["requests"]) <= 1 + len(bad) * 2 * (math.ceil(math.log2(case["n"])) + 1), (case, run)
    assert got["runs"][5]["requests"] == [[1, 2, 3, 4, 5, 6, 7]]  # a good batch: one request, as before


def test_a_server_failing_on_everything_is_not_asked_once_per_entry(monkeypatch):
    got = _run(monkeypatch, [{"n": 200, "poison": {}, "down": 500}, {"n": 2, "poison": {}, "down": 500}])
    for run, n in zip(got["runs"], (200, 2)):
        # down to the first entry alone, then the rest once more as one request: failing too, the round stops
        assert run["sent"] == [] and run["lone"] == [[1, 500]]
        assert run["failed"] == {"seqs": list(range(2, n + 1)), "status": 500}
        assert len(run["requests"]) <= math.ceil(math.log2(n)) + 2


def test_offline_is_no_reason_to_split(monkeypatch):
    got = _run(monkeypatch, [{"n": 10, "poison": {}, "offline_after": 0},
                             {"n": 10, "poison": {"2": 500}, "offline_after": 6}])
    first, second = got["runs"]
    assert first["requests"] == [list(range(1, 11))] and first["lone"] == [] and first["sent"] == []
    assert first["failed"] == {"seqs": list(range(1, 11)), "status": "offline"}
    # halving under way when the network goes: what got through stays sent, the rest waits whole
    assert second["sent"] == [1] and second["lone"] == [[2, 500]]
    assert second["failed"] == {"seqs": list(range(3, 11)), "status": "offline"}


def test_which_answers_split_a_push(monkeypatch):
    """5xx: maybe one entry; 400 (unless it names only fields outside `entries`), 413, 422: an entry; the auth and
    device answers (401, 403, 409), too-many-requests, offline and the server's database out of reach (503): the
    request, sent again whole with backoff."""
    got = _run(monkeypatch, [])
    assert got["judged"] == ["failed", "refused", None, "refused", "refused", None, None, None, None, None, None]
    assert got["holdAfter"] == 3

