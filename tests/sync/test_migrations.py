"""The migrations build exactly the models' schema on an empty database, and running them twice is safe."""
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import upgrade
from sqlalchemy import inspect, text

from backend.extensions import db


def _differences(app):
    with app.app_context(), db.engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True, "compare_server_default": False})
        return compare_metadata(context, db.metadata)


def _heads(app):
    with app.app_context(), db.engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_heads()


def test_upgrade_builds_the_models_schema_and_is_idempotent(empty_app):
    with empty_app.app_context():
        upgrade()
        tables = set(inspect(db.engine).get_table_names())
    assert tables == set(db.metadata.tables) | {"alembic_version"}
    assert _differences(empty_app) == []
    heads = _heads(empty_app)
    assert len(heads) == 1
    with empty_app.app_context():
        upgrade()  # a second run changes nothing and does not fail
    assert _heads(empty_app) == heads
    assert _differences(empty_app) == []


def test_init_creates_the_feed_row_once(empty_app):
    from backend.cli import init_database
    from backend.models import SyncState
    with empty_app.app_context():
        init_database()
        epoch = db.session.get(SyncState, 1).epoch
        init_database()
        rows = SyncState.query.all()
        assert [(r.id, r.seq, r.epoch) for r in rows] == [(1, 0, epoch)]
        db.session.remove()


def test_the_comparison_does_see_a_drifted_schema(empty_app):
    with empty_app.app_context():
        upgrade()
        with db.engine.begin() as conn:
            conn.execute(text("DROP INDEX ix_entry_resident_day"))
    assert any("ix_entry_resident_day" in str(d) for d in _differences(empty_app))
