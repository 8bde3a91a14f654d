"""A real Bedside server for the benchmarks: a fresh instance folder seeded by `bedside demo`, served by
gunicorn on 127.0.0.1, and a requests.Session signed in as one of the demo users on a tablet (a device id),
holding the signing key the server issued her for it."""
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time

import requests

from backend.domain import signing

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
CSRF = {"X-Bedside": "1"}
#: The tablet the benchmarks push from: a password sign-in with it issues the nurse's signing key for it.
DEVICE_ID = "bench-tab-1"
#: Same worker model as `bedside serve` (backend/cli.py): 2 workers x 4 threads.
WORKERS = 2
THREADS = 4


class BenchmarkError(RuntimeError):
    """A benchmark saw a wrong answer (a refused entry, a missing duplicate, a failed request)."""


def _free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    """`with Server() as srv:` seeds a fresh database and runs gunicorn until the block ends.

    database_url: a PostgreSQL database to serve instead of the instance folder's SQLite file (it must be empty
    when `seed` is true: `bedside demo` refuses a database that holds data); seed=False serves it as it is (a
    region filled by benchmarks/region). workers/threads default to `bedside serve`'s model."""

    def __init__(self, base_dir=None, database_url=None, seed=True, workers=WORKERS, threads=THREADS,
                 env=None):
        self.base_dir = base_dir
        self.database_url = database_url
        self.seed = seed
        self.workers = workers
        self.threads = threads
        self.extra_env = dict(env or {})
        self.dir = None
        self.proc = None
        self.port = None

    @property
    def url(self):
        return f"http://127.0.0.1:{self.port}"

    @property
    def database(self):
        """The SQLite file served (None when serving PostgreSQL)."""
        return None if self.database_url else os.path.join(self.dir, "bedside.sqlite")

    def _env(self):
        env = dict(os.environ)
        for key in ("DATABASE_URL", "SECRET_KEY", "FLASK_APP"):
            env.pop(key, None)
        env["BEDSIDE_INSTANCE"] = self.dir
        env["PYTHONUNBUFFERED"] = "1"
        if self.database_url:
            env["DATABASE_URL"] = self.database_url
        env.update(self.extra_env)
        return env

    def __enter__(self):
        self.dir = tempfile.mkdtemp(prefix="bedside-bench-", dir=self.base_dir)
        try:
            if self.seed:
                seeded = subprocess.run([sys.executable, "-c", "from backend.cli import main; main()", "demo",
                                         "--no-history"],
                                        cwd=REPO, env=self._env(), capture_output=True, text=True, timeout=120)
                if seeded.returncode != 0:
                    raise BenchmarkError(f"`bedside demo` failed:\n{seeded.stdout}\n{seeded.stderr}")
            self.port = _free_port()
            self.log = os.path.join(self.dir, "gunicorn.log")
            self.proc = subprocess.Popen(
                [sys.executable, "-m", "gunicorn", "--workers", str(self.workers), "--threads", str(self.threads),
                 "--bind", f"127.0.0.1:{self.port}", "--access-logfile", os.path.join(self.dir, "access.log"),
                 "--error-logfile", self.log, "--no-control-socket", "backend.wsgi:app"],
                cwd=REPO, env=self._env(), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            self._wait_ready()
        except BaseException:
            self.__exit__(None, None, None)
            raise
        return self

    def _wait_ready(self, timeout=60):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise BenchmarkError(f"gunicorn exited with {self.proc.returncode}:\n{self._log_tail()}")
            try:
                with requests.get(self.url + "/version.json", timeout=2) as r:
                    if r.status_code == 200:
                        return
            except (requests.ConnectionError, requests.Timeout):
                pass  # not listening yet, or a worker still booting on a busy machine: ask again
            time.sleep(0.1)
        raise BenchmarkError(f"gunicorn did not answer within {timeout} s:\n{self._log_tail()}")

    def _log_tail(self):
        try:
            with open(self.log, encoding="utf-8", errors="replace") as fh:
                return fh.read()[-4000:]
        except OSError:
            return "(no log)"

    def __exit__(self, *exc):
        if self.proc is not None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(timeout=15)
            self.proc = None
        if self.dir:
            shutil.rmtree(self.dir, ignore_errors=True)
            self.dir = None

    def worker_pids(self):
        """The gunicorn worker processes (children of the master)."""
        pids = []
        for task in os.listdir(f"/proc/{self.proc.pid}/task"):
            with open(f"/proc/{self.proc.pid}/task/{task}/children") as fh:
                pids += [int(p) for p in fh.read().split()]
        return pids

    def client(self, username, password="demo", device_id=DEVICE_ID):
        return HttpClient.login(self.url, username, password, device_id)


def sign_in(client, username, password, device_id):
    """Password sign-in on a tablet. Sets client.device_id and client.signing_key = (key id, raw secret), the
    key the server issued this person on this device (None for roles that record nothing)."""
    status, body = client.post("/api/auth/login", json.dumps({"username": username, "password": password,
                                                               "device_id": device_id}).encode())
    if status != 200:
        raise BenchmarkError(f"login as {username} failed: {status} {body[:500]!r}")
    key = json.loads(body).get("signing_key")
    client.device_id = device_id
    client.signing_key = (key["id"], signing.decode_key(key["secret"])) if key else None
    return client


class HttpClient:
    """A signed-in requests.Session that speaks the app's CSRF header. Returns (status, body bytes)."""

    def __init__(self, base_url):
        self.base_url = base_url
        self.device_id = self.signing_key = None
        self.session = requests.Session()
        # Bodies are counted as the app sends them: ask for no transfer compression.
        self.session.headers.update({"Accept-Encoding": "identity", **CSRF})

    @classmethod
    def login(cls, base_url, username, password, device_id=DEVICE_ID):
        client = cls(base_url)
        try:
            return sign_in(client, username, password, device_id)
        except BaseException:
            client.close()
            raise

    def get(self, path):
        r = self.session.get(self.base_url + path, timeout=120)
        return r.status_code, r.content

    def post(self, path, data):
        r = self.session.post(self.base_url + path, data=data, timeout=120,
                              headers={"Content-Type": "application/json"})
        return r.status_code, r.content

    def close(self):
        self.session.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


class InProcessClient:
    """The same interface over Flask's test client (used for in-process profiling)."""

    def __init__(self, flask_client):
        self.client = flask_client
        self.device_id = self.signing_key = None

    def get(self, path):
        r = self.client.get(path, headers=CSRF)
        return r.status_code, r.get_data()

    def post(self, path, data):
        r = self.client.post(path, data=data, headers={**CSRF, "Content-Type": "application/json"})
        return r.status_code, r.get_data()

    def close(self):
        pass


def get_json(client, path):
    status, body = client.get(path)
    if status != 200:
        raise BenchmarkError(f"GET {path}: HTTP {status} {body[:500]!r}")
    return json.loads(body)
