"""Care planning: assessment scores on entries, care-group decisions, versioned care plans, cards generated
from plans and closed at the month's end

Revision ID: 0005
Revises: 0004
"""
import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "care_group_decision",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("resident_id", sa.Integer(), sa.ForeignKey("resident.id"), nullable=False),
        sa.Column("group", sa.Integer(), nullable=False),
        sa.Column("decided_on", sa.Date(), nullable=False),
        sa.Column("decided_by", sa.Integer(), sa.ForeignKey("user.id"), nullable=False),
        sa.Column("recorded_at", sa.DateTime(), nullable=False),
        sa.Column("reason", sa.String(length=20), nullable=False),
        sa.Column("suggestion", sa.JSON(), nullable=True),
        sa.Column("basis", sa.JSON(), nullable=True),
        sa.Column("note", sa.Text(), nullable=True),
    )
    op.create_index("ix_care_group_decision_resident_id", "care_group_decision", ["resident_id"])
    op.create_table(
        "care_plan",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("resident_id", sa.Integer(), sa.ForeignKey("resident.id"), nullable=False, unique=True),
        sa.Column("current_version", sa.Integer(), nullable=False),
    )
    op.create_table(
        "care_plan_version",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("plan_id", sa.Integer(), sa.ForeignKey("care_plan.id"), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("content", sa.JSON(), nullable=False),
        sa.Column("created_by", sa.Integer(), sa.ForeignKey("user.id"), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.UniqueConstraint("plan_id", "number"),
    )
    op.create_index("ix_care_plan_version_plan_id", "care_plan_version", ["plan_id"])
    with op.batch_alter_table("entry") as batch_op:
        batch_op.add_column(sa.Column("score", sa.JSON(), nullable=True))
    with op.batch_alter_table("card_item") as batch_op:
        batch_op.add_column(sa.Column("plan_service", sa.String(length=36), nullable=True))
    with op.batch_alter_table("care_card") as batch_op:
        batch_op.add_column(sa.Column("plan_version_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("closed_at", sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column("closed_by", sa.Integer(), nullable=True))
        batch_op.create_foreign_key("fk_care_card_plan_version", "care_plan_version", ["plan_version_id"], ["id"])
        batch_op.create_foreign_key("fk_care_card_closed_by_user", "user", ["closed_by"], ["id"])


def downgrade():
    with op.batch_alter_table("care_card") as batch_op:
        batch_op.drop_constraint("fk_care_card_closed_by_user", type_="foreignkey")
        batch_op.drop_constraint("fk_care_card_plan_version", type_="foreignkey")
        for name in ("closed_by", "closed_at", "plan_version_id"):
            batch_op.drop_column(name)
    with op.batch_alter_table("card_item") as batch_op:
        batch_op.drop_column("plan_service")
    with op.batch_alter_table("entry") as batch_op:
        batch_op.drop_column("score")
    op.drop_index("ix_care_plan_version_plan_id", table_name="care_plan_version")
    op.drop_table("care_plan_version")
    op.drop_table("care_plan")
    op.drop_index("ix_care_group_decision_resident_id", table_name="care_group_decision")
    op.drop_table("care_group_decision")
