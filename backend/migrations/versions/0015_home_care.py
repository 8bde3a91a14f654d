"""Home and community care (issue 18): regions and the kind of a home (residential or community); an older person
at home's address, phone, location and radius, home code (its hash and salt), living alone, eligibility, care level
and family care bed; the service catalogue, service contracts and their items, visits and their carers, home
devices, alarms and their steps, carers' blocks. The homes there were stay residential, in no region; their
residents get the defaults (radius 200 m, not living alone) and nothing else. No catalogue is seeded here: a
community home's catalogue is seeded when the home is made (domain/service_catalogue.py).

Revision ID: 0015
Revises: 0014
"""
from contextlib import contextmanager

import sqlalchemy as sa
from alembic import op

revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None


@contextmanager
def _sqlite_foreign_keys_off():
    """On SQLite, batch mode changes `home` (and, going down, `resident`) by copying it to a new table, dropping it
    and renaming the copy; with foreign keys enforced (backend/database.py) the drop fails as soon as a unit or an
    entry refers to a row. SQLite's procedure for such changes (sqlite.org/lang_altertable.html, "Making Other Kinds
    Of Table Schema Changes") turns them off, checks them afterwards and turns them on again. The pragma takes effect only
    outside a transaction: on SQLite a migration begins with none open (non-transactional DDL), and the work is
    committed before they are turned on again, so the connection goes back to the pool enforcing them."""
    bind = op.get_bind()
    if bind.dialect.name != "sqlite":
        yield
        return
    raw = bind.connection.dbapi_connection
    if raw.in_transaction:
        raise RuntimeError("migration 0015 must begin outside a transaction on SQLite")
    raw.execute("PRAGMA foreign_keys=OFF")
    try:
        yield
        broken = raw.execute("PRAGMA foreign_key_check").fetchall()
        if broken:
            raise RuntimeError(f"foreign keys broken by migration 0015: {broken[:5]}")
        raw.commit()
    except BaseException:
        raw.rollback()
        raise
    finally:
        raw.execute("PRAGMA foreign_keys=ON")


def _fk(table, column, target, target_column="id"):
    return sa.ForeignKeyConstraint([column], [f"{target}.{target_column}"], name=op.f(f"fk_{table}_{column}_{target}"))


def _pk(table):
    return sa.PrimaryKeyConstraint("id", name=op.f(f"pk_{table}"))


def _indexes(table, *specs):
    """Plain indexes: a column name gives ix_<table>_<column>; a (name, [columns]) pair a named composite."""
    with op.batch_alter_table(table) as batch:
        for spec in specs:
            if isinstance(spec, str):
                batch.create_index(batch.f(f"ix_{table}_{spec}"), [spec], unique=False)
            else:
                batch.create_index(spec[0], spec[1], unique=False)


def upgrade():
    with _sqlite_foreign_keys_off():
        _upgrade()


def downgrade():
    with _sqlite_foreign_keys_off():
        _downgrade()


def _upgrade():
    op.create_table(
        "region",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("names", sa.JSON(), nullable=True),
        sa.Column("timezone", sa.String(length=64), nullable=False),
        _pk("region"))

    op.create_table(
        "service_item",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("home_id", sa.Integer(), nullable=False),
        sa.Column("names", sa.JSON(), nullable=False),
        sa.Column("category", sa.String(length=30), nullable=False),
        sa.Column("item", sa.String(length=40), nullable=False),
        sa.Column("standard_minutes", sa.Integer(), nullable=True),
        sa.Column("price", sa.Numeric(precision=10, scale=2), nullable=False),
        sa.Column("unit", sa.String(length=10), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("seq", sa.BigInteger(), nullable=False),
        _fk("service_item", "home_id", "home"),
        _pk("service_item"))
    _indexes("service_item", "home_id", "seq")

    op.create_table(
        "carer_block",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("home_id", sa.Integer(), nullable=False),
        sa.Column("carer_id", sa.Integer(), nullable=False),
        sa.Column("blocked_by", sa.Integer(), nullable=False),
        sa.Column("blocked_at", sa.DateTime(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("lifted_at", sa.DateTime(), nullable=True),
        sa.Column("lifted_by", sa.Integer(), nullable=True),
        _fk("carer_block", "blocked_by", "user"),
        _fk("carer_block", "carer_id", "user"),
        _fk("carer_block", "home_id", "home"),
        _fk("carer_block", "lifted_by", "user"),
        _pk("carer_block"))
    _indexes("carer_block", "carer_id", "home_id")

    op.create_table(
        "home_device",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("home_id", sa.Integer(), nullable=False),
        sa.Column("resident_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=12), nullable=False),
        sa.Column("label", sa.String(length=200), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        _fk("home_device", "home_id", "home"),
        _fk("home_device", "resident_id", "resident"),
        _pk("home_device"),
        sa.UniqueConstraint("token_hash", name=op.f("uq_home_device_token_hash")))
    _indexes("home_device", "home_id", "resident_id")

    op.create_table(
        "service_contract",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("home_id", sa.Integer(), nullable=False),
        sa.Column("resident_id", sa.Integer(), nullable=False),
        sa.Column("starts_on", sa.Date(), nullable=False),
        sa.Column("ends_on", sa.Date(), nullable=True),
        sa.Column("funding", sa.String(length=16), nullable=False),
        sa.Column("monthly_subsidy", sa.Numeric(precision=10, scale=2), nullable=True),
        sa.Column("intent_signed_on", sa.Date(), nullable=True),
        sa.Column("assessment_signed_on", sa.Date(), nullable=True),
        sa.Column("agreement_signed_on", sa.Date(), nullable=True),
        sa.Column("risk_notice_signed_on", sa.Date(), nullable=True),
        sa.Column("created_by", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        _fk("service_contract", "created_by", "user"),
        _fk("service_contract", "home_id", "home"),
        _fk("service_contract", "resident_id", "resident"),
        _pk("service_contract"))
    _indexes("service_contract", "home_id", "resident_id")

    op.create_table(
        "visit",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("home_id", sa.Integer(), nullable=False),
        sa.Column("unit_id", sa.Integer(), nullable=False),
        sa.Column("resident_id", sa.Integer(), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("start_time", sa.String(length=5), nullable=False),
        sa.Column("planned_minutes", sa.Integer(), nullable=False),
        sa.Column("source", sa.String(length=12), nullable=False),
        sa.Column("item_ids", sa.JSON(), nullable=False),
        sa.Column("cancelled_at", sa.DateTime(), nullable=True),
        sa.Column("cancelled_by", sa.Integer(), nullable=True),
        sa.Column("cancel_reason", sa.Text(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("created_by", sa.Integer(), nullable=False),
        sa.Column("seq", sa.BigInteger(), nullable=False),
        _fk("visit", "cancelled_by", "user"),
        _fk("visit", "created_by", "user"),
        _fk("visit", "home_id", "home"),
        _fk("visit", "resident_id", "resident"),
        _fk("visit", "unit_id", "unit"),
        _pk("visit"))
    _indexes("visit", ("ix_visit_home_day", ["home_id", "day"]), ("ix_visit_resident_day", ["resident_id", "day"]),
             "seq", ("ix_visit_unit_day", ["unit_id", "day"]))

    op.create_table(
        "alarm",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("home_id", sa.Integer(), nullable=False),
        sa.Column("resident_id", sa.Integer(), nullable=False),
        sa.Column("device_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=12), nullable=False),
        sa.Column("raised_at", sa.DateTime(), nullable=False),
        sa.Column("received_at", sa.DateTime(), nullable=False),
        sa.Column("raised_minute", sa.DateTime(), nullable=False),
        sa.Column("false_alarm", sa.Boolean(), nullable=False),
        sa.Column("outcome", sa.Text(), nullable=True),
        sa.Column("closed_at", sa.DateTime(), nullable=True),
        _fk("alarm", "device_id", "home_device"),
        _fk("alarm", "home_id", "home"),
        _fk("alarm", "resident_id", "resident"),
        _pk("alarm"),
        sa.UniqueConstraint("device_id", "kind", "raised_minute", name=op.f("uq_alarm_device_id")))
    _indexes("alarm", ("ix_alarm_home_raised", ["home_id", "raised_at"]),
             ("ix_alarm_resident_raised", ["resident_id", "raised_at"]))

    op.create_table(
        "contract_item",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("contract_id", sa.Integer(), nullable=False),
        sa.Column("service_item_id", sa.Integer(), nullable=False),
        sa.Column("schedule_kind", sa.String(length=20), nullable=False),
        sa.Column("schedule", sa.JSON(), nullable=False),
        sa.Column("days_of_week", sa.JSON(none_as_null=True), nullable=True),
        _fk("contract_item", "contract_id", "service_contract"),
        _fk("contract_item", "service_item_id", "service_item"),
        _pk("contract_item"))
    _indexes("contract_item", "contract_id", "service_item_id")

    op.create_table(
        "visit_carer",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("visit_id", sa.Integer(), nullable=False),
        sa.Column("carer_id", sa.Integer(), nullable=False),
        sa.Column("assigned_at", sa.DateTime(), nullable=False),
        sa.Column("assigned_by", sa.Integer(), nullable=False),
        sa.Column("unassigned_at", sa.DateTime(), nullable=True),
        _fk("visit_carer", "assigned_by", "user"),
        _fk("visit_carer", "carer_id", "user"),
        _fk("visit_carer", "visit_id", "visit"),
        _pk("visit_carer"))
    _indexes("visit_carer", "carer_id", "visit_id")

    op.create_table(
        "alarm_step",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("alarm_id", sa.Integer(), nullable=False),
        sa.Column("step", sa.String(length=20), nullable=False),
        sa.Column("by_user", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        _fk("alarm_step", "alarm_id", "alarm"),
        _fk("alarm_step", "by_user", "user"),
        _pk("alarm_step"))
    _indexes("alarm_step", "alarm_id")

    with op.batch_alter_table("home") as batch:
        batch.add_column(sa.Column("kind", sa.String(length=12), server_default="residential", nullable=False))
        batch.add_column(sa.Column("region_id", sa.Integer(), nullable=True))
        batch.create_index(batch.f("ix_home_region_id"), ["region_id"], unique=False)
        batch.create_foreign_key(batch.f("fk_home_region_id_region"), "region", ["region_id"], ["id"])

    with op.batch_alter_table("resident") as batch:
        batch.add_column(sa.Column("address", sa.Text(), nullable=True))
        batch.add_column(sa.Column("phone", sa.String(length=40), nullable=True))
        batch.add_column(sa.Column("lat", sa.Float(), nullable=True))
        batch.add_column(sa.Column("lon", sa.Float(), nullable=True))
        batch.add_column(sa.Column("radius_m", sa.Integer(), server_default="200", nullable=False))
        batch.add_column(sa.Column("home_code_hash", sa.String(length=64), nullable=True))
        batch.add_column(sa.Column("home_code_salt", sa.String(length=32), nullable=True))
        batch.add_column(sa.Column("lives_alone", sa.Boolean(), server_default=sa.false(), nullable=False))
        batch.add_column(sa.Column("eligibility", sa.String(length=20), nullable=True))
        batch.add_column(sa.Column("care_level", sa.String(length=20), nullable=True))
        batch.add_column(sa.Column("family_bed_since", sa.Date(), nullable=True))


def _downgrade():
    with op.batch_alter_table("resident") as batch:
        for column in ("family_bed_since", "care_level", "eligibility", "lives_alone", "home_code_salt",
                       "home_code_hash", "radius_m", "lon", "lat", "phone", "address"):
            batch.drop_column(column)

    with op.batch_alter_table("home") as batch:
        batch.drop_constraint(batch.f("fk_home_region_id_region"), type_="foreignkey")
        batch.drop_index(batch.f("ix_home_region_id"))
        batch.drop_column("region_id")
        batch.drop_column("kind")

    # Dropping a table drops its indexes and constraints; children before their parents.
    for table in ("alarm_step", "visit_carer", "contract_item", "alarm", "visit", "service_contract", "home_device",
                  "carer_block", "service_item", "region"):
        op.drop_table(table)
