"""The database sessions' settings: PostgreSQL plans every statement for its own values (backend/config.py)."""
import pytest
from sqlalchemy import text

from backend.config import load, postgres_engine_options
from backend.extensions import db


def test_postgres_urls_get_custom_plans_and_keep_given_connect_args(tmp_path):
    cfg = load({"DATABASE_URL": "postgres://u@db/bedside", "SECRET_KEY": "x"}, str(tmp_path))
    assert cfg["SQLALCHEMY_DATABASE_URI"] == "postgresql+psycopg://u@db/bedside"
    assert cfg["SQLALCHEMY_ENGINE_OPTIONS"]["connect_args"]["options"] == (
        "-c plan_cache_mode=force_custom_plan -c statement_timeout=15000")
    given = postgres_engine_options({"pool_size": 3,
                                     "connect_args": {"options": "-c work_mem=8MB", "connect_timeout": 5}})
    assert given == {"pool_size": 3, "pool_pre_ping": True, "pool_recycle": 1800,
                     "connect_args": {"options": "-c work_mem=8MB -c plan_cache_mode=force_custom_plan",
                                      "connect_timeout": 5}}
    # an operator's own plan_cache_mode stands
    own = {"connect_args": {"options": "-c plan_cache_mode=auto"}}
    assert postgres_engine_options(own)["connect_args"]["options"] == "-c plan_cache_mode=auto"


def test_postgres_rides_out_database_faults_with_the_configured_limits(tmp_path):
    """Issue 14: pooled connections pinged and recycled; connect, statement and pool limits (docs/operations.md)."""
    options = load({"DATABASE_URL": "postgres://u@db/bedside", "SECRET_KEY": "x"}, str(tmp_path))[
        "SQLALCHEMY_ENGINE_OPTIONS"]
    assert (options["pool_pre_ping"], options["pool_recycle"], options["pool_timeout"]) == (True, 1800, 10)
    assert options["connect_args"]["connect_timeout"] == 5
    env = {"DATABASE_URL": "postgres://u@db/bedside", "SECRET_KEY": "x", "DATABASE_STATEMENT_TIMEOUT": "2",
           "DATABASE_CONNECT_TIMEOUT": "3", "DATABASE_POOL_TIMEOUT": "4", "DATABASE_ANSWER_TIMEOUT": "6"}
    cfg = load(env, str(tmp_path))
    assert cfg["DATABASE_ANSWER_TIMEOUT"] == 6
    options = cfg["SQLALCHEMY_ENGINE_OPTIONS"]
    assert options["connect_args"] == {"connect_timeout": 3,
                                       "options": "-c plan_cache_mode=force_custom_plan -c statement_timeout=2000"}
    assert options["pool_timeout"] == 4
    # the commands' app (migrations, backups, imports) has no statement limit; an operator's own options stand
    off = load(env, str(tmp_path), {"DATABASE_STATEMENT_TIMEOUT": 0})["SQLALCHEMY_ENGINE_OPTIONS"]
    assert "statement_timeout" not in off["connect_args"]["options"]
    own = postgres_engine_options({"pool_pre_ping": False, "connect_args": {"options": "-c statement_timeout=0"}},
                                  statement_timeout=30)
    assert own["pool_pre_ping"] is False and own["connect_args"]["options"].count("statement_timeout") == 1


def test_sqlite_gets_no_postgres_options(tmp_path):
    cfg = load({"SECRET_KEY": "x"}, str(tmp_path))
    assert cfg["SQLALCHEMY_DATABASE_URI"].startswith("sqlite:///")
    assert "connect_args" not in cfg["SQLALCHEMY_ENGINE_OPTIONS"]


def test_the_app_sessions_use_custom_plans_on_postgres(app):
    with app.app_context():
        if db.engine.dialect.name != "postgresql":
            pytest.skip("PostgreSQL only (TEST_DATABASE_URL)")
        assert db.session.execute(text("SHOW plan_cache_mode")).scalar() == "force_custom_plan"
        assert db.session.execute(text("SHOW statement_timeout")).scalar() == "15s"
        # the app gives up on a database that does not answer (backend/database.py)
        assert type(db.session.connection().connection.dbapi_connection).__name__ == "DeadlineConnection"
