"""Engine settings: SQLite gets WAL, a busy timeout, foreign keys and full fsync on every connection."""
import threading
from contextlib import contextmanager, nullcontext

from sqlalchemy import event
from sqlalchemy.engine import Engine

from .extensions import db

_sqlite_write_lock = threading.Lock()


@event.listens_for(Engine, "connect")
def _sqlite_pragmas(dbapi_connection, connection_record):
    if type(dbapi_connection).__module__.startswith("sqlite3"):
        cur = dbapi_connection.cursor()
        cur.execute("PRAGMA journal_mode=WAL")
        cur.execute("PRAGMA busy_timeout=15000")
        cur.execute("PRAGMA foreign_keys=ON")
        # FULL: an acknowledged batch survives a power cut (the tablet deletes it after the ack).
        cur.execute("PRAGMA synchronous=FULL")
        cur.close()


def is_sqlite():
    return db.engine.dialect.name == "sqlite"


@contextmanager
def write_transaction():
    """Run a write and commit it; roll back on any error.

    On SQLite one process-wide lock orders this process's writers, which keeps waiting writers out
    of SQLite's busy-retry loop (docs/sync.md); other processes wait on busy_timeout.
    """
    db.session.commit()  # end any read transaction first: the write starts on fresh data
    with _sqlite_write_lock if is_sqlite() else nullcontext():
        try:
            yield db.session
            db.session.commit()
        except BaseException:
            db.session.rollback()
            raise
