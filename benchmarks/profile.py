"""Where a push's time goes: cProfile over batches pushed in-process (Flask test client, same app code,
no gunicorn/HTTP), on a fresh SQLite file seeded by the demo."""
import cProfile
import io
import os
import pstats
import shutil
import tempfile
from collections import defaultdict

from .push import batches, check_replies, encode_bodies
from .server import REPO, InProcessClient, sign_in
from .workload import DayStream, EntryFactory, read_layout


def _package(filename):
    """A readable owner for a profiled function: our code by module, libraries by top-level package."""
    if filename.startswith(("~", "<")):
        return "builtins (C: json, sqlite3, hashlib, ...)"
    path = os.path.abspath(filename)
    if path.startswith(os.path.join(REPO, "backend") + os.sep):
        rel = os.path.relpath(path, REPO)
        return rel.replace(os.sep, ".").removesuffix(".py")
    for marker in ("site-packages" + os.sep, "lib" + os.sep + "python"):
        if marker in path:
            tail = path.split(marker, 1)[1]
            if marker.startswith("lib"):
                tail = tail.split(os.sep, 1)[1] if os.sep in tail else tail
            return "lib: " + tail.split(os.sep, 1)[0].removesuffix(".py")
    return os.path.relpath(path, REPO)


#: Steps of the push path: (label, file the function lives in, function name); inclusive time.
STEPS = (
    ("Whole request inside Flask (`full_dispatch_request`)", "flask/app.py", "full_dispatch_request"),
    ("`api.sync._load_entries`: `entry_input.parse` once per entry", "backend/api/sync.py", "_load_entries"),
    ("`services.sync.push` (lookups, judge, rows, INSERTs, audit, commit)", "backend/services/sync.py", "push"),
    ("· `bulk.select_in`: the batch's known ids and payload hashes", "backend/services/bulk.py", "select_in"),
    ("· `domain.sync.judge`, all entries", "backend/domain/sync.py", "judge"),
    ("·· `domain.sync.signed_by_author` (HMAC over the canonical text)", "backend/domain/sync.py",
     "signed_by_author"),
    ("·· `domain.sync.payload_hash`", "backend/domain/sync.py", "payload_hash"),
    ("· `services.sync._entry_row`", "backend/services/sync.py", "_entry_row"),
    ("· `bulk.insert_rows` of entries + the audit row (converters and the driver)", "backend/services/bulk.py",
     "insert_rows"),
    ("·· of which sqlite3 `executemany` itself", "~", "<method 'executemany' of 'sqlite3.Cursor' objects>"),
    ("· `audit.record_many` (chain head, hash, row)", "backend/services/audit.py", "record_many"),
    ("· COMMIT (WAL append + fsync)", "~", "<method 'commit' of 'sqlite3.Connection' objects>"),
    ("`current_user` proxy resolutions (flask_login `_get_user`)", "flask_login/utils.py", "_get_user"),
    ("Reply: JSON of the prebuilt results (`DefaultJSONProvider.response`)", "flask/json/provider.py", "response"),
)


def _cum(raw, file_suffix, name):
    """Inclusive seconds and calls of the functions matching (file, name); pstats keeps recursion out."""
    cum = calls = 0
    for (filename, _line, fname), (_cc, ncalls, _tt, ct, _callers) in raw.items():
        if fname == name and filename.replace(os.sep, "/").endswith(file_suffix):
            cum += ct
            calls += ncalls
    return cum, calls


def _steps(raw, total):
    rows = []
    for label, suffix, name in STEPS:
        cum, calls = _cum(raw, suffix, name)
        if calls:
            rows.append({"step": label, "calls": calls, "cum_s": cum, "share": cum / total})
    view, _ = _cum(raw, "backend/api/registry.py", "view")
    api_push, _ = _cum(raw, "backend/api/sync.py", "push")
    reply, _ = _cum(raw, "flask/json/provider.py", "response")
    if view and api_push:
        rest = view - api_push - reply
        rows.insert(1, {"step": "Body JSON, `PushSchema().load` and the role check, in `api.registry`",
                        "calls": None, "cum_s": rest, "share": rest / total})
    return rows


def run(batch_size, count, device_id="bench-prof-1", top=14, log=print):
    """Push `count` batches of `batch_size` under cProfile. Returns tables of where the time went."""
    import uuid

    from backend import demo
    from backend.app import create_app
    from backend.extensions import db
    from backend.models import SyncState

    work = tempfile.mkdtemp(prefix="bedside-prof-")
    try:
        app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{os.path.join(work, 'p.sqlite')}",
                          "SECRET_KEY": "benchmark-profile"})
        with app.app_context():
            # The schema from the models, as tests/conftest.py does (running the migrations in-process
            # trips a Flask-SQLAlchemy DeprecationWarning in migrations/env.py under pytest).
            db.create_all()
            db.session.add(SyncState(id=1, seq=0, epoch=uuid.uuid4().hex))
            db.session.commit()
            demo.seed()
        client = sign_in(InProcessClient(app.test_client()), "nurse1", "demo", device_id)
        layout = read_layout(client)
        stream = DayStream(EntryFactory(layout, seed=11))
        warm = stream.take(batch_size)
        check_replies([warm], [client.post("/api/sync/push", encode_bodies(layout, device_id, [warm])[0])],
                      "accepted")
        chunks = batches(stream.take(batch_size * count), batch_size)
        bodies = encode_bodies(layout, device_id, chunks)
        profiler = cProfile.Profile()
        profiler.enable()
        replies = [client.post("/api/sync/push", b) for b in bodies]
        profiler.disable()
        check_replies(chunks, replies, "accepted")
        with app.app_context():
            db.session.remove()
            db.engine.dispose()
    finally:
        shutil.rmtree(work, ignore_errors=True)
    stats = pstats.Stats(profiler, stream=io.StringIO())
    total = stats.total_tt
    entries = batch_size * count
    by_owner = defaultdict(float)
    functions = []
    for (filename, line, name), (_cc, ncalls, tottime, cumtime, _callers) in stats.stats.items():
        owner = _package(filename)
        by_owner[owner] += tottime
        functions.append({"function": f"{owner}:{name}" + (f":{line}" if line else ""), "calls": ncalls,
                          "own_s": tottime, "cum_s": cumtime})
    owners = sorted(({"owner": k, "own_s": v, "share": v / total} for k, v in by_owner.items()),
                    key=lambda r: -r["own_s"])[:top]
    own = sorted(functions, key=lambda f: -f["own_s"])[:top]
    step_rows = _steps(stats.stats, total)
    log(f"  profiled {count} x {batch_size} entries in-process: {total:.2f} s, {entries / total:,.0f} entries/s "
        "(under cProfile)")
    return {"batch": batch_size, "batches": count, "entries": entries, "total_s": total,
            "owners": owners, "functions": own, "steps": step_rows}
