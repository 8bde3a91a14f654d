"""Home care (issue 18): a care-card item names the catalogue service it delivers (card_item.service_item_id), so a
visit's planned minutes, its settlement price and unit come from the centre's catalogue. None in a care home.

Revision ID: 0016
Revises: 0015
"""
import sqlalchemy as sa
from alembic import op

revision = "0016"
down_revision = "0015"
branch_labels = None
depends_on = None


def upgrade():
    # a plain column (its reference is kept by the services): adding a foreign key would make SQLite's batch mode
    # copy card_item, which entries refer to
    op.add_column("card_item", sa.Column("service_item_id", sa.Integer(), nullable=True))


def downgrade():
    op.drop_column("card_item", "service_item_id")  # SQLite 3.35+ drops a column in place (no copy of the table)
