"""`bedside audit verify`: walk the audit log's hash chain (domain/audit_chain.py) and name the first broken link."""
import sys

import click
from flask.cli import with_appcontext

from .domain import audit_chain
from .extensions import db
from .services import audit


@click.group("audit")
def audit_group():
    """The audit log."""


@audit_group.command("verify")
@with_appcontext
def verify_command():
    """Check the audit log's hash chain. Exit 0 if intact, 1 at the first broken link."""
    result = audit_chain.verify(audit.chain_rows(db.session))
    db.session.rollback()
    if result.intact:
        click.echo(f"audit chain intact: {result.rows} rows")
        return
    click.echo(f"audit chain broken at row {result.broken_at}: {result.reason} "
               f"({result.rows} rows before it are intact)", err=True)
    sys.exit(1)
