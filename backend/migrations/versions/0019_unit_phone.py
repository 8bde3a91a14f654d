"""Home care (issue 18): a unit's phone number -- for a community home's station, the number its people call and
the printed service sheet (一本清) gives; a care home's ward may keep its own. An alarm's text from its device (what
the device said, e.g. which room), shown to the dispatcher. A follow-up call's (回访) home-care satisfaction
questionnaire: its answers and the server's score with its band (frontend/forms/satisfaction_homecare.json).

Revision ID: 0019
Revises: 0018
"""
import sqlalchemy as sa
from alembic import op

revision = "0019"
down_revision = "0018"
branch_labels = None
depends_on = None


def upgrade():
    op.add_column("unit", sa.Column("phone", sa.String(40), nullable=True))
    op.add_column("alarm", sa.Column("detail", sa.Text(), nullable=True))
    op.add_column("follow_up_call", sa.Column("answers", sa.JSON(none_as_null=True), nullable=True))
    op.add_column("follow_up_call", sa.Column("score", sa.JSON(none_as_null=True), nullable=True))


def downgrade():
    op.drop_column("follow_up_call", "score")
    op.drop_column("follow_up_call", "answers")
    op.drop_column("alarm", "detail")
    op.drop_column("unit", "phone")
