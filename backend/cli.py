"""The `bedside` command: init, demo, serve, backup, restore (and Flask's commands via `bedside flask ...`)."""
import os
import sys
import uuid
from datetime import UTC, datetime

from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import click
from flask import current_app
from flask.cli import FlaskGroup, with_appcontext
from flask_migrate import upgrade

from . import demo
from .demo import community as demo_community
from .demo import community_history as demo_community_history
from .app import create_app
from .audit_cli import audit_group
from .backup import backup_command, restore_command
from .domain import passwords
from .extensions import db
from .models import Home, SyncState
from .services import staff as staff_service
from .services.context import Ctx


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
@click.option("--community/--no-community", default=True, show_default=True,
              help="Also a community centre (home care): a station, its staff, 20 people at home, this week's visits.")
@with_appcontext
def demo_command(history, community):
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
    if not community:
        return
    now = datetime.now(UTC)
    centre_logins, ids = demo_community.seed_community(now)
    db.session.commit()
    visits = demo_community.plan_the_week(ids, now)
    db.session.commit()
    click.echo(f"Demo community centre (home care: {len(ids.people)} people at home, {visits} visits this week):")
    for username, role, where in centre_logins:
        click.echo(f"  {username:<12} {role:<11} {where}")
    if history:  # the centre's last month and this month up to now, through the services (a few seconds more)
        played = demo_community_history.play_the_centre(ids, now)
        db.session.commit()
        click.echo(f"  its history: {played['visits']} visits since last month, {played['entries']} entries from "
                   f"the carers' phones, {played['alarms']} alarms ({played['open_alarms']} open), "
                   f"{played['follow_ups']} follow-up calls, last month closed ({played['cards_closed']} cards)")


def _timezone(value):
    try:
        ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError):
        raise click.BadParameter(f"not an IANA time zone: {value!r} (e.g. Europe/Moscow, Asia/Shanghai)")
    return value


def _read_password(from_stdin, check):
    """The administrator's password: typed at a hidden prompt (twice), or one line of standard input for scripts.
    Never an option: a command line is visible to every user of the machine and kept in shell history."""
    if from_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
        problem = check(password)
        if problem:
            raise click.ClickException(f"password refused: {problem}")
        return password
    while True:
        password = click.prompt("Administrator's password", hide_input=True, confirmation_prompt=True)
        problem = check(password)
        if not problem:
            return password
        click.echo(f"Refused: {problem}", err=True)


@click.command("setup")
@click.option("--home-name", help="The home's name, as staff and relatives will read it.")
@click.option("--timezone", "timezone_", callback=lambda _c, _p, v: v and _timezone(v),
              help="The home's IANA time zone: its care day and every time shown (e.g. Asia/Krasnoyarsk).")
@click.option("--locale", type=click.Choice(["ru", "zh_Hans", "en"]), help="The home's default language.")
@click.option("--admin-username", help="The first administrator's user name.")
@click.option("--admin-name", help="The first administrator's full name.")
@click.option("--password-stdin", is_flag=True,
              help="Read the administrator's password from the first line of standard input (for scripts).")
@with_appcontext
def setup_command(home_name, timezone_, locale, admin_username, admin_name, password_stdin):
    """First run on an empty database: the home and its first administrator. Asks for what is not given."""
    init_database()
    if db.session.query(Home.id).first() is not None:
        click.echo("Refusing: this database already holds a care home (`bedside setup` is for the first run).",
                   err=True)
        sys.exit(1)
    home_name = home_name or click.prompt("The home's name")
    timezone_ = timezone_ or click.prompt("Time zone (IANA, e.g. Asia/Krasnoyarsk)", value_proc=_timezone)
    locale = locale or click.prompt("Default language", type=click.Choice(["ru", "zh_Hans", "en"]), default="ru")
    admin_username = staff_service.normalise_username(admin_username or click.prompt("Administrator's user name"))
    if not admin_username or any(c.isspace() for c in admin_username):
        raise click.BadParameter("a user name is one word, without spaces", param_hint="--admin-username")
    admin_name = admin_name or click.prompt("Administrator's full name")

    def check(password):
        found = passwords.problems(password, (admin_username, admin_name, home_name))
        return str(found[0]) if found else None

    password = _read_password(password_stdin, check)
    try:
        staff_service.setup(Ctx(None, current_app.config["CLOCK"]()), home_name, timezone_, locale, admin_username,
                            admin_name, password)
    except staff_service.HomeExists as exc:
        click.echo(f"Refusing: {exc}.", err=True)
        sys.exit(1)
    click.echo(f"The home {home_name!r} is ready. Sign in as {admin_username!r} with the password you chose, then "
               "add units, duty posts, rooms and staff under Organisation and Staff.")


#: The web server's statement and answer limits, off (docs/operations.md): an operator's migrations, backups,
#: imports and month closes, and the benchmarks' generators, may run long statements.
WITHOUT_STATEMENT_LIMITS = {"DATABASE_STATEMENT_TIMEOUT": 0, "DATABASE_ANSWER_TIMEOUT": 0}


def create_command_app():
    """The app for commands, without the web server's statement limits."""
    return create_app(dict(WITHOUT_STATEMENT_LIMITS))


@click.group(cls=FlaskGroup, create_app=create_command_app, add_default_commands=False, add_version_option=False)
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
main.add_command(setup_command)
main.add_command(demo_command)
main.add_command(audit_group)
main.add_command(backup_command)
main.add_command(restore_command)


if __name__ == "__main__":
    main()
