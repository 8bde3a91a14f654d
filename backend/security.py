"""Security headers on every response, and CSRF defence for a JSON API with cookie sessions."""
from urllib.parse import urlsplit

from flask import request
from flask_babel import gettext as _

from .api import context
from .errors import ApiError
from .services import audit

CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; object-src 'none'; "
       "base-uri 'none'; frame-ancestors 'none'; form-action 'self'; worker-src 'self'; manifest-src 'self'; "
       "connect-src 'self'")
SAFE = ("GET", "HEAD", "OPTIONS")
#: State-changing API requests must carry this header: a cross-site form cannot set it.
CSRF_HEADER = "X-Bedside"
#: Routes a device calls with a token of its own (`Authorization: Bearer`), never with the session cookie: a forged
#: cross-site request carries no such token (a browser adds none by itself), so they need no CSRF header. Each
#: checks its token itself (api/alarms.py intake).
TOKEN_ROUTES = ("alarms.intake",)


def _csrf_refusal(message):
    """A CSRF refusal, audited as `refused` like the API's role and object refusals (api/registry.py).

    It runs in `before_request`, before any view: flask-login loads the session's user lazily, on the first use of
    `current_user` (here, or already when the message picked the user's language), so the actor is whoever the
    session cookie names, or None. The route is the matched rule (the path when none matched); nothing of the
    request was done, so the audit row is the only write."""
    rule = request.url_rule.rule if request.url_rule is not None else request.path[:200]
    audit.refused(context.ctx(), rule, request.method, 403, "csrf", args=request.view_args)
    return ApiError(403, "csrf", message)


def _host_of(origin):
    """The host of an Origin header; None when it is not a URL at all ("http://[" made urlsplit raise: a 500)."""
    try:
        return urlsplit(origin).netloc
    except ValueError:
        return None


def register(app):
    @app.before_request
    def csrf_guard():
        if request.method in SAFE or not request.path.startswith("/api/"):
            return
        if request.endpoint in TOKEN_ROUTES:
            return
        if request.headers.get(CSRF_HEADER) != "1":
            raise _csrf_refusal(_("The request is missing its %(header)s header.", header=CSRF_HEADER))
        origin = request.headers.get("Origin")
        if origin and _host_of(origin) != request.host:
            raise _csrf_refusal(_("Requests from another site are refused."))
        if request.headers.get("Sec-Fetch-Site") == "cross-site":
            raise _csrf_refusal(_("Requests from another site are refused."))
        if request.content_length and not request.is_json:
            raise ApiError(415, "unsupported_media_type", _("Send JSON (Content-Type: application/json)."))

    @app.after_request
    def headers(response):
        response.headers.setdefault("Content-Security-Policy", CSP)
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["Referrer-Policy"] = "no-referrer"
        response.headers["X-Frame-Options"] = "DENY"
        if request.is_secure:
            response.headers["Strict-Transport-Security"] = "max-age=31536000; includeSubDomains"
        if request.path.startswith("/api/"):
            response.headers["Cache-Control"] = "no-store"
        return response
