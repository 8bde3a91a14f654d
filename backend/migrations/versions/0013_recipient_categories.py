"""A resident's categories of service recipient (004 §1.1: mental disorder incl. dementia, disability, low mobility,
geriatric, palliative): resident.categories, a list, empty for those recorded before

Revision ID: 0013
Revises: 0012
"""
import sqlalchemy as sa
from alembic import op

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("resident") as batch:
        batch.add_column(sa.Column("categories", sa.JSON(), nullable=False, server_default="[]"))


def downgrade():
    with op.batch_alter_table("resident") as batch:
        batch.drop_column("categories")
