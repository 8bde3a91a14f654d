"""audit log hash chain: prev_hash and hash on audit_event

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-25 04:20:00

Existing rows are chained in id order, so `bedside audit verify` holds from the upgrade on.
"""
import sqlalchemy as sa
from alembic import op

from backend.domain import audit_chain

# revision identifiers, used by Alembic.
revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None


def _backfill():
    conn = op.get_bind()
    table = sa.table('audit_event', sa.column('id', sa.Integer()), sa.column('prev_hash', sa.String(64)),
                     sa.column('hash', sa.String(64)), sa.column('at', sa.DateTime()),
                     sa.column('actor_id', sa.Integer()), sa.column('role', sa.String(20)),
                     sa.column('device_id', sa.String(64)), sa.column('address', sa.String(64)),
                     sa.column('action', sa.String(40)), sa.column('object_type', sa.String(40)),
                     sa.column('object_id', sa.String(64)), sa.column('detail', sa.JSON(none_as_null=True)))
    fields = [table.c[name] for name in ('id',) + audit_chain.FIELDS]
    rows = [dict(r) for r in conn.execute(sa.select(*fields).order_by(table.c.id)).mappings()]
    audit_chain.extend(audit_chain.GENESIS, rows)
    for r in rows:
        conn.execute(table.update().where(table.c.id == r['id']).values(prev_hash=r['prev_hash'], hash=r['hash']))


def upgrade():
    with op.batch_alter_table('audit_event', schema=None) as batch_op:
        batch_op.add_column(sa.Column('prev_hash', sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column('hash', sa.String(length=64), nullable=True))
    _backfill()
    with op.batch_alter_table('audit_event', schema=None) as batch_op:
        batch_op.alter_column('prev_hash', existing_type=sa.String(length=64), nullable=False)
        batch_op.alter_column('hash', existing_type=sa.String(length=64), nullable=False)
    if op.get_bind().dialect.name == 'postgresql':
        # Defence in depth: no role gets UPDATE or DELETE through PUBLIC (the owner still can; the chain shows it).
        op.execute('REVOKE UPDATE, DELETE ON audit_event FROM PUBLIC')


def downgrade():
    with op.batch_alter_table('audit_event', schema=None) as batch_op:
        batch_op.drop_column('hash')
        batch_op.drop_column('prev_hash')
