"""Staff posts («должность», domain/posts.py): user.post, and the post recorded with what she does --
entry.author_post (when the entry reached the server), care_group_decision.decided_by_post and
day_confirmation.confirmed_by_post. The accounts made before are given the post their main role names alone
(nurse: junior nurse, supervisor: ward nurse, activities: activity organiser, admin: administrator; posts.OF_ROLE);
a planner's post (physician or social-rehabilitation specialist) is left to be chosen. Nothing recorded before is
given a post: who was what then is not known.

Revision ID: 0014
Revises: 0013
"""
import sqlalchemy as sa
from alembic import op

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None

#: posts.OF_ROLE as it was written (a migration does not follow later changes of the domain).
_OF_ROLE = {"nurse": "junior_nurse", "supervisor": "ward_nurse", "activities": "activity_organiser",
            "admin": "administrator"}


def upgrade():
    with op.batch_alter_table("user") as batch:
        batch.add_column(sa.Column("post", sa.String(length=40), nullable=True))
    with op.batch_alter_table("entry") as batch:
        batch.add_column(sa.Column("author_post", sa.String(length=40), nullable=True))
    with op.batch_alter_table("care_group_decision") as batch:
        batch.add_column(sa.Column("decided_by_post", sa.String(length=40), nullable=True))
    with op.batch_alter_table("day_confirmation") as batch:
        batch.add_column(sa.Column("confirmed_by_post", sa.String(length=40), nullable=True))
    user = sa.table("user", sa.column("role", sa.String), sa.column("post", sa.String))
    for role, post in _OF_ROLE.items():
        op.execute(user.update().where(user.c.role == role).values(post=post))


def downgrade():
    with op.batch_alter_table("day_confirmation") as batch:
        batch.drop_column("confirmed_by_post")
    with op.batch_alter_table("care_group_decision") as batch:
        batch.drop_column("decided_by_post")
    with op.batch_alter_table("entry") as batch:
        batch.drop_column("author_post")
    with op.batch_alter_table("user") as batch:
        batch.drop_column("post")
