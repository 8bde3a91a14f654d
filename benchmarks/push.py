"""Push throughput through POST /api/sync/push under gunicorn, on SQLite and on PostgreSQL, each beside a raw
insert of the same rows in the same run: `sqlite3` executemany on SQLite, COPY on PostgreSQL."""
import json
import os
import sqlite3
import statistics
import tempfile
import time
from contextlib import contextmanager
from datetime import UTC, date, datetime

import psycopg
from sqlalchemy.engine import make_url

from backend.domain import sync as sync_rules
from backend.domain import vitals as vitals_rules

from .server import BenchmarkError, Server
from .workload import DayStream, EntryFactory, read_layout

#: Columns of the raw table, in the order of the `entry` table (read from the server's schema).
ROW_KEYS = ("id", "seq", "kind", "resident_id", "unit_id", "item_id", "day", "slot", "status", "reason", "note",
            "values", "flags", "category", "supersedes", "author_id", "pushed_by", "device_id", "client_seq",
            "device_time", "received_at", "late_after_confirmation", "amendment_reason", "payload_hash", "key_id",
            "signature", "from_revoked_device", "score", "author_post")
#: Raw inserts per measurement (each into a fresh database or table); the median is kept.
RAW_TRIES = 3
DATABASES = ("sqlite", "postgresql")
#: A PostgreSQL server where the benchmark may create and drop its own database (bench_push_<pid>); it never
#: touches any other database there.
POSTGRES_URL = os.environ.get("BENCHMARK_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres")


def batches(entries, size):
    return [entries[i:i + size] for i in range(0, len(entries), size)]


def encode_bodies(layout, device_id, chunks):
    """The request bodies as the tablet sends them, encoded before the clock starts."""
    remaining = sum(len(c) for c in chunks)
    out = []
    for chunk in chunks:
        out.append(json.dumps({"protocol": 1, "device_id": device_id, "post_id": layout.post_id,
                               "outbox_len": remaining, "entries": chunk}, ensure_ascii=False).encode())
        remaining -= len(chunk)
    return out


def send(client, bodies):
    """POST every body in turn. Returns (seconds, [(status, reply bytes)])."""
    replies = []
    t0 = time.perf_counter()
    for body in bodies:
        replies.append(client.post("/api/sync/push", body))
    return time.perf_counter() - t0, replies


def check_replies(chunks, replies, expected):
    """Every entry must come back with `expected` status, in order; raise BenchmarkError otherwise."""
    for chunk, (status, body) in zip(chunks, replies, strict=True):
        if status != 200:
            raise BenchmarkError(f"push answered HTTP {status}: {body[:800]!r}")
        results = json.loads(body)["results"]
        if len(results) != len(chunk):
            raise BenchmarkError(f"push answered {len(results)} results for {len(chunk)} entries")
        for e, r in zip(chunk, results):
            if r["id"] != e["id"] or r["status"] != expected:
                raise BenchmarkError(f"entry {e['id']} ({e['kind']}, resident {e['resident_id']}, item "
                                     f"{e.get('item_id')}, day {e['day']}): expected {expected}, got {r}")


# --- the rows as the push path stores them ---------------------------------------------------------------

def _check_columns(names, where):
    if set(names) != set(ROW_KEYS):
        raise BenchmarkError(f"the entry table's columns changed ({where}): {names}; update benchmarks/push.py ROW_KEYS")


def raw_rows(entries, layout, vitals_definition, first_seq, names):
    """The rows the push path stores for these entries (same values, same payload hashes), as tuples in `names`
    order. Dates, times, JSON and booleans are given as SQLite stores them; PostgreSQL's COPY parses the same text."""
    received = datetime.now(UTC).replace(tzinfo=None).isoformat(sep=" ")
    rows = []
    for offset, e in enumerate(entries):
        loaded = dict(e, day=date.fromisoformat(e["day"]))
        flags = None
        if e["kind"] == "vitals":
            _errors, flags = vitals_rules.check(e["values"], vitals_definition)
            flags = flags or None
        row = {"id": e["id"], "seq": first_seq + offset, "kind": e["kind"], "resident_id": e["resident_id"],
               "unit_id": layout.unit_id, "item_id": e.get("item_id"), "day": e["day"], "slot": e.get("slot"),
               "status": e.get("status"), "reason": e.get("reason"), "note": e.get("note"),
               "values": json.dumps(e["values"]) if e.get("values") is not None else None,
               "flags": json.dumps(flags) if flags is not None else None, "category": e.get("category"),
               "supersedes": e.get("supersedes"), "author_id": e["author_id"], "pushed_by": layout.user_id,
               "device_id": e["device_id"], "client_seq": e["client_seq"], "device_time": e["device_time"],
               "received_at": received, "late_after_confirmation": 0, "amendment_reason": None,
               "payload_hash": sync_rules.payload_hash(loaded), "key_id": e["key_id"], "signature": e["sig"],
               "from_revoked_device": 0, "score": None,  # the benchmark pushes no assessments
               "author_post": "junior_nurse"}  # the demo nurse's post, as the push path records it
        rows.append(tuple(row[n] for n in names))
    return rows


def _timed_batches(rows, batch, insert_batch):
    """Seconds to insert `rows` one transaction per batch with `insert_batch(chunk)`."""
    t0 = time.perf_counter()
    for i in range(0, len(rows), batch):
        insert_batch(rows[i:i + batch])
    return time.perf_counter() - t0


def _check_count(count, rows):
    if count != len(rows):
        raise BenchmarkError(f"raw insert stored {count} of {len(rows)} rows")


# --- raw SQLite -------------------------------------------------------------------------------------------

class SqliteRaw:
    """`sqlite3.executemany` into a fresh WAL database (synchronous=FULL, as the server) per try, into a table
    with the `entry` table's columns, types and primary key (no foreign keys); `indexes` adds the server's
    unique `seq` and secondary indexes."""

    method = "sqlite3 executemany"

    def __init__(self, server_db, work_dir):
        con = sqlite3.connect(f"file:{server_db}?mode=ro", uri=True)
        try:
            cols = con.execute("PRAGMA table_info(entry)").fetchall()
            self.indexes = [sql for (sql,) in con.execute(
                "SELECT sql FROM sqlite_master WHERE type='index' AND tbl_name='entry' AND sql IS NOT NULL")]
        finally:
            con.close()
        self.names = tuple(c[1] for c in cols)
        _check_columns(self.names, "SQLite")
        parts = [f'"{name}" {ctype}{" NOT NULL" if notnull else ""}' for _cid, name, ctype, notnull, _d, _pk in cols]
        self.ddl = f"CREATE TABLE entry ({', '.join(parts + ['PRIMARY KEY (id)'])})"
        self.work_dir = work_dir

    def insert(self, rows, batch, indexes=False):
        fd, path = tempfile.mkstemp(prefix="raw-", suffix=".sqlite", dir=self.work_dir)
        os.close(fd)
        os.unlink(path)
        con = sqlite3.connect(path, isolation_level=None)
        try:
            con.execute("PRAGMA journal_mode=WAL")
            con.execute("PRAGMA synchronous=FULL")
            con.execute(self.ddl)
            for sql in (["CREATE UNIQUE INDEX uq_raw_entry_seq ON entry (seq)"] + self.indexes if indexes else []):
                con.execute(sql)
            sql = (f"INSERT INTO entry ({', '.join(chr(34) + n + chr(34) for n in self.names)}) "
                   f"VALUES ({', '.join('?' * len(self.names))})")

            def insert_batch(chunk):
                con.execute("BEGIN")
                con.executemany(sql, chunk)
                con.execute("COMMIT")
            seconds = _timed_batches(rows, batch, insert_batch)
            _check_count(con.execute("SELECT count(*) FROM entry").fetchone()[0], rows)
            return seconds
        finally:
            con.close()
            for suffix in ("", "-wal", "-shm"):
                try:
                    os.unlink(path + suffix)
                except FileNotFoundError:
                    pass

    def close(self):
        pass


# --- raw PostgreSQL ---------------------------------------------------------------------------------------

def _conninfo(url):
    """A libpq URI for psycopg from a SQLAlchemy URL."""
    return make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)


class PostgresRaw:
    """COPY (psycopg 3, `write_row`) into a fresh table in the server's own database per try, `LIKE entry` with its
    columns, types and primary key (no foreign keys, no secondary indexes); `indexes` copies all of the entry
    table's indexes (`INCLUDING ALL`: unique `seq` and the secondary ones)."""

    method = "PostgreSQL COPY"
    TABLE = "bench_raw_entry"

    def __init__(self, url):
        self.con = psycopg.connect(_conninfo(url), autocommit=True)
        self.names = tuple(name for (name,) in self.con.execute(
            "SELECT column_name FROM information_schema.columns WHERE table_schema = current_schema() "
            "AND table_name = 'entry' ORDER BY ordinal_position"))
        _check_columns(self.names, "PostgreSQL")

    def insert(self, rows, batch, indexes=False):
        con, table = self.con, self.TABLE
        con.execute(f"DROP TABLE IF EXISTS {table}")
        con.execute(f"CREATE TABLE {table} (LIKE entry {'INCLUDING ALL' if indexes else 'INCLUDING DEFAULTS'})")
        if not indexes:
            con.execute(f"ALTER TABLE {table} ADD PRIMARY KEY (id)")
        sql = f"COPY {table} ({', '.join(chr(34) + n + chr(34) for n in self.names)}) FROM STDIN"
        try:
            def insert_batch(chunk):
                with con.transaction(), con.cursor() as cur, cur.copy(sql) as copy:
                    for row in chunk:
                        copy.write_row(row)
            seconds = _timed_batches(rows, batch, insert_batch)
            _check_count(con.execute(f"SELECT count(*) FROM {table}").fetchone()[0], rows)
            return seconds
        finally:
            con.execute(f"DROP TABLE IF EXISTS {table}")

    def close(self):
        self.con.close()


@contextmanager
def postgres_database(admin_url=POSTGRES_URL, name=None):
    """A new, empty database on the server at `admin_url` (bench_push_<pid>), dropped afterwards. Yields its
    SQLAlchemy URL."""
    name = name or f"bench_push_{os.getpid()}"
    if not name.startswith("bench_push_"):
        raise ValueError("the push benchmark creates and drops only databases named bench_push_*")
    with psycopg.connect(_conninfo(admin_url), autocommit=True, connect_timeout=5) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.execute(f'CREATE DATABASE "{name}"')
    try:
        yield make_url(admin_url).set(database=name).render_as_string(hide_password=False)
    finally:
        with psycopg.connect(_conninfo(admin_url), autocommit=True, connect_timeout=5) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def postgres_unavailable(admin_url=POSTGRES_URL):
    """None when the benchmark can reach `admin_url`, else why not."""
    try:
        with psycopg.connect(_conninfo(admin_url), autocommit=True, connect_timeout=5):
            return None
    except Exception as exc:  # noqa: BLE001 - any failure means: measure SQLite only, and say why
        return f"{type(exc).__name__}: {str(exc).strip().splitlines()[0] if str(exc).strip() else ''}"


# --- the benchmark ----------------------------------------------------------------------------------------

@contextmanager
def _served(database, work_dir, postgres_url=POSTGRES_URL):
    """(gunicorn Server seeded by the demo, its raw inserter) for "sqlite" or "postgresql"."""
    if database == "sqlite":
        with Server(base_dir=work_dir) as srv:
            raw = SqliteRaw(srv.database, work_dir)
            yield srv, raw
        return
    with postgres_database(postgres_url) as url, Server(base_dir=work_dir, database_url=url) as srv:
        raw = PostgresRaw(url)
        try:
            yield srv, raw
        finally:
            raw.close()


def run(work_dir, batch_sizes, per_pass, repetitions, databases=DATABASES, log=print, postgres_url=POSTGRES_URL):
    """Push throughput on each database, beside its raw insert. Returns {database: {batch size: summary}};
    PostgreSQL is left out (with a log line) when no server is reachable at `postgres_url`."""
    out = {}
    for database in databases:
        if database == "postgresql":
            why = postgres_unavailable(postgres_url)
            if why:
                log(f"  postgresql: not measured, no server at {make_url(postgres_url)!r} ({why})")
                continue
        with _served(database, work_dir, postgres_url) as (srv, raw), srv.client("nurse1") as client:
            layout = read_layout(client)
            log(f"  {database} (raw: {raw.method})")
            out[database] = measure(client, layout, DayStream(EntryFactory(layout)), raw, batch_sizes, per_pass,
                                    repetitions, log)
    return out


def measure(client, layout, stream, raw, batch_sizes, per_pass, repetitions, log=print):
    """For each repetition and batch size: push fresh entries, replay them, insert the same rows raw.

    The three measurements of one (repetition, batch size) run back to back, so the ratio of each pair
    is taken under the same machine load; the report uses medians over repetitions.
    """
    device_id = layout.device_id
    vitals_definition = vitals_rules.load_definition()
    # Warm up the worker's imports and caches (a keep-alive session stays on one worker).
    warm = stream.take(20)
    check_replies([warm], send(client, encode_bodies(layout, device_id, [warm]))[1], "accepted")
    check_replies([warm], send(client, encode_bodies(layout, device_id, [warm]))[1], "duplicate")
    samples = {b: [] for b in batch_sizes}
    seq = 1
    for rep in range(repetitions):
        for size in batch_sizes:
            entries = stream.take(per_pass)
            chunks = batches(entries, size)
            bodies = encode_bodies(layout, device_id, chunks)
            first_s, replies = send(client, bodies)
            check_replies(chunks, replies, "accepted")
            replay_s, replies = send(client, bodies)
            check_replies(chunks, replies, "duplicate")
            rows = raw_rows(entries, layout, vitals_definition, seq, raw.names)
            seq += len(rows)
            # Raw inserts are short and fsync-bound, so the noisiest figure: take the median of RAW_TRIES.
            raw_s = statistics.median(raw.insert(rows, size) for _ in range(RAW_TRIES))
            raw_idx_s = statistics.median(raw.insert(rows, size, indexes=True) for _ in range(RAW_TRIES))
            n = len(entries)
            sample = {"entries": n, "requests": len(bodies), "bytes_up": sum(len(b) for b in bodies),
                      "push_s": first_s, "replay_s": replay_s, "raw_s": raw_s, "raw_idx_s": raw_idx_s,
                      "push_rate": n / first_s, "replay_rate": n / replay_s, "raw_rate": n / raw_s,
                      "raw_idx_rate": n / raw_idx_s}
            sample["ratio"] = sample["push_rate"] / sample["raw_rate"]
            sample["replay_ratio"] = sample["replay_rate"] / sample["raw_rate"]
            samples[size].append(sample)
            log(f"  rep {rep + 1}/{repetitions} batch {size}: push {sample['push_rate']:,.0f}/s, replay "
                f"{sample['replay_rate']:,.0f}/s, raw {sample['raw_rate']:,.0f}/s, ratio {sample['ratio']:.3f}")
    return {size: dict(summarise(s), raw_method=raw.method) for size, s in samples.items()}


def summarise(samples):
    keys = ("push_rate", "replay_rate", "raw_rate", "raw_idx_rate", "ratio", "replay_ratio")
    out = {"repetitions": len(samples), "entries": samples[0]["entries"], "requests": samples[0]["requests"],
           "bytes_up": samples[0]["bytes_up"], "samples": samples}
    for k in keys:
        values = [s[k] for s in samples]
        out[k] = statistics.median(values)
        out[k + "_min"] = min(values)
        out[k + "_max"] = max(values)
    return out
