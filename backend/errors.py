"""One JSON error shape for the whole API: {"error": code, "message": text, "fields": {name: text}}."""
from flask import current_app, g, jsonify, request
from flask_babel import get_locale, gettext as _
from marshmallow import ValidationError
from sqlalchemy import exc as sa_exc
from werkzeug.exceptions import HTTPException, NotFound
from werkzeug.routing import IntegerConverter

from . import field_labels, i18n
from .domain import errors as domain_errors
from .extensions import db


class ApiError(Exception):
    """`extra`: more keys of the error's body, for an error that carries more than a field each (a CSV import's
    problems by line and column)."""

    def __init__(self, status, code, message, fields=None, headers=None, extra=None):
        super().__init__(message)
        self.status, self.code, self.message, self.fields, self.headers = status, code, message, fields, headers
        self.extra = extra


def invalid(fields):
    """The 400 that names what to correct: {field: problem} (translated when the reply is made). Its twin for the
    services and rules: domain.errors.invalid."""
    return ApiError(400, "validation_error", _("Please check: %(fields)s", fields=", ".join(sorted(fields))), fields)


#: The HTTP status of each kind of domain refusal (backend/domain/errors.py).
DOMAIN_STATUS = {
    domain_errors.NotFound: 404,
    domain_errors.Invalid: 400,
    domain_errors.Conflict: 409,
    domain_errors.Unauthenticated: 401,
    domain_errors.Forbidden: 403,
    domain_errors.TooMany: 429,
}


def as_api_error(exc):
    """A domain refusal as the API's error: its status, and its message in the request's language (the fields are
    translated when the reply is made, Msg values in `extra` here)."""
    status = next(code for cls, code in DOMAIN_STATUS.items() if isinstance(exc, cls))
    headers = None
    if isinstance(exc, domain_errors.TooMany) and exc.retry_after is not None:
        headers = {"Retry-After": str(exc.retry_after)}
    return ApiError(status, exc.code, i18n.translate(exc.message), exc.fields, headers, _translated(exc.extra))


def _translated(value):
    if getattr(value, "template", None) is not None:
        return i18n.translate(value)
    if isinstance(value, dict):
        return {key: _translated(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_translated(item) for item in value]
    return value


def error_response(status, code, message, fields=None, headers=None, extra=None):
    if code == "validation_error" and fields:
        message = _named_by_label(message, fields)
    body = {"error": code, "message": message}
    if fields:
        body["fields"] = i18n.translate_fields(fields)
    for key, value in (extra or {}).items():
        body.setdefault(key, value)
    response = jsonify(body)
    response.status_code = status
    for key, value in (headers or {}).items():
        response.headers[key] = value
    return response


def _named_by_label(message, fields):
    """'Please check: decided_on' -> 'Please check: Date of the decision', in the request's language: the fields by
    their labels on the form (backend/field_labels.py). Any other message is left as it is."""
    if message != _("Please check: %(fields)s", fields=", ".join(sorted(fields))):
        return message
    return _("Please check: %(fields)s", fields=field_labels.labels(fields, request.blueprint, i18n.translate))


def _flatten(messages, prefix=""):
    """marshmallow's nested messages -> {"a.b": "text"}."""
    out = {}
    if isinstance(messages, dict):
        for key, value in messages.items():
            out.update(_flatten(value, f"{prefix}.{key}" if prefix else str(key)))
    elif isinstance(messages, list) and all(isinstance(m, str) for m in messages):
        out[prefix or "_"] = " ".join(messages)
    elif isinstance(messages, list):
        for i, value in enumerate(messages):
            out.update(_flatten(value, f"{prefix}.{i}"))
    else:
        out[prefix or "_"] = str(messages)
    return out


class IdConverter(IntegerConverter):
    """`<int:...>` in URLs: ids are 32-bit INTEGER columns, so a larger number matches no route (a 404) instead of
    overflowing in the database driver (a 500)."""

    def __init__(self, url_map, *args, **kwargs):
        kwargs.setdefault("max", 2**31 - 1)
        super().__init__(url_map, *args, **kwargs)


def _api_rule_matches(exc):
    """Whether an API rule matched the path with another method (a real 405)."""
    adapter = current_app.url_map.bind_to_environ(request.environ)
    for method in exc.valid_methods or ():
        try:
            rule, _args = adapter.match(method=method, return_rule=True)
        except HTTPException:
            continue
        if rule.rule.startswith("/api/"):
            return True
    return False


#: Seconds a tablet is asked to wait after a database fault (Retry-After of the 503).
DATABASE_RETRY_AFTER = 5


def database_unavailable(exc):
    """Whether `exc` is a fault of the database, not of the request: it cannot be reached, it did not answer in time
    (statement_timeout, or the app's answer limit: backend/database.py), the connection broke, or the pool had no
    connection to give within its timeout. Other database errors (a constraint, a bad statement) are the app's."""
    if isinstance(exc, sa_exc.TimeoutError):
        return True
    return isinstance(exc, sa_exc.DBAPIError) and (
        exc.connection_invalidated or isinstance(exc, (sa_exc.OperationalError, sa_exc.InterfaceError)))


def forget_session():
    """After a failure: the request's database session rolled back, without letting a broken connection fail the
    reply. The reply's language is chosen first and without a query (i18n.select_locale reads the signed-in person's
    choice only if it is loaded already), and a failing rollback is logged and swallowed."""
    g.database_failed = True
    try:
        get_locale()  # kept for the request
    except Exception:  # noqa: BLE001 - the reply falls back to English
        current_app.logger.warning("no locale for an error reply", exc_info=True)
    try:
        db.session.rollback()
    except Exception:  # noqa: BLE001
        current_app.logger.warning("rollback after a failure failed", exc_info=True)


def register(app):
    @app.errorhandler(sa_exc.SQLAlchemyError)
    def database_error(exc):
        if not database_unavailable(exc):
            return unexpected(exc)
        cause = getattr(exc, "orig", None) or exc  # not the statement's parameters: they may be care notes
        app.logger.warning("database unavailable (%s %s): %s: %s", request.method, request.path,
                           type(cause).__name__, str(cause).strip().splitlines()[0] if str(cause).strip() else "")
        forget_session()
        return error_response(503, "database_unavailable", _(
            "The server cannot reach its database just now. Nothing was lost: the tablet keeps your entries; "
            "try again in a moment."), headers={"Retry-After": str(DATABASE_RETRY_AFTER)})

    @app.errorhandler(ApiError)
    def api_error(exc):
        return error_response(exc.status, exc.code, exc.message, exc.fields, exc.headers, exc.extra)

    @app.errorhandler(domain_errors.DomainError)
    def domain_error(exc):
        return api_error(as_api_error(exc))

    @app.errorhandler(ValidationError)
    def validation_error(exc):
        fields = _flatten(exc.messages)
        names = ", ".join(sorted(fields))
        return error_response(400, "validation_error", _("Please check: %(fields)s", fields=names), fields)

    @app.errorhandler(HTTPException)
    def http_error(exc):
        if not request.path.startswith("/api/"):
            return exc
        if exc.code == 405 and not _api_rule_matches(exc):
            exc = NotFound()  # only the app shell's GET catch-all matched: no such API route
        code = (exc.name or "error").lower().replace(" ", "_")
        return error_response(exc.code or 500, code, exc.description or exc.name)

    @app.errorhandler(Exception)
    def unexpected(exc):  # pragma: no cover - the last line of defence
        app.logger.exception("unhandled error")
        forget_session()
        return error_response(500, "server_error", _("Something went wrong on the server. Nothing was lost."))
