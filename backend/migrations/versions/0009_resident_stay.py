"""Residents through the whole stay: the events of a stay (backend/models/resident_event.py) and the resident's
status, admission day and the day her stay ended

Revision ID: 0009
Revises: 0008

Existing residents are present (or, when no longer active, discharged on an unknown day: `left_on` stays empty).
"""
import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "resident_event",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("resident_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("absence", sa.String(length=20), nullable=True),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("detail", sa.JSON(), nullable=True),
        sa.Column("from_post_id", sa.Integer(), nullable=True),
        sa.Column("recorded_by", sa.Integer(), nullable=False),
        sa.Column("recorded_at", sa.DateTime(), nullable=False),
        sa.Column("seq", sa.BigInteger(), nullable=False),
        sa.ForeignKeyConstraint(["resident_id"], ["resident.id"], name=op.f("fk_resident_event_resident_id_resident")),
        sa.ForeignKeyConstraint(["from_post_id"], ["duty_post.id"],
                                name=op.f("fk_resident_event_from_post_id_duty_post")),
        sa.ForeignKeyConstraint(["recorded_by"], ["user.id"], name=op.f("fk_resident_event_recorded_by_user")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_resident_event")),
    )
    op.create_index("ix_resident_event_resident_at", "resident_event", ["resident_id", "at"])
    op.create_index(op.f("ix_resident_event_from_post_id"), "resident_event", ["from_post_id"])
    op.create_index(op.f("ix_resident_event_seq"), "resident_event", ["seq"])
    with op.batch_alter_table("resident") as batch:
        batch.add_column(sa.Column("status", sa.String(length=16), server_default="present", nullable=False))
        batch.add_column(sa.Column("admitted_on", sa.Date(), nullable=True))
        batch.add_column(sa.Column("left_on", sa.Date(), nullable=True))
    op.execute("UPDATE resident SET status = 'discharged' WHERE active = false")


def downgrade():
    with op.batch_alter_table("resident") as batch:
        for column in ("left_on", "admitted_on", "status"):
            batch.drop_column(column)
    op.drop_index(op.f("ix_resident_event_seq"), table_name="resident_event")
    op.drop_index(op.f("ix_resident_event_from_post_id"), table_name="resident_event")
    op.drop_index("ix_resident_event_resident_at", table_name="resident_event")
    op.drop_table("resident_event")
