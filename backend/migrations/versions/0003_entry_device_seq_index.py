"""Index entries by device and client sequence number (gap detection in the day view).

Revision ID: 0003
Revises: 0002
"""
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("entry") as batch_op:
        batch_op.create_index("ix_entry_device_seq", ["device_id", "client_seq"], unique=False)


def downgrade():
    with op.batch_alter_table("entry") as batch_op:
        batch_op.drop_index("ix_entry_device_seq")
