"""Tablet enrolment and revocation, per-person signing keys, signed entries

Revision ID: 0004
Revises: 0003

Entries stored before this revision have no signature (key_id and signature stay NULL).
"""
import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "signing_key",
        sa.Column("id", sa.String(length=36), primary_key=True),
        sa.Column("user_id", sa.Integer(), sa.ForeignKey("user.id"), nullable=False),
        sa.Column("device_id", sa.String(length=64), nullable=False),
        sa.Column("secret", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("revoked_at", sa.DateTime(), nullable=True),
    )
    op.create_index("ix_signing_key_user_id", "signing_key", ["user_id"])
    op.create_index("ix_signing_key_device_id", "signing_key", ["device_id"])
    with op.batch_alter_table("device") as batch_op:
        batch_op.add_column(sa.Column("name", sa.String(length=80), nullable=True))
        batch_op.add_column(sa.Column("enrolled_at", sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column("enrolled_by", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("credential_hash", sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column("revoked_at", sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column("revoked_by", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("wiped_at", sa.DateTime(), nullable=True))
        batch_op.create_foreign_key("fk_device_enrolled_by_user", "user", ["enrolled_by"], ["id"])
        batch_op.create_foreign_key("fk_device_revoked_by_user", "user", ["revoked_by"], ["id"])
    with op.batch_alter_table("entry") as batch_op:
        batch_op.add_column(sa.Column("key_id", sa.String(length=36), nullable=True))
        batch_op.add_column(sa.Column("signature", sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column("from_revoked_device", sa.Boolean(), nullable=False,
                                      server_default=sa.false()))


def downgrade():
    with op.batch_alter_table("entry") as batch_op:
        batch_op.drop_column("from_revoked_device")
        batch_op.drop_column("signature")
        batch_op.drop_column("key_id")
    with op.batch_alter_table("device") as batch_op:
        batch_op.drop_constraint("fk_device_revoked_by_user", type_="foreignkey")
        batch_op.drop_constraint("fk_device_enrolled_by_user", type_="foreignkey")
        for name in ("wiped_at", "revoked_by", "revoked_at", "credential_hash", "enrolled_by", "enrolled_at", "name"):
            batch_op.drop_column(name)
    op.drop_index("ix_signing_key_device_id", table_name="signing_key")
    op.drop_index("ix_signing_key_user_id", table_name="signing_key")
    op.drop_table("signing_key")
