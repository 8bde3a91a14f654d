"""The migrations build exactly the models' schema on an empty database, and running them twice is safe; the last
one keeps the rows there were and goes back down."""
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade
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


#: The tables migration 0015 (home and community care) adds.
HOME_CARE_TABLES = {"region", "service_item", "service_contract", "contract_item", "visit", "visit_carer",
                    "home_device", "alarm", "alarm_step", "carer_block"}


def _columns(table):
    return {c["name"] for c in inspect(db.engine).get_columns(table)}


def _assert_foreign_keys_enforced():
    """On SQLite the migration turns foreign keys off while it rebuilds tables: they are on again after it."""
    if db.engine.dialect.name == "sqlite":
        with db.engine.connect() as conn:
            assert conn.execute(text("PRAGMA foreign_keys")).scalar() == 1


def test_home_care_keeps_the_homes_there_were_and_goes_back_down(empty_app):
    with empty_app.app_context():
        upgrade(revision="0014")
        with db.engine.begin() as conn:
            conn.execute(text("INSERT INTO home (id, name, timezone, locale) "
                              "VALUES (1, 'H', 'Asia/Krasnoyarsk', 'ru')"))
            conn.execute(text("INSERT INTO unit (id, home_id, name) VALUES (1, 1, 'U')"))
            conn.execute(text("INSERT INTO duty_post (id, unit_id, name) VALUES (1, 1, 'P')"))
            conn.execute(text("INSERT INTO resident (id, unit_id, post_id, full_name, room, bed, needs_reassessment, "
                              "active, seq) VALUES (1, 1, 1, 'R', '1', '2', false, true, 0)"))
        upgrade()
        with db.engine.connect() as conn:
            assert conn.execute(text("SELECT kind, region_id FROM home")).one() == ("residential", None)
            row = conn.execute(text("SELECT full_name, radius_m, lives_alone, address, eligibility, care_level "
                                    "FROM resident")).one()
        assert (row[0], row[1], bool(row[2]), row[3:]) == ("R", 200, False, (None, None, None))
        assert HOME_CARE_TABLES <= set(inspect(db.engine).get_table_names())
        _assert_foreign_keys_enforced()
    assert _differences(empty_app) == []

    with empty_app.app_context():
        downgrade(revision="0014")
        assert not HOME_CARE_TABLES & set(inspect(db.engine).get_table_names())
        assert not {"kind", "region_id"} & _columns("home")
        assert not {"address", "radius_m", "home_code_hash", "family_bed_since"} & _columns("resident")
        with db.engine.connect() as conn:
            assert conn.execute(text("SELECT name FROM home")).scalar_one() == "H"
            assert conn.execute(text("SELECT full_name FROM resident")).scalar_one() == "R"
        _assert_foreign_keys_enforced()
    assert _heads(empty_app) == ("0014",)

    with empty_app.app_context():
        upgrade()  # and up again
    assert _differences(empty_app) == []
