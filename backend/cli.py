"""The `bedside` command: init, demo, serve, backup, restore (and Flask's commands via `bedside flask ...`)."""
import os
import sys
import uuid

import click
from flask.cli import FlaskGroup, with_appcontext
from flask_migrate import upgrade

from .app import create_app
from .audit_cli import audit_group
from .backup import backup_command, restore_command
from .extensions import db
from .models import SyncState
from .services import demo


def init_database():
    """Create or upgrade the schema to the newest migration, and make sure the feed row exists."""
    upgrade()
    if db.session.get(SyncState, 1) is None:
        db.session.add(SyncState(id=1, seq=0, epoch=uuid.uuid4().hex))
        db.session.commit()


@click.command("init")
@with_appcontext
def init_command():
    """Create or upgrade the database. Safe to run twice."""
    init_database()
    click.echo(f"Database ready: {db.engine.url.render_as_string(hide_password=True)}")


@click.command("demo")
@click.option("--history/--no-history", default=True, show_default=True,
              help="Also last month, recorded and confirmed (one card closed).")
@with_appcontext
def demo_command(history):
    """Seed a demo care home and print the logins. Refuses a database that holds real data."""
    init_database()
    try:
        logins = demo.seed(history=history)
    except demo.NotEmpty as exc:
        click.echo(f"Refusing to seed demo data: {exc}", err=True)
        sys.exit(1)
    click.echo("Demo care home created. Sign in with any of these (password: demo):")
    for username, role, where in logins:
        click.echo(f"  {username:<12} {role:<11} {where}")


@click.group(cls=FlaskGroup, create_app=create_app, add_default_commands=False, add_version_option=False)
def main():
    """Bedside care documentation."""


@main.command("serve")
@click.option("--host", default=lambda: os.environ.get("HOST", "127.0.0.1"))
@click.option("--port", default=lambda: int(os.environ.get("PORT", "8000")), type=int)
@click.option("--workers", default=lambda: int(os.environ.get("WEB_CONCURRENCY", "2")), type=int)
@click.option("--threads", default=4, type=int)
def serve(host, port, workers, threads):
    """Run the app under gunicorn."""
    args = [sys.executable, "-m", "gunicorn", "--workers", str(workers), "--threads", str(threads),
            "--bind", f"{host}:{port}", "--access-logfile", "-",
            # no control socket: its default path is per user, so two instances on one machine would share it
            "--no-control-socket", "backend.wsgi:app"]
    click.echo(f"Bedside is running at http://{host}:{port}/")
    os.execv(sys.executable, args)


main.add_command(init_command)
main.add_command(demo_command)
main.add_command(audit_group)
main.add_command(backup_command)
main.add_command(restore_command)


if __name__ == "__main__":
    main()
