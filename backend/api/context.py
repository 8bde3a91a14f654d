"""The request's clock, address and device, read here so services receive them as arguments."""
from flask import Response, current_app, g, request
from flask_login import current_user
from flask_babel import gettext as _

from ..errors import ApiError
from ..services import audit, devices
from ..services.context import Ctx

DEVICE_ID_HEADER = "X-Device-Id"
#: An enrolled tablet's credential (issued at enrolment, kept in its IndexedDB).
DEVICE_KEY_HEADER = "X-Device-Key"
#: What a revoked tablet may still do: hand over the entries it holds, then report that it wiped itself.
REVOKED_MAY = ("sync.push", "devices.wiped")


def now():
    return current_app.config["CLOCK"]()


_SIGNED_IN = object()
_HEADER = object()


def ctx(actor=_SIGNED_IN, device=_HEADER):
    """The request's context for the services (services/context.py), built once per view: who acts (the signed-in
    person unless `actor` is given; None when nobody is), the clock's now, the tablet (the X-Device-Id header
    unless `device` names it), the address and the browser (its User-Agent)."""
    if actor is _SIGNED_IN:
        actor = current_user._get_current_object() if current_user.is_authenticated else None
    return Ctx(actor, now(), device_id() if device is _HEADER else device, address(), user_agent())


def address():
    return request.remote_addr or "unknown"


def user_agent():
    """The browser the request came from, as the device row keeps it (input_guard.agent_text), or None."""
    from .input_guard import agent_text  # input_guard imports this module's header names
    return agent_text(request.headers.get("User-Agent"))


def device_id():
    return request.headers.get(DEVICE_ID_HEADER) or None


def audit_read(target_type, target_id, detail=None):
    """Record that the signed-in person read this (who, when, from which tablet and address)."""
    audit.read(ctx(), target_type, target_id, detail=detail)


def pdf_fonts():
    """The configured font paths of printed documents (empty: backend/pdf_card.py's defaults)."""
    config = current_app.config
    return {"regular": config.get("PDF_FONT_REGULAR"), "bold": config.get("PDF_FONT_BOLD"),
            "cjk": config.get("PDF_FONT_CJK")}


def pdf_reply(data, name, warnings):
    """A PDF shown in the browser, with what was missing to print it (e.g. a CJK font) in a header."""
    response = Response(data, mimetype="application/pdf")
    response.headers["Content-Disposition"] = f'inline; filename="{name}"'
    if warnings:
        response.headers["X-Bedside-Warning"] = ",".join(warnings)
    return response


def device():
    """The enrolled tablet this request proves it comes from (its credential), or None."""
    return g.get("device")


def device_guard():
    """Before every API request: check a presented device credential. A wrong one is refused; a revoked
    tablet's credential opens nothing but REVOKED_MAY."""
    g.device = None
    credential = request.headers.get(DEVICE_KEY_HEADER)
    if not credential or not request.path.startswith("/api/"):
        return
    found = devices.authenticate(device_id(), credential)
    if found is None:
        _refuse("device_unknown", _("This tablet is not enrolled (or its credential is wrong)."))
    if found.revoked_at is not None and request.endpoint not in REVOKED_MAY:
        _refuse("device_revoked", _("This tablet has been withdrawn by an administrator."))
    g.device = found


def claim_device(device_id, field="device_id"):
    """A request naming an enrolled tablet's id must prove it is that tablet (its credential): otherwise any
    browser could sign in as, or push in the name of, a duty-post tablet and rewrite its record."""
    if not device_id:
        return
    named = devices.enrolled(device_id)
    if named is not None and (device() is None or device().id != device_id):
        raise ApiError(403, "device_mismatch", _("This id belongs to an enrolled tablet; only that tablet may use it."),
                       {field: _("not this tablet's id")})


def _refuse(code, message):
    audit.refused(ctx(None), request.path[:64], request.method, 401, code)
    raise ApiError(401, code, message)


def vitals_definition():
    return current_app.extensions["bedside.vitals"]
