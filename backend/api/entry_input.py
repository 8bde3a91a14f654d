"""Parsing one pushed entry: the push path's hot loop.

`EntryInSchema` (schemas.py) documents the entry in the OpenAPI document; this function applies the same
rules without marshmallow's per-field machinery, which cost a third of the push path's time at batch 500
(docs/benchmarks.md). tests/api/test_entry_input.py keeps the two in agreement.
"""
import re
from datetime import date, datetime

from ..domain import entries as entry_rules

_OPTIONAL_TEXT = ("status", "reason", "note", "category")
_REQUIRED = ("id", "kind", "resident_id", "author_id", "client_seq", "day", "device_id", "device_time")
MISSING = "Missing data for required field."
#: The signature and its key: optional here, so an unsigned entry is answered `bad_signature` by the rules.
_SIGNATURE = (("key_id", 36), ("sig", 64))


_UUID = re.compile(r"[0-9a-fA-F]{8}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{12}")


def _uuid(value):
    return isinstance(value, str) and _UUID.fullmatch(value) is not None


def _int(value):
    """An integer that fits a 32-bit INTEGER column (a larger one would overflow in the driver: a 500)."""
    return isinstance(value, int) and not isinstance(value, bool) and -2**31 <= value < 2**31


def parse(raw):
    """Return (entry, errors): the loaded entry with only known keys, or None and {field: message}."""
    errors = {}
    out = {}
    eid = raw.get("id")
    if not isinstance(eid, str) or not _uuid(eid):
        errors["id"] = "must be a UUID"
    out["id"] = eid
    kind = raw.get("kind")
    if kind not in entry_rules.KINDS:
        errors["kind"] = f"must be one of: {', '.join(entry_rules.KINDS)}"
    out["kind"] = kind
    for name in ("resident_id", "author_id", "client_seq"):
        value = raw.get(name)
        if not _int(value):
            errors[name] = "must be an integer"
        elif name == "client_seq" and value < 0:
            errors[name] = "must be at least 0"
        out[name] = value
    item_id = raw.get("item_id")
    if item_id is not None and not _int(item_id):
        errors["item_id"] = "must be an integer"
    out["item_id"] = item_id
    day = raw.get("day")
    try:
        out["day"] = date.fromisoformat(day) if isinstance(day, str) and len(day) == 10 else None
    except ValueError:
        out["day"] = None
    if out["day"] is None:
        errors["day"] = "must be a date (YYYY-MM-DD)"
    slot = raw.get("slot")
    if slot is not None and (not isinstance(slot, str) or len(slot) > 16):
        errors["slot"] = "must be text of at most 16 characters"
    out["slot"] = slot
    for name in _OPTIONAL_TEXT:
        value = raw.get(name)
        if value is not None and not isinstance(value, str):
            errors[name] = "must be text"
        out[name] = value
    values = raw.get("values")
    if values is not None and (not isinstance(values, dict) or not all(isinstance(k, str) for k in values)):
        errors["values"] = "must be an object"
    out["values"] = values
    supersedes = raw.get("supersedes")
    if supersedes is not None and not _uuid(supersedes):
        errors["supersedes"] = "must be a UUID"
    out["supersedes"] = supersedes
    device_id = raw.get("device_id")
    if not isinstance(device_id, str) or not 1 <= len(device_id) <= 64:
        errors["device_id"] = "must be text of 1 to 64 characters"
    out["device_id"] = device_id
    device_time = raw.get("device_time")
    if not isinstance(device_time, str) or len(device_time) > 40:
        errors["device_time"] = "must be an ISO 8601 time with its offset"
    else:
        try:
            if datetime.fromisoformat(device_time.replace("Z", "+00:00")).tzinfo is None:
                errors["device_time"] = "must carry a UTC offset"
        except ValueError:
            errors["device_time"] = "must be an ISO 8601 time with its offset"
    out["device_time"] = device_time
    for name, limit in _SIGNATURE:
        value = raw.get(name)
        if value is not None and (not isinstance(value, str) or len(value) > limit):
            errors[name] = f"must be text of at most {limit} characters"
        out[name] = value
    for name in _REQUIRED:
        if raw.get(name) is None:
            errors[name] = MISSING
    return (None, errors) if errors else (out, {})
