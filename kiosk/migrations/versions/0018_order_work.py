"""work orders worked on the department's tablet: progress entries, completion photos,
the customer's drawn signature, who completed it and the fee confirmed on site

Revision ID: 0018_order_work
Revises: 0017_complaint_category
Create Date: 2026-12-06 02:50:00

"""
import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision = '0018_order_work'
down_revision = '0017_complaint_category'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'order_progress',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('work_order_id', sa.Integer(), nullable=False),
        sa.Column('kind', sa.Enum('ARRIVED', 'PARTS_NEEDED', 'CUSTOMER_ABSENT', 'NOTE', name='progresskind', native_enum=False, length=20), nullable=False),
        sa.Column('note', sa.Text(), nullable=True),
        sa.Column('at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('received_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('device_id', sa.Integer(), nullable=True),
        sa.Column('site_id', sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(['device_id'], ['device.id']),
        sa.ForeignKeyConstraint(['site_id'], ['site.id']),
        sa.ForeignKeyConstraint(['user_id'], ['user.id']),
        sa.ForeignKeyConstraint(['work_order_id'], ['work_order.id']),
        sa.PrimaryKeyConstraint('id'),
    )
    op.create_index('ix_order_progress_order_at', 'order_progress', ['work_order_id', 'at', 'id'])
    op.create_index(op.f('ix_order_progress_site_id'), 'order_progress', ['site_id'])
    op.create_table(
        'order_photo',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('work_order_id', sa.Integer(), nullable=False),
        sa.Column('path', sa.String(length=200), nullable=False),
        sa.Column('width', sa.Integer(), nullable=False),
        sa.Column('height', sa.Integer(), nullable=False),
        sa.Column('size', sa.Integer(), nullable=False),
        sa.Column('sha256', sa.String(length=64), nullable=False),
        sa.Column('taken_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('received_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('uploaded_by_id', sa.Integer(), nullable=True),
        sa.Column('device_id', sa.Integer(), nullable=True),
        sa.Column('site_id', sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(['device_id'], ['device.id']),
        sa.ForeignKeyConstraint(['site_id'], ['site.id']),
        sa.ForeignKeyConstraint(['uploaded_by_id'], ['user.id']),
        sa.ForeignKeyConstraint(['work_order_id'], ['work_order.id']),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('path'),
    )
    op.create_index(op.f('ix_order_photo_work_order_id'), 'order_photo', ['work_order_id'])
    op.create_index(op.f('ix_order_photo_site_id'), 'order_photo', ['site_id'])
    with op.batch_alter_table('work_order') as batch:
        batch.add_column(sa.Column('completed_by_id', sa.Integer(), nullable=True))
        batch.add_column(sa.Column('customer_signature_path', sa.String(length=200), nullable=True))
        batch.add_column(sa.Column('customer_signature_sha256', sa.String(length=64), nullable=True))
        batch.add_column(sa.Column('site_fee_cents', sa.Integer(), nullable=True))
        batch.create_foreign_key('fk_work_order_completed_by_id_user', 'user', ['completed_by_id'], ['id'])


def downgrade():
    with op.batch_alter_table('work_order') as batch:
        batch.drop_constraint('fk_work_order_completed_by_id_user', type_='foreignkey')
        batch.drop_column('site_fee_cents')
        batch.drop_column('customer_signature_sha256')
        batch.drop_column('customer_signature_path')
        batch.drop_column('completed_by_id')
    op.drop_index(op.f('ix_order_photo_site_id'), table_name='order_photo')
    op.drop_index(op.f('ix_order_photo_work_order_id'), table_name='order_photo')
    op.drop_table('order_photo')
    op.drop_index(op.f('ix_order_progress_site_id'), table_name='order_progress')
    op.drop_index('ix_order_progress_order_at', table_name='order_progress')
    op.drop_table('order_progress')
