"""The database sessions' settings: PostgreSQL plans every statement for its own values (backend/config.py)."""
import pytest
from sqlalchemy import text

from backend.config import load, postgres_engine_options
from backend.extensions import db


def test_postgres_urls_get_custom_plans_and_keep_given_connect_args(tmp_path):
    cfg = load({"DATABASE_URL": "postgres://u@db/bedside", "SECRET_KEY": "x"}, str(tmp_path))
    assert cfg["SQLALCHEMY_DATABASE_URI"] == "postgresql+psycopg://u@db/bedside"
    assert cfg["SQLALCHEMY_ENGINE_OPTIONS"]["connect_args"]["options"] == "-c plan_cache_mode=force_custom_plan"
    given = postgres_engine_options({"pool_size": 3, "connect_args": {"options": "-c work_mem=8MB", "connect_timeout": 5}})
    assert given == {"pool_size": 3, "connect_args": {"options": "-c work_mem=8MB -c plan_cache_mode=force_custom_plan",
                                                      "connect_timeout": 5}}
    # an operator's own plan_cache_mode stands
    own = {"connect_args": {"options": "-c plan_cache_mode=auto"}}
    assert postgres_engine_options(own)["connect_args"]["options"] == "-c plan_cache_mode=auto"


def test_sqlite_gets_no_postgres_options(tmp_path):
    cfg = load({"SECRET_KEY": "x"}, str(tmp_path))
    assert cfg["SQLALCHEMY_DATABASE_URI"].startswith("sqlite:///")
    assert "connect_args" not in cfg["SQLALCHEMY_ENGINE_OPTIONS"]


def test_the_app_sessions_use_custom_plans_on_postgres(app):
    with app.app_context():
        if db.engine.dialect.name != "postgresql":
            pytest.skip("PostgreSQL only (TEST_DATABASE_URL)")
        assert db.session.execute(text("SHOW plan_cache_mode")).scalar() == "force_custom_plan"
