"""keys and households finish: drawn signatures on shift handovers (outgoing and incoming)

Revision ID: 0012_keys_households
Revises: 0011_patrol_finish
Create Date: 2026-12-05 08:40:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0012_keys_households'
down_revision = '0011_patrol_finish'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('shift_log', schema=None) as batch_op:
        batch_op.add_column(sa.Column('outgoing_signature_path', sa.String(length=200), nullable=True))
        batch_op.add_column(sa.Column('outgoing_signature_sha256', sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column('incoming_signature_path', sa.String(length=200), nullable=True))
        batch_op.add_column(sa.Column('incoming_signature_sha256', sa.String(length=64), nullable=True))


def downgrade():
    with op.batch_alter_table('shift_log', schema=None) as batch_op:
        batch_op.drop_column('incoming_signature_sha256')
        batch_op.drop_column('incoming_signature_path')
        batch_op.drop_column('outgoing_signature_sha256')
        batch_op.drop_column('outgoing_signature_path')
