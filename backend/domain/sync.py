"""The server's decision for each pushed entry: accepted, duplicate or rejected (never silently dropped).

Every entry must carry the signature of its stated author's key on the device that made it
(domain/signing.py); one that does not is refused as `bad_signature`. Idempotency is on the client-generated id. A known id with the same payload is a duplicate (a
retry); a known id with a different payload is refused as `id_conflict` so the tablet keeps and
shows it. An entry for a day that is already confirmed is accepted and flagged
`late_after_confirmation` for the supervisor.
"""
import hashlib
from operator import itemgetter
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from . import attendance as attendance_rules
from . import days as day_rules
from . import entries as entry_rules
from . import entry_fields, roles, signing
from . import visits as visit_rules
from .messages import Msg

#: Fields the tablet sends and signs; their hash identifies the payload of an id (domain/entry_fields.py).
CLIENT_FIELDS = entry_fields.PAYLOAD
CORRECTION_MESSAGES = {
    "superseded_unknown": Msg("the corrected entry is not on the server"),
    "superseded_mismatch": Msg("a correction must keep the resident, kind, day, item and slot"),
    "not_own_entry": Msg("only the author can correct this entry; a supervisor can amend it"),
}
#: How far a care day may lie from the server's today (tablet clocks drift; history arrives late).
MAX_DAYS_AHEAD = 1
MAX_DAYS_BEHIND = 400


_client_values = itemgetter(*CLIENT_FIELDS)
_VALUES, _DAY = CLIENT_FIELDS.index("values"), CLIENT_FIELDS.index("day")


def payload_hash(entry):
    """A digest of what the tablet sent, independent of key order (repr of plain values is stable)."""
    try:
        parts = _client_values(entry)
    except KeyError:
        parts = tuple(entry.get(key) for key in CLIENT_FIELDS)
    values, day = parts[_VALUES], parts[_DAY]
    if isinstance(values, dict) or isinstance(day, date):
        parts = list(parts)
        if isinstance(values, dict):
            parts[_VALUES] = tuple(sorted(values.items()))
        if isinstance(day, date):
            parts[_DAY] = day.isoformat()
        parts = tuple(parts)
    return hashlib.sha256(repr(parts).encode()).hexdigest()


@dataclass
class Decision:
    id: str
    status: str                 # accepted | duplicate | rejected
    reason: str | None = None
    fields: dict | None = None
    late: bool = False
    flags: dict | None = None   # vital values outside the normal range
    payload_hash: str | None = None
    revoked_device: bool = False  # signed with the key of a tablet revoked since: stored, flagged for review
    score: dict | None = None   # an assessment's score, computed here (the tablet's own is never trusted)


@dataclass
class Context:
    """What the server knows when it judges a batch. All lookups are plain dicts."""
    actor_id: int
    today: date
    existing: dict                      # id -> payload hash, for ids already stored
    residents: dict                     # resident id -> unit id, for the home's residents named in the batch
    items: dict                         # item id -> resident id
    authors: dict                       # user id -> her unit ids (empty: whole home), for staff who may record
    superseded_targets: dict            # id -> entry dict, for ids named in `supersedes`
    confirmations: list                 # dicts: unit_id, resident_id, day, seq
    vitals_definition: dict
    keys: dict = field(default_factory=dict)  # key id -> (user id, device id, raw secret, revoked)
    accepted: dict = field(default_factory=dict)
    #: user id -> the roles she holds, for roles.may_record (an author missing here records bedside entries only)
    author_roles: dict = field(default_factory=dict)
    #: form id -> definition (frontend/forms/*.json), for assessments
    form_definitions: dict = field(default_factory=dict)
    #: For attendance: the home's activities (id -> anything) and timetable lines (id -> dict with activity_id,
    #: kind, weekday, on_date, valid_from, valid_to)
    activities: dict = field(default_factory=dict)
    sessions: dict = field(default_factory=dict)
    #: The server's aware time: a tablet clock more than a day ahead of it is refused (None: not checked)
    now: datetime | None = None
    #: The home's zone: when its care days end, for what a confirmation covers (days.is_late)
    timezone: str = "UTC"
    #: For home visits (kind 'visit'): the home's visits the batch names (id -> dict: resident_id, day,
    #: planned_minutes, cancelled_at, carer_ids -- her current carers), the people visited (resident id -> dict: lat,
    #: lon, radius_m, home_code_hash), the standing arrivals already stored ((visit id, author id) -> entry dict) and
    #: the phone's clock as the push carried it (ISO 8601 with its offset; None: not sent)
    visits: dict = field(default_factory=dict)
    people: dict = field(default_factory=dict)
    arrivals: dict = field(default_factory=dict)
    device_now: str | None = None

    def __post_init__(self):
        # The care days the server takes, computed once per batch rather than once per entry.
        self.first_day = self.today - timedelta(days=MAX_DAYS_BEHIND)
        self.last_day = self.today + timedelta(days=MAX_DAYS_AHEAD)

NOT_PERMITTED = Msg("your role may not record this kind of entry")
#: The same text as api/entry_input.py NOT_UUID: the id's one spelling.
NOT_CANONICAL_ID = Msg("must be a UUID in lower case with hyphens")
BAD_SIGNATURE = {"author_id": Msg("the signature does not match the author on this tablet")}


def signed_by_author(entry, keys):
    """(signature valid for the stated author and device, the key was revoked)."""
    key = keys.get(entry.get("key_id"))
    if key is None:
        return False, False
    user_id, device_id, secret, revoked = key
    if user_id != entry["author_id"] or device_id != entry["device_id"]:
        return False, False
    return signing.verify(secret, entry, entry.get("sig")), revoked


def recorded_at(entry, timezone):
    """When the tablet says the entry was made, as naive UTC (a time without an offset is the home's wall clock)."""
    at = datetime.fromisoformat(entry["device_time"].replace("Z", "+00:00"))
    if at.tzinfo is None:
        at = at.replace(tzinfo=ZoneInfo(timezone))
    return at.astimezone(UTC).replace(tzinfo=None)


def judge(entry, ctx: Context) -> Decision:
    """Decide one entry. Accepted entries are remembered so later ones in the batch can supersede them."""
    eid = entry["id"]
    digest = payload_hash(entry)
    known = ctx.existing.get(eid) or (ctx.accepted[eid]["hash"] if eid in ctx.accepted else None)
    sent = entry.get("sent_id")
    if sent is not None:
        # Another spelling of the id (upper case, no hyphens...) than the one the server keeps: the same entry as a
        # stored one is a duplicate, other content under its id a conflict; it is never stored as a new row.
        if known is None:
            return Decision(sent, "rejected", "invalid", {"id": NOT_CANONICAL_ID})
        return Decision(sent, "duplicate") if known == digest else Decision(sent, "rejected", "id_conflict")
    if known is not None:
        return Decision(eid, "duplicate") if known == digest else Decision(eid, "rejected", "id_conflict")
    signed, revoked = signed_by_author(entry, ctx.keys)
    if not signed:
        return Decision(eid, "rejected", "bad_signature", BAD_SIGNATURE)
    unit_id = ctx.residents.get(entry["resident_id"])
    if unit_id is None:
        return Decision(eid, "rejected", "unknown_resident", {"resident_id": Msg("not a resident of this home")})
    her_units = ctx.authors.get(entry["author_id"])
    if her_units and unit_id not in her_units:
        return Decision(eid, "rejected", "unknown_resident", {"resident_id": Msg("not a resident of your unit")})
    if entry["author_id"] not in ctx.authors:
        return Decision(eid, "rejected", "unknown_author", {"author_id": Msg("not staff who may record here")})
    if not roles.may_record(ctx.author_roles.get(entry["author_id"]), entry["kind"], entry.get("category")):
        return Decision(eid, "rejected", "not_permitted", {"kind": NOT_PERMITTED})
    day = entry["day"]
    if not ctx.first_day <= day <= ctx.last_day:
        return Decision(eid, "rejected", "day_out_of_range", {"day": Msg("the care day is too far from today")})
    if entry.get("item_id") is not None and ctx.items.get(entry["item_id"]) != entry["resident_id"]:
        return Decision(eid, "rejected", "unknown_item", {"item_id": Msg("not an item of this resident's card")})
    errors, flags = entry_rules.validate_fields(entry, ctx.vitals_definition, ctx.form_definitions)
    clock = entry_rules.check_device_time(entry, ctx.now)
    if errors or clock:
        return Decision(eid, "rejected", "invalid", {**errors, **clock})
    attending = entry["kind"] == entry_rules.ATTENDANCE
    if attending:
        problem = attendance_rules.check_activity(entry, ctx.activities, ctx.sessions)
        if problem:
            return Decision(eid, "rejected", problem[0], problem[1])
    visiting = entry["kind"] == entry_rules.VISIT
    if visiting:
        visit, arrival_key = _visit_of(entry, ctx)
        arrival = ctx.arrivals.get(arrival_key)
        problem = visit_rules.check_in_context(entry, visit, arrival)
        if problem:
            reason = "unknown_visit" if "values.visit_id" in problem else "invalid"
            return Decision(eid, "rejected", reason, problem)
    if entry.get("supersedes"):
        target = ctx.superseded_targets.get(entry["supersedes"]) or ctx.accepted.get(entry["supersedes"])
        why = entry_rules.check_correction(entry, target, entry["author_id"], is_amendment=False)
        if why:
            return Decision(eid, "rejected", why, {"supersedes": CORRECTION_MESSAGES[why]})
    # Attendance is not care-card documentation: a confirmed day does not make it late for the supervisor.
    late = not attending and bool(ctx.confirmations) and day_rules.is_late(
        ctx.confirmations, unit_id, entry["resident_id"], day, recorded_at(entry, ctx.timezone), ctx.timezone)
    score = (entry_rules.assessment_score(entry, ctx.form_definitions[entry["category"]])
             if entry["kind"] == entry_rules.ASSESSMENT else None)
    if visiting:
        flags = dict(flags or {}, **visit_rules.flags(
            entry, visit=visit, person=ctx.people.get(entry["resident_id"]), arrival=arrival,
            assigned=entry["author_id"] in visit.get("carer_ids", ()), server_now=ctx.now, device_now=ctx.device_now,
            code_hash_expected=(ctx.people.get(entry["resident_id"]) or {}).get("home_code_hash")))
        _keep_arrival(entry, arrival_key, arrival, ctx)
    ctx.accepted[eid] = dict(entry, hash=digest)
    return Decision(eid, "accepted", late=late, flags=flags or None, payload_hash=digest, revoked_device=revoked,
                    score=score)


def _visit_of(entry, ctx):
    """(the visit the entry names, or None; the key of its author's arrival at it)."""
    visit_id = (entry.get("values") or {}).get("visit_id")
    return ctx.visits.get(visit_id), (visit_id, entry["author_id"])


def _keep_arrival(entry, key, standing, ctx):
    """An accepted arrival stands for later entries of the batch: the first stands (a second one is flagged, not
    counted), a correction of it takes its place."""
    if entry.get("status") != visit_rules.ARRIVED:
        return
    if standing is None or entry.get("supersedes") == standing.get("id"):
        ctx.arrivals[key] = entry
