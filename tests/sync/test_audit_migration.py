"""Migration 0002 chains the audit rows an older database already holds, so verify holds right after upgrade."""
from datetime import datetime

import sqlalchemy as sa
from flask_migrate import upgrade
from sqlalchemy import text

from backend.audit_cli import audit_group
from backend.extensions import db



def test_upgrade_chains_existing_audit_rows(empty_app):  # noqa: F811
    with empty_app.app_context():
        upgrade(revision="0001")
        with db.engine.begin() as conn:
            table = sa.table("audit_event", sa.column("at", sa.DateTime()), sa.column("action", sa.String()),
                             sa.column("object_id", sa.String()), sa.column("detail", sa.JSON(none_as_null=True)))
            conn.execute(table.insert(), [{"at": datetime(2026, 11, 20 + i, 3), "action": "login_failed",
                                           "object_id": f"u{i}", "detail": {"n": i} if i else None} for i in range(3)])
        upgrade()
    result = empty_app.test_cli_runner().invoke(audit_group, ["verify"])
    assert (result.exit_code, result.output.strip()) == (0, "audit chain intact: 3 rows")
    with empty_app.app_context(), db.engine.begin() as conn:
        conn.execute(text("UPDATE audit_event SET object_id = 'forged' WHERE object_id = 'u2'"))
    result = empty_app.test_cli_runner().invoke(audit_group, ["verify"])
    assert result.exit_code == 1 and "broken at row" in result.output
