"""A reply's text from the rules or the services (a domain.messages.Msg), translated when the reply is made; and a
place's name (a unit's, a duty post's: domain/places.py) in the reader's language."""
from marshmallow import fields
from marshmallow.utils import get_value

from .. import i18n
from ..domain import places


class Translated(fields.Str):
    """A Msg, or a place's name a service handed over (domain.places.PlaceName), in the request's language."""

    def _serialize(self, value, attr, obj, **kwargs):
        return super()._serialize(None if value is None else i18n.translate(value), attr, obj, **kwargs)


class _OfPlace:
    """The place the field reads: the object dumped (`of=""`), the place at attribute `of` ("unit": its unit), or
    (of=None) what the field's own attribute holds."""

    def __init__(self, of=None, **kwargs):
        kwargs.setdefault("dump_only", True)
        super().__init__(**kwargs)
        self.of = of

    def get_value(self, obj, attr, accessor=None, default=None):
        if self.of == "":
            return obj
        if self.of is not None:
            return get_value(obj, self.of)
        return super().get_value(obj, attr, accessor=accessor)


class PlaceName(_OfPlace, fields.Str):
    """A unit's or a duty post's name in the request's language, else the name as entered (the one way a reply
    names a place: backend/i18n.py place_name)."""

    def _serialize(self, value, attr, obj, **kwargs):
        return None if value is None else i18n.place_name(value)


class PlaceNames(_OfPlace, fields.Dict):
    """A place's name in every language ({"ru", "zh_Hans", "en"}, each the one that reader sees): for what a tablet
    keeps offline, whose language may change before it is next online (frontend/lib/session.js placeName)."""

    def __init__(self, of=None, **kwargs):
        kwargs.setdefault("metadata", {"description": "the name in each language: ru, zh_Hans, en"})
        super().__init__(of, keys=fields.Str(), values=fields.Str(), **kwargs)

    def _serialize(self, value, attr, obj, **kwargs):
        return None if value is None else places.in_every_language(value)
