"""Push throughput through POST /api/sync/push, against raw sqlite3 executemany of the same rows."""
import json
import os
import sqlite3
import statistics
import tempfile
import time
from datetime import date, datetime, timezone

from backend.domain import sync as sync_rules
from backend.domain import vitals as vitals_rules

from .server import BenchmarkError

#: Columns of the raw table, in the order of the `entry` table (read from the server's schema).
ROW_KEYS = ("id", "seq", "kind", "resident_id", "unit_id", "item_id", "day", "slot", "status", "reason", "note",
            "values", "flags", "category", "supersedes", "author_id", "pushed_by", "device_id", "client_seq",
            "device_time", "received_at", "late_after_confirmation", "amendment_reason", "payload_hash", "key_id",
            "signature", "from_revoked_device", "score")
#: Raw inserts per measurement (each into a fresh database); the median is kept.
RAW_TRIES = 3


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


# --- raw SQLite -------------------------------------------------------------------------------------------

def entry_table_ddl(server_db):
    """CREATE TABLE for a raw table with the `entry` table's columns, types and primary key (no foreign keys,
    no secondary indexes), and the server's own secondary indexes for the `+indexes` variant."""
    con = sqlite3.connect(f"file:{server_db}?mode=ro", uri=True)
    try:
        cols = con.execute("PRAGMA table_info(entry)").fetchall()
        indexes = [sql for (sql,) in con.execute(
            "SELECT sql FROM sqlite_master WHERE type='index' AND tbl_name='entry' AND sql IS NOT NULL")]
    finally:
        con.close()
    names = tuple(c[1] for c in cols)
    if set(names) != set(ROW_KEYS):
        raise BenchmarkError(f"the entry table's columns changed: {names}; update benchmarks/push.py ROW_KEYS")
    parts = [f'"{name}" {ctype}{" NOT NULL" if notnull else ""}' for _cid, name, ctype, notnull, _d, _pk in cols]
    parts.append("PRIMARY KEY (id)")
    base = f"CREATE TABLE entry ({', '.join(parts)})"
    extra = ["CREATE UNIQUE INDEX uq_raw_entry_seq ON entry (seq)"] + indexes
    return names, base, extra


def raw_rows(entries, layout, vitals_definition, first_seq, names):
    """The rows the push path stores for these entries (same values, same payload hashes)."""
    received = datetime.now(timezone.utc).replace(tzinfo=None).isoformat(sep=" ")
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
               "from_revoked_device": 0, "score": None}  # the benchmark pushes no assessments
        rows.append(tuple(row[n] for n in names))
    return rows


def raw_insert(work_dir, names, ddl, extra_ddl, rows, batch):
    """Seconds to insert `rows` into a fresh WAL database (synchronous=FULL), one transaction per batch."""
    fd, path = tempfile.mkstemp(prefix="raw-", suffix=".sqlite", dir=work_dir)
    os.close(fd)
    os.unlink(path)
    con = sqlite3.connect(path, isolation_level=None)
    try:
        con.execute("PRAGMA journal_mode=WAL")
        con.execute("PRAGMA synchronous=FULL")
        con.execute(ddl)
        for sql in extra_ddl:
            con.execute(sql)
        sql = f"INSERT INTO entry ({', '.join(chr(34) + n + chr(34) for n in names)}) VALUES ({', '.join('?' * len(names))})"
        t0 = time.perf_counter()
        for i in range(0, len(rows), batch):
            con.execute("BEGIN")
            con.executemany(sql, rows[i:i + batch])
            con.execute("COMMIT")
        seconds = time.perf_counter() - t0
        (count,) = con.execute("SELECT count(*) FROM entry").fetchone()
        if count != len(rows):
            raise BenchmarkError(f"raw insert stored {count} of {len(rows)} rows")
        return seconds
    finally:
        con.close()
        for suffix in ("", "-wal", "-shm"):
            try:
                os.unlink(path + suffix)
            except FileNotFoundError:
                pass


# --- the benchmark ----------------------------------------------------------------------------------------

def run(client, layout, stream, server_db, work_dir, batch_sizes, per_pass, repetitions, log=print):
    """For each repetition and batch size: push fresh entries, replay them, insert the same rows raw.

    The three measurements of one (repetition, batch size) run back to back, so the ratio of each pair
    is taken under the same machine load; the report uses medians over repetitions.
    """
    device_id = layout.device_id
    vitals_definition = vitals_rules.load_definition()
    names, ddl, extra_ddl = entry_table_ddl(server_db)
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
            rows = raw_rows(entries, layout, vitals_definition, seq, names)
            seq += len(rows)
            # Raw inserts are short and fsync-bound, so the noisiest figure: take the median of RAW_TRIES.
            raw_s = statistics.median(raw_insert(work_dir, names, ddl, [], rows, size) for _ in range(RAW_TRIES))
            raw_idx_s = statistics.median(raw_insert(work_dir, names, ddl, extra_ddl, rows, size)
                                          for _ in range(RAW_TRIES))
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
    return {size: summarise(s) for size, s in samples.items()}


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
