"""Home care (issue 18): the station head accepts a carer's reason for showing no presence at the person's home
(the location element of electronic visit verification: a fix within the radius, the code, or an accepted reason)
-- visit.location_accepted_at, location_accepted_by (the user's id), location_accepted_reason.

Plain nullable columns: location_accepted_by has no foreign key, which the services keep (a foreign key added to an
existing table would make SQLite's batch mode copy visit; see 0016).

Revision ID: 0018
Revises: 0017
"""
import sqlalchemy as sa
from alembic import op

revision = "0018"
down_revision = "0017"
branch_labels = None
depends_on = None


def upgrade():
    op.add_column("visit", sa.Column("location_accepted_at", sa.DateTime(), nullable=True))
    op.add_column("visit", sa.Column("location_accepted_by", sa.Integer(), nullable=True))
    op.add_column("visit", sa.Column("location_accepted_reason", sa.Text(), nullable=True))


def downgrade():
    # SQLite 3.35+ drops a column in place (no copy of the table)
    op.drop_column("visit", "location_accepted_reason")
    op.drop_column("visit", "location_accepted_by")
    op.drop_column("visit", "location_accepted_at")
