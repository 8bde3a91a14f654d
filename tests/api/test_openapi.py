"""The OpenAPI document: structurally valid 3.0, every declared route present, every operation with x-roles."""
import re

from backend.api.registry import PUBLIC, ROUTES
from backend.domain import roles

METHODS = {"get", "put", "post", "delete", "patch", "options", "head", "trace"}


def _resolve(doc, ref):
    assert ref.startswith("#/"), ref
    node = doc
    for part in ref[2:].split("/"):
        assert part in node, f"unresolvable $ref {ref}"
        node = node[part]
    return node


def _refs(node):
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "$ref":
                yield value
            else:
                yield from _refs(value)
    elif isinstance(node, list):
        for value in node:
            yield from _refs(value)


def test_openapi_document(demo, api):
    status, doc = api.get("/api/openapi.json")
    assert status == 200
    assert doc["openapi"].startswith("3.0.") and doc["info"]["title"] and doc["info"]["version"]
    for ref in _refs(doc):
        _resolve(doc, ref)
    assert "session" in doc["components"]["securitySchemes"]
    seen = set()
    for path, operations in doc["paths"].items():
        assert path.startswith("/api/")
        names = set(re.findall(r"{(\w+)}", path))
        for method, op in operations.items():
            assert method in METHODS, (path, method)
            seen.add((path, method))
            assert op["summary"] and op["responses"], (path, method)
            for code in op["responses"]:
                assert re.fullmatch(r"[1-5]\d\d", code), (path, method, code)
            declared = {p["name"] for p in op.get("parameters", []) if p["in"] == "path"}
            assert declared == names, (path, method)
            for p in op.get("parameters", []):
                if p["in"] == "path":
                    assert p["required"] is True
            assert op["x-roles"], (path, method)
            assert set(op["x-roles"]) <= set(roles.ALL) | {"public"}, (path, method)
            if op["x-roles"] != ["public"]:
                assert op["security"] == [{"session": []}], (path, method)
            if "requestBody" in op:
                assert "application/json" in op["requestBody"]["content"]
    expected = set()
    for spec in ROUTES:
        path = re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", spec.rule)
        for method in spec.methods:
            expected.add((path, method.lower()))
            op = doc["paths"][path][method.lower()]
            assert op["x-roles"] == (list(spec.roles) if spec.roles is not PUBLIC else ["public"])
            assert str(spec.status) in op["responses"]
            assert ("requestBody" in op) == (spec.body is not None)
    assert seen == expected


def test_every_url_rule_is_documented(demo, api):
    status, doc = api.get("/api/openapi.json")
    for rule in demo.url_map.iter_rules():
        if not rule.rule.startswith("/api/"):
            continue
        path = re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", rule.rule)
        for method in rule.methods - {"HEAD", "OPTIONS"}:
            assert method.lower() in doc["paths"].get(path, {}), (path, method)


def test_item_patch_body_has_no_required_fields(demo, api):
    status, doc = api.get("/api/openapi.json")
    body = doc["paths"]["/api/cards/{card_id}/items/{item_id}"]["patch"]["requestBody"]["content"]
    schema = body["application/json"]["schema"]
    if "$ref" in schema:
        schema = _resolve(doc, schema["$ref"])
    assert not schema.get("required")
