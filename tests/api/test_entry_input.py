"""The push path's fast entry parser must accept and refuse exactly what EntryInSchema documents."""
import pytest
from marshmallow import ValidationError

from backend.api import entry_input
from backend.api.schemas import EntryInSchema

GOOD = {"id": "0195f0c2-5d7e-7c3a-9b1e-2f4a6c8d0e12", "kind": "tick", "resident_id": 3, "item_id": 7,
        "day": "2026-11-25", "slot": "08:00", "status": "done", "author_id": 2, "device_id": "tab-1",
        "client_seq": 5, "device_time": "2026-11-25T01:02:03.456Z"}

CASES = [
    {},
    {"extra_key": "ignored"},
    {"item_id": None, "slot": None},
    {"values": {"pulse": 72}, "kind": "vitals", "status": None},
    {"supersedes": "0195f0c2-5d7e-7c3a-9b1e-2f4a6c8d0e13"},
    {"id": "not-a-uuid"},
    {"kind": "dance"},
    {"resident_id": "3"},
    {"resident_id": 3.5},
    {"item_id": "7"},
    {"day": "25.11.2026"},
    {"day": "2026-13-01"},
    {"slot": "x" * 17},
    {"note": 5},
    {"values": [1, 2]},
    {"supersedes": "nope"},
    {"device_id": ""},
    {"device_id": "d" * 65},
    {"client_seq": -1},
    {"device_time": "yesterday"},
    {"device_time": "2026-11-25T08:00:00"},
    {"device_time": "2026-11-25T08:00:00+07:00"},
    {"key_id": "0195f0c2-5d7e-7c3a-9b1e-2f4a6c8d0e14", "sig": "a" * 43},
    {"key_id": 5},
    {"key_id": "k" * 37},
    {"sig": "s" * 65},
    # issue 14: one spelling of an id; the entry table's column lengths; text the database holds; `values` flat
    {"id": GOOD["id"].upper()},
    {"id": GOOD["id"].replace("-", "")},
    {"id": "{" + GOOD["id"] + "}"},
    {"id": "urn:uuid:" + GOOD["id"]},
    {"supersedes": GOOD["id"].upper()},
    {"status": "s" * 16, "kind": "note", "note": "x"},
    {"status": "s" * 17},
    {"reason": "r" * 21},
    {"category": "c" * 31},
    {"device_id": "d" * 64},
    {"note": "a\ud800b"},
    {"note": "a\x00b"},
    {"note": "ночь прошла спокойно"},
    {"status": "\udfff"},
    {"device_id": "tab\ud800"},
    {"key_id": "k\x00"},
    {"sig": "подпись"},
    {"device_time": "2026-11-25T01:02:03\u0661Z"},
    {"values": {"pulse": float("nan")}, "kind": "vitals"},
    {"values": {"pulse": 2**60}, "kind": "vitals"},
    {"values": {"q": [1, 2, [3]]}, "kind": "assessment"},
    {"values": {"q": list(range(33))}, "kind": "assessment"},
    {"values": {"q": ["a", "b"], "r": True, "s": None, "t": 1.5}, "kind": "assessment"},
    {"values": {"q": {"nested": 1}}},
    {"values": {str(i): i for i in range(65)}},
    {"values": {"k" * 65: 1}},
    {"values": {"text": "x\ud800"}},
    {"values": list(range(100_000))},
    {"values": "text"},
]
REQUIRED = ["id", "kind", "resident_id", "author_id", "client_seq", "day", "device_id", "device_time"]


def _schema(raw):
    try:
        return EntryInSchema().load(raw), {}
    except ValidationError as exc:
        return None, exc.messages


@pytest.mark.parametrize("change", CASES + [{"drop": name} for name in REQUIRED])
def test_fast_parser_agrees_with_the_documented_schema(change):
    raw = dict(GOOD)
    if "drop" in change:
        del raw[change["drop"]]
    else:
        raw.update(change)
    fast, fast_errors = entry_input.parse(raw)
    slow, slow_errors = _schema(raw)
    assert set(fast_errors) == set(slow_errors)
    if slow is not None:
        assert fast == {k: slow.get(k) for k in fast}
        assert set(slow) <= set(fast)
