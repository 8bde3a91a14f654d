"""Before every API request: text that the database cannot store is refused as bad input, naming the field.

PostgreSQL's text columns cannot hold the NUL character (U+0000); SQLite's can, so only the suite's PostgreSQL pass
met it (schemathesis: a push whose `device_id` ended in NUL failed with a 500 and nothing stored). It is refused here,
before any view runs, wherever it appears in the JSON body (a key or a value) or the query string, with the one error
shape of the API. No person types a NUL; it only comes from a broken client.
"""
from flask import request
from flask_babel import gettext as _

from ..errors import ApiError

NUL = "\x00"


def _path_with_nul(value, path):
    """The dotted path (as marshmallow's errors name fields) of the first string holding a NUL, or None."""
    if isinstance(value, str):
        return path or "_" if NUL in value else None
    if isinstance(value, dict):
        for key, item in value.items():
            inner = f"{path}.{key}" if path else str(key)
            if NUL in str(key):
                return path or "_"
            found = _path_with_nul(item, inner)
            if found:
                return found
    elif isinstance(value, list):
        for i, item in enumerate(value):
            found = _path_with_nul(item, f"{path}.{i}" if path else str(i))
            if found:
                return found
    return None


def refuse_nul_text():
    if not request.path.startswith("/api/"):
        return
    found = None
    if b"%00" in request.query_string:
        found = next((name for name, value in request.args.items(multi=True) if NUL in name or NUL in value), None)
    # JSON writes a NUL as \u0000: bodies without that sequence (nearly all) are not walked
    if found is None and request.is_json and b"\\u0000" in request.get_data(cache=True):
        found = _path_with_nul(request.get_json(silent=True), "")
    if found is not None:
        raise ApiError(400, "validation_error", _("Please check: %(fields)s", fields=found),
                       {found: _("Text cannot contain the NUL character (U+0000).")})
