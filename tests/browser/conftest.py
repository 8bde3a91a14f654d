"""Browser-test fixtures: a real gunicorn server that can be stopped and started (a real outage),
Debian's Chromium driven by Playwright, and an axe-core check."""
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import axe_playwright_python
import pytest
import requests
from playwright.sync_api import sync_playwright
from sqlalchemy import create_engine, text

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

    def bedside(self, *args):
        subprocess.run([sys.executable, "-m", "backend.cli", *args], env=self.env, cwd=ROOT, check=True,
                       stdout=subprocess.DEVNULL, stderr=self.log)

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


@pytest.fixture
def server(request, tmp_path):
    """The demo home with this month's cards; a test marked `demo_history` gets the whole demo of
    `bedside demo` (plans, care-group histories, assessments, last month closed)."""
    pg = os.environ.get("TEST_DATABASE_URL")
    if pg:
        _reset_postgres(pg)
    live = LiveServer(tmp_path, database_url=pg)
    live.bedside("demo", "--history" if request.node.get_closest_marker("demo_history") else "--no-history")
    live.start()
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
