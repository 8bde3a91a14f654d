"""The audit hash chain as a pure function: extend, then verify names the first broken link."""
import itertools
from datetime import datetime, timedelta, timezone

from backend.domain import audit_chain


def _rows(n):
    rows = [{"id": i, "at": datetime(2026, 11, 25, 3, 0, i), "actor_id": 7, "role": "nurse", "device_id": "tab-1",
             "address": "10.0.0.5", "action": "entry_create", "object_type": "entry", "object_id": f"e{i}",
             "detail": {"late": True, "b": [1, 2]} if i % 2 else None} for i in range(1, n + 1)]
    audit_chain.extend(audit_chain.GENESIS, rows)
    return rows


def test_an_extended_chain_verifies():
    rows = _rows(5)
    assert rows[0]["prev_hash"] == audit_chain.GENESIS
    assert all(b["prev_hash"] == a["hash"] for a, b in itertools.pairwise(rows))
    assert len({r["hash"] for r in rows}) == 5 and all(len(r["hash"]) == 64 for r in rows)
    result = audit_chain.verify(rows)
    assert result.intact and result.rows == 5
    assert audit_chain.verify([]).intact


def test_extending_in_two_steps_equals_one_step():
    rows = _rows(4)
    again = [{k: v for k, v in r.items() if k not in ("hash", "prev_hash")} for r in rows]
    head = audit_chain.extend(audit_chain.GENESIS, again[:2])
    assert audit_chain.extend(head, again[2:]) == rows[-1]["hash"]
    assert [r["hash"] for r in again] == [r["hash"] for r in rows]


def test_the_hash_does_not_depend_on_key_order_or_time_zone_or_id_type():
    row = _rows(1)[0]
    same = dict(reversed(list(row.items())))
    assert audit_chain.canonical(same) == audit_chain.canonical(row)
    krasnoyarsk = timezone(timedelta(hours=7))
    aware = dict(row, at=datetime(2026, 11, 25, 10, 0, 1, tzinfo=krasnoyarsk))
    assert audit_chain.canonical(aware) == audit_chain.canonical(row)
    shuffled = dict(row, detail={"b": [1, 2], "late": True})
    assert audit_chain.link_hash("x", shuffled) == audit_chain.link_hash("x", row)
    assert audit_chain.canonical(dict(row, object_id=5)) == audit_chain.canonical(dict(row, object_id="5"))


def test_a_changed_field_is_named():
    for field, value in [("detail", {"late": False, "b": [1, 2]}), ("actor_id", 8), ("action", "entry_amend"),
                         ("at", datetime(2026, 11, 25, 3, 0, 59)), ("object_id", "other")]:
        rows = _rows(5)
        rows[2][field] = value
        result = audit_chain.verify(rows)
        assert (result.intact, result.broken_at, result.rows) == (False, 3, 2), field
        assert "changed" in result.reason


def test_a_deleted_row_is_named_at_the_gap():
    rows = _rows(5)
    del rows[2]
    result = audit_chain.verify(rows)
    assert (result.broken_at, result.rows) == (4, 2) and "removed" in result.reason


def test_a_rewritten_row_with_a_recomputed_hash_still_breaks_the_next_link():
    rows = _rows(5)
    rows[1]["detail"] = {"forged": True}
    rows[1]["hash"] = audit_chain.link_hash(rows[1]["prev_hash"], rows[1])
    assert audit_chain.verify(rows).broken_at == 3


def test_a_row_without_a_hash_or_out_of_order_is_named():
    rows = _rows(3)
    rows.append(dict(rows[0], id=9, hash=None, prev_hash=None))
    assert audit_chain.verify(rows).broken_at == 9
    rows = _rows(3)
    rows[1], rows[2] = rows[2], rows[1]
    assert audit_chain.verify(rows).broken_at == 3
