"""The OpenAPI 3 document, built from the route declarations."""
import re

from apispec import APISpec
from apispec.ext.marshmallow import MarshmallowPlugin
from flask import Blueprint, jsonify

from .registry import PUBLIC, ROUTES, route
from .schemas import ErrorSchema

bp = Blueprint("openapi", __name__, url_prefix="/api")

_ERRORS = {"400": "Invalid input; `fields` names each problem", "401": "Not signed in",
           "403": "The role may not call this", "404": "Not found or not yours", "409": "Conflict",
           "429": "Too many attempts"}


#: Statuses some routes add (their `also`).
_ALSO = {422: "The values cannot be processed (a device's alarm: an unknown type, a wrong time); `fields` names "
              "each"}


#: what `<int:...>` matches (errors.IdConverter): an unsigned number that fits a 32-bit INTEGER column
_INT_ID = {"type": "integer", "minimum": 0, "maximum": 2**31 - 1}


def _path(rule):
    return re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", rule)


def build_spec():
    spec = APISpec(title="Bedside API", version="1", openapi_version="3.0.3", plugins=[MarshmallowPlugin()],
                   info={"description": "Offline-first care documentation. Every route lists the roles that may "
                                        "call it in `x-roles`."})
    spec.components.schema("Error", schema=ErrorSchema)
    for r in sorted(ROUTES, key=lambda r: r.rule):
        params = [{"in": "path", "name": n, "required": True,
                   "schema": _INT_ID if f"int:{n}" in r.rule else {"type": "string"}}
                  for n in re.findall(r"<(?:\w+:)?(\w+)>", r.rule)]
        if r.query is not None:
            params.append({"in": "query", "schema": r.query})
        responses = {str(r.status): {"description": "OK"}}
        if r.response is not None:
            schema = {"type": "array", "items": r.response} if r.many else r.response
            responses[str(r.status)]["content"] = {"application/json": {"schema": schema}}
        for code, text in _ERRORS.items():
            responses[code] = {"description": text, "content": {"application/json": {"schema": "Error"}}}
        for code in r.also:
            responses[str(code)] = (dict(responses[str(r.status)], description="OK") if code < 300 else
                                    {"description": _ALSO.get(code, "Refused"),
                                     "content": {"application/json": {"schema": "Error"}}})
        operation = {"summary": r.summary, "tags": r.tags, "parameters": params, "responses": responses,
                     "x-roles": list(r.roles) or ["public"]}
        if r.roles is not PUBLIC:
            operation["security"] = [{"session": []}]
        if r.body is not None:
            operation["requestBody"] = {"required": True, "content": {"application/json": {"schema": r.body}}}
        for method in r.methods:
            spec.path(path=_path(r.rule), operations={method.lower(): dict(operation)})
    spec.components.security_scheme("session", {"type": "apiKey", "in": "cookie", "name": "bedside_session"})
    return spec.to_dict()


@route(bp, "/openapi.json", roles=PUBLIC, summary="This document")
def openapi():
    return jsonify(build_spec())
