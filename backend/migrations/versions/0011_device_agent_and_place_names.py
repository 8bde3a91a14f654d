"""An unenrolled device is told apart by its browser (device.user_agent, as it last synced); a unit's and a duty
post's name in the home's other languages (unit.names, duty_post.names: {"en": …, "zh_Hans": …}; `name` stays the
name as entered and the fallback)

Revision ID: 0011
Revises: 0010
"""
import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("device") as batch:
        batch.add_column(sa.Column("user_agent", sa.String(length=300), nullable=True))
    with op.batch_alter_table("unit") as batch:
        batch.add_column(sa.Column("names", sa.JSON(), nullable=True))
    with op.batch_alter_table("duty_post") as batch:
        batch.add_column(sa.Column("names", sa.JSON(), nullable=True))


def downgrade():
    with op.batch_alter_table("duty_post") as batch:
        batch.drop_column("names")
    with op.batch_alter_table("unit") as batch:
        batch.drop_column("names")
    with op.batch_alter_table("device") as batch:
        batch.drop_column("user_agent")
