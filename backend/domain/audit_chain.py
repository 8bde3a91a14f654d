"""The audit log's hash chain, defined once: each row's hash covers the previous row's hash and the row's own
fields, so changing, inserting or deleting a row breaks every link after it.

Pure: takes and returns plain dicts (no Flask, no database). Chain order is id order.
"""
import hashlib
import json
from dataclasses import dataclass
from datetime import UTC, datetime

#: The `prev_hash` of the first row.
GENESIS = "0" * 64

FIELDS = ("at", "actor_id", "role", "device_id", "address", "action", "object_type", "object_id", "detail")


def _at(value):
    if isinstance(value, datetime):
        if value.tzinfo is not None:
            value = value.astimezone(UTC).replace(tzinfo=None)
        return value.isoformat()
    return value


def canonical(row):
    """The row's hashed fields as compact sorted-key JSON (`at` as naive UTC ISO text)."""
    fields = {name: row.get(name) for name in FIELDS}
    fields["at"] = _at(fields["at"])
    if fields["object_id"] is not None:
        fields["object_id"] = str(fields["object_id"])
    return json.dumps(fields, sort_keys=True, separators=(",", ":"), ensure_ascii=True)


def link_hash(prev_hash, row):
    return hashlib.sha256((prev_hash + canonical(row)).encode("ascii")).hexdigest()


def extend(prev_hash, rows):
    """Set `prev_hash` and `hash` on each new row in order; returns the last hash (the new head)."""
    for row in rows:
        row["prev_hash"] = prev_hash
        prev_hash = row["hash"] = link_hash(prev_hash, row)
    return prev_hash


@dataclass(frozen=True)
class Result:
    rows: int
    broken_at: int | None = None
    reason: str | None = None

    @property
    def intact(self):
        return self.broken_at is None


def verify(rows):
    """Walk rows (dicts with `id`, `prev_hash`, `hash` and the hashed fields) in id order.
    Returns a Result naming the first row whose link does not hold."""
    expected_prev = GENESIS
    count = 0
    last_id = None
    for row in rows:
        if last_id is not None and row["id"] <= last_id:
            return Result(count, row["id"], "rows are not in id order")
        last_id = row["id"]
        if row.get("prev_hash") != expected_prev:
            why = "no hash (written outside the chain)" if row.get("hash") is None else \
                "prev_hash does not match the previous row's hash (a row before it was removed or changed)"
            return Result(count, row["id"], why)
        if link_hash(expected_prev, row) != row.get("hash"):
            return Result(count, row["id"], "hash does not match the row's contents (the row was changed)")
        expected_prev = row["hash"]
        count += 1
    return Result(count)
