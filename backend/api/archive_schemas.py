"""Schemas of the archive API (month close and the printable card)."""
import re

from marshmallow import Schema, ValidationError, fields, validate

from ..services.archive import parse_month
from .schemas import LOCALES, Int, UtcDateTime
from .translated import PlaceName, Translated

MONTH = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")


class MonthField(fields.Str):
    """'YYYY-MM' -> the month's first day."""

    def _deserialize(self, value, attr, data, **kwargs):
        text = super()._deserialize(value, attr, data, **kwargs)
        month = parse_month(text) if MONTH.match(text or "") else None
        if month is None or not 2000 <= month.year <= 2200:
            raise ValidationError("must be a month YYYY-MM")
        return month

    def _serialize(self, value, attr, obj, **kwargs):
        return None if value is None else f"{value:%Y-%m}"


class MonthQuerySchema(Schema):
    unit_id = Int(required=True, strict=False)
    month = MonthField(required=True, metadata={"description": "YYYY-MM", "pattern": MONTH.pattern})


class CloseMonthSchema(Schema):
    unit_id = Int(required=True, strict=True)
    month = MonthField(required=True, metadata={"description": "YYYY-MM", "pattern": MONTH.pattern})


class PdfQuerySchema(Schema):
    lang = fields.Str(load_default=None, validate=validate.OneOf(LOCALES),
                      metadata={"description": "ru | zh_Hans | en; default: the user's language"})


class ArchiveReasonSchema(Schema):
    code = fields.Str(metadata={"description": "closed | not_published | month_not_over | days_not_confirmed | "
                                               "late_not_reviewed | no_card"})
    days = fields.List(fields.Int(), metadata={"description": "days of the month the reason names"})
    text = Translated()


class ArchiveMonthCardSchema(Schema):
    resident_id = Int()
    full_name = fields.Str()
    room = fields.Str()
    bed = fields.Str()
    card_id = Int(allow_none=True)
    status = fields.Str(allow_none=True, metadata={"description": "draft | published | closed; null: no card"})
    version = Int(allow_none=True)
    closed_at = UtcDateTime(allow_none=True)
    closed_by = fields.Str(allow_none=True)
    closable = fields.Bool()
    reasons = fields.List(fields.Nested(ArchiveReasonSchema))


class MonthOverviewSchema(Schema):
    unit_id = Int()
    unit = PlaceName()
    month = MonthField()
    today = fields.Date()
    residents = fields.List(fields.Nested(ArchiveMonthCardSchema))


class CloseMonthReplySchema(Schema):
    closed = fields.List(Int(), metadata={"description": "ids of the cards closed now"})
    left_open = fields.List(Int(), metadata={"description": "ids of the cards that cannot be closed yet"})


class ClosedCardSchema(Schema):
    id = Int()
    resident_id = Int()
    month = fields.Date()
    status = fields.Str()
    version = Int()
    closed_at = UtcDateTime(allow_none=True)
    closed_by = Int(allow_none=True)


class ArchiveCellSchema(Schema):
    state = fields.Str(metadata={"description": "done | not_done | refused | missing | as_needed | pending | "
                                                "not_scheduled"})
    reason = fields.Str(allow_none=True)
    reason_number = fields.Int(allow_none=True)
    by = fields.List(fields.Str(), metadata={"description": "marks (initials) of who recorded"})
    count = fields.Int()
    corrected = fields.Bool()
    amended = fields.Bool()
    late = fields.Bool()
    after_close = fields.Bool()


class ArchiveRowSchema(Schema):
    item_id = Int()
    title = fields.Str()
    slot = fields.Str(allow_none=True)
    slot_label = fields.Str(allow_none=True)
    as_needed = fields.Bool()
    periodic = fields.Bool(metadata={"description": "an item less often than daily: one row, its recordings on their "
                                                    "days and a miss on the day its period closed without one"})
    schedule_kind = fields.Str(metadata={"description": "a periodic row's schedule"})
    schedule = fields.Dict()
    former = fields.Bool(metadata={"description": "a time the item no longer has, kept for what was recorded"})
    cells = fields.List(fields.Nested(ArchiveCellSchema))


class ArchiveListedEntrySchema(Schema):
    entry_id = fields.Str()
    day = fields.Date()
    kind = fields.Str()
    item = fields.Str(allow_none=True)
    slot = fields.Str(allow_none=True)
    new = fields.Dict()
    old = fields.Dict(allow_none=True)
    by = fields.Str()
    post = fields.Str(allow_none=True, metadata={"description": "the author's post (job title) as recorded"})
    mark = fields.Str()
    at = UtcDateTime()
    reason = fields.Str(allow_none=True)


class ArchiveConfirmationSchema(Schema):
    day = fields.Date()
    by = fields.Str()
    post = fields.Str(allow_none=True, metadata={"description": "her post (job title) when she confirmed"})
    at = UtcDateTime()
    scope = fields.Str(metadata={"description": "unit | resident"})
    note = fields.Str(allow_none=True)


class ArchiveStaffMarkSchema(Schema):
    mark = fields.Str()
    name = fields.Str()
    posts = fields.List(fields.Str(), metadata={
        "description": "the posts (job titles) recorded with what she did on this card, as recorded"})


class CardStayEventSchema(Schema):
    kind = fields.Str()
    at = fields.AwareDateTime(metadata={"description": "in the home's zone, with its offset"})
    absence = fields.Str(allow_none=True)
    reason = fields.Str()


class CardSheetSchema(Schema):
    card_id = Int()
    status = fields.Str()
    version = Int()
    closed_at = UtcDateTime(allow_none=True)
    closed_by = fields.Str(allow_none=True)
    resident_id = Int()
    resident = fields.Str()
    room = fields.Str()
    bed = fields.Str()
    care_group = Int(allow_none=True)
    unit = PlaceName()
    home = fields.Str()
    timezone = fields.Str()
    month = MonthField()
    closable = fields.Bool()
    stay_status = fields.Str(metadata={"description": "present | away | discharged | deceased"})
    admitted_on = fields.Date(allow_none=True)
    left_on = fields.Date(allow_none=True)
    stay_events = fields.List(fields.Nested(CardStayEventSchema), metadata={
        "description": "the events of her stay in the card's month (moves, absences, discharge)"})
    reasons = fields.List(fields.Nested(ArchiveReasonSchema))
    days = fields.List(fields.Int())
    weekdays = fields.List(fields.Int(), metadata={"description": "ISO weekday of each day"})
    rows = fields.List(fields.Nested(ArchiveRowSchema))
    confirmations = fields.List(fields.Nested(ArchiveConfirmationSchema))
    amendments = fields.List(fields.Nested(ArchiveListedEntrySchema))
    corrections = fields.List(fields.Nested(ArchiveListedEntrySchema))
    late = fields.List(fields.Nested(ArchiveListedEntrySchema))
    after_close = fields.List(fields.Nested(ArchiveListedEntrySchema), metadata={
        "description": "entries that reached the server after the card was closed (not in the grid)"})
    other_entries = fields.List(fields.Nested(ArchiveListedEntrySchema))
    other_counts = fields.Dict(keys=fields.Str(), values=fields.Int())
    staff = fields.List(fields.Nested(ArchiveStaffMarkSchema))
    entry_count = fields.Int()
