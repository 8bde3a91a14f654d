"""Schemathesis against the OpenAPI document, for every role (issue "Trust on shared tablets").

For each role (and anonymous) the demo home is built on a fresh database, the role signs in once, and every
operation of GET /api/openapi.json is called in-process with that session cookie and the CSRF header, with
generated inputs: valid ones (positive) and broken ones (negative), half of them aimed at objects that exist
(real card, item, unit, entry ids and the clock's day) so the calls get past the 404 into the views.
Every response must be no server error and must match the document: a documented status, the documented
content type, and a body that validates against the status's schema.

Sign-out is run last for each role, as it ends the session the other operations use. Generation is
derandomized, so a run is repeatable.
"""
import os

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schemathesis.checks import not_a_server_error
from schemathesis.generation import GenerationMode
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from ..conftest import LOGINS, CSRF
from .conftest import DAY, push, tick

ROLES = [LOGINS.nurse1, LOGINS.supervisor1, LOGINS.planner1, LOGINS.activities1, LOGINS.admin1, LOGINS.relative1, None]
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance,
          response_headers_conformance]
#: per operation, generation mode and (random | real) path parameters; SCHEMATHESIS_EXAMPLES sets another budget (the
#: PostgreSQL pass of scripts/test.sh runs fewer: it checks the dialect, the SQLite pass the whole contract)
EXAMPLES = int(os.environ.get("SCHEMATHESIS_EXAMPLES", "8"))
COOKIE = "bedside_session"
LAST = ("POST", "/api/auth/logout")
# schemathesis sends requests' default `Accept-Encoding: gzip, deflate`, and the app then gzips large replies;
# over HTTP the client would inflate them, but the in-process WSGI transport hands the raw bytes to the checks
HEADERS = {**CSRF, "Accept-Encoding": "identity"}


def _real_path_parameters(world, entry_id):
    card = world.cards[world.r1]
    # resident_id: the demo relative's linked resident (the family API takes the id as text)
    return {"card_id": card["id"], "item_id": world.toilet, "unit_id": world.unit1, "day": DAY, "entry_id": entry_id,
            "resident_id": str(world.r1)}


def _strategy(operation, real):
    names = {p.name for p in operation.path_parameters}
    fixed = {name: value for name, value in real.items() if name in names}
    strategies = []
    for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
        strategies.append(operation.as_strategy(generation_mode=mode))
        if fixed:
            strategies.append(operation.as_strategy(generation_mode=mode, path_parameters=fixed))
    return st.one_of(strategies), len(strategies)


def generated_failures(operations, real, cookies):
    """Generated valid and broken calls of each operation (EXAMPLES per strategy; `real`: path parameters that name
    real rows), each reply checked against the document (CHECKS). Returns (failures as text, calls made)."""
    failures, calls = [], 0
    for operation in operations:
        strategy, parts = _strategy(operation, real)

        @settings(max_examples=EXAMPLES * parts, derandomize=True, database=None, deadline=None,
                  suppress_health_check=list(HealthCheck))
        @given(case=strategy)
        def run(case):
            nonlocal calls
            calls += 1
            case.call_and_validate(headers=dict(HEADERS), cookies=dict(cookies), checks=CHECKS)

        try:
            run()
        except Exception as exc:  # noqa: BLE001 - a check's FailureGroup, or the server's own exception (a 500)
            failures.append(f"{operation.method.upper()} {operation.path}: {type(exc).__name__}: {exc}"[:3000])
    return failures, calls


@pytest.mark.slow
@pytest.mark.parametrize("username", ROLES, ids=[r or "anonymous" for r in ROLES])
def test_every_operation_keeps_to_the_document(username, world, make_api, app):
    # one real entry (nurse1's morning tick), so that amending has something to find
    nurse = make_api()
    nurse.login(LOGINS.nurse1)
    entry = tick(world)
    assert push(nurse, [entry], post_id=world.post1)[0]["status"] == "accepted"

    cookies = {}
    if username is not None:
        client = make_api()
        client.login(username)
        cookies = {COOKIE: client.client.get_cookie(COOKIE).value}

    schema = schemathesis.openapi.from_wsgi("/api/openapi.json", app)
    real = _real_path_parameters(world, entry["id"])
    operations = [result.ok() for result in schema.get_all_operations()]
    operations.sort(key=lambda op: (op.method.upper(), op.path) == LAST)
    failures, calls = generated_failures(operations, real, cookies)
    print(f"{username or 'anonymous'}: {len(operations)} operations, {calls} calls")
    assert not failures, "\n\n".join(failures)
