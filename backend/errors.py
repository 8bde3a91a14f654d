"""One JSON error shape for the whole API: {"error": code, "message": text, "fields": {name: text}}."""
from flask import jsonify, request
from flask_babel import gettext as _
from marshmallow import ValidationError
from werkzeug.exceptions import HTTPException

from . import i18n


class ApiError(Exception):
    def __init__(self, status, code, message, fields=None, headers=None):
        super().__init__(message)
        self.status, self.code, self.message, self.fields, self.headers = status, code, message, fields, headers


def error_response(status, code, message, fields=None, headers=None):
    body = {"error": code, "message": message}
    if fields:
        body["fields"] = i18n.translate_fields(fields)
    response = jsonify(body)
    response.status_code = status
    for key, value in (headers or {}).items():
        response.headers[key] = value
    return response


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


def register(app):
    @app.errorhandler(ApiError)
    def api_error(exc):
        return error_response(exc.status, exc.code, exc.message, exc.fields, exc.headers)

    @app.errorhandler(ValidationError)
    def validation_error(exc):
        fields = _flatten(exc.messages)
        names = ", ".join(sorted(fields))
        return error_response(400, "validation_error", _("Please check: %(fields)s", fields=names), fields)

    @app.errorhandler(HTTPException)
    def http_error(exc):
        if not request.path.startswith("/api/"):
            return exc
        code = (exc.name or "error").lower().replace(" ", "_")
        return error_response(exc.code or 500, code, exc.description or exc.name)

    @app.errorhandler(Exception)
    def unexpected(exc):  # pragma: no cover - the last line of defence
        app.logger.exception("unhandled error")
        return error_response(500, "server_error", _("Something went wrong on the server. Nothing was lost."))
