"""Secondary indexes and constraints of the big tables, dropped for a bulk load and rebuilt after it exactly as the
migrations made them: their definitions are read from the catalog (pg_get_indexdef, pg_get_constraintdef) before
the drop and kept in `bench_region.meta`, so a crash mid-load can still restore them and a migration that adds an
index is followed without a change here."""
import json
import time

BULK_TABLES = ("entry", "audit_event")


def _definitions(cur, table):
    cur.execute("SELECT conname, contype, pg_get_constraintdef(oid) FROM pg_constraint "
                "WHERE conrelid = %s::regclass AND contype IN ('p', 'u', 'f') ORDER BY contype DESC, conname",
                (f'"{table}"',))
    constraints = [{"name": n, "type": t, "def": d} for n, t, d in cur.fetchall()]
    backing = {c["name"] for c in constraints if c["type"] in ("p", "u")}
    cur.execute("SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = 'public' AND tablename = %s "
                "ORDER BY indexname", (table,))
    indexes = [{"name": n, "def": d} for n, d in cur.fetchall() if n not in backing]
    cur.execute("SELECT conname, conrelid::regclass::text, pg_get_constraintdef(oid) FROM pg_constraint "
                "WHERE confrelid = %s::regclass AND contype = 'f'", (f'"{table}"',))
    referencing = [{"name": n, "table": t, "def": d} for n, t, d in cur.fetchall()]
    return {"table": table, "constraints": constraints, "indexes": indexes, "referencing": referencing}


def drop(conn, tables=BULK_TABLES):
    """Drop the tables' indexes and constraints (primary key, unique, foreign keys, and foreign keys that point
    at them); remember their definitions. Returns what was dropped."""
    cur = conn.cursor()
    cur.execute("SELECT value FROM bench_region.meta WHERE key = 'dropped'")
    if cur.fetchone():
        raise RuntimeError("indexes are already dropped (an interrupted load?): run restore() first")
    saved = [_definitions(cur, t) for t in tables]
    cur.execute("INSERT INTO bench_region.meta VALUES ('dropped', %s)", (json.dumps(saved),))
    for t in saved:
        for ref in t["referencing"]:
            cur.execute(f'ALTER TABLE {ref["table"]} DROP CONSTRAINT "{ref["name"]}"')
        for c in sorted(t["constraints"], key=lambda c: c["type"] != "f"):  # foreign keys first
            cur.execute(f'ALTER TABLE "{t["table"]}" DROP CONSTRAINT "{c["name"]}"')
        for i in t["indexes"]:
            cur.execute(f'DROP INDEX "{i["name"]}"')
    conn.commit()
    return saved


def restore(conn, log=print):
    """Rebuild what `drop` removed: primary keys and unique constraints, then indexes, then foreign keys (each
    validated against the loaded rows). Returns {name: seconds}."""
    cur = conn.cursor()
    cur.execute("SELECT value FROM bench_region.meta WHERE key = 'dropped'")
    row = cur.fetchone()
    if not row:
        return {}
    saved = row[0]
    cur.execute("SET maintenance_work_mem = '1GB'")
    cur.execute("SET max_parallel_maintenance_workers = 2")
    timings = {}

    def run(name, sql):
        started = time.monotonic()
        cur.execute(sql)
        conn.commit()
        timings[name] = round(time.monotonic() - started, 1)
        log(f"  {name}: {timings[name]} s")

    for t in saved:
        for c in t["constraints"]:
            if c["type"] in ("p", "u"):
                run(c["name"], f'ALTER TABLE "{t["table"]}" ADD CONSTRAINT "{c["name"]}" {c["def"]}')
        for i in t["indexes"]:
            run(i["name"], i["def"])
    for t in saved:
        for c in t["constraints"]:
            if c["type"] == "f":
                run(c["name"], f'ALTER TABLE "{t["table"]}" ADD CONSTRAINT "{c["name"]}" {c["def"]}')
        for ref in t["referencing"]:
            run(ref["name"], f'ALTER TABLE {ref["table"]} ADD CONSTRAINT "{ref["name"]}" {ref["def"]}')
    cur.execute("DELETE FROM bench_region.meta WHERE key = 'dropped'")
    conn.commit()
    return timings
