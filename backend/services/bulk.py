"""Many-row inserts (and a many-key lookup) for the push path, straight to the driver (COPY on PostgreSQL).

SQLAlchemy's Core executemany spends ~30 µs a row building parameters; here each column's bind processor
(the same one SQLAlchemy would use, so values are stored exactly as the ORM stores them) is looked up once
per batch and applied in a plain loop.
"""
import json
from operator import itemgetter

from sqlalchemy import JSON, Date, DateTime


def _to_json(value):
    return None if value is None else json.dumps(value, ensure_ascii=False)


def _memoized(proc):
    """`proc` once per distinct value (of one batch)."""
    seen = {}

    def convert(value):
        try:
            return seen[value]
        except KeyError:
            seen[value] = converted = proc(value)
            return converted
    return convert


def _processor(column, dialect):
    proc = column.type.bind_processor(dialect)
    if proc is None and isinstance(column.type, JSON):
        # psycopg adapts JSON in its own layer, which a driver-level executemany skips; PostgreSQL casts the text.
        return _to_json
    if proc is None and isinstance(column.type, (Date, DateTime)):
        # SQLite: SQLAlchemy's own text, which the ORM writes (sqlite3's default adapters, deprecated since Python
        # 3.12, left out the microseconds when they were 0, and cost a Python call a value), once per distinct
        # value: a batch repeats its receive time and a few care days. PostgreSQL: none, psycopg adapts them.
        impl = column.type.dialect_impl(dialect).bind_processor(dialect)
        return _memoized(impl) if impl else None
    return proc


def _driver(session):
    """(connection, identifier quoting, the driver's parameter marker) for driver-level SQL."""
    conn = session.connection()
    dialect = conn.dialect
    return conn, dialect.identifier_preparer.quote, "?" if dialect.paramstyle == "qmark" else "%s"


def select_in(session, table, columns, key, values):
    """Rows (tuples of `columns`) of `table` whose `key` is one of `values`, by one driver-level SELECT: SQLAlchemy
    renders and binds an expanding IN at about a microsecond a value (0.5 ms of a 500-entry push). For columns the
    driver returns as their Python values (text, integers)."""
    if not values:
        return []
    conn, quote, marker = _driver(session)
    sql = (f"SELECT {', '.join(quote(c) for c in columns)} FROM {quote(table.name)} "
           f"WHERE {quote(key)} IN ({', '.join([marker] * len(values))})")
    return conn.exec_driver_sql(sql, tuple(values)).all()


def insert_rows(session, table, rows):
    if not rows:
        return
    conn, quote, marker = _driver(session)
    columns = [c for c in table.columns if c.name in rows[0]]
    processors = [_processor(c, conn.dialect) for c in columns]
    names = ', '.join(quote(c.name) for c in columns)
    get = itemgetter(*(c.name for c in columns))
    # A processor that maps None to None (most do: JSON with none_as_null, booleans) is skipped for None, which
    # most rows hold in most converted columns (a tick has no values, flags or score).
    converted = [(i, proc, proc(None) is None) for i, proc in enumerate(processors) if proc]
    params = []
    for row in rows:
        values = list(get(row))
        for i, proc, keeps_none in converted:
            value = values[i]
            if value is not None or not keeps_none:
                values[i] = proc(value)
        params.append(tuple(values))
    if conn.dialect.name == "postgresql":
        # COPY streams the rows as one statement: half the time of psycopg's executemany, which executes (and
        # checks the foreign keys of) one INSERT per row.
        with conn.connection.cursor() as cursor, cursor.copy(f"COPY {quote(table.name)} ({names}) FROM STDIN") as copy:
            for values in params:
                copy.write_row(values)
    else:
        conn.exec_driver_sql(f"INSERT INTO {quote(table.name)} ({names}) VALUES ({', '.join([marker] * len(columns))})",
                             params)
