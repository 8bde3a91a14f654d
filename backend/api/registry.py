"""Route declaration: every API route states its roles, its input schemas and its output schema.

The declaration drives the permission check, the OpenAPI document and the route-by-role test.
"""
from dataclasses import dataclass, field
from functools import wraps

from flask import current_app, request
from flask_babel import gettext as _
from flask_login import current_user

from ..errors import ApiError

PUBLIC = ()


class Prebuilt(dict):
    """A reply the view built in the shape of its response schema (a hot path skips the dump)."""


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


ROUTES: list[RouteSpec] = []


def route(bp, rule, methods=("GET",), *, roles, summary, body=None, query=None, response=None, many=False,
          status=200):
    """Register a JSON view. The view gets `body` and `query` (loaded) as keyword arguments."""
    def decorate(fn):
        spec = RouteSpec(rule=bp.url_prefix + rule, methods=tuple(methods), roles=tuple(roles), summary=summary,
                         body=body, query=query, response=response, many=many, status=status, tags=[bp.name],
                         endpoint=f"{bp.name}.{fn.__name__}")

        @wraps(fn)
        def view(**kwargs):
            if spec.roles is not PUBLIC:
                if not current_user.is_authenticated:
                    raise ApiError(401, "unauthenticated", _("Please sign in."))
                if current_user.role not in spec.roles:
                    raise ApiError(403, "forbidden", _("Your role may not do this."))
            if body is not None:
                data = request.get_json(silent=True)
                if not isinstance(data, dict):
                    raise ApiError(400, "validation_error", _("The request body must be a JSON object."),
                                   {"_": _("The request body must be a JSON object.")})
                kwargs["body"] = body().load(data)
            if query is not None:
                kwargs["query"] = query().load(request.args.to_dict())
            result = fn(**kwargs)
            if response is None:
                return result
            if isinstance(result, Prebuilt):
                return current_app.json.response(result), status
            return current_app.json.response(response(many=many).dump(result)), status

        view.route_spec = spec
        bp.add_url_rule(rule, endpoint=fn.__name__, view_func=view, methods=list(methods))
        ROUTES.append(spec)
        return view
    return decorate
