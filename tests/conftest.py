"""Shared fixtures: an app on a fresh database (SQLite file, or TEST_DATABASE_URL), a settable clock,
an API client that speaks the app's CSRF header, and the demo home with its logins (LOGINS)."""
import os
import uuid
from datetime import datetime, timezone
from types import SimpleNamespace

import pytest
from sqlalchemy import inspect, text
from sqlalchemy.exc import ProgrammingError

from backend import demo as demo_home
from backend.demo import community as community_demo
from backend.app import create_app
from backend.domain import signing
from backend.extensions import db
from backend.models import SyncState

CSRF = {"X-Bedside": "1"}

#: The demo's accounts, as the README documents them ("Run it"): the one place tests spell them. A test signing in
#: to the demo home writes LOGINS.nurse1, never "nurse1" (tests/test_demo_independence.py checks that, and that
#: each is an account of backend/demo and named in the README).
LOGINS = SimpleNamespace(nurse1="nurse1", nurse2="nurse2", nurse3="nurse3", supervisor1="supervisor1",
                         planner1="planner1", activities1="activities1", admin1="admin1", relative1="relative1",
                         specialist1="specialist1", nurse4="nurse4", nurse5="nurse5", nurse6="nurse6")
#: The demo accounts' password (README).
DEMO_PASSWORD = "demo"
#: Residents on each of the demo's duty posts (README: "two units with a duty post and 12 residents each"), for the
#: browser tests that wait for a whole post on the tablet; API tests count `world.residents` instead.
DEMO_RESIDENTS_PER_POST = 12


class Clock:
    """A clock the tests move by hand. Calling it returns the current (aware, UTC) time."""

    def __init__(self, now):
        self.now = now

    def __call__(self):
        return self.now

    def set(self, text):
        self.now = datetime.fromisoformat(text).astimezone(timezone.utc)


@pytest.fixture
def clock():
    # 10:00 in Krasnoyarsk (UTC+7), the demo home's zone
    return Clock(datetime(2026, 11, 25, 3, 0, tzinfo=timezone.utc))


@pytest.fixture
def database_url(tmp_path):
    return os.environ.get("TEST_DATABASE_URL") or f"sqlite:///{tmp_path / 'test.sqlite'}"


@pytest.fixture
def app(database_url, clock, tmp_path):
    application = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": database_url, "CLOCK": clock,
                              "SECRET_KEY": "test-secret"})
    with application.app_context():
        _empty_schema(database_url)
        db.session.add(SyncState(id=1, seq=0, epoch=uuid.uuid4().hex))
        db.session.commit()
    yield application
    with application.app_context():
        db.session.remove()
        db.engine.dispose()


_CURRENT = set()  # database URLs whose tables were found (or made) as the models say, in this test process


def _schema_current(database_url):
    """Do the database's tables have the models' columns? Checked once per test process and database: a database
    kept from an older tree (a column added since, as migration 0019 adds to existing tables) is made again rather
    than emptied with its old shape."""
    if database_url in _CURRENT:
        return True
    found = inspect(db.engine)
    names = set(found.get_table_names())
    for table in db.metadata.sorted_tables:
        if table.name not in names or {c["name"] for c in found.get_columns(table.name)} != set(table.columns.keys()):
            _CURRENT.add(database_url)  # made again below, as the models say
            return False
    _CURRENT.add(database_url)
    return True


def _empty_schema(database_url):
    """The app's tables, empty. On PostgreSQL, where dropping and creating some fifty tables with their indexes costs
    about a second a test, the tables a test left are emptied (TRUNCATE ... RESTART IDENTITY: ids start again at 1,
    as after creating them); when one is missing (a test wiped the database, or it is new) they are made again."""
    if database_url.startswith("postgresql") and _schema_current(database_url):
        names = ", ".join(f'"{t.name}"' for t in db.metadata.sorted_tables)
        try:
            with db.engine.begin() as conn:
                conn.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
            return
        except ProgrammingError:  # a table is missing
            pass
    db.drop_all()
    db.create_all()


@pytest.fixture
def empty_app(database_url, clock):
    """An app on a database with no tables at all (what `bedside init` and the migrations start from)."""
    application = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": database_url, "SECRET_KEY": "test",
                              "CLOCK": clock})
    with application.app_context():
        db.drop_all()
        with db.engine.begin() as conn:
            conn.execute(text("DROP TABLE IF EXISTS alembic_version"))
        assert inspect(db.engine).get_table_names() == []
    yield application
    with application.app_context():
        db.session.remove()
        with db.engine.begin() as conn:
            conn.execute(text("DROP TABLE IF EXISTS alembic_version"))
        db.drop_all()
        db.session.remove()
        db.engine.dispose()


class Keyring(dict):
    """Signing keys issued at sign-ins, by (user id, device id): the tablets' side of entry signatures."""

    def sign(self, entries):
        """Sign, in place, the entries that carry no signature yet and whose author signed in on their device."""
        for e in entries:
            if isinstance(e, dict) and "sig" not in e and (e.get("author_id"), e.get("device_id")) in self:
                key_id, secret = self[(e["author_id"], e["device_id"])]
                e["key_id"] = key_id
                e["sig"] = signing.sign(secret, _as_loaded(e))


def _as_loaded(e):
    return dict(e, day=e.get("day"))


class Api:
    """A test client that adds the CSRF header, signs pushed entries as a tablet does, and returns (status, json)."""

    def __init__(self, client, keyring=None):
        self.client = client
        self.keyring = keyring if keyring is not None else Keyring()
        #: Sent with every request (an enrolled tablet's X-Device-Id and X-Device-Key).
        self.default_headers = {}

    def call(self, method, path, json=None, headers=None, **kwargs):
        if path == "/api/sync/push" and isinstance(json, dict) and isinstance(json.get("entries"), list):
            self.keyring.sign(json["entries"])
        all_headers = dict(CSRF)
        all_headers.update(self.default_headers)
        all_headers.update(headers or {})
        response = self.client.open(path, method=method, json=json, headers=all_headers, **kwargs)
        return response.status_code, response.get_json(silent=True)

    def get(self, path, **kwargs):
        return self.call("GET", path, **kwargs)

    def post(self, path, json=None, **kwargs):
        return self.call("POST", path, json=json if json is not None else {}, **kwargs)

    def patch(self, path, json=None, **kwargs):
        return self.call("PATCH", path, json=json, **kwargs)

    def delete(self, path, **kwargs):
        return self.call("DELETE", path, **kwargs)

    def login(self, username, password=DEMO_PASSWORD, device_id="tab-1"):
        status, body = self.post("/api/auth/login", {"username": username, "password": password,
                                                     "device_id": device_id})
        assert status == 200, body
        if body.get("signing_key"):
            key = body["signing_key"]
            self.keyring[(body["id"], device_id)] = (key["id"], signing.decode_key(key["secret"]))
        return body


@pytest.fixture
def keyring():
    return Keyring()


@pytest.fixture
def api(app, keyring):
    return Api(app.test_client(), keyring)


@pytest.fixture
def make_api(app, keyring):
    """More clients (more tablets or browsers) on the same app; they share the tablets' signing keys."""
    return lambda: Api(app.test_client(), keyring)


@pytest.fixture
def demo(app, clock):
    with app.app_context():
        demo_home.seed(now=clock())
    return app


@pytest.fixture
def community(demo, clock):
    """The demo's community centre beside the care home (backend/demo/community.py): a region, a station with its
    post, a dispatcher, two carers and a planner (logins dispatch1, carer1, carer2, cplanner1; the demo password),
    20 people at home with locations and home codes, the catalogue and a contract each. Returns its ids."""
    with demo.app_context():
        _logins, ids = community_demo.seed_community(clock())
        db.session.commit()
        db.session.remove()
    return ids
