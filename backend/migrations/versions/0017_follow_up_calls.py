"""Home care (issue 18): follow-up calls (回访) about finished visits -- which visit, the call's result
(confirmed, not confirmed, unreachable), a note, who called and when.

A new table only: creating it copies no other table, so its foreign keys (home, visit, user) cost nothing on SQLite
(0016's caution is about adding a foreign key to an existing table, which SQLite's batch mode does by copying it).

Revision ID: 0017
Revises: 0016
"""
import sqlalchemy as sa
from alembic import op

revision = "0017"
down_revision = "0016"
branch_labels = None
depends_on = None


def _fk(column, target):
    return sa.ForeignKeyConstraint([column], [f"{target}.id"], name=op.f(f"fk_follow_up_call_{column}_{target}"))


def upgrade():
    op.create_table(
        "follow_up_call",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("home_id", sa.Integer(), nullable=False),
        sa.Column("visit_id", sa.Integer(), nullable=False),
        sa.Column("result", sa.String(length=16), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("called_by", sa.Integer(), nullable=False),
        sa.Column("called_at", sa.DateTime(), nullable=False),
        _fk("called_by", "user"),
        _fk("home_id", "home"),
        _fk("visit_id", "visit"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_follow_up_call")))
    op.create_index(op.f("ix_follow_up_call_home_id"), "follow_up_call", ["home_id"], unique=False)
    op.create_index(op.f("ix_follow_up_call_visit_id"), "follow_up_call", ["visit_id"], unique=False)


def downgrade():
    op.drop_table("follow_up_call")  # its indexes and constraints go with it
