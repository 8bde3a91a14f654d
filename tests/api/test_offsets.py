"""One clock for people, the home's: every timestamp in every API reply carries its UTC offset (`Z` or `±HH:MM`), so
a screen in any time zone reads the same instant (issue 16, finding 1). A naive '2026-11-25T06:43:00' is read by a
browser as its own local time: on a UTC tablet a Krasnoyarsk tick then reads seven hours late.

The walk calls every route of the permission walk (tests/api/test_permissions.py `calls`) as a person who may, on
the demo home with a tick, a note, a confirmation, an amendment and a stay away recorded, and looks at every string
in every JSON reply that reads as a date with a time."""
import re

import pytest
from marshmallow import fields

from backend import demo as demo_home
from backend.api.registry import ROUTES
from backend.api.schemas import UtcDateTime
from backend.extensions import db
from backend.models import User

from ..conftest import DEMO_PASSWORD
from .conftest import DAY, push, tick
from .test_permissions import calls

#: A date followed by a time: a timestamp (a bare 'YYYY-MM-DD' is a calendar day and a bare 'HH:MM' a clock time, and
#: both are the home's by definition).
TIMESTAMP = re.compile(r"^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}")
WITH_OFFSET = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$")
#: Not JSON, or documents rather than data.
SKIPPED = {"archive.pdf", "monitoring.month_csv", "monitoring.month_pdf", "onboarding.template", "openapi.openapi"}
#: Written last: they end the session, or change who may do the rest.
LAST = ("staff.disable", "staff.enable", "auth.logout")


def naive_timestamps(value, where="$"):
    """(JSON path, text) of every string under `value` that reads as a timestamp without an offset."""
    if isinstance(value, dict):
        for key, item in value.items():
            yield from naive_timestamps(item, f"{where}.{key}")
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from naive_timestamps(item, f"{where}[{index}]")
    elif isinstance(value, str) and TIMESTAMP.match(value) and not WITH_OFFSET.match(value):
        yield where, value


def test_the_pattern():
    assert list(naive_timestamps({"a": "2026-11-25T06:43:00", "b": ["2026-11-25T06:43"],
                                  "ok": ["2026-11-25T06:43:00+07:00", "2026-11-24T23:43:00Z", "2026-11-25",
                                         "2026-11-25T06:43:00.123456+00:00", "07:30", "a note at 2026-11-25 10:00"]})
                ) == [("$.a", "2026-11-25T06:43:00"), ("$.b[0]", "2026-11-25T06:43")]


@pytest.fixture(params=[False, True], ids=["this-month", "with-history"])
def demo(app, clock, request):
    """The demo home with this month's cards, and with its history too (plans, care groups, assessments, last month
    confirmed and a card closed): more kinds of replies to read."""
    with app.app_context():
        demo_home.seed(now=clock(), history=request.param)
    return app


@pytest.fixture
def people(demo):
    """A person of the demo home for each role (the walk's callers)."""
    with demo.app_context():
        out = {}
        for user in User.query.order_by(User.id):
            for role in user.roles:
                out.setdefault(role, user.username)
        db.session.remove()
    return out


def test_every_timestamp_in_every_reply_carries_an_offset(demo, world, people, make_api, clock):
    nurse = make_api()
    nurse.login(people["nurse"])
    note = tick(world, kind="note", slot=None, item_id=None, note="offsets")
    push(nurse, [tick(world), note])
    world.amendable = note["id"]
    supervisor = make_api()
    supervisor.login(people["supervisor"])
    status, reply = supervisor.post(f"/api/units/{world.unit1}/days/{DAY}/confirm", {})
    assert status == 201, reply
    away = world.residents[world.unit1][1]  # away since this morning: the pull's `away` periods
    status, reply = supervisor.post(f"/api/residents/{away}/events", {"kind": "absence", "absence": "hospital",
                                                                      "reason": "offsets", "at": f"{DAY}T08:00+07:00"})
    assert status in (200, 201), reply
    clients = {}
    table = calls(world)
    order = sorted(table, key=lambda endpoint: (endpoint in LAST, LAST.index(endpoint) if endpoint in LAST else 0))
    specs = {s.endpoint: s for s in ROUTES}
    found, called = [], 0
    for endpoint in order:
        if endpoint in SKIPPED:
            continue
        method, path, body = table[endpoint]
        spec = specs[endpoint]
        role = next((r for r in (spec.roles or ("admin",)) if r in people), None)
        if role is None:  # no demo account holds it: the inspector's replies, tests/api/test_region.py
            continue
        if role not in clients:
            clients[role] = make_api()
            clients[role].login(people[role])
        caller = clients[role]
        if endpoint == "auth.login":
            caller, body = make_api(), {"username": people["nurse"], "password": DEMO_PASSWORD}
        status, reply = caller.call(method, path, json=body)
        if status >= 400 or reply is None:
            continue
        called += 1
        found += [(endpoint, where, text) for where, text in naive_timestamps(reply)]
    assert called >= 60, called  # the walk reached the routes, not only their refusals
    assert found == []


def test_the_day_view_and_the_pull_carry_offsets(demo, world, people, make_api):
    """The two replies the finding named: the supervisor's day (an entry's device_time, a confirmation's time) and
    the tablet's pull, with a tick made at 06:43 in Krasnoyarsk."""
    nurse = make_api()
    nurse.login(people["nurse"])
    made = tick(world, device_time=f"{DAY}T06:43:00+07:00")
    push(nurse, [made])
    supervisor = make_api()
    supervisor.login(people["supervisor"])
    assert supervisor.post(f"/api/units/{world.unit1}/days/{DAY}/confirm", {})[0] == 201
    status, view = supervisor.get(f"/api/units/{world.unit1}/days/{DAY}")
    assert status == 200
    cell = next(c for r in view["residents"] for c in r["cells"] if c["entry"] and c["entry"]["id"] == made["id"])
    assert cell["entry"]["device_time"] == f"{DAY}T06:43:00+07:00"
    assert view["confirmations"][0]["confirmed_at"] == "2026-11-25T03:00:00+00:00"
    assert list(naive_timestamps(view)) == []
    status, pull = nurse.get(f"/api/sync/pull?post_id={world.post1}&cursor=0")
    assert status == 200 and list(naive_timestamps(pull)) == []


def _datetime_fields(schema, where, seen):
    """(path, field) of every date-time field a response schema dumps, nested schemas included."""
    name = type(schema).__name__
    if name in seen:
        return
    seen.add(name)
    for key, field in schema.fields.items():
        inner = field
        while isinstance(inner, fields.List):
            inner = inner.inner
        if isinstance(inner, fields.Nested):
            yield from _datetime_fields(inner.schema, f"{where}.{key}", seen)
        elif isinstance(inner, fields.DateTime):
            yield f"{where}.{key}", inner


def test_every_response_timestamp_field_adds_the_offset():
    """The serialisation rule, once: a date-time in a reply is dumped by schemas.UtcDateTime (a naive value is the
    stored UTC) or by an AwareDateTime, never by a bare DateTime that would drop a naive value's zone."""
    wrong = []
    for spec in ROUTES:
        if spec.response is None:
            continue
        for where, field in _datetime_fields(spec.response(), spec.response.__name__, set()):
            if not isinstance(field, (UtcDateTime, fields.AwareDateTime)):
                wrong.append(where)
    assert wrong == []
