"""Browser-test fixtures: a real gunicorn server that can be stopped and started (a real outage),
Debian's Chromium driven by Playwright, and an axe-core check."""
import contextlib
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import axe_playwright_python
import pytest
import requests
from playwright.sync_api import sync_playwright
from sqlalchemy import create_engine, make_url, text

# Let context.route() see the service worker's own requests too (microsoft/playwright#2311), so a test can
# cut one endpoint for a tablet while the server keeps running.
os.environ.setdefault("PW_EXPERIMENTAL_SERVICE_WORKER_NETWORK_EVENTS", "1")
ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
AXE_JS = Path(axe_playwright_python.__file__).with_name("axe.min.js")


def _free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _reset_postgres(url):
    engine = create_engine(url)
    with engine.begin() as conn:
        conn.execute(text("DROP SCHEMA public CASCADE"))
        conn.execute(text("CREATE SCHEMA public"))
    engine.dispose()


@contextlib.contextmanager
def demo_workers(tmp_path, workers=3):
    """A gunicorn server of several workers on the demo home (without history), on TEST_DATABASE_URL's PostgreSQL
    (emptied first) or a fresh SQLite file; stopped on leaving."""
    pg = os.environ.get("TEST_DATABASE_URL")
    if pg:
        _reset_postgres(pg)
    server = LiveServer(tmp_path, database_url=pg, workers=workers)
    server.bedside("demo", "--no-history", "--no-community")
    server.start()
    try:
        yield server
    finally:
        server.stop()
        server.log.close()


class LiveServer:
    """gunicorn serving the app on a fresh demo database; stop() is a real outage."""

    def __init__(self, instance_dir, database_url=None, workers=2):
        self.port = _free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.env = dict(os.environ, BEDSIDE_INSTANCE=str(instance_dir), SECRET_KEY="browser-tests")
        if database_url:
            self.env["DATABASE_URL"] = database_url
        else:
            self.env.pop("DATABASE_URL", None)
        self.workers = workers
        self.process = None
        self.log = open(Path(instance_dir) / "server.log", "ab")

    def bedside(self, *args, input=None):
        """Run `bedside ARGS`; `input`: text for its standard input (e.g. `setup --password-stdin`)."""
        subprocess.run([sys.executable, "-m", "backend.cli", *args], env=self.env, cwd=ROOT, check=True,
                       stdout=subprocess.DEVNULL, stderr=self.log,
                       input=input.encode("utf-8") if input is not None else None)

    def start(self):
        self.process = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "--workers", str(self.workers), "--threads", "4",
             "--bind", f"127.0.0.1:{self.port}", "--no-control-socket", "backend.wsgi:app"],
            env=self.env, cwd=ROOT, stdout=self.log, stderr=self.log, start_new_session=True)
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                if requests.get(self.url + "/version.json", timeout=1).status_code == 200:
                    return
            except requests.RequestException:
                time.sleep(0.1)
        raise RuntimeError("the server did not start; see server.log")

    def stop(self):
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            self.process.wait(timeout=20)
        self.process = None


def _admin(url):
    """An autocommit connection to the server's own `postgres` database (to create and drop databases)."""
    return create_engine(make_url(url).set(database="postgres"), isolation_level="AUTOCOMMIT")


class SeededDemo:
    """The demo seeded once per kind (`bedside demo --history` / `--no-history`) and copied for each test: seeding
    took 1.5-2.5 s of CPU a test, and the two suite passes share the machine's two cores. A SQLite file is copied;
    on PostgreSQL the test's database is created from a template database. A copy is made again when the home's
    day has changed since it was seeded (the demo's cards and entries are laid out around that day)."""

    def __init__(self, work_dir, pg_url):
        self.work_dir, self.pg_url = Path(work_dir), pg_url
        self.made = {}  # kind -> (the home's time zone, its day when seeded, SQLite file or template database name)

    @staticmethod
    def _home_timezone(url):
        engine = create_engine(url)
        with engine.connect() as conn:
            timezone = conn.execute(text("SELECT timezone FROM home")).scalars().first()
        engine.dispose()
        return ZoneInfo(timezone or "UTC")

    def _seed(self, kind):
        instance = self.work_dir / kind
        instance.mkdir(exist_ok=True)
        if self.pg_url:
            name = f"{make_url(self.pg_url).database}_seed_{kind.replace('-', '_')}"
            url = make_url(self.pg_url).set(database=name).render_as_string(hide_password=False)
            admin = _admin(self.pg_url)
            with admin.connect() as conn:
                conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
                conn.execute(text(f'CREATE DATABASE "{name}"'))
            admin.dispose()
        else:
            name = instance / "bedside.sqlite"
            name.unlink(missing_ok=True)
            url = f"sqlite:///{name}"
        seeder = LiveServer(instance, database_url=url if self.pg_url else None)
        seeder.bedside("demo", f"--{kind}", "--no-community")
        seeder.log.close()
        zone = self._home_timezone(url)
        self.made[kind] = (zone, datetime.now(zone).date(), name)

    def copy_for(self, kind, instance_dir):
        """A fresh copy of the seeded demo for one test; returns its DATABASE_URL (None: the instance's SQLite)."""
        # no connection to the template here: PostgreSQL copies a template only while nobody is connected to it
        if kind not in self.made or datetime.now(self.made[kind][0]).date() != self.made[kind][1]:
            self._seed(kind)
        source = self.made[kind][2]
        if not self.pg_url:
            for suffix in ("", "-wal"):  # a write-ahead log left behind holds part of the data
                if Path(f"{source}{suffix}").exists():
                    shutil.copyfile(f"{source}{suffix}", Path(instance_dir) / f"bedside.sqlite{suffix}")
            return None
        target = f"{make_url(self.pg_url).database}_browser"
        admin = _admin(self.pg_url)
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{target}" WITH (FORCE)'))
            conn.execute(text(f'CREATE DATABASE "{target}" TEMPLATE "{source}"'))
        admin.dispose()
        return make_url(self.pg_url).set(database=target).render_as_string(hide_password=False)


#: The browser tests of what happens in the browser alone: layouts and menus, the lock screen and drafts kept in
#: IndexedDB, the service worker's update, touch targets, the home's clock on screen, words, the resync backoff.
#: scripts/test.sh runs each browser test once: these in the SQLite pass, the others -- which carry entries, days,
#: cards, stays and figures through the server -- in the PostgreSQL pass, production's database
#: (BEDSIDE_BROWSER_PASS=alone | server; unset: all of them).
BROWSER_ALONE = {"test_drafts_lock.py", "test_day_records_reach.py", "test_home_clock.py", "test_lock_screen.py",
                 "test_menu_fits.py", "test_month_choice.py", "test_relative_view.py", "test_resync.py",
                 "test_screens.py", "test_tap.py", "test_update.py", "test_words_and_screens.py"}
#: The SQLite pass also takes these, which carry data through the server, so that the two passes take about as long
#: (the administrator's staff screens; a new home's first shift; the dispatcher's people, follow-up calls and the
#: visits' exceptions; the inspector's region -- served by the routes the API tests run on both databases).
SQLITE_PASS = BROWSER_ALONE | {"test_admin_staff.py", "test_first_home.py", "test_people_at_home.py",
                               "test_follow_ups.py", "test_visit_exceptions.py", "test_region.py"}


def pytest_collection_modifyitems(config, items):
    wanted = os.environ.get("BEDSIDE_BROWSER_PASS")
    if wanted not in ("alone", "server"):
        return
    here = Path(__file__).parent
    keep, drop = [], []
    for item in items:
        path = Path(str(item.fspath))
        if path.parent != here:
            keep.append(item)
        elif (path.name in SQLITE_PASS) == (wanted == "alone"):
            keep.append(item)
        else:
            drop.append(item)
    if drop:
        config.hook.pytest_deselected(items=drop)
        items[:] = keep


#: Run inside the app (server_after): the demo community centre beside the demo care home (unless it is there
#: already); prints its station's id, its staff's ids by username and its people's ids.
COMMUNITY = r"""
import json
from datetime import UTC, datetime
from backend.app import create_app
from backend.demo import community
from backend.extensions import db
from backend.models import Home, Resident, Unit, User

app = create_app()
with app.app_context():
    home = Home.query.filter_by(kind="community").first()
    if home is None:
        community.seed_community(datetime.now(UTC))
        db.session.commit()
        home = Home.query.filter_by(kind="community").first()
    station = Unit.query.filter_by(home_id=home.id).order_by(Unit.id).first()
    staff = {u.username: u.id for u in User.query.filter_by(home_id=home.id)}
    people = [r.id for r in Resident.query.filter_by(unit_id=station.id, active=True).order_by(Resident.id)]
    print(json.dumps({"station": station.id, "staff": staff, "people": people}))
"""


@contextlib.contextmanager
def server_after(tmp_path, seeded_demo, script):
    """A server on a copy of the demo (without history) after `script` ran inside the app (`python -c`, in the
    server's environment) and printed, as its last line, the JSON the test needs: yields (server, that JSON). The
    home-care tests build their community this way (backend/demo/community.py), before the server starts."""
    live = LiveServer(tmp_path, database_url=seeded_demo.copy_for("no-history", tmp_path))
    out = subprocess.run([sys.executable, "-c", script], env=live.env, cwd=ROOT, check=True, capture_output=True,
                         text=True)
    printed = json.loads(out.stdout.strip().splitlines()[-1])
    live.start()
    try:
        yield live, printed
    finally:
        live.stop()
        live.log.close()


@pytest.fixture(scope="session")
def seeded_demo(tmp_path_factory):
    return SeededDemo(tmp_path_factory.mktemp("seeded-demo"), os.environ.get("TEST_DATABASE_URL"))


@pytest.fixture
def server(request, tmp_path, seeded_demo):
    """The demo home with this month's cards; a test marked `demo_history` gets the whole demo of
    `bedside demo` (plans, care-group histories, assessments, last month closed). Each test has its own copy."""
    kind = "history" if request.node.get_closest_marker("demo_history") else "no-history"
    live = LiveServer(tmp_path, database_url=seeded_demo.copy_for(kind, tmp_path))
    live.start()
    yield live
    live.stop()
    live.log.close()


@pytest.fixture
def empty_server(tmp_path):
    """A server on an EMPTY database (no demo, no schema yet): the test runs `bedside init` and `bedside setup`
    through `empty_server.bedside(...)`, then `empty_server.start()`. On PostgreSQL a database of its own,
    created afresh."""
    url = None
    pg_url = os.environ.get("TEST_DATABASE_URL")
    if pg_url:
        name = f"{make_url(pg_url).database}_empty"
        admin = _admin(pg_url)
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            conn.execute(text(f'CREATE DATABASE "{name}"'))
        admin.dispose()
        url = make_url(pg_url).set(database=name).render_as_string(hide_password=False)
    live = LiveServer(tmp_path, database_url=url)
    yield live
    live.stop()
    live.log.close()


@pytest.fixture(scope="session")
def pw():
    with sync_playwright() as p:
        yield p


@pytest.fixture(scope="session")
def browser(pw):
    b = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
    yield b
    b.close()


@pytest.fixture
def tablet(pw, server, tmp_path):
    """tablet(name) -> a persistent browser profile that can be switched off (close) and on (open) again,
    keeping its IndexedDB and service worker, like a real tablet."""
    opened = []

    class Tablet:
        def __init__(self, name):
            self.dir = tmp_path / f"profile-{name}"
            self.context = None

        def open(self):
            self.context = pw.chromium.launch_persistent_context(
                str(self.dir), executable_path=CHROMIUM, args=CHROMIUM_ARGS, base_url=server.url,
                viewport={"width": 800, "height": 1280}, has_touch=True, service_workers="allow",
                locale="en-GB")
            opened.append(self.context)
            return self.context.pages[0] if self.context.pages else self.context.new_page()

        def close(self):
            self.context.close()
            self.context = None

    yield Tablet
    for ctx in opened:
        try:
            ctx.close()
        except Exception:  # noqa: BLE001 - already closed by the test
            pass


@pytest.fixture
def new_context(browser, server):
    """new_context(locale='en', portrait=True) -> a fresh browser profile (a separate tablet)."""
    contexts = []

    def make(locale="en-GB", portrait=True, **kwargs):
        viewport = {"width": 800, "height": 1280} if portrait else {"width": 1280, "height": 800}
        ctx = browser.new_context(base_url=server.url, locale=locale, viewport=viewport, has_touch=True,
                                  service_workers="allow", **kwargs)
        contexts.append(ctx)
        return ctx

    yield make
    for ctx in contexts:
        ctx.close()


def axe_violations(page, impacts=("serious", "critical")):
    """Run axe-core on the page; return the violations of the given impact levels."""
    if not page.evaluate("() => typeof window.axe === 'object'"):
        page.evaluate(AXE_JS.read_text(encoding="utf-8"))  # CDP evaluation is not subject to the page's CSP
    result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    return [{"id": v["id"], "impact": v["impact"], "help": v["help"],
             "nodes": [n["target"] for n in v["nodes"][:5]]}
            for v in result["violations"] if v["impact"] in impacts]
