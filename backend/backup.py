"""`bedside backup PATH` and `bedside restore PATH` for SQLite and PostgreSQL.

SQLite is copied with SQLite's online backup API (a consistent snapshot, safe while the server runs);
PostgreSQL with `pg_dump -Fc` and `pg_restore --clean --if-exists`. A restore always gives the database a
new random server epoch: tablets see it on their next pull, start again from a snapshot, and the supervisor's
day view shows the client_seq numbers the restored server lacks (docs/sync.md, "Backup, restore and the
server epoch").
"""
import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import uuid
from datetime import UTC, datetime

import click
from flask.cli import with_appcontext
from sqlalchemy import func, inspect, select, text

from .extensions import db

SQLITE_MAGIC = b"SQLite format 3\x00"
PGDUMP_MAGIC = b"PGDMP"
#: Tables that an empty, freshly initialised database already fills; rows elsewhere mean it holds data.
BOOKKEEPING = {"alembic_version", "sync_state"}


class BackupError(Exception):
    """A backup or restore that cannot be done; the message says why."""


def _sqlite_path(url):
    path = url.database
    if not path or path == ":memory:":
        raise BackupError("an in-memory SQLite database cannot be backed up or restored")
    return path


def _libpq(url):
    """The libpq connection string and environment for a SQLAlchemy PostgreSQL URL (the password goes in
    PGPASSWORD, not on the command line where `ps` shows it)."""
    env = dict(os.environ)
    if url.password is not None:
        env["PGPASSWORD"] = str(url.password)
    dsn = url.set(drivername="postgresql", password=None).render_as_string(hide_password=False)
    return dsn, env


def _tool(name):
    path = shutil.which(name)
    if path is None:
        raise BackupError(f"{name} was not found on PATH (install the PostgreSQL client tools)")
    return path


def _run(args, env):
    done = subprocess.run(args, env=env, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise BackupError(f"{os.path.basename(args[0])} failed: {done.stderr.strip() or done.returncode}")
    return done


def _release_connections():
    """End this process's transactions and close pooled connections (a restore replaces what they see)."""
    db.session.remove()
    db.engine.dispose()


def backup(path):
    """Write a consistent copy of the app's database to `path`. Returns a one-line description."""
    url = db.engine.url
    path = os.path.abspath(path)
    directory = os.path.dirname(path)
    os.makedirs(directory, exist_ok=True)
    fd, partial = tempfile.mkstemp(prefix=".bedside-backup-", dir=directory)
    os.close(fd)
    try:
        if url.get_backend_name() == "sqlite":
            source = sqlite3.connect(_sqlite_path(url))
            target = sqlite3.connect(partial)
            try:
                with target:
                    source.backup(target)  # in one step: a snapshot as of one read transaction
                target.execute("PRAGMA journal_mode=DELETE")  # a single self-contained file
            finally:
                target.close()
                source.close()
        elif url.get_backend_name() == "postgresql":
            dsn, env = _libpq(url)
            _run([_tool("pg_dump"), "--format=custom", f"--file={partial}", f"--dbname={dsn}"], env)
        else:
            raise BackupError(f"backing up {url.get_backend_name()} databases is not supported")
        os.replace(partial, path)  # never leave a half-written file under the name asked for
    except BaseException:
        if os.path.exists(partial):
            os.unlink(partial)
        raise
    return f"Backed up {url.render_as_string(hide_password=True)} to {path} ({os.path.getsize(path)} bytes)"


def holds_data():
    """Whether the app's database has rows beyond the bookkeeping of an empty, initialised one."""
    _release_connections()
    engine = db.engine
    names = [n for n in inspect(engine).get_table_names() if n not in BOOKKEEPING]
    with engine.connect() as conn:
        for name in names:
            table = db.Model.metadata.tables.get(name)
            query = (select(func.count()).select_from(table) if table is not None
                     else text(f'SELECT count(*) FROM "{name}"'))
            if conn.execute(query).scalar_one():
                return True
    return False


def _kind_of(path):
    if not os.path.isfile(path):
        raise BackupError(f"no such backup file: {path}")
    with open(path, "rb") as fh:
        head = fh.read(16)
    if head.startswith(SQLITE_MAGIC):
        return "sqlite"
    if head.startswith(PGDUMP_MAGIC):
        return "postgresql"
    raise BackupError(f"{path} is neither a SQLite backup nor a pg_dump custom-format file")


def restore(path, yes=False):
    """Replace the app's database with the backup at `path` and give it a new server epoch.

    Refuses (BackupError) when the database holds data and `yes` is false. Returns lines describing what
    was done.
    """
    url = db.engine.url
    backend = url.get_backend_name()
    path = os.path.abspath(path)
    kind = _kind_of(path)
    if kind != backend:
        raise BackupError(f"{path} is a {kind} backup; the configured database is {backend}")
    if backend == "sqlite":
        _check_sqlite_backup(path)
    else:
        _run([_tool("pg_restore"), "--list", path], dict(os.environ))  # a readable archive, before anything else
    if holds_data() and not yes:
        raise BackupError(f"{url.render_as_string(hide_password=True)} holds data; restoring replaces all of it. "
                          "Run again with --yes to do so.")
    _release_connections()
    if backend == "sqlite":
        source = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        target = sqlite3.connect(_sqlite_path(url), timeout=15)
        try:
            with target:
                source.backup(target)
        finally:
            target.close()
            source.close()
    else:
        dsn, env = _libpq(url)
        _run([_tool("pg_restore"), "--clean", "--if-exists", "--single-transaction", "--no-owner",
              f"--dbname={dsn}", path], env)
    old_epoch, epoch = new_epoch()
    ended, last_change = end_sessions()
    _release_connections()
    return [f"Restored {path} into {url.render_as_string(hide_password=True)}.",
            (f"Server epoch: {old_epoch or '(none)'} in the backup, now {epoch}. Tablets start again from a "
             "snapshot on their next pull and push again what they still hold."),
            (f"Ended {ended} session(s) that were open in the backup: everyone signs in again, so no session "
             "that ended after the backup works again."),
            (f"The backup's last recorded change: {last_change or '(none)'} UTC. Staff disabled, PINs reset and "
             "tablets revoked after it are not in the backup: do them again (Staff, Tablets)."),
            "If the backup comes from an older Bedside, run `bedside init` to upgrade its schema."]


def _check_sqlite_backup(path):
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        if conn.execute("PRAGMA quick_check").fetchone()[0] != "ok":
            raise BackupError(f"{path} is a damaged SQLite file")
        if conn.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'sync_state'").fetchone() is None:
            raise BackupError(f"{path} is not a Bedside database (it has no sync_state table)")
    finally:
        conn.close()


def end_sessions():
    """End every session the restored database holds (a session that ended after the backup would otherwise
    work again). Returns (how many, the time of the backup's last audited change or None)."""
    now = datetime.now(UTC).replace(tzinfo=None)
    with db.engine.begin() as conn:
        ended = conn.execute(text("UPDATE user_session SET ended_at = :now WHERE ended_at IS NULL"),
                             {"now": now}).rowcount
        last = conn.execute(text("SELECT MAX(at) FROM audit_event")).scalar_one_or_none()
    return ended, last


def new_epoch():
    """Give the database a new random server epoch (creating the feed row if the backup lacked it).
    Returns (the old epoch or None, the new one)."""
    epoch = uuid.uuid4().hex
    with db.engine.begin() as conn:
        old = conn.execute(text("SELECT epoch FROM sync_state WHERE id = 1")).scalar_one_or_none()
        if old is None:
            conn.execute(text("INSERT INTO sync_state (id, seq, epoch) VALUES (1, 0, :epoch)"), {"epoch": epoch})
        else:
            conn.execute(text("UPDATE sync_state SET epoch = :epoch WHERE id = 1"), {"epoch": epoch})
    return old, epoch


@click.command("backup")
@click.argument("path", type=click.Path(dir_okay=False))
@with_appcontext
def backup_command(path):
    """Write a consistent copy of the database to PATH (safe while the server runs)."""
    try:
        click.echo(backup(path))
    except BackupError as exc:
        click.echo(f"Backup failed: {exc}", err=True)
        sys.exit(1)


@click.command("restore")
@click.argument("path", type=click.Path(dir_okay=False))
@click.option("--yes", is_flag=True, help="Replace a database that holds data.")
@with_appcontext
def restore_command(path, yes):
    """Replace the database with the backup at PATH and give it a new server epoch. Stop the server first."""
    try:
        lines = restore(path, yes=yes)
    except BackupError as exc:
        click.echo(f"Restore refused: {exc}", err=True)
        sys.exit(1)
    for line in lines:
        click.echo(line)
