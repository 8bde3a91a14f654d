"""marshmallow schemas: the only (de)serialisers of the API."""
from datetime import date, datetime, timezone
from zoneinfo import ZoneInfo

from marshmallow import EXCLUDE, Schema, ValidationError, fields, validate, validates, validates_schema

from ..domain import entries as entry_rules
from ..domain import entry_fields
from ..domain import roles as role_sets
from ..domain.messages import Msg
from ..domain.schedule import KINDS as SCHEDULE_KINDS
from ..models import Device, LoginAttempt, User
from ..services.cards import CATEGORIES
from . import entry_input
from .translated import PlaceName, PlaceNames

LOCALES = ("ru", "zh_Hans", "en")
#: A tablet's id, wherever a request names one: the device table's key (one source).
DEVICE_ID_MAX = Device.id.type.length


class Int(fields.Int):
    """An integer that fits the database's 32-bit INTEGER column: a larger number is a 400, not an overflow in
    the driver (a 500). Also documents the bounds in the OpenAPI document."""

    RANGE = validate.Range(min=-2**31, max=2**31 - 1)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.validators.append(self.RANGE)


class BigInt(Int):
    """An integer for a 64-bit BIGINT column (feed positions: `seq`, the pull cursor)."""

    RANGE = validate.Range(min=-2**63, max=2**63 - 1)


#: The dates a person may give (a birth, an admission): a year typed wrongly is a 400 naming the field, never a date
#: the clock arithmetic cannot hold (year 1 minus a time-zone offset is out of range: a 500).
PLAUSIBLE_DATE = validate.Range(min=date(1880, 1, 1), max=date(2100, 12, 31),
                                error=Msg("must be a date between 1880 and 2100"))
#: The moments a person may give (a stay's events): in this era.
PLAUSIBLE_MOMENT = validate.Range(min=datetime(1970, 1, 1, tzinfo=timezone.utc),
                                  max=datetime(2100, 12, 31, tzinfo=timezone.utc),
                                  error=Msg("must be between 1970 and 2100"))


class UtcDateTime(fields.DateTime):
    """Every timestamp leaves the API through this field, with its UTC offset (issue 16: one clock for people, the
    home's; a browser reads a time without an offset as its own zone's). Server times are stored as naive UTC: a naive
    value is UTC. A time on the home's clock is made aware (the home's zone) by its service before it is dumped.
    tests/api/test_offsets.py walks every reply and checks every response schema uses it."""

    def _serialize(self, value, attr, obj, **kwargs):
        if value is not None and value.tzinfo is None:
            value = value.replace(tzinfo=timezone.utc)
        return super()._serialize(value, attr, obj, **kwargs)


def home_wall_clock(text, zone):
    """A time on the home's clock, 'YYYY-MM-DDTHH:MM' (naive), with the home's offset then:
    '2026-11-25T09:00+07:00'. Already with an offset, or None: as it is."""
    if text is None:
        return None
    moment = datetime.fromisoformat(text)
    return text if moment.tzinfo else moment.replace(tzinfo=ZoneInfo(zone)).isoformat(timespec="minutes")


class ErrorSchema(Schema):
    error = fields.Str(required=True, metadata={"description": "machine-readable code"})
    message = fields.Str(required=True, metadata={"description": "text in the user's language"})
    field_errors = fields.Dict(keys=fields.Str(), values=fields.Raw(), data_key="fields", attribute="fields",
                               metadata={"description": "field -> problem"})


class UserSchema(Schema):
    id = Int()
    username = fields.Str()
    full_name = fields.Str()
    role = fields.Str(metadata={"description": "her main role: the screen she starts on"})
    roles = fields.List(fields.Str(), metadata={"description": "every role she holds, the main one first: she may do "
                                                               "what any of them may"})
    unit_ids = fields.List(Int(), metadata={"description": "the units she works in; empty: the whole home"})
    can = fields.Function(lambda u: role_sets.capabilities(u.roles), metadata={
        "type": "array", "items": {"type": "string", "enum": list(role_sets.CAPABILITIES)},
        "description": "what she may do (domain/roles.py CAPABILITIES: the capabilities of the roles she holds): "
                       "the tablet shows a screen or pulls data when she can"})
    home_id = Int()
    locale = fields.Str(allow_none=True)
    must_change_password = fields.Bool(metadata={
        "description": "signed in with a one-time password: nothing but POST /api/auth/password until she changes it"})
    timezone = fields.Function(lambda u: u.home.timezone, metadata={"description": "the home's IANA time zone"})
    home_name = fields.Function(lambda u: u.home.name)
    home_kind = fields.Function(lambda u: u.home.kind, metadata={
        "description": "residential (a care home) or community (home and community care: stations, visits)"})


class StaffSchema(Schema):
    id = Int()
    full_name = fields.Str()
    role = fields.Str()
    roles = fields.List(fields.Str())
    active = fields.Bool(metadata={"description": "false: disabled; the tablet forgets her PIN"})
    keys_valid_from = UtcDateTime(allow_none=True, metadata={
        "description": "her signing keys issued before this are retired: a tablet whose key is older forgets her PIN"})


def _fits_when_normalised(column):
    """Sign-in looks a name up trimmed and lower-cased (services/auth.py) and writes it, so, to the login_attempt
    row: it must fit the column then too (lower-casing can lengthen text: 'İ' becomes two characters)."""
    length = validate.Length(max=column.type.length)

    def check(value):
        length(value.strip().lower())
    return check


class LoginSchema(Schema):
    username = fields.Str(required=True, validate=[validate.Length(min=1, max=User.username.type.length),
                                                   _fits_when_normalised(LoginAttempt.username)])
    password = fields.Str(required=True, validate=validate.Length(min=1, max=200))
    device_id = fields.Str(load_default=None, validate=validate.Length(min=1, max=DEVICE_ID_MAX),
                           metadata={"description": "with a device id, a signing key for it is issued"})


class PasswordChangeSchema(Schema):
    current_password = fields.Str(required=True, validate=validate.Length(min=1, max=1000))
    #: The policy (domain/passwords.py) is checked by the service, with its reasons; this bound only keeps a
    #: megabyte out of the hash.
    new_password = fields.Str(required=True, validate=validate.Length(min=1, max=1000))
    device_id = fields.Str(load_default=None, validate=validate.Length(min=1, max=DEVICE_ID_MAX),
                           metadata={"description": "with a device id, a signing key for it is issued"})


class SigningKeySchema(Schema):
    id = fields.Str()
    secret = fields.Str(metadata={"description": "32 bytes, base64url; shown once, kept on the tablet under a PIN"})
    issued_at = UtcDateTime(metadata={"description": "compared with the staff row's keys_valid_from"})


class TabletSettingsSchema(Schema):
    pin_valid_days = Int()
    idle_lock_seconds = Int()
    pin_max_failures = Int()


class LoginReplySchema(UserSchema):
    signing_key = fields.Nested(SigningKeySchema, allow_none=True)
    tablet = fields.Nested(TabletSettingsSchema)


class ChallengeSchema(Schema):
    challenge = fields.Str()


class UnlockSchema(Schema):
    user_id = Int(required=True, strict=True)
    key_id = fields.Str(required=True, validate=validate.Length(min=1, max=36))
    challenge = fields.Str(required=True, validate=validate.Length(min=1, max=200))
    proof = fields.Str(required=True, validate=validate.Length(min=1, max=64),
                       metadata={"description": "HMAC of the challenge under the person's signing key"})


class EnrolSchema(Schema):
    device_id = fields.Str(required=True, validate=validate.Length(min=1, max=DEVICE_ID_MAX))
    name = fields.Str(required=True, validate=validate.Length(min=1, max=Device.name.type.length))
    post_id = Int(required=True, strict=True)


class DeviceSchema(Schema):
    id = fields.Str()
    name = fields.Str(allow_none=True)
    post_id = Int(allow_none=True)
    enrolled_at = UtcDateTime(allow_none=True)
    revoked_at = UtcDateTime(allow_none=True)
    wiped_at = UtcDateTime(allow_none=True)
    last_seen = UtcDateTime(allow_none=True)
    outbox_len = Int()
    user_agent = fields.Str(allow_none=True, metadata={
        "description": "the browser it last synced from (its User-Agent, cut to 300 characters)"})
    last_user_name = fields.Function(lambda d: getattr(d, "last_user_name", None), allow_none=True, metadata={
        "type": "string", "nullable": True, "description": "who last synced on it (the list of tablets only)"})


class EnrolmentSchema(Schema):
    device = fields.Nested(DeviceSchema)
    credential = fields.Str(metadata={"description": "the device credential; send it as X-Device-Key"})


class WipedSchema(Schema):
    ok = fields.Bool()


class LocaleSchema(Schema):
    locale = fields.Str(required=True, validate=validate.OneOf(LOCALES))


class UnitSchema(Schema):
    id = Int()
    name = PlaceName(of="", metadata={"description": "in the reader's language, else as entered"})
    home_id = Int()


class PostSchema(Schema):
    """A duty post. A tablet keeps its post offline, and its language may change before its next pull: `names` and
    `unit_names` give the name in every language."""
    id = Int()
    name = PlaceName(of="", metadata={"description": "in the reader's language, else as entered"})
    names = PlaceNames(of="")
    unit_id = Int()
    unit_name = PlaceName(of="unit")
    unit_names = PlaceNames(of="unit")


class ResidentSchema(Schema):
    id = Int()
    full_name = fields.Str()
    room = fields.Str()
    bed = fields.Str()
    birth_date = fields.Date(allow_none=True)
    care_group = Int(allow_none=True)
    categories = fields.Method("_categories", metadata={
        "description": "categories of service recipient (004 §1.1): mental_disorder, disability, low_mobility, "
                       "geriatric, palliative"})
    needs_reassessment = fields.Bool()
    unit_id = Int()
    post_id = Int()
    active = fields.Bool(metadata={"description": "in the home's census: present or away (not discharged or deceased)"})
    status = fields.Str(metadata={"description": "present | away | discharged | deceased"})
    admitted_on = fields.Date(allow_none=True)
    left_on = fields.Date(allow_none=True, metadata={"description": "the day her stay ended (discharge or death)"})
    away = fields.Method("_away", metadata={
        "description": "in a pull: the times she was away, [[from, until or null]] on the home's clock with its "
                       "offset, 'YYYY-MM-DDTHH:MM+07:00' (frontend/lib/schedule.js awayWindows reads the clock)"})
    seq = BigInt()

    def _categories(self, resident):
        return list(resident.categories or [])

    def _away(self, resident):
        periods = getattr(resident, "away", [])
        if not periods:
            return []
        zone = resident.unit.home.timezone
        return [[home_wall_clock(start, zone), home_wall_clock(end, zone)] for start, end in periods]


class ResidentQuerySchema(Schema):
    unit_id = Int(required=True)
    stay = fields.Str(load_default="current", validate=validate.OneOf(("current", "ended", "all")), metadata={
        "description": "current: present or away (default); ended: discharged or deceased; all"})


class ItemSchema(Schema):
    id = Int()
    category = fields.Str()
    title = fields.Str()
    instructions = fields.Str()
    schedule_kind = fields.Str()
    schedule = fields.Dict()
    days_of_week = fields.List(Int(), allow_none=True)
    measures = fields.List(fields.Str(), allow_none=True)
    position = Int()
    valid_from = fields.Date(allow_none=True)
    valid_to = fields.Date(allow_none=True)
    plan_service = fields.Str(allow_none=True, metadata={"description": "the care-plan service it came from"})


class ItemInputSchema(Schema):
    category = fields.Str(required=True, validate=validate.OneOf(CATEGORIES))
    title = fields.Str(required=True, validate=validate.Length(min=1, max=200))
    instructions = fields.Str(load_default="", validate=validate.Length(max=2000))
    schedule_kind = fields.Str(required=True, validate=validate.OneOf(SCHEDULE_KINDS))
    schedule = fields.Dict(load_default=dict)
    days_of_week = fields.List(Int(), load_default=None, allow_none=True)
    measures = fields.List(fields.Str(), load_default=None, allow_none=True)
    position = Int(load_default=None, allow_none=True)


class ItemPatchSchema(ItemInputSchema):
    """Every field optional. marshmallow has no `Meta.partial`: partial loading is a constructor argument."""

    position = Int()  # null means "append" only when adding; stored positions are never null

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("partial", True)
        super().__init__(*args, **kwargs)


class CardSchema(Schema):
    id = Int()
    resident_id = Int()
    month = fields.Date()
    status = fields.Str(metadata={"description": "draft | published | closed"})
    plan_version_id = Int(allow_none=True, metadata={"description": "the care-plan version it was generated from"})
    version = Int()
    seq = BigInt()
    updated_at = UtcDateTime(allow_none=True)
    items = fields.List(fields.Nested(ItemSchema))


class CardCreateSchema(Schema):
    resident_id = Int(required=True)
    month = fields.Date(required=True, validate=PLAUSIBLE_DATE, metadata={"description": "any day of the month"})
    copy_from = Int(load_default=None, allow_none=True)


class CardQuerySchema(Schema):
    resident_id = Int(required=True)
    month = fields.Date(load_default=None, validate=PLAUSIBLE_DATE, metadata={
        "description": "any day of a month: only that month's cards (default: every month, newest first)"})


class EntryInSchema(Schema):
    """One entry as the tablet sends it. Kind-specific rules live in domain.entries."""
    class Meta:
        unknown = EXCLUDE

    id = fields.Str(required=True, metadata=entry_input.UUID_DOC)
    kind = fields.Str(required=True, validate=validate.OneOf(entry_rules.KINDS))
    resident_id = Int(required=True, strict=True)
    item_id = Int(load_default=None, allow_none=True, strict=True)
    day = fields.Date(required=True)
    slot = fields.Str(load_default=None, allow_none=True,
                      validate=validate.Length(max=entry_input.TEXT_LIMITS["slot"]))
    status = fields.Str(load_default=None, allow_none=True,
                        validate=validate.Length(max=entry_input.TEXT_LIMITS["status"]))
    reason = fields.Str(load_default=None, allow_none=True,
                        validate=validate.Length(max=entry_input.TEXT_LIMITS["reason"]))
    note = fields.Str(load_default=None, allow_none=True)
    values = fields.Raw(load_default=None, allow_none=True, metadata={
        "type": "object", "description": f"a flat object of at most {entry_input.VALUES_MAX_KEYS} answers: a number, "
                                         f"yes/no, text, or a list of at most {entry_input.VALUES_MAX_LIST} of them"})
    category = fields.Str(load_default=None, allow_none=True,
                          validate=validate.Length(max=entry_input.TEXT_LIMITS["category"]))
    supersedes = fields.Str(load_default=None, allow_none=True, metadata=entry_input.UUID_DOC)
    author_id = Int(required=True, strict=True)
    device_id = fields.Str(required=True, validate=validate.Length(min=1, max=entry_input.DEVICE_ID_MAX))
    client_seq = Int(required=True, strict=True, validate=validate.Range(min=0))
    device_time = fields.Str(required=True, validate=validate.Length(max=40))
    key_id = fields.Str(load_default=None, allow_none=True, validate=validate.Length(max=36),
                        metadata={"description": "the author's signing key on this tablet"})
    sig = fields.Str(load_default=None, allow_none=True, validate=validate.Length(max=64),
                     metadata={"description": "HMAC-SHA256 of the entry's canonical text (domain/signing.py)"})

    @validates("id", "supersedes")
    def _uuid(self, value, data_key):
        if value is not None and not entry_input.is_uuid(value):  # one spelling: lower case, hyphenated
            raise ValidationError(entry_input.NOT_UUID)

    @validates("slot", "status", "reason", "note", "category", "device_id")
    def _clean(self, value, data_key):
        if value is not None and not entry_input.clean_text(value):
            raise ValidationError(entry_input.NOT_TEXT)

    @validates("key_id", "sig")
    def _ascii(self, value, data_key):
        if value is not None and not entry_input.is_token(value):
            raise ValidationError(f"must be text of at most {entry_input.SIGNATURE_LIMITS[data_key]} characters")

    @validates_schema(skip_on_field_errors=False)
    def _values(self, data, **kwargs):
        if data.get("values") is not None:
            problems = entry_input.values_problems(data["values"])
            if problems:  # named as the push path names them, at the top: `values` or `values.<key>`
                raise ValidationError(problems)

    @validates("device_time")
    def _time(self, value, data_key):
        if not value.isascii():
            raise ValidationError("must be an ISO 8601 time with its offset")
        try:
            parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
        except ValueError:
            raise ValidationError("must be an ISO 8601 time with its offset") from None
        if parsed.tzinfo is None:
            raise ValidationError("must carry a UTC offset")


# What each field is, from the one definition of the entry's fields (domain/entry_fields.py); its fields and which
# are required are checked against it (tests/domain/test_entry_fields.py).
for _name, _field in EntryInSchema._declared_fields.items():
    if "description" not in _field.metadata:
        _field.metadata = {**_field.metadata, "description": entry_fields.WHAT[_name]}


class EntryList(fields.List):
    """Documented as a list of EntryIn, loaded as plain objects: each entry is then parsed on its own
    (api/entry_input.py), so one malformed entry is refused by name and the rest of the batch is stored."""

    def __init__(self, **kwargs):
        super().__init__(fields.Nested(EntryInSchema), **kwargs)

    def _deserialize(self, value, attr, data, **kwargs):
        if not isinstance(value, list):  # an element that is not an object is refused on its own (api/sync.py)
            raise ValidationError("must be a list of objects")
        return value


class PushSchema(Schema):
    protocol = Int(load_default=1)
    device_id = fields.Str(required=True, validate=validate.Length(min=1, max=DEVICE_ID_MAX))
    post_id = Int(load_default=None, allow_none=True)
    server_epoch = fields.Str(load_default=None, allow_none=True)
    outbox_len = Int(load_default=0, validate=validate.Range(min=0))
    device_now = fields.Str(load_default=None, allow_none=True, validate=validate.Length(max=40), metadata={
        "description": "the tablet's clock when it pushes, ISO 8601 with its offset: a home visit's entries are "
                       "flagged when it is more than 5 minutes off the server's"})
    entries = EntryList(required=True, validate=validate.Length(max=500))


class PushResultSchema(Schema):
    id = fields.Str()
    status = fields.Str(metadata={"description": "accepted | duplicate | rejected"})
    reason = fields.Str(allow_none=True)
    field_errors = fields.Dict(allow_none=True, data_key="fields", attribute="fields")
    late = fields.Bool()
    flags = fields.Dict(allow_none=True)
    score = fields.Dict(allow_none=True, metadata={"description": "an accepted assessment's score, the server's"})


class PushReplySchema(Schema):
    server_epoch = fields.Str()
    device_revoked = fields.Bool(metadata={"description": "the tablet was revoked: wipe once the outbox is empty"})
    received_at = UtcDateTime()
    results = fields.List(fields.Nested(PushResultSchema))


class EntryOutSchema(Schema):
    id = fields.Str()
    seq = BigInt()
    kind = fields.Str()
    resident_id = Int()
    item_id = Int(allow_none=True)
    day = fields.Date()
    slot = fields.Str(allow_none=True)
    status = fields.Str(allow_none=True)
    reason = fields.Str(allow_none=True)
    note = fields.Str(allow_none=True)
    values = fields.Dict(allow_none=True)
    flags = fields.Dict(allow_none=True)
    category = fields.Str(allow_none=True)
    supersedes = fields.Str(allow_none=True)
    author_id = Int()
    author_post = fields.Str(allow_none=True, metadata={
        "description": "the author's post (job title) when the entry reached the server; none before posts"})
    pushed_by = Int(allow_none=True)
    device_id = fields.Str()
    client_seq = Int()
    device_time = fields.Str()
    received_at = UtcDateTime()
    late_after_confirmation = fields.Bool()
    from_revoked_device = fields.Bool()
    amendment_reason = fields.Str(allow_none=True)
    score = fields.Dict(allow_none=True, metadata={"description": "an assessment's score, computed by the server"})


class ConfirmationSchema(Schema):
    id = Int()
    seq = BigInt()
    unit_id = Int()
    resident_id = Int(allow_none=True)
    day = fields.Date()
    confirmed_by = Int()
    confirmed_by_post = fields.Str(allow_none=True, metadata={
        "description": "her post (job title) when she confirmed; none before posts"})
    confirmed_at = UtcDateTime()
    note = fields.Str(allow_none=True)


class PullQuerySchema(Schema):
    post_id = Int(required=True)
    cursor = BigInt(load_default=0, validate=validate.Range(min=0))
    limit = Int(load_default=1000, validate=validate.Range(min=1, max=5000))
    device_id = fields.Str(load_default=None, validate=validate.Length(max=DEVICE_ID_MAX))


class AtHomeSchema(Schema):
    """A person's details at home (issue 18) as the phones of her station hold them; never her home code's hash."""
    address = fields.Str(allow_none=True)
    phone = fields.Str(allow_none=True)
    lat = fields.Float(allow_none=True)
    lon = fields.Float(allow_none=True)
    radius_m = Int(metadata={"description": "how far from her location (metres) a fix still counts as at her door"})
    home_code_salt = fields.Str(allow_none=True, metadata={
        "description": "the phone sends sha256('<salt>:<typed code>') in hex (domain/visits.py code_hash)"})
    lives_alone = fields.Bool()
    care_level = fields.Str(allow_none=True, metadata={"description": "self_care | semi | full"})


class PulledResidentSchema(ResidentSchema):
    at_home = fields.Nested(AtHomeSchema, metadata={
        "description": "a community home's person only (absent in a care home): her details at home"})


class PulledVisitSchema(Schema):
    """A home visit as a phone holds it (docs/sync.md, "The pull of a community station")."""
    id = Int()
    resident_id = Int()
    unit_id = Int()
    day = fields.Date(metadata={"description": "the home's calendar day"})
    start_time = fields.Str(metadata={"description": "HH:MM, the home's clock"})
    planned_minutes = Int()
    source = fields.Str(metadata={"description": "plan | ad_hoc | alarm | inspection"})
    item_ids = fields.List(Int(), metadata={"description": "the card items it is for"})
    cancelled_at = UtcDateTime(allow_none=True)
    cancel_reason = fields.Str(allow_none=True)
    carer_ids = fields.List(Int(), metadata={"description": "its current carers"})
    mine = fields.Bool(metadata={"description": "the puller is one of its current carers"})
    seq = BigInt()


class PulledServiceItemSchema(Schema):
    """A service of the home's catalogue (names in the three languages)."""
    id = Int()
    names = fields.Dict()
    category = fields.Str()
    item = fields.Str()
    standard_minutes = Int(allow_none=True)
    price = fields.Decimal(as_string=True, places=2)
    unit = fields.Str()
    active = fields.Bool()
    seq = BigInt()


class PullWindowSchema(Schema):
    first = fields.Date()
    last = fields.Date()


class PullSchema(Schema):
    server_epoch = fields.Str()
    cursor = BigInt()
    has_more = fields.Bool()
    snapshot = fields.Bool()
    today = fields.Str()
    server_time = fields.Str()
    residents = fields.List(fields.Nested(PulledResidentSchema))
    cards = fields.List(fields.Nested(CardSchema))
    entries = fields.List(fields.Nested(EntryOutSchema))
    confirmations = fields.List(fields.Nested(ConfirmationSchema))
    staff = fields.List(fields.Nested(StaffSchema))
    post = fields.Nested(PostSchema, metadata={"description": "the post as it is named now (a rename reaches the "
                                                              "tablet at its next pull)"})
    # A community home's pull only (absent in a care home's): docs/sync.md, "The pull of a community station".
    scope = fields.Str(metadata={"description": "carer: her people only (her visits' people); post: the post whole"})
    window = fields.Nested(PullWindowSchema, metadata={
        "description": "the visits' days, the home's calendar: yesterday .. today + 7. When it moved since the "
                       "cursor's pull (a new day), the phone pulls from cursor 0 (days slid into it)"})
    visits = fields.List(fields.Nested(PulledVisitSchema), metadata={
        "description": "the window's visits (a carer: hers, cancelled ones included); incremental: those changed"})
    visits_gone = fields.List(Int(), metadata={
        "description": "ids of changed visits that left the pull (taken from her, out of the window): drop them"})
    residents_gone = fields.List(Int(), metadata={
        "description": "a carer's people whom no visit of hers keeps now: drop them (her outbox stays)"})
    catalogue = fields.List(fields.Nested(PulledServiceItemSchema), metadata={
        "description": "the home's service catalogue; incremental: the items changed"})


class CellEntrySchema(Schema):
    id = fields.Str()
    status = fields.Str(allow_none=True)
    reason = fields.Str(allow_none=True)
    note = fields.Str(allow_none=True)
    author_id = Int()
    device_time = UtcDateTime(metadata={"description": "the tablet's clock, on the home's clock with its offset"})
    late_after_confirmation = fields.Bool()
    from_revoked_device = fields.Bool()
    amendment_reason = fields.Str(allow_none=True)


class CellSchema(Schema):
    item_id = Int()
    slot = fields.Str(allow_none=True)
    time = fields.Str(allow_none=True)
    state = fields.Str()
    late = fields.Bool()
    entry = fields.Nested(CellEntrySchema, allow_none=True)


class DayItemSchema(Schema):
    id = Int()
    title = fields.Str()
    category = fields.Str()
    schedule_kind = fields.Str()
    schedule = fields.Dict()
    instructions = fields.Str()
    measures = fields.List(fields.Str(), allow_none=True)


class PeriodDoneSchema(Schema):
    item_id = Int()
    slot = fields.Str(metadata={"description": "the period: 'p:' and its first day"})
    entry_id = fields.Str()
    status = fields.Str()
    day = fields.Date(metadata={"description": "the day it was recorded"})


class DayResidentSchema(Schema):
    resident = fields.Nested(ResidentSchema)
    items = fields.List(fields.Nested(DayItemSchema))
    locked = fields.Bool(metadata={"description": "the whole day is confirmed for her (a confirmation made once the "
                                                  "day was over): the tablet no longer offers its cells"})
    confirmed_until = UtcDateTime(allow_none=True, metadata={
        "description": "the latest confirmation covering her day: what was recorded up to then is confirmed"})
    counts = fields.Dict(keys=fields.Str(), values=Int())
    cells = fields.List(fields.Nested(CellSchema))
    period_done = fields.List(fields.Nested(PeriodDoneSchema), metadata={
        "description": "items less often than daily recorded on an earlier day of the period this day lies in"})
    away = fields.List(fields.List(Int()), metadata={
        "description": "the parts of the day she was away, [start, end) minutes into the day (home's clock)"})


class DayEntrySchema(EntryOutSchema):
    device_time = UtcDateTime(metadata={"description": "the tablet's clock, on the home's clock with its offset"})


class DeviceStateSchema(Schema):
    id = fields.Str()
    post_id = Int(allow_none=True)
    last_sync = UtcDateTime(allow_none=True)
    outbox_len = Int()
    stale = fields.Bool()
    last_user = fields.Str(allow_none=True)
    name = fields.Str(allow_none=True)
    revoked = fields.Bool()
    gaps = fields.List(fields.List(Int()), metadata={
        "description": "client_seq ranges [from, to] the server never received from this tablet; "
                       "computed only when its outbox was empty after its last push"})


class DayViewSchema(Schema):
    unit = fields.Nested(UnitSchema)
    day = fields.Date()
    unit_confirmed = fields.Bool(metadata={"description": "the unit's day is confirmed, in part or whole"})
    unit_confirmed_whole = fields.Bool(metadata={"description": "a confirmation of the unit's day made once it was over"})
    day_over = fields.Bool(metadata={"description": "the care day has ended in the home's zone: confirming now covers "
                                                    "all of it; before, what is recorded up to now"})
    names = fields.Dict(keys=fields.Str(), values=fields.Str())
    residents = fields.List(fields.Nested(DayResidentSchema))
    confirmations = fields.List(fields.Nested(ConfirmationSchema))
    vitals_alerts = fields.List(fields.Nested(DayEntrySchema))
    condition_reports = fields.List(fields.Nested(DayEntrySchema))
    notes = fields.List(fields.Nested(DayEntrySchema))
    late_entries = fields.List(fields.Nested(DayEntrySchema))
    devices = fields.List(fields.Nested(DeviceStateSchema))
    while_away = fields.List(fields.Nested(DayEntrySchema), metadata={
        "description": "entries made while the resident was away (flags.stay = resident_away): stored, to check"})
    from_revoked_devices = fields.List(fields.Nested(DayEntrySchema), metadata={
        "description": "entries a withdrawn tablet handed over; stored, flagged for the supervisor to check"})


class ConfirmSchema(Schema):
    resident_id = Int(load_default=None, allow_none=True)
    note = fields.Str(load_default=None, allow_none=True, validate=validate.Length(max=2000))


class AmendSchema(Schema):
    reason = fields.Str(required=True, validate=validate.Length(min=3, max=2000),
                        metadata={"description": "why the confirmed record is changed"})
    status = fields.Str(load_default=None, allow_none=True, validate=validate.OneOf(entry_rules.STATUSES))
    reason_code = fields.Str(load_default=None, allow_none=True, data_key="not_done_reason",
                             validate=validate.OneOf(entry_rules.REASONS))
    note = fields.Str(load_default=None, allow_none=True)
    values = fields.Dict(load_default=None, allow_none=True)


# --- the family API (a relative's replies) -------------------------------------------------------

#: Everything a relative may learn about a linked resident; the schema below dumps these fields and no others
#: (docs/security.md, "The relative's allow-list"). A field joins this list with its reason, or not at all:
#: - id: to ask for that resident again; full_name: the name the relative knows them by;
#: - unit_name, home_name: where they live, as the home's signs name it.
#: Left out on purpose: the care card, entries, vitals, care group, "needs reassessment" and the date of birth
#: (health data and identifiers of the care record, which the family view does not need); room and bed (where to
#: find a frail person in the building is for staff to tell a visitor at the door, not for an account that may be
#: shared or leaked); unit, post and feed ids and `active` (internal bookkeeping).
FAMILY_RESIDENT_FIELDS = ("id", "full_name", "unit_name", "home_name")


class FamilyResidentSchema(Schema):
    """A linked resident as a relative sees them. `Meta.fields` is the allow-list itself: a field declared here
    but not listed there is never dumped, and a test checks that the two agree."""

    class Meta:
        fields = FAMILY_RESIDENT_FIELDS

    id = Int()
    full_name = fields.Str()
    unit_name = PlaceName(of="unit")
    home_name = fields.Function(lambda r: r.unit.home.name)
