"""Engine settings: SQLite gets WAL, a busy timeout, foreign keys and full fsync on every connection."""
import inspect
import logging
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


def _deadline_connection_class(seconds):
    """A psycopg connection that waits at most `seconds` for any answer of the database (a statement, a commit, the
    pool's ping), then drops the connection and raises OperationalError.

    PostgreSQL's statement_timeout (backend/config.py) ends a slow statement on the server; it cannot end a wait for
    a database that does not answer at all (frozen, or a network that swallows packets): without this, every worker
    thread would wait forever and even the app shell would stop loading (issue 14)."""
    import psycopg
    from psycopg import errors

    class DeadlineConnection(psycopg.Connection):
        def wait(self, gen, interval=0.1, timeout=None):
            try:
                return super().wait(gen, interval=interval, timeout=seconds if timeout is None else timeout)
            except errors._WaitTimeout:  # the connection is mid-conversation: it cannot be used again
                self.close()
                raise psycopg.OperationalError(f"the database did not answer within {seconds} s") from None

    return DeadlineConnection


def bound_answers(engine, seconds):
    """Make `engine` (PostgreSQL through psycopg) give up on a database that does not answer within `seconds`."""
    if not seconds or engine.dialect.name != "postgresql" or engine.dialect.driver != "psycopg":
        return
    import psycopg
    if "timeout" not in inspect.signature(psycopg.Connection.wait).parameters:  # an older psycopg (3.3.9 has it)
        logging.getLogger(__name__).warning("psycopg %s cannot bound its waits: DATABASE_ANSWER_TIMEOUT is not "
                                            "applied", psycopg.__version__)
        return
    connection_class = _deadline_connection_class(seconds)

    @event.listens_for(engine, "do_connect")
    def _connect(dialect, connection_record, cargs, cparams):
        return connection_class.connect(*cargs, **cparams)


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
