"""A care-group decision records its grounds: the criteria of the chosen group's definition (regulation 004,
Appendix 4) the team's decision rests on (care_group_decision.grounds: ["regular_need", ...], codes of
domain/care_groups.py GROUNDS; null on the decisions recorded before)

Revision ID: 0012
Revises: 0011
"""
import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("care_group_decision") as batch:
        batch.add_column(sa.Column("grounds", sa.JSON(), nullable=True))


def downgrade():
    with op.batch_alter_table("care_group_decision") as batch:
        batch.drop_column("grounds")
