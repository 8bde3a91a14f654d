"""The one input boundary: before any view of the API runs (and before the CSRF check, which audits the tablet's
header), every request is checked the same way on SQLite and PostgreSQL; what fails is refused with the one error
shape of the API, naming the field (docs/security.md, "The input boundary").

- the body: at most MAX_BODY_BYTES (413, unread beyond its Content-Length); JSON parsed once, strictly
  (strict_json: UTF-8, no NaN/Infinity, integers JavaScript holds exactly, at most 32 levels deep, no NUL and no lone
  surrogate in a key or a value); every view reads that parse (`body()`), never a second, lenient one;
- the query string, the path's text parts and the headers the app reads: no NUL, no lone surrogate, and the headers
  within the column they are written to (X-Device-Id goes into audit rows);
- the User-Agent, which the device row keeps (device.user_agent), is never a reason to refuse a tablet's sync: it is
  cleaned and cut instead (`agent_text`).

PostgreSQL's text columns cannot hold the NUL character (U+0000); SQLite's can, so only the suite's PostgreSQL pass
met it (schemathesis: a push whose `device_id` ended in NUL failed with a 500 and nothing stored). No person types a
NUL, a lone surrogate or NaN; they only come from a broken client.
"""
import unicodedata

from flask import g, request
from flask_babel import gettext as _
from werkzeug.exceptions import RequestEntityTooLarge

from ..domain.messages import Msg
from ..errors import ApiError, invalid
from ..models import Device
from . import strict_json
from .context import DEVICE_ID_HEADER, DEVICE_KEY_HEADER

#: The largest request body, in bytes. The largest honest ones: a CSV import of 2,000,000 characters (at most
#: 6 MB as the browser sends it, UTF-8; 12 MB from a client that writes every character as \uXXXX) and a push of
#: 500 entries with notes of 2,000 characters (3.3 MB in Chinese, 6.3 MB escaped). Flask's MAX_CONTENT_LENGTH is
#: set to the same, so Werkzeug reads no further than this whatever the request says.
MAX_BODY_BYTES = 16 * 1024 * 1024
#: The headers the app reads, with the most characters each may hold: the tablet's id is written to audit rows,
#: sessions and signing keys (64, as the device table's id); the credential is 43 characters (token_urlsafe(32)).
HEADER_LIMITS = {DEVICE_ID_HEADER: Device.id.type.length, DEVICE_KEY_HEADER: 128}

_FIELD_MESSAGES = {
    strict_json.NUL_TEXT: Msg("Text cannot contain the NUL character (U+0000)."),
    strict_json.SURROGATE_TEXT: Msg("Text cannot contain a lone UTF-16 surrogate (it is not valid Unicode)."),
    strict_json.NOT_FINITE: Msg("Numbers must be finite (not NaN or Infinity)."),
    strict_json.UNSAFE_INTEGER: Msg("Whole numbers must lie between -%(n)s and %(n)s.", n=strict_json.MAX_SAFE_INTEGER),
    strict_json.TOO_DEEP: Msg("Nested more than %(n)s levels deep.", n=strict_json.MAX_DEPTH),
    strict_json.MALFORMED: Msg("The request body is not valid JSON (UTF-8)."),
}


def register(app):
    """Before every other check of a request: app.py registers it first. Flask's MAX_CONTENT_LENGTH (unless the
    configuration sets its own) makes Werkzeug refuse to read a longer body at all."""
    if app.config.get("MAX_CONTENT_LENGTH") is None:
        app.config["MAX_CONTENT_LENGTH"] = MAX_BODY_BYTES
    app.before_request(check_request)


def body():
    """The request's JSON body as the boundary parsed it: None when there is none (or it is not JSON)."""
    return g.get("json_body")


#: The most characters of a User-Agent kept (the device row's column).
AGENT_LIMIT = Device.user_agent.type.length


def agent_text(value):
    """A User-Agent header as a device row keeps it: sent as UTF-8 bytes it is read as such (the server reads
    headers as Latin-1), without control characters, NUL or lone surrogates (which PostgreSQL cannot store), cut to
    AGENT_LIMIT characters; None when nothing is left. Whatever a client sends, it is never refused: the header is
    not the person's to correct, and a sync must not fail over it."""
    if not value:
        return None
    try:
        value = value.encode("latin-1").decode("utf-8")
    except (UnicodeEncodeError, UnicodeDecodeError):
        pass
    value = value[:AGENT_LIMIT * 4]  # a hostile, very long header: only its start is looked at character by character
    value = "".join(ch for ch in value if unicodedata.category(ch) not in ("Cc", "Cs"))
    return value.strip()[:AGENT_LIMIT].strip() or None


def check_request():
    g.json_body = None
    if not request.path.startswith("/api/"):
        return
    for name, limit in HEADER_LIMITS.items():
        value = request.headers.get(name)
        if value is not None:
            _check_text(name, value, limit)
    for name, value in request.args.items(multi=True):
        _check_text("_", name)  # a broken name is named by the query as a whole
        _check_text(name, value)
    for name, value in (request.view_args or {}).items():
        if isinstance(value, str):
            _check_text(name, value)
    g.json_body = _parse_body()


def _check_text(field, value, limit=None):
    problem = strict_json.text_problem(value)
    if problem:
        raise invalid({field: _FIELD_MESSAGES[problem]})
    if limit is not None and len(value) > limit:
        raise invalid({field: Msg("at most %(n)s characters", n=limit)})


def _too_large(limit):
    return ApiError(413, "request_entity_too_large",
                    _("The request is too large: at most %(n)s MB.", n=limit // (1024 * 1024)))


def _parse_body():
    limit = request.max_content_length
    if request.content_length is not None and limit is not None and request.content_length > limit:
        raise _too_large(limit)  # refused before a byte of it is read
    if not request.is_json:
        return None  # a body of another type is answered 415 by the CSRF check (security.py)
    try:
        raw = request.get_data(cache=True)
    except RequestEntityTooLarge:  # a body without a Content-Length that ran past the limit
        raise _too_large(limit) from None
    if not raw:
        return None
    try:
        return strict_json.parse(raw)
    except strict_json.BadJson as exc:
        raise invalid({exc.path: _FIELD_MESSAGES[exc.problem]}) from None
