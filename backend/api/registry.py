"""Route declaration: every API route states its roles, its input schemas and its output schema.

The declaration drives the permission check, the OpenAPI document and the route-by-role test.
"""
from dataclasses import dataclass, field
from functools import wraps

from flask import current_app, request
from flask_babel import gettext as _
from flask_login import current_user

from ..domain.errors import DomainError
from ..errors import ApiError, as_api_error
from ..extensions import db
from ..services import audit
from . import context, input_guard

PUBLIC = ()
#: What a person signed in with a one-time password may do: see herself, choose her language and her password,
#: sign out. Everything else answers 403 `password_change_required` until she has chosen her own password.
BEFORE_PASSWORD_CHANGE = ("auth.me", "auth.set_locale", "auth.change_password", "auth.logout")


class Prebuilt(dict):
    """A reply the view built in the shape of its response schema (a hot path skips the dump)."""
    #: Its status when not the route's declared one: one of the route's `also` (alarms.intake: 200 for a repeat).
    status = None


class PrebuiltList(list):
    """A list reply the view already dumped with its response schema."""


@dataclass
class RouteSpec:
    rule: str
    methods: tuple
    roles: tuple
    summary: str
    body: type | None = None
    query: type | None = None
    response: type | None = None
    many: bool = False
    status: int = 200
    tags: list = field(default_factory=list)
    endpoint: str = ""
    #: An enrolled tablet's credential stands in for a signed-in person (the tablet's own outbox).
    device: bool = False
    #: Other statuses the route answers and documents: a 2xx with the response schema, a 4xx with the error shape.
    also: tuple = ()


ROUTES: list[RouteSpec] = []


def _is_refusal(exc):
    """Audited as `refused`: the role checks (401/403) and objects that are missing or not the caller's (404).
    A failed sign-in is audited by the login itself."""
    return exc.status in (401, 403) and exc.code != "bad_credentials" or (exc.status == 404
                                                                          and exc.code == "not_found")


def _record_refusal(spec, exc, args):
    db.session.rollback()  # nothing of the refused request is written with its audit row
    audit.refused(context.ctx(), spec.rule, request.method, exc.status, exc.code, args=args)


def route(bp, rule, methods=("GET",), *, roles, summary, body=None, query=None, response=None, many=False,
          status=200, device=False, also=()):
    """Register a JSON view. The view gets `body` and `query` (loaded) as keyword arguments."""
    def decorate(fn):
        spec = RouteSpec(rule=bp.url_prefix + rule, methods=tuple(methods), roles=tuple(roles), summary=summary,
                         body=body, query=query, response=response, many=many, status=status, tags=[bp.name],
                         endpoint=f"{bp.name}.{fn.__name__}", device=device, also=tuple(also))

        @wraps(fn)
        def view(**kwargs):
            try:
                return checked_view(**kwargs)
            except ApiError as exc:
                if _is_refusal(exc):
                    _record_refusal(spec, exc, kwargs)
                raise
            except DomainError as refusal:
                exc = as_api_error(refusal)
                if _is_refusal(exc):
                    _record_refusal(spec, exc, kwargs)
                raise exc from refusal

        def checked_view(**kwargs):
            if spec.roles is not PUBLIC and not (spec.device and context.device() is not None
                                                 and not current_user.is_authenticated):
                if not current_user.is_authenticated:
                    raise ApiError(401, "unauthenticated", _("Please sign in."))
                if not current_user.has_role(*spec.roles):
                    raise ApiError(403, "forbidden", _("Your role may not do this."))
                if current_user.must_change_password and spec.endpoint not in BEFORE_PASSWORD_CHANGE:
                    raise ApiError(403, "password_change_required", _("Choose your own password first."))
            if body is not None:
                data = input_guard.body()  # parsed once, strictly, before any view ran
                if not isinstance(data, dict):
                    raise ApiError(400, "validation_error", _("The request body must be a JSON object."),
                                   {"_": _("The request body must be a JSON object.")})
                kwargs["body"] = body().load(data)
            if query is not None:
                kwargs["query"] = query().load(request.args.to_dict())
            result = fn(**kwargs)
            if response is None:
                return result
            if isinstance(result, (Prebuilt, PrebuiltList)):
                return current_app.json.response(result), getattr(result, "status", None) or status
            return current_app.json.response(response(many=many).dump(result)), status

        view.route_spec = spec
        bp.add_url_rule(rule, endpoint=fn.__name__, view_func=view, methods=list(methods))
        ROUTES.append(spec)
        return view
    return decorate
