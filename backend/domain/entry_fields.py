"""An entry's fields: the one definition on the server's side (frontend/lib/entry_fields.js is the tablet's;
tests/domain/test_entry_fields.py keeps the two equal). What the tablet sends, what its signature covers, which
column keeps each and what a pull hands back are all derived from FIELDS -- once, at import: the push's hot path
reads plain tuples.

The order is the signature's: the signed fields, in this order, are the canonical text an entry's signature covers
(domain/signing.py) and the payload hash's parts (domain/sync.py); reordering them would break every signature
and every stored hash."""
from collections import namedtuple

#: name: the field's name as the tablet sends it and a pull returns it; what: what it is; sent: the tablet sends it
#: (else the server alone sets it); required: a push refuses an entry without it; signed: the signature covers it;
#: column: the entry table's column that keeps it; pulled: a pull hands it back to tablets.
Field = namedtuple("Field", "name what sent required signed column pulled")


def _sent(name, what, required=False, signed=True, column=None, pulled=True):
    return Field(name, what, True, required, signed, column or name, pulled)


def _kept(name, what, pulled=True):
    return Field(name, what, False, False, False, name, pulled)


FIELDS = (
    _sent("id", "the entry's id: a UUID the tablet makes (lower case, hyphenated)", required=True),
    _kept("seq", "its place in the change feed"),
    _sent("kind", "tick, vitals, note, condition, assessment, attendance or visit", required=True),
    _sent("resident_id", "the resident it is about", required=True),
    _kept("unit_id", "the resident's unit when it reached the server", pulled=False),
    _sent("item_id", "the care card item ticked"),
    _sent("day", "the care day (YYYY-MM-DD)", required=True),
    _sent("slot", "the time slot of the item ticked"),
    _sent("status", "done, refused, ...: what became of the item"),
    _sent("reason", "why an item was not done"),
    _sent("note", "free text"),
    _sent("values", "measurements or answers: a flat object"),
    _kept("flags", "what the server noticed: late, away, ..."),
    _sent("category", "a note's category, an assessment's form, an attendance's activity"),
    _sent("supersedes", "the id of the entry this one corrects"),
    _sent("author_id", "who made it (her signature)", required=True),
    _kept("pushed_by", "who was signed in when it reached the server"),
    _kept("author_post", "the author's post (job title, domain/posts.py) when it reached the server"),
    _sent("device_id", "the tablet that made it", required=True),
    _sent("client_seq", "its number on that tablet", required=True),
    _sent("device_time", "the tablet's clock when it was made, with its UTC offset", required=True),
    # the signature and its key are kept to check the attribution again later; tablets pull neither
    _sent("key_id", "the author's signing key on that tablet", signed=False, pulled=False),
    _sent("sig", "the signature: HMAC-SHA256 of the signed fields' canonical text", signed=False, column="signature",
          pulled=False),
    _kept("received_at", "when it reached the server"),
    _kept("late_after_confirmation", "it reached the server after its day was confirmed"),
    _kept("amendment_reason", "a supervisor's amendment, with its reason"),
    _kept("payload_hash", "the digest of what the tablet sent", pulled=False),
    _kept("from_revoked_device", "it reached the server from a tablet revoked before"),
    _kept("score", "an assessment's score, as the server reckons it"),
)
BY_NAME = {f.name: f for f in FIELDS}
#: What the tablet sends (the push's body: api/entry_input.py parse, schemas.py EntryInSchema).
SENT = tuple(f.name for f in FIELDS if f.sent)
#: What a push refuses an entry without.
REQUIRED = tuple(f.name for f in FIELDS if f.required)
#: What an entry's signature covers, in the canonical text's order (domain/signing.py).
SIGNED = tuple(f.name for f in FIELDS if f.signed)
#: What identifies the payload of an id (domain/sync.py payload_hash): the signed fields.
PAYLOAD = SIGNED
#: The entry table's columns (models/entry.py).
COLUMNS = tuple(f.column for f in FIELDS)
#: What a pull hands back, by column (services/sync.py entry_dicts).
PULLED = tuple(f.column for f in FIELDS if f.pulled)
#: What each field is (the OpenAPI document's descriptions).
WHAT = {f.name: f.what for f in FIELDS}
