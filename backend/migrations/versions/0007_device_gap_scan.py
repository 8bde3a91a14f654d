"""What the supervisor's day view last found of each tablet's entry numbers, so that it reads only what is new
(backend/models/device_gap_scan.py)

Revision ID: 0007
Revises: 0006

Empty after the upgrade: the first day view of a unit reads its tablets' numbers once and keeps what it found.
"""
import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "device_gap_scan",
        sa.Column("device_id", sa.String(length=64), nullable=False),
        sa.Column("checked_to", sa.Integer(), nullable=False),
        sa.Column("gaps", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(["device_id"], ["device.id"], name=op.f("fk_device_gap_scan_device_id_device")),
        sa.PrimaryKeyConstraint("device_id", name=op.f("pk_device_gap_scan")),
    )


def downgrade():
    op.drop_table("device_gap_scan")
