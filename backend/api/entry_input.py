"""Parsing one pushed entry: the push path's hot loop.

`EntryInSchema` (schemas.py) documents the entry in the OpenAPI document; this function applies the same
rules without marshmallow's per-field machinery, which cost a third of the push path's time at batch 500
(docs/benchmarks.md). tests/api/test_entry_input.py keeps the two in agreement.
"""
import math
import re
from datetime import date, datetime

from ..domain import entries as entry_rules
from ..domain import entry_fields
from ..domain.messages import Msg
from ..models.entry import Entry

#: The fields read, in the order parse unpacks them, and those an entry must have (domain/entry_fields.py).
_FIELDS = entry_fields.SENT
_REQUIRED = entry_fields.REQUIRED
MISSING = "Missing data for required field."
#: The signature and its key: optional here, so an unsigned entry is answered `bad_signature` by the rules.
SIGNATURE_LIMITS = {"key_id": 36, "sig": 64}


#: An entry's id (and `supersedes`) in its one canonical spelling, as the tablet writes it (frontend/lib/uuid.js):
#: lower case, hyphenated. Another spelling of the same UUID is refused, never stored as a second row (issue 14;
#: docs/sync.md "The entry").
_UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
NOT_UUID = Msg("must be a UUID in lower case with hyphens")
UUID_DOC = {"format": "uuid", "pattern": f"^{_UUID.pattern}$",
            "description": "lower case, hyphenated: the one spelling of an entry's id"}


def is_uuid(value):
    return isinstance(value, str) and _UUID.fullmatch(value) is not None


#: The text fields' bounds: the entry table's column lengths (one source, models/entry.py). The note is a TEXT
#: column; its bound is a domain rule (entries.NOTE_MAX), refused per entry there.
_COLUMNS = Entry.__table__.c
TEXT_LIMITS = {name: _COLUMNS[name].type.length for name in ("slot", "status", "reason", "category")}
DEVICE_ID_MAX = _COLUMNS["device_id"].type.length
#: Text no column refuses for its length (the shortest bound)
_SHORT = min(TEXT_LIMITS.values())
NOT_TEXT = Msg("contains a character that is not valid text")
NOT_SCALAR = Msg("must be a number, yes/no, text or a list of them")
#: `values`: a flat object of at most VALUES_MAX_KEYS answers, each a number, a yes/no, text, or a list of at most
#: VALUES_MAX_LIST of them (an assessment's multiple choice). What each kind's values hold is a domain rule.
VALUES_MAX_KEYS = 64
VALUES_MAX_LIST = 32
VALUES_TEXT_MAX = entry_rules.NOTE_MAX
KEY_MAX = 64
#: Integers JavaScript holds exactly; the tablet can send no other.
_SAFE_INT = 2**53


def clean_text(value):
    """True for text the database can hold: no NUL (PostgreSQL's text refuses it) and no lone surrogate (JSON's
    "\\ud800" loads as one; UTF-8 cannot hold it). The input boundary (input_guard.py) may refuse a whole request
    for them; the entry is refused on its own here all the same, by name. ASCII, most of an entry, costs two scans."""
    if "\x00" in value:
        return False
    if value.isascii():
        return True
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _scalar_problem(value):
    kind = type(value)
    if value is None or kind is bool:
        return None
    if kind is int:
        return None if -_SAFE_INT <= value <= _SAFE_INT else Msg("must be a number")
    if kind is float:
        return None if math.isfinite(value) else Msg("must be a number")
    if kind is str:
        if len(value) > VALUES_TEXT_MAX:
            return Msg("at most %(n)s characters", n=VALUES_TEXT_MAX)
        return None if clean_text(value) else NOT_TEXT
    return NOT_SCALAR


def _list_problem(value):
    if len(value) > VALUES_MAX_LIST:
        return Msg("at most %(n)s items", n=VALUES_MAX_LIST)
    for item in value:
        problem = NOT_SCALAR if type(item) is list else _scalar_problem(item)
        if problem is not None:
            return problem
    return None


def values_problems(values):
    """{field: message} for a `values` that is not a small flat object (empty when it is one)."""
    if not isinstance(values, dict):
        return {"values": Msg("must be an object")}
    if len(values) > VALUES_MAX_KEYS:
        return {"values": Msg("at most %(n)s fields", n=VALUES_MAX_KEYS)}
    errors = {}
    for key, value in values.items():
        if type(key) is not str or len(key) > KEY_MAX or not clean_text(key):
            return {"values": Msg("must be an object")}
        kind = type(value)
        # a vital sign, an activity: the common case in one expression (x - x is 0.0 only for a finite float)
        if (kind is int and -_SAFE_INT <= value <= _SAFE_INT) or (kind is float and value - value == 0.0):
            continue
        problem = _list_problem(value) if kind is list else _scalar_problem(value)
        if problem is not None:
            errors[f"values.{key}"] = problem
    return errors


def is_token(value):
    """A key id or a signature: printable ASCII (a NUL in a key id failed its look-up on PostgreSQL: a 500)."""
    return value.isascii() and value.isprintable()


def _text_problem(name, value):
    """The problem of one text field's value, or None (`note`'s length is the domain's: entries.NOTE_MAX)."""
    if not isinstance(value, str):
        return Msg("must be text")
    limit = TEXT_LIMITS.get(name)
    if limit is not None and len(value) > limit:
        return Msg("at most %(n)s characters", n=limit)
    return None if clean_text(value) else NOT_TEXT


def _int(value):
    """An integer that fits a 32-bit INTEGER column (a larger one would overflow in the driver: a 500)."""
    return isinstance(value, int) and not isinstance(value, bool) and -2**31 <= value < 2**31


def parse(raw):
    """Return (entry, errors): the loaded entry with only known keys, or None and {field: message}.

    Every field is read once into a local and the entry is built in one dict display: half the cost of filling
    `out` key by key, which this hot loop paid 500 times a batch."""
    get = raw.get
    eid, kind, resident_id, item_id, day, slot, status, reason, note, values, category, supersedes, author_id, \
        device_id, client_seq, device_time, key_id, sig = map(get, _FIELDS)
    errors = {}
    if not is_uuid(eid):
        errors["id"] = NOT_UUID
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
    for name, value in (("slot", slot), ("status", status), ("reason", reason), ("note", note),
                        ("category", category)):
        # the common case in one expression: short ASCII text (a tick's slot and status)
        if value is not None and not (type(value) is str and len(value) <= _SHORT and value.isascii()
                                      and "\x00" not in value):
            problem = _text_problem(name, value)
            if problem is not None:
                errors[name] = problem
    if values is not None:
        problems = values_problems(values)
        if problems:
            errors.update(problems)
    if supersedes is not None and not is_uuid(supersedes):
        errors["supersedes"] = NOT_UUID
    if not isinstance(device_id, str) or not 1 <= len(device_id) <= DEVICE_ID_MAX:
        errors["device_id"] = f"must be text of 1 to {DEVICE_ID_MAX} characters"
    elif not (device_id.isascii() and "\x00" not in device_id) and not clean_text(device_id):
        errors["device_id"] = NOT_TEXT
    if not isinstance(device_time, str) or len(device_time) > 40 or not device_time.isascii():
        errors["device_time"] = "must be an ISO 8601 time with its offset"
    else:
        try:
            if datetime.fromisoformat(device_time.replace("Z", "+00:00")).tzinfo is None:
                errors["device_time"] = "must carry a UTC offset"
        except ValueError:
            errors["device_time"] = "must be an ISO 8601 time with its offset"
    for (name, limit), value in zip(SIGNATURE_LIMITS.items(), (key_id, sig)):
        if value is not None and (type(value) is not str or len(value) > limit or not value.isascii()
                                  or not value.isprintable()):  # is_token, inline
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
