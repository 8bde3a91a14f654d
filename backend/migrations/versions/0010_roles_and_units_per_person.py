"""A member of staff may hold several roles (user_role: the ones besides her main `user.role`) and work in several
units (user_unit, replacing user.unit_id; none: the whole home)

Revision ID: 0010
Revises: 0009
"""
import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "user_role",
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("role", sa.String(length=20), nullable=False),
        sa.ForeignKeyConstraint(["user_id"], ["user.id"], name=op.f("fk_user_role_user_id_user")),
        sa.PrimaryKeyConstraint("user_id", "role", name=op.f("pk_user_role")),
    )
    op.create_table(
        "user_unit",
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("unit_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["user_id"], ["user.id"], name=op.f("fk_user_unit_user_id_user")),
        sa.ForeignKeyConstraint(["unit_id"], ["unit.id"], name=op.f("fk_user_unit_unit_id_unit")),
        sa.PrimaryKeyConstraint("user_id", "unit_id", name=op.f("pk_user_unit")),
    )
    op.create_index(op.f("ix_user_unit_unit_id"), "user_unit", ["unit_id"])
    op.execute('INSERT INTO user_unit (user_id, unit_id) SELECT id, unit_id FROM "user" WHERE unit_id IS NOT NULL')
    with op.batch_alter_table("user") as batch:
        batch.drop_constraint("fk_user_unit_id_unit", type_="foreignkey")
        batch.drop_column("unit_id")


def downgrade():
    with op.batch_alter_table("user") as batch:
        batch.add_column(sa.Column("unit_id", sa.Integer(), nullable=True))
        batch.create_foreign_key("fk_user_unit_id_unit", "unit", ["unit_id"], ["id"])
    # One unit each again: the first of hers (a person of several units keeps the first).
    op.execute('UPDATE "user" SET unit_id = (SELECT MIN(unit_id) FROM user_unit WHERE user_unit.user_id = "user".id)')
    op.drop_index(op.f("ix_user_unit_unit_id"), table_name="user_unit")
    op.drop_table("user_unit")
    op.drop_table("user_role")
