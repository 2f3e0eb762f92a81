"""offline: device status and dead letters

Revision ID: 0004_offline
Revises: 0003_patrols
Create Date: 2026-11-23 10:38:52.479253

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0004_offline'
down_revision = '0003_patrols'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('dead_letter',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('device_id', sa.Integer(), nullable=False),
    sa.Column('entry_id', sa.String(length=64), nullable=False),
    sa.Column('method', sa.String(length=8), nullable=False),
    sa.Column('path', sa.String(length=200), nullable=False),
    sa.Column('status', sa.Integer(), nullable=False),
    sa.Column('queued_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('failed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('first_reported_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('last_reported_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('cleared_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('site_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['device_id'], ['device.id'], ),
    sa.ForeignKeyConstraint(['site_id'], ['site.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('device_id', 'entry_id')
    )
    with op.batch_alter_table('dead_letter', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_dead_letter_device_id'), ['device_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_dead_letter_site_id'), ['site_id'], unique=False)

    op.create_table('device_status',
    sa.Column('device_id', sa.Integer(), nullable=False),
    sa.Column('reported_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('device_clock_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('clock_skew_seconds', sa.Integer(), nullable=False),
    sa.Column('pending', sa.Integer(), nullable=False),
    sa.Column('dead', sa.Integer(), nullable=False),
    sa.Column('oldest_pending_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('asset_version', sa.String(length=20), nullable=True),
    sa.Column('storage_persisted', sa.Boolean(), nullable=True),
    sa.ForeignKeyConstraint(['device_id'], ['device.id'], ),
    sa.PrimaryKeyConstraint('device_id')
    )



def downgrade():
    op.drop_table('device_status')
    with op.batch_alter_table('dead_letter', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_dead_letter_site_id'))
        batch_op.drop_index(batch_op.f('ix_dead_letter_device_id'))

    op.drop_table('dead_letter')

