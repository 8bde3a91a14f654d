"""A real home: rooms and beds (backend/models/room.py, bed.py), and staff accounts an administrator runs
(backend/models/user.py: a one-time password to change, retired signing keys, a feed position)

Revision ID: 0008
Revises: 0007

Existing accounts keep their passwords (no forced change); their feed position is 0, as rows that tablets
already hold from their snapshot.
"""
import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "room",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("unit_id", sa.Integer(), nullable=False),
        sa.Column("post_id", sa.Integer(), nullable=True),
        sa.Column("name", sa.String(length=20), nullable=False),
        sa.Column("active", sa.Boolean(), server_default=sa.true(), nullable=False),
        sa.ForeignKeyConstraint(["unit_id"], ["unit.id"], name=op.f("fk_room_unit_id_unit")),
        sa.ForeignKeyConstraint(["post_id"], ["duty_post.id"], name=op.f("fk_room_post_id_duty_post")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_room")),
        sa.UniqueConstraint("unit_id", "name", name=op.f("uq_room_unit_id")),
    )
    op.create_index(op.f("ix_room_unit_id"), "room", ["unit_id"])
    op.create_index(op.f("ix_room_post_id"), "room", ["post_id"])
    op.create_table(
        "bed",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("room_id", sa.Integer(), nullable=False),
        sa.Column("label", sa.String(length=20), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["room_id"], ["room.id"], name=op.f("fk_bed_room_id_room")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_bed")),
        sa.UniqueConstraint("room_id", "label", name=op.f("uq_bed_room_id")),
    )
    op.create_index(op.f("ix_bed_room_id"), "bed", ["room_id"])
    with op.batch_alter_table("user") as batch:
        batch.add_column(sa.Column("must_change_password", sa.Boolean(), server_default=sa.false(),
                                   nullable=False))
        batch.add_column(sa.Column("password_changed_at", sa.DateTime(), nullable=True))
        batch.add_column(sa.Column("keys_valid_from", sa.DateTime(), nullable=True))
        batch.add_column(sa.Column("created_at", sa.DateTime(), nullable=True))
        batch.add_column(sa.Column("seq", sa.BigInteger(), server_default="0", nullable=False))
        batch.create_index(batch.f("ix_user_seq"), ["seq"])


def downgrade():
    with op.batch_alter_table("user") as batch:
        batch.drop_index(batch.f("ix_user_seq"))
        for column in ("seq", "created_at", "keys_valid_from", "password_changed_at", "must_change_password"):
            batch.drop_column(column)
    op.drop_index(op.f("ix_bed_room_id"), table_name="bed")
    op.drop_table("bed")
    op.drop_index(op.f("ix_room_post_id"), table_name="room")
    op.drop_index(op.f("ix_room_unit_id"), table_name="room")
    op.drop_table("room")
