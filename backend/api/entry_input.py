"""Parsing one pushed entry: the push path's hot loop.

`EntryInSchema` (schemas.py) documents the entry in the OpenAPI document; this function applies the same
rules without marshmallow's per-field machinery, which cost a third of the push path's time at batch 500
(docs/benchmarks.md). tests/api/test_entry_input.py keeps the two in agreement.
"""
import re
from datetime import date, datetime

from ..domain import entries as entry_rules

#: The fields read, in the order parse unpacks them.
_FIELDS = ("id", "kind", "resident_id", "author_id", "client_seq", "item_id", "day", "slot", "status", "reason",
           "note", "category", "values", "supersedes", "device_id", "device_time", "key_id", "sig")
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
    """Return (entry, errors): the loaded entry with only known keys, or None and {field: message}.

    Every field is read once into a local and the entry is built in one dict display: half the cost of filling
    `out` key by key, which this hot loop paid 500 times a batch."""
    get = raw.get
    eid, kind, resident_id, author_id, client_seq, item_id, day, slot, status, reason, note, category, values, \
        supersedes, device_id, device_time, key_id, sig = map(get, _FIELDS)
    errors = {}
    if not isinstance(eid, str) or not _uuid(eid):
        errors["id"] = "must be a UUID"
    if kind not in entry_rules.KINDS:
        errors["kind"] = f"must be one of: {', '.join(entry_rules.KINDS)}"
    if not _int(resident_id):
        errors["resident_id"] = "must be an integer"
    if not _int(author_id):
        errors["author_id"] = "must be an integer"
    if not _int(client_seq):
        errors["client_seq"] = "must be an integer"
    elif client_seq < 0:
        errors["client_seq"] = "must be at least 0"
    if item_id is not None and not _int(item_id):
        errors["item_id"] = "must be an integer"
    try:
        day = date.fromisoformat(day) if isinstance(day, str) and len(day) == 10 else None
    except ValueError:
        day = None
    if day is None:
        errors["day"] = "must be a date (YYYY-MM-DD)"
    if slot is not None and (not isinstance(slot, str) or len(slot) > 16):
        errors["slot"] = "must be text of at most 16 characters"
    for name, value in (("status", status), ("reason", reason), ("note", note), ("category", category)):
        if value is not None and not isinstance(value, str):
            errors[name] = "must be text"
    if values is not None and (not isinstance(values, dict) or not all(isinstance(k, str) for k in values)):
        errors["values"] = "must be an object"
    if supersedes is not None and not _uuid(supersedes):
        errors["supersedes"] = "must be a UUID"
    if not isinstance(device_id, str) or not 1 <= len(device_id) <= 64:
        errors["device_id"] = "must be text of 1 to 64 characters"
    if not isinstance(device_time, str) or len(device_time) > 40:
        errors["device_time"] = "must be an ISO 8601 time with its offset"
    else:
        try:
            if datetime.fromisoformat(device_time.replace("Z", "+00:00")).tzinfo is None:
                errors["device_time"] = "must carry a UTC offset"
        except ValueError:
            errors["device_time"] = "must be an ISO 8601 time with its offset"
    for (name, limit), value in zip(_SIGNATURE, (key_id, sig)):
        if value is not None and (not isinstance(value, str) or len(value) > limit):
            errors[name] = f"must be text of at most {limit} characters"
    if errors:  # a missing required field has failed its own check above; say it is missing
        for name in _REQUIRED:
            if get(name) is None:
                errors[name] = MISSING
        return None, errors
    return {"id": eid, "kind": kind, "resident_id": resident_id, "author_id": author_id, "client_seq": client_seq,
            "item_id": item_id, "day": day, "slot": slot, "status": status, "reason": reason, "note": note,
            "category": category, "values": values, "supersedes": supersedes, "device_id": device_id,
            "device_time": device_time, "key_id": key_id, "sig": sig}, {}
