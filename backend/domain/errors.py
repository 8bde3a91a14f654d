"""Refusals of the rules and services, without HTTP: each class is one kind of refusal, and backend/errors.py maps it
to its status and translates its message and fields in the reader's language (one handler, one error shape).

Each carries a `code` (the reply's `error`), a `message` (a messages.Msg: English text that keeps its template, so
it is translated when the reply is made), optional `fields` ({name: Msg}) and optional `extra` (more keys of the
reply's body)."""
from .messages import Msg


class DomainError(Exception):
    code = "error"

    def __init__(self, message, fields=None, code=None, extra=None):
        super().__init__(message)
        self.message, self.fields, self.extra = message, fields, extra
        if code is not None:
            self.code = code


class NotFound(DomainError):
    """No such object, or not the caller's (404)."""
    code = "not_found"


class Invalid(DomainError):
    """What was sent cannot be accepted; `fields` names what to correct (400)."""
    code = "validation_error"


class Conflict(DomainError):
    """The request is understood but the state of things refuses it (409); always with its own code."""


class Unauthenticated(DomainError):
    """Who is asking could not be established (401)."""


class Forbidden(DomainError):
    """The caller may not do this (403)."""
    code = "forbidden"


class TooMany(DomainError):
    """Too many attempts: held for `retry_after` seconds (429)."""
    code = "too_many_attempts"

    def __init__(self, message, retry_after=None, **kwargs):
        super().__init__(message, **kwargs)
        self.retry_after = retry_after


def invalid(fields):
    """The 400 that names what to correct: {field: problem} (translated when the reply is made)."""
    return Invalid(Msg("Please check: %(fields)s", fields=", ".join(sorted(fields))), fields)
