"""A reply's text from the rules or the services (a domain.messages.Msg), translated when the reply is made."""
from marshmallow import fields

from .. import i18n


class Translated(fields.Str):
    def _serialize(self, value, attr, obj, **kwargs):
        return super()._serialize(None if value is None else i18n.translate(value), attr, obj, **kwargs)
